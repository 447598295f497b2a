"""'Mijn plekken': a signed-in editor updates each of their places in one tap."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerk.places.availability import AvailabilityChange
from netwerk.places.places import CareSetting, Place

pytestmark = pytest.mark.django_db

URL = reverse("netwerk:my_places")


def tap(client, place, status, **fields):
    data = {"plek": place.pk, f"plek-{place.pk}-beschikbaarheid": status}
    data |= {f"plek-{place.pk}-{name}": value for name, value in fields.items()}
    return client.post(URL, data)


def test_visitors_are_asked_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_signed_in_user_who_edits_nothing_gets_an_explanation(professional_client):
    response = professional_client.get(URL)
    assert response.status_code == 403
    assert "nog geen redacteur" in response.content.decode()


def test_editor_sees_only_the_places_of_their_own_organisations(
    editor_client, hospice, amsterdam_organisation
):
    response = editor_client.get(URL)
    assert response.status_code == 200
    shown = [place for place, _form in response.context["cards"]]
    assert shown == list(hospice.places.all())
    html = response.content.decode()
    assert amsterdam_organisation.name not in html
    assert "Beschikbaar</button>" in html and "Vol</button>" in html


def test_one_tap_saves_the_status_and_confirms_what_was_saved(editor_client, editor, hospice):
    place = hospice.places.get()
    Place.objects.filter(pk=place.pk).update(
        availability="available", availability_updated_at=timezone.now() - timedelta(days=3)
    )
    response = tap(editor_client, place, "full", toelichting="Wachtlijst van twee weken")
    assert response.status_code == 302
    assert response["Location"] == f"{URL}#plek-{place.pk}"
    place.refresh_from_db()
    assert place.availability == "full"
    assert place.availability_note == "Wachtlijst van twee weken"
    assert place.availability_updated_by == editor
    assert timezone.now() - place.availability_updated_at < timedelta(minutes=1)
    change = AvailabilityChange.objects.get(place=place)
    assert (change.old_availability, change.new_availability) == ("available", "full")
    assert change.changed_by == editor and change.link is None

    page = editor_client.get(response["Location"]).content.decode()
    assert "Opgeslagen om" in page
    assert "staat nu op “Vol”" in page
    assert "Toelichting: Wachtlijst van twee weken." in page


def test_an_expected_date_is_saved_and_confirmed(editor_client, hospice):
    place = hospice.places.get()
    expected = timezone.localdate() + timedelta(days=5)
    response = tap(editor_client, place, "full", verwacht_op=expected.isoformat())
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.availability_expected_on == expected
    page = editor_client.get(URL).content.decode()
    assert "Verwacht beschikbaar op" in page


def test_confirming_an_unchanged_status_makes_it_fresh_again(editor_client, hospice):
    place = hospice.places.get()
    Place.objects.filter(pk=place.pk).update(
        availability="available", availability_updated_at=timezone.now() - timedelta(days=30)
    )
    tap(editor_client, place, "available")
    place.refresh_from_db()
    assert not place.is_stale()
    change = AvailabilityChange.objects.get(place=place)
    assert change.old_availability == change.new_availability == "available"


def test_another_organisations_place_answers_404_and_stays_as_it_was(
    editor_client, amsterdam_organisation
):
    other = amsterdam_organisation.places.get()
    response = tap(editor_client, other, "available")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.availability == "on_request" and other.availability_updated_at is None
    assert not AvailabilityChange.objects.exists()


@pytest.mark.parametrize("place_id", ["", "abc", "99999999", "1; DROP TABLE"])
def test_a_strange_place_id_answers_404(editor_client, place_id):
    response = editor_client.post(URL, {"plek": place_id})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"beschikbaarheid": "misschien"}, "Kies beschikbaar, op aanvraag of vol."),
        ({"beschikbaarheid": ""}, "Kies beschikbaar, op aanvraag of vol."),
        ({"beschikbaarheid": "full", "verwacht_op": "morgen"}, "Vul een datum in"),
        ({"beschikbaarheid": "full", "verwacht_op": "2001-01-01"}, "Kies een datum vanaf vandaag."),
        ({"beschikbaarheid": "full", "toelichting": "x" * 300}, "korter dan 250 tekens"),
    ],
)
def test_bad_input_gets_a_dutch_answer_and_loses_nothing(editor_client, hospice, fields, message):
    place = hospice.places.get()
    before = (place.availability, place.availability_updated_at)
    data = {"plek": place.pk} | {f"plek-{place.pk}-{k}": v for k, v in fields.items()}
    response = editor_client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Niet opgeslagen" in html and message in html
    if "toelichting" in fields:
        assert fields["toelichting"] in html  # what was typed is still there
    place.refresh_from_db()
    assert (place.availability, place.availability_updated_at) == before
    assert not AvailabilityChange.objects.exists()


def test_query_count_does_not_grow_with_the_number_of_places(
    editor_client, hospice, django_assert_max_num_queries
):
    location = hospice.locations.get()
    for index in range(15):
        Place.objects.create(
            organisation=hospice,
            location=location,
            name=f"Kamer {index}",
            setting=CareSetting.HOSPICE,
            availability_updated_at=timezone.now() - timedelta(days=index),
        )
    with django_assert_max_num_queries(8):
        response = editor_client.get(URL)
    assert len(response.context["cards"]) == 16


def test_the_header_leads_editors_to_their_places(client, editor, professional):
    client.force_login(editor)
    assert 'href="/mijn-plekken/"' in client.get("/").content.decode()
    client.force_login(professional)
    assert 'href="/mijn-plekken/"' not in client.get("/").content.decode()
