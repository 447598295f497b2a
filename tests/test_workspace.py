"""The start page at /beheer/: each role sees the day's work in its own scope, and nothing more."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from netwerk.consultation.lines import ConsultationLine
from netwerk.coordination.error_reports import ErrorReport
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.places.places import CareSetting, Place
from netwerk.places.update_links import UpdateLink, update_link_create

pytestmark = pytest.mark.django_db

INDEX = "/beheer/"
MAX_QUERIES_START_PAGE = 22  # 18 measured, whatever the number of changes


@pytest.fixture
def two_regions(hospice, office_hours_line, amsterdam_organisation, region_b):
    """In each region an open error report, a stale place and a line without opening hours."""
    for organisation in (hospice, amsterdam_organisation):
        ErrorReport.objects.create(organisation=organisation, message="Telefoon klopt niet")
        Place.objects.create(
            organisation=organisation,
            location=organisation.locations.first(),
            name=f"Oude plek {organisation.name}",
            setting=CareSetting.HOSPICE,
        )
    ConsultationLine.objects.create(
        organisation=hospice, name="Avondlijn De Linde", phone="+31301234568", purpose="crisis"
    )
    for organisation, age in ((hospice, 350), (amsterdam_organisation, 30)):
        link, _token = update_link_create(organisation=organisation)
        made = timezone.now() - timedelta(days=age)
        UpdateLink.objects.filter(pk=link.pk).update(created_at=made)
    return hospice, amsterdam_organisation


def tasks(response) -> dict[str, int]:
    return {task["label"]: task["count"] for task in response.context["to_do"]}


def test_a_coordinator_sees_the_days_work_of_their_own_region_only(client_as, two_regions):
    response = client_as("coordinator").get(INDEX)
    assert response.status_code == 200
    assert tasks(response) == {
        "Organisaties te controleren": 1,  # Hospice De Linde, never verified; not GGZ Amstel
        "Open foutmeldingen": 1,
        "Plekken met verouderde beschikbaarheid": 1,
        "Bijwerklinks die binnenkort verlopen": 1,  # 15 days left
        "Lijnen zonder openingstijden": 1,  # the evening line; the office-hours line has hours
    }
    assertContains(response, "Vandaag te doen")
    assertNotContains(response, "GGZ Amstel")
    assertNotContains(response, "Crisisdienst Amstel")


def test_coordinator_b_sees_region_b_only(client_as, two_regions):
    response = client_as("coordinator_b").get(INDEX)
    assert tasks(response) == {
        "Organisaties te controleren": 1,
        "Open foutmeldingen": 1,
        "Plekken met verouderde beschikbaarheid": 2,  # the fixture's place was never updated
        "Bijwerklinks die binnenkort verlopen": 0,  # made a month ago
        "Lijnen zonder openingstijden": 1,  # Crisisdienst Amstel
    }
    assertNotContains(response, "Hospice De Linde")


@pytest.mark.parametrize("role", ["coordinator", "coordinator_b", "admin_user"])
def test_every_count_is_what_its_link_lists(client_as, two_regions, role):
    client = client_as(role)
    for task in client.get(INDEX).context["to_do"]:
        listing = client.get(task["url"])
        assert listing.status_code == 200, task["url"]
        assert listing.context["cl"].result_count == task["count"], task["label"]


def test_recent_changes_by_others_in_scope_say_who_what_and_when(
    client_as, two_regions, coordinator
):
    hospice, amsterdam = two_regions
    colleague = get_user_model().objects.create_user("collega", is_staff=True)
    for organisation, user in ((hospice, colleague), (amsterdam, colleague)):
        organisation.phone = "+31300000000"
        organisation._history_user = user
        organisation.save()
    hospice.website = "https://example.org"
    hospice._history_user = coordinator
    hospice.save()

    response = client_as("coordinator").get(INDEX)
    changes = response.context["recent_changes"]
    shown = [(change["what"], change["who"], change["kind"]) for change in changes]
    assert ("Hospice De Linde", "collega", "gewijzigd") in shown
    assert not [change for change in changes if change["who"] == "coordinator"]
    assert not [change for change in changes if "Amstel" in change["what"]]
    assert changes == sorted(changes, key=lambda change: change["at"], reverse=True)
    assert changes[0]["url"] == reverse("admin:netwerk_organisation_change", args=[hospice.pk])


def test_only_administrators_see_the_settings_section(client_as, two_regions):
    admin_page = client_as("admin_user").get(INDEX)
    assertContains(admin_page, 'id="instellingen"')
    assertContains(admin_page, reverse("admin:netwerk_municipality_changelist"))
    assertContains(admin_page, reverse("admin:auth_user_changelist"))

    coordinator_page = client_as("coordinator").get(INDEX)
    assertNotContains(coordinator_page, 'id="instellingen"')
    assertNotContains(coordinator_page, reverse("admin:netwerk_municipality_changelist"))
    assertNotContains(coordinator_page, reverse("admin:netwerk_postcodearea_changelist"))
    assertContains(coordinator_page, reverse("admin:netwerk_organisation_changelist"))


def sidebar(response) -> dict[str, set[str]]:
    return {
        app["name"]: {model["object_name"] for model in app["models"]}
        for app in response.context["available_apps"]
    }


SETTINGS = {"Municipality", "PostcodeArea", "UpdateLink", "User", "Group"}


def test_the_sidebar_keeps_settings_in_one_section_for_administrators(client_as, two_regions):
    organisations = reverse("admin:netwerk_organisation_changelist")
    admin_apps = sidebar(client_as("admin_user").get(organisations))
    assert admin_apps["Instellingen"] == SETTINGS
    assert "Authenticatie en autorisatie" not in admin_apps  # its models moved, nothing left
    assert not SETTINGS & admin_apps["Netwerk"]

    coordinator = client_as("coordinator")
    coordinator_apps = sidebar(coordinator.get(organisations))
    assert "Instellingen" not in coordinator_apps
    assert not SETTINGS & set().union(*coordinator_apps.values())
    assert "Organisation" in coordinator_apps["Netwerk"]
    # Out of the sidebar, not out of reach: the start page's links and autocompletes still work.
    assert coordinator.get(reverse("admin:netwerk_updatelink_changelist")).status_code == 200


def test_shortcuts_for_coordinators(client_as, two_regions):
    response = client_as("coordinator").get(INDEX)
    labels = [link["label"] for link in response.context["shortcuts"]]
    assert labels == [
        "Nieuwe organisatie",
        "Importeren",
        "Exporteren",
        "Plek bijwerken",
        "Indicatoren",
    ]
    for link in response.context["shortcuts"]:
        assert response.client.get(link["url"]).status_code == 200, link["url"]


def test_an_editor_lands_on_their_own_organisation_and_places(client_as, two_regions):
    hospice, _ = two_regions
    response = client_as("editor").get(INDEX)
    assert response.status_code == 200
    assert response.context["own_organisations"] == [
        {
            "name": "Hospice De Linde",
            "url": reverse("admin:netwerk_organisation_change", args=[hospice.pk]),
            "places_url": reverse("admin:netwerk_place_changelist")
            + f"?organisation__id__exact={hospice.pk}",
        }
    ]
    # Error reports and lines are the coordinators' work, not the editor's.
    assert set(tasks(response)) == {
        "Organisaties te controleren",
        "Plekken met verouderde beschikbaarheid",
    }
    places = response.client.get(response.context["own_organisations"][0]["places_url"])
    assert {place.organisation for place in places.context["cl"].result_list} == {hospice}


@pytest.mark.parametrize("role", ["coordinator", "editor", "admin_user"])
def test_the_start_page_takes_a_bounded_number_of_queries(
    client_as, two_regions, role, django_assert_max_num_queries
):
    client = client_as(role)
    colleague = get_user_model().objects.create_user("collega", is_staff=True)
    for number in range(15):
        Organisation.objects.create(name=f"Nieuw {number}", slug=f"nieuw-{number}")
    for place in Place.objects.all():
        place._history_user = colleague
        place.save()
    with django_assert_max_num_queries(MAX_QUERIES_START_PAGE):
        assert client.get(INDEX).status_code == 200


def test_the_location_map_opens_on_the_postcodes_centre_when_there_are_no_coordinates(
    client_as, hospice
):
    from netwerk.reference.geography import PostcodeArea

    location = hospice.locations.get()
    Location.objects.filter(pk=location.pk).update(latitude=None, longitude=None)
    response = client_as("coordinator").get(
        reverse("admin:netwerk_location_change", args=[location.pk])
    )
    area = PostcodeArea.objects.get(pc4="3511")
    widget = response.context["adminform"].form["latitude"].field.widget
    assert widget.centre == (area.latitude, area.longitude)
    assertContains(response, f"&quot;lat&quot;: {area.latitude}")


def test_the_place_form_says_in_words_when_the_availability_is_too_old(client_as, hospice):
    place = Place.objects.create(
        organisation=hospice,
        location=hospice.locations.first(),
        name="Hospicebed",
        setting=CareSetting.HOSPICE,
    )
    coordinator = client_as("coordinator")
    change = reverse("admin:netwerk_place_change", args=[place.pk])
    assertContains(coordinator.get(change), "nog nooit bijgewerkt")

    place.availability_updated_at = timezone.now() - timedelta(days=40)
    place.save()
    page = coordinator.get(change)
    assertContains(page, "40 dagen geleden")
    assertContains(page, "‘onbekend’ tot u haar bijwerkt")

    place.availability_updated_at = timezone.now()
    place.save()
    assertNotContains(coordinator.get(change), "tot u haar bijwerkt")
