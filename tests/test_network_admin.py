"""The network's work in the admin: organisers keep their own events, a removed registration
frees its place for the waiting list, and every change is in the history."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from netwerk.network.events import Event
from netwerk.network.knowledge import KnowledgeItem
from netwerk.network.registrations import Registration, RegistrationStatus
from netwerk.reference.expertise import ExpertiseTag

pytestmark = pytest.mark.django_db


def event_form(organisation, **fields):
    start = timezone.localtime() + timedelta(days=10)
    return {
        "title": "Scholing rouw",
        "slug": "scholing-rouw",
        "kind": "scholing",
        "organiser": organisation.pk,
        "is_published": "on",
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "13:00:00",
        "ends_at_0": start.strftime("%Y-%m-%d"),
        "ends_at_1": "16:00:00",
        "location": organisation.locations.first().pk,
        "target_group": "beide",
        "registration_mode": "hier",
        "capacity": "20",
        **fields,
    }


def test_an_organiser_adds_an_event_for_their_own_organisation(editor_client, hospice):
    response = editor_client.post(reverse("admin:netwerk_event_add"), event_form(hospice))
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert event.organiser == hospice
    assert event.history.get().history_user.username == "redacteur"


def test_an_organiser_cannot_organise_for_another_organisation(
    editor_client, hospice, amsterdam_organisation
):
    data = event_form(amsterdam_organisation, location="")
    data["address"] = "Dam 1"
    response = editor_client.post(reverse("admin:netwerk_event_add"), data)
    assert response.status_code == 200
    assert "organiser" in response.context["adminform"].form.errors
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_at_1": "12:00:00"}, "ends_at", "Een bijeenkomst eindigt na het begin."),
        ({"location": ""}, "address", "Kies een vestiging, vul een adres in"),
        (
            {"registration_mode": "extern"},
            "registration_url",
            "Vul de link in waar men zich aanmeldt.",
        ),
        ({"location": "", "address": "X 1", "postcode": "0000"}, "postcode", None),
        ({"location": "", "address": "X 1", "postcode": "1000 AA"}, "postcode", "onbekend"),
    ],
)
def test_the_event_form_explains_its_rules_in_dutch(
    coordinator_client, hospice, fields, field, message
):
    response = coordinator_client.post(
        reverse("admin:netwerk_event_add"), event_form(hospice, **fields)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    if message:
        assert message in " ".join(errors[field])


def test_an_address_is_put_on_the_map_at_its_postcode(coordinator_client, hospice):
    data = event_form(hospice, location="", venue="Rosendael", address="Laan 1")
    data["postcode"] = "3511ab"
    response = coordinator_client.post(reverse("admin:netwerk_event_add"), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.postcode == "3511 AB"
    assert event.point is not None


def test_removing_a_registration_in_the_admin_gives_the_place_to_the_waiting_list(
    editor_client, hospice, django_capture_on_commit_callbacks
):
    start = timezone.now() + timedelta(days=5)
    event = Event.objects.create(
        title="Scholing",
        slug="scholing",
        kind="scholing",
        organiser=hospice,
        location=hospice.locations.first(),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_mode="hier",
        capacity=1,
    )
    first = Registration.objects.create(
        event=event, name="Een", email="een@example.org", status=RegistrationStatus.CONFIRMED
    )
    Registration.objects.create(
        event=event, name="Twee", email="twee@example.org", status=RegistrationStatus.WAITING
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:netwerk_registration_delete", args=[first.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert [message.to for message in mail.outbox] == [["twee@example.org"]]


def test_registrations_are_not_added_or_edited_in_the_admin(coordinator_client):
    assert coordinator_client.get(reverse("admin:netwerk_registration_add")).status_code == 403


def test_the_history_of_a_knowledge_item_keeps_its_expertise(coordinator_client, hospice):
    tag = ExpertiseTag.objects.create(name="Rouw", slug="rouw", category="meaning")
    response = coordinator_client.post(
        reverse("admin:netwerk_knowledgeitem_add"),
        {
            "title": "Rouwkaart",
            "kind": "overig",
            "url": "https://example.org/rouw",
            "organisation": hospice.pk,
            "expertise": [tag.pk],
            "target_group": "beide",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = KnowledgeItem.objects.get()
    version = item.history.get()
    assert [row.expertisetag for row in version.expertise.all()] == [tag]


def test_the_network_admin_pages_take_a_fixed_number_of_queries(
    coordinator_client, hospice, django_assert_max_num_queries
):
    for index in range(10):
        start = timezone.now() + timedelta(days=index + 1)
        Event.objects.create(
            title=f"E{index}",
            slug=f"e{index}",
            kind="patz",
            organiser=hospice,
            is_online=True,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    with django_assert_max_num_queries(25):
        assert coordinator_client.get(reverse("admin:netwerk_event_changelist")).status_code == 200
