"""Update links: a team without accounts updates its organisation's availability, and no more."""

import json
import logging
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerk.places.availability import AvailabilityChange
from netwerk.places.update_links import (
    UpdateLink,
    token_hash,
    update_link_path,
    update_link_renew,
)

pytestmark = pytest.mark.django_db


def tap(client, token, place, status="available"):
    return client.post(
        update_link_path(token), {"plek": place.pk, f"plek-{place.pk}-beschikbaarheid": status}
    )


def admin_url(view, *args):
    return reverse(f"admin:netwerk_updatelink_{view}", args=args)


def test_the_link_shows_the_organisations_places_without_signing_in(client, update_link, hospice):
    response = client.get(update_link_path(update_link.token))
    assert response.status_code == 200
    assert [place for place, _form in response.context["cards"]] == list(hospice.places.all())
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_a_tap_through_the_link_saves_and_records_the_link(client, update_link, hospice):
    place = hospice.places.get()
    response = tap(client, update_link.token, place, "full")
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.availability == "full" and place.availability_updated_by is None
    change = AvailabilityChange.objects.get(place=place)
    assert change.link == update_link and change.changed_by is None
    assert change.source == f"bijwerklink #{update_link.pk}"
    update_link.refresh_from_db()
    assert update_link.last_used_at == change.changed_at
    assert "staat nu op “Vol”" in client.get(response["Location"]).content.decode()


def test_every_use_is_logged_without_the_token(client, update_link, hospice, caplog):
    with caplog.at_level(logging.INFO, logger="netwerk.views.places"):
        client.get(update_link_path(update_link.token))
        tap(client, update_link.token, hospice.places.get())
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        f"Update link {update_link.pk} used (GET)",
        f"Update link {update_link.pk} used (POST)",
    ]
    assert update_link.token not in caplog.text


def test_the_link_cannot_touch_another_organisations_places(
    client, update_link, amsterdam_organisation
):
    other = amsterdam_organisation.places.get()
    assert tap(client, update_link.token, other).status_code == 404
    other.refresh_from_db()
    assert other.availability_updated_at is None


@pytest.mark.parametrize(
    "token", ["x", "0" * 43, "a" * 300, "..%2F..%2Fbeheer", "🙂", "' OR 1=1 --"]
)
def test_a_wrong_token_answers_404(client, update_link, token):
    response = client.get(f"/plekken-bijwerken/{token}/")
    assert response.status_code == 404


def test_a_revoked_link_answers_404(client, update_link, hospice):
    update_link.revoke()
    assert client.get(update_link_path(update_link.token)).status_code == 404
    assert tap(client, update_link.token, hospice.places.get()).status_code == 404
    assert not AvailabilityChange.objects.exists()


def test_only_a_hash_of_the_token_is_stored(update_link):
    stored = UpdateLink.objects.values_list("token_hash", flat=True).get(pk=update_link.pk)
    assert stored == token_hash(update_link.token) != update_link.token
    assert len(update_link.token) >= 43


def test_requests_are_rate_limited(client, update_link, settings):
    settings.PLACE_UPDATE_LINK_RATE = "3/m"
    url = update_link_path(update_link.token)
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert "te veel verzoeken" in response.content.decode()
    assert client.get("/plekken-bijwerken/geraden-token/").status_code == 429


# --- Coordinators hand links out, revoke and renew them in the admin. --------------------------


def link_in_message(response) -> str:
    text = " ".join(str(message) for message in response.context["messages"])
    return re.search(r"http://testserver(/plekken-bijwerken/[\w-]+/)", text).group(1)


def test_a_coordinator_creates_a_link_and_sees_it_once(client, coordinator, hospice):
    client.force_login(coordinator)
    response = client.post(admin_url("add"), {"organisation": hospice.pk}, follow=True)
    assert response.status_code == 200
    path = link_in_message(response)
    link = UpdateLink.objects.get(organisation=hospice)
    assert link.created_by == coordinator
    client.logout()
    assert client.get(path).status_code == 200
    client.force_login(coordinator)
    page = client.get(admin_url("change", link.pk)).content.decode()
    assert path not in page


def test_a_coordinator_revokes_a_link(client, coordinator, update_link):
    client.force_login(coordinator)
    response = client.post(
        admin_url("changelist"),
        {"action": "revoke", "_selected_action": [update_link.pk]},
        follow=True,
    )
    assert "1 link ingetrokken." in response.content.decode()
    client.logout()
    assert client.get(update_link_path(update_link.token)).status_code == 404


def test_renewing_replaces_the_old_link_with_a_new_one(client, coordinator, update_link, hospice):
    client.force_login(coordinator)
    response = client.post(
        admin_url("changelist"),
        {"action": "renew", "_selected_action": [update_link.pk]},
        follow=True,
    )
    new_path = link_in_message(response)
    client.logout()
    assert client.get(update_link_path(update_link.token)).status_code == 404
    assert client.get(new_path).status_code == 200
    assert UpdateLink.objects.active().filter(organisation=hospice).count() == 1


def test_a_coordinator_cannot_hand_out_links_outside_their_region(
    client, coordinator, amsterdam_organisation
):
    client.force_login(coordinator)
    response = client.post(admin_url("add"), {"organisation": amsterdam_organisation.pk})
    assert response.status_code == 200  # the form again, with an error
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not UpdateLink.objects.filter(organisation=amsterdam_organisation).exists()


def test_editors_have_no_access_to_update_links(client, editor, update_link):
    client.force_login(editor)
    assert client.get(admin_url("changelist")).status_code == 403
    assert client.get(admin_url("add")).status_code == 403
    assert client.get(admin_url("change", update_link.pk)).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert admin_url("changelist") not in index


def test_links_cannot_be_deleted_only_revoked(admin_client, update_link):
    assert admin_client.get(admin_url("delete", update_link.pk)).status_code == 403
    changelist = admin_client.get(admin_url("changelist"))
    assert "delete_selected" not in json.dumps(list(changelist.context["action_form"].fields))
    assert "delete_selected" not in changelist.content.decode()


def test_the_link_page_query_count_is_constant(client, update_link, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(update_link_path(update_link.token))
    assert response.status_code == 200


# --- Links expire after UPDATE_LINK_VALID_DAYS. ---


def made_days_ago(link, days: int) -> None:
    UpdateLink.objects.filter(pk=link.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_an_expired_link_says_so_and_saves_nothing(client, update_link, hospice, settings):
    settings.UPDATE_LINK_VALID_DAYS = 365
    made_days_ago(update_link, 366)
    response = client.get(update_link_path(update_link.token))
    assert response.status_code == 410
    page = response.content.decode()
    assert "Deze link is verlopen" in page and "Vraag de coördinator" in page
    assert "no-store" in response["Cache-Control"]
    assert tap(client, update_link.token, hospice.places.get()).status_code == 410
    assert not AvailabilityChange.objects.exists()


def test_a_link_works_until_its_last_day(client, update_link, hospice, settings):
    settings.UPDATE_LINK_VALID_DAYS = 365
    made_days_ago(update_link, 364)
    assert client.get(update_link_path(update_link.token)).status_code == 200
    assert tap(client, update_link.token, hospice.places.get()).status_code in (200, 302)
    assert AvailabilityChange.objects.count() == 1


def test_links_near_their_end_are_listed_for_the_coordinator(
    client, coordinator, update_link, settings
):
    settings.UPDATE_LINK_VALID_DAYS, settings.UPDATE_LINK_WARNING_DAYS = 365, 30
    made_days_ago(update_link, 340)  # 25 days left
    client.force_login(coordinator)
    to_do = {task["label"]: task for task in client.get("/beheer/").context["to_do"]}
    task = to_do["Bijwerklinks die binnenkort verlopen"]
    assert task["count"] == 1
    listed = client.get(task["url"]).context["cl"].result_list
    assert [link.pk for link in listed] == [update_link.pk]

    made_days_ago(update_link, 300)  # 65 days left: not yet
    to_do = {task["label"]: task for task in client.get("/beheer/").context["to_do"]}
    assert to_do["Bijwerklinks die binnenkort verlopen"]["count"] == 0
    assert client.get(task["url"]).context["cl"].result_list.count() == 0


def test_renewing_replaces_an_expired_link_too(update_link, hospice, settings):
    made_days_ago(update_link, settings.UPDATE_LINK_VALID_DAYS + 1)
    link, _token = update_link_renew(organisation=hospice)
    update_link.refresh_from_db()
    assert update_link.revoked_at is not None
    assert list(UpdateLink.objects.active()) == [link]
