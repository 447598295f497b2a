"""One write path: whatever door a change takes — a save, a delete, a bulk delete, a row deleted
on the organisation's page, a revert, an import, a reference data load — the public pages show
it, even when they were cached before it (netwerk.search.publishing)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality
from netwerk.search.data_version import published_version
from tests.test_doors import browser_data
from tests.test_history import revert
from tests.test_import_export import csv_bytes, import_file

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:netwerk_{model._meta.model_name}_{view}", args=args)


def finds(client, words: str, slug: str = "hospice-de-linde") -> bool:
    """Whether the search page (cached after its first request) lists the organisation."""
    html = client.get(reverse("netwerk:search"), {"q": words}).content.decode()
    return f'class="ek-result__name"><a href="/organisaties/{slug}/' in html


@pytest.fixture
def zeist_location(hospice):
    location = Location.objects.create(
        organisation=hospice, name="Dependance Zeist", postcode="3701 AA", city="Zeist"
    )
    call_command("refresh_search", stdout=None)
    return location


@pytest.fixture
def addiction(hospice):
    tag = ExpertiseTag.objects.create(
        name="Verslaving", slug="verslaving", category="addiction", synonyms="middelengebruik"
    )
    hospice.expertise.add(tag)
    call_command("refresh_search", stdout=None)
    return tag


@pytest.fixture
def searching(client, admin_user, hospice):
    """A visitor's search, and the administrator who changes things in between."""
    call_command("refresh_search", stdout=None)
    client.force_login(admin_user)
    return client


# --- Deletes, by every door. ---


def test_a_location_deleted_on_its_page_leaves_the_search(searching, zeist_location):
    assert finds(searching, "dependance")
    searching.post(admin_url(Location, "delete", zeist_location.pk), {"post": "yes"})
    assert not finds(searching, "dependance")


def test_locations_deleted_with_the_bulk_action_leave_the_search(searching, zeist_location):
    assert finds(searching, "dependance")
    searching.post(
        admin_url(Location, "changelist"),
        {"action": "delete_selected", "_selected_action": [zeist_location.pk], "post": "yes"},
    )
    assert not Location.objects.filter(pk=zeist_location.pk).exists()
    assert not finds(searching, "dependance")


def test_a_location_deleted_as_a_row_of_the_organisation_page_leaves_the_search(
    searching, hospice, zeist_location
):
    assert finds(searching, "dependance")
    page = searching.get(admin_url(Organisation, "change", hospice.pk))
    data = browser_data(page)
    row = next(
        k
        for k, v in data.items()
        if k.startswith("locations-") and k.endswith("-id") and v == zeist_location.pk
    )
    data[row.replace("-id", "-DELETE")] = "on"
    response = searching.post(admin_url(Organisation, "change", hospice.pk), data)
    assert response.status_code == 302
    assert not finds(searching, "dependance")


def test_an_expertise_tag_deleted_leaves_the_search(searching, addiction):
    assert finds(searching, "middelengebruik")
    searching.post(admin_url(ExpertiseTag, "delete", addiction.pk), {"post": "yes"})
    assert not finds(searching, "middelengebruik")


# --- Saves, reverts, imports and reference data. ---


def test_a_synonym_added_to_a_tag_reaches_the_search(searching, addiction):
    assert not finds(searching, "drugs")
    data = browser_data(searching.get(admin_url(ExpertiseTag, "change", addiction.pk)))
    data["synonyms"] = "middelengebruik, drugs"
    assert searching.post(admin_url(ExpertiseTag, "change", addiction.pk), data).status_code == 302
    assert finds(searching, "drugs")


def test_a_renamed_municipality_reaches_the_search(
    searching, hospice, django_capture_on_commit_callbacks
):
    """Municipalities keep no history: the change is announced once the save commits."""
    utrecht = Municipality.objects.get(code="GM0344")
    assert not finds(searching, "domstad")
    data = browser_data(searching.get(admin_url(Municipality, "change", utrecht.pk)))
    data["name"] = "Domstad"
    with django_capture_on_commit_callbacks(execute=True):
        response = searching.post(admin_url(Municipality, "change", utrecht.pk), data)
    assert response.status_code == 302
    assert finds(searching, "domstad")


def test_a_revert_reaches_the_search(searching, hospice):
    original = hospice.history.first()
    data = browser_data(searching.get(admin_url(Organisation, "change", hospice.pk)))
    data["name"] = "Hospice Het Anker"
    searching.post(admin_url(Organisation, "change", hospice.pk), data)
    assert not finds(searching, "linde")
    revert(searching, hospice, original)
    assert finds(searching, "linde")


def test_an_import_reaches_the_search(searching, hospice):
    assert not finds(searching, "vlinder", "hospice-de-vlinder")
    import_file(
        searching,
        # Another postcode than Hospice De Linde's: at the same one the names would resemble,
        # and the import would ask the coordinator first (tests/test_import_vocabulary.py).
        csv_bytes("Naam;Soort;Postcode;Plaats", "Hospice De Vlinder;hospice;3512 CD;Utrecht"),
    )
    assert finds(searching, "vlinder", "hospice-de-vlinder")


def test_loading_the_reference_data_announces_a_change(searching):
    before = published_version()
    call_command("load_reference_data", "--force", stdout=None)
    assert published_version() > before


# --- Embedded pages keep being embedded. ---


def test_an_embedded_search_keeps_its_links_embedded_even_from_the_cache(client, hospice):
    call_command("refresh_search", stdout=None)
    client.get(reverse("netwerk:search"), {"q": "hospice"})  # cached without embed
    html = client.get(reverse("netwerk:search"), {"q": "hospice", "embed": "1"}).content.decode()
    assert f'href="{hospice.get_absolute_url()}?embed=1"' in html
    assert 'name="embed" value="1"' in html
