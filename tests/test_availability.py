"""Availability: one service writes it and keeps its history; a stale status is never trusted."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerk.demo import demo_data_load
from netwerk.directory.organisations import Organisation
from netwerk.places.availability import AvailabilityChange, place_availability_update
from netwerk.places.places import CareSetting, Place

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def admin_url(model, view, *args):
    return reverse(f"admin:netwerk_{model._meta.model_name}_{view}", args=args)


def posted(value):
    if isinstance(value, list | tuple):
        return [posted(item) for item in value]
    return value.pk if hasattr(value, "pk") else value


def form_data(response) -> dict:
    """The admin change form as the browser would post it back, unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = posted(form[name].value())
        if value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {
            formset.management_form.add_prefix(key): value
            for key, value in formset.management_form.initial.items()
        }
        for sub in formset.forms:
            for name in sub.fields:
                value = posted(sub[name].value())
                if value is not None:
                    data[sub.add_prefix(name)] = value
    return data


# --- The service. ---------------------------------------------------------------------------------


def test_an_update_stamps_the_place_and_keeps_old_and_new_status(hospice, editor):
    place = hospice.places.get()
    moment = timezone.now() - timedelta(hours=1)
    change = place_availability_update(
        place=place, availability="full", note="Wachtlijst", by=editor, at=moment
    )
    place.refresh_from_db()
    assert (place.availability, place.availability_note) == ("full", "Wachtlijst")
    assert (place.availability_updated_at, place.availability_updated_by) == (moment, editor)
    assert (change.changed_at, change.changed_by, change.link) == (moment, editor, None)
    assert (change.old_availability, change.new_availability) == ("available", "full")


def test_every_update_is_kept_in_order(hospice):
    place = hospice.places.get()
    for status in ["full", "on_request", "available"]:
        place_availability_update(place=place, availability=status)
    history = [
        (change.old_availability, change.new_availability)
        for change in place.availability_changes.all()
    ]
    assert history == [("on_request", "available"), ("full", "on_request"), ("available", "full")]


def test_an_unknown_status_is_refused(hospice):
    with pytest.raises(ValueError):
        place_availability_update(place=hospice.places.get(), availability="misschien")
    assert not AvailabilityChange.objects.exists()


# --- The admin writes through the service too. ---------------------------------------------------


def test_the_place_form_in_the_admin_records_a_change(client, coordinator, hospice):
    place = hospice.places.get()
    client.force_login(coordinator)
    data = form_data(client.get(admin_url(Place, "change", place.pk)))
    data |= {"availability": "full", "availability_note": "Tot eind van de maand"}
    response = client.post(admin_url(Place, "change", place.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    change = AvailabilityChange.objects.get(place=place)
    assert (change.old_availability, change.new_availability) == ("available", "full")
    assert change.changed_by == coordinator
    place.refresh_from_db()
    assert place.availability_note == "Tot eind van de maand"
    assert place.availability_updated_by == coordinator


def test_saving_a_place_without_touching_availability_records_nothing(client, coordinator, hospice):
    place = hospice.places.get()
    stamped = place.availability_updated_at
    client.force_login(coordinator)
    data = form_data(client.get(admin_url(Place, "change", place.pk))) | {"capacity": 6}
    assert client.post(admin_url(Place, "change", place.pk), data).status_code == 302
    place.refresh_from_db()
    assert place.capacity == 6 and place.availability_updated_at == stamped
    assert not AvailabilityChange.objects.exists()


def test_the_organisation_pages_place_inline_records_a_change(client, editor, hospice):
    place = hospice.places.get()
    client.force_login(editor)
    data = form_data(client.get(admin_url(Organisation, "change", hospice.pk)))
    data["places-0-availability"] = "on_request"
    response = client.post(admin_url(Organisation, "change", hospice.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    change = AvailabilityChange.objects.get(place=place)
    assert (change.old_availability, change.new_availability) == ("available", "on_request")
    assert change.changed_by == editor


def test_a_place_added_inline_on_a_new_organisation_gets_its_first_record(admin_client, utrecht):
    data = {
        "name": "Hospice Nieuw",
        "slug": "hospice-nieuw",
        "kind": "hospice",
        "is_published": "on",
        "locations-TOTAL_FORMS": 0,
        "locations-INITIAL_FORMS": 0,
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
        "consultation_lines-TOTAL_FORMS": 0,
        "consultation_lines-INITIAL_FORMS": 0,
        "places-TOTAL_FORMS": 0,
        "places-INITIAL_FORMS": 0,
    }
    response = admin_client.post(admin_url(Organisation, "add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    organisation = Organisation.objects.get(slug="hospice-nieuw")
    # Places need a location of the organisation, so they are added on its change page.
    location = organisation.locations.create(postcode="3511 AB", city="Utrecht")
    data = form_data(admin_client.get(admin_url(Organisation, "change", organisation.pk)))
    data |= {
        "places-TOTAL_FORMS": 1,
        "places-0-location": location.pk,
        "places-0-setting": "hospice",
        "places-0-capacity": 2,
        "places-0-availability": "available",
    }
    response = admin_client.post(admin_url(Organisation, "change", organisation.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    change = AvailabilityChange.objects.get(place__organisation=organisation)
    assert (change.old_availability, change.new_availability) == ("", "available")


def test_coordinators_see_the_history_on_the_place_page(client, coordinator, editor, hospice):
    place = hospice.places.get()
    place_availability_update(place=place, availability="full", note="Even vol", by=editor)
    client.force_login(coordinator)
    html = client.get(admin_url(Place, "change", place.pk)).content.decode()
    assert "Geschiedenis van de beschikbaarheid" in html
    assert "Even vol" in html and "redacteur" in html


# --- Freshness. -----------------------------------------------------------------------------------


@pytest.fixture
def place(hospice):
    return hospice.places.get()


def updated(place, ago) -> Place:
    Place.objects.filter(pk=place.pk).update(availability_updated_at=timezone.now() - ago)
    place.refresh_from_db()
    return place


@pytest.mark.parametrize(
    ("ago", "stale"),
    [
        (timedelta(days=7) - timedelta(minutes=1), False),
        (timedelta(days=7) + timedelta(minutes=1), True),
    ],
    ids=["just-fresh", "just-stale"],
)
def test_freshness_boundary_is_the_same_in_python_and_sql(place, ago, stale):
    place = updated(place, ago)
    assert place.is_stale() is stale
    assert Place.objects.stale().filter(pk=place.pk).exists() is stale
    assert Place.objects.fresh().filter(pk=place.pk).exists() is not stale
    assert Place.objects.available().filter(pk=place.pk).exists() is not stale
    assert place.public_availability() == (None if stale else "available")


def test_never_updated_availability_is_stale(place):
    Place.objects.filter(pk=place.pk).update(availability_updated_at=None)
    place.refresh_from_db()
    assert place.is_stale() and place.public_availability() is None
    assert Place.objects.stale().filter(pk=place.pk).exists()


def test_each_setting_has_its_own_freshness(settings, place, amsterdam_organisation):
    settings.PLACE_FRESHNESS_DAYS_BY_SETTING = {"hospice": 3, "instelling": 14}
    institution = amsterdam_organisation.places.get()
    assert institution.setting == CareSetting.INSTITUTION
    place = updated(place, timedelta(days=4))
    institution = updated(institution, timedelta(days=4))
    assert place.is_stale() and not institution.is_stale()
    assert set(Place.objects.stale()) == {place}
    assert set(Place.objects.fresh()) == {institution}


def test_stale_availability_shows_as_unknown_on_the_organisation_page(client, place, hospice):
    updated(place, timedelta(days=12, hours=3))
    html = client.get(hospice.get_absolute_url()).content.decode()
    assert "onbekend (laatst bijgewerkt 12 dagen geleden)" in html
    assert "ek-availability--available" not in html
    assert ">Beschikbaar<" not in html


def test_fresh_availability_shows_with_its_age(client, place, hospice):
    updated(place, timedelta(days=1, hours=2))
    html = client.get(hospice.get_absolute_url()).content.decode()
    assert '<span class="ek-availability ek-availability--available">Beschikbaar</span>' in html
    assert "(bijgewerkt 1 dag geleden, <time" in html  # and the moment itself


# --- Coordinators: stale places to call, and counts per month. -----------------------------------


def test_coordinators_get_a_list_of_stale_places_with_a_phone_to_call(
    client, coordinator, hospice, place
):
    Organisation.objects.filter(pk=hospice.pk).update(phone="+31302345678")
    updated(place, timedelta(days=30))
    client.force_login(coordinator)
    response = client.get(admin_url(Place, "changelist"), {"actueel": "verouderd"})
    assert list(response.context["cl"].queryset) == [place]
    assert 'href="tel:+31302345678"' in response.content.decode()
    fresh = client.get(admin_url(Place, "changelist"), {"actueel": "actueel"})
    assert list(fresh.context["cl"].queryset) == []


def test_the_place_changelist_stays_cheap_with_history(admin_client, django_assert_max_num_queries):
    demo_data_load()
    for place in Place.objects.all():
        place_availability_update(place=place, availability="full")
    with django_assert_max_num_queries(12):
        response = admin_client.get(admin_url(Place, "changelist"), {"actueel": "verouderd"})
    assert response.status_code == 200
