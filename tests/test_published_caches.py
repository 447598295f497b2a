"""The caches behind the public pages: the search body and the stored whole map are reused while
the data stays the same, and never outlive a change, a line opening or closing, or a role."""

import gzip
import json
import time
from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from netwerk.consultation.lines import Audience, ConsultationLine
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.reference.geography import PostcodeArea
from netwerk.search import data_version, map_data
from netwerk.search.data_version import (
    PublishedChangeCount,
    map_data_version,
    public_data_version,
    published_data_changed,
)
from netwerk.search.map_data import MapSnapshot
from netwerk.search.page_cache import seconds_until_midnight
from netwerk.search.publishing import changes_published
from netwerk.views.search import render_search_body

pytestmark = pytest.mark.django_db

SEARCH = reverse("netwerk:search")
GEOJSON = reverse("netwerk:search_geojson")


def whole_map(client, **headers) -> dict:
    response = client.get(GEOJSON, headers={"accept-encoding": "gzip", **headers})
    return json.loads(gzip.decompress(response.content))


def results_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<section class="ek-search__results"') : html.index("</section>")]


# --- The data versions ---------------------------------------------------------------------------


def test_data_versions_move_with_a_saved_change_and_a_deletion(hospice):
    public, map_version = public_data_version(), map_data_version()
    Organisation.objects.get(pk=hospice.pk)  # reading changes nothing
    assert (public_data_version(), map_data_version()) == (public, map_version)

    hospice.description = "Nieuwe beschrijving"
    hospice.save()
    assert public_data_version() != public
    assert map_data_version() != map_version

    public, map_version = public_data_version(), map_data_version()
    hospice.locations.first().delete()
    assert public_data_version() != public
    assert map_data_version() != map_version


def test_a_change_written_by_another_process_is_seen_within_a_second(hospice, monkeypatch):
    before = public_data_version()
    record = hospice.history.first()
    record.history_id = None
    record.save()  # a history row this process did not announce, as another server's would be
    assert public_data_version() == before  # remembered for a second
    later = time.monotonic() + data_version.REMEMBER_SECONDS
    monkeypatch.setattr(data_version.time, "monotonic", lambda: later)
    assert public_data_version() != before


def test_a_change_to_a_regions_areas_moves_the_public_version(region):
    before = public_data_version()
    region.extra_postcode_areas.add(PostcodeArea.objects.get(pc4="3437"))
    assert public_data_version() != before
    assert region.history.first().extra_postcode_areas.count() == 1


def test_a_change_to_a_consultation_line_moves_only_the_public_version(office_hours_line):
    public, map_version = public_data_version(), map_data_version()
    office_hours_line.notes = "Vraag naar de dienstdoende arts."
    office_hours_line.save()
    assert public_data_version() != public
    assert map_data_version() == map_version


def test_a_change_committed_with_lower_history_ids_still_moves_the_versions(
    db, django_capture_on_commit_callbacks
):
    """On PostgreSQL a long import can commit history ids below those of a quicker save that
    committed first; the count of committed changes moves anyway."""
    before = public_data_version(), map_data_version()
    with django_capture_on_commit_callbacks(execute=True):
        published_data_changed()  # what a change announces, whatever its history ids
    after = public_data_version(), map_data_version()
    assert after[0] != before[0] and after[1] != before[1]


def test_a_write_is_counted_once_when_it_commits_not_per_row(
    db, django_capture_on_commit_callbacks
):
    """Saves write history rows (which move the version at once); the count is the write
    path's, once per change, however many rows the change wrote."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        organisation = Organisation.objects.create(name="Hospice Een", slug="een", kind="hospice")
        organisation.description = "Twee keer opgeslagen"
        organisation.save()
        changes_published(organisation_ids=[organisation.pk])
    assert len(callbacks) == 1
    assert PublishedChangeCount.objects.get().public_changes == 1


# --- The search body -----------------------------------------------------------------------------


def test_a_repeated_search_is_answered_from_the_cache_with_one_query(
    client, demo, django_assert_max_num_queries
):
    first = client.get(SEARCH, {"q": "hospice"})
    with django_assert_max_num_queries(1):
        again = client.get(SEARCH, {"q": "hospice"})
    assert results_of(again) == results_of(first)
    assert "Hospice De Kapel" in results_of(again)


def test_the_order_of_the_parameters_does_not_matter(client, demo, django_assert_max_num_queries):
    client.get(SEARCH, {"soort": ["hospice", "ggz"], "q": "zorg"})
    with django_assert_max_num_queries(1):
        client.get(f"{SEARCH}?q=zorg&soort=ggz&soort=hospice")


def test_made_up_parameters_neither_make_new_entries_nor_ride_along_in_links(
    client, demo, django_assert_max_num_queries
):
    client.get(SEARCH, {"q": "zorg", "onzin": "1"})
    with django_assert_max_num_queries(1):
        response = client.get(SEARCH, {"q": "zorg", "nog-meer-onzin": "2"})
    assert "onzin" not in results_of(response)
    client.get("/?x=1")
    with django_assert_max_num_queries(1):
        client.get("/?y=2")


def test_a_saved_change_shows_in_the_next_search(client, demo):
    assert "Hospice De Kapel" in client.get(SEARCH, {"q": "kapel"}).content.decode()
    organisation = Organisation.objects.get(slug="hospice-de-kapel")
    organisation.name = "Hospice De Kapel (vernieuwd)"
    organisation.save()
    assert "Hospice De Kapel (vernieuwd)" in client.get(SEARCH, {"q": "kapel"}).content.decode()


def test_a_change_made_elsewhere_shows_after_refresh_search(client, demo):
    client.get(SEARCH)
    Organisation.objects.filter(slug="hospice-de-kapel").update(name="Hospice Stilte")
    assert "Hospice Stilte" not in client.get(SEARCH).content.decode()
    call_command("refresh_search", stdout=StringIO())
    assert "Hospice Stilte" in client.get(SEARCH).content.decode()


def test_a_visitor_never_gets_the_body_cached_for_a_professional(
    client, hospice, office_hours_line, professional
):
    office_hours_line.audience = Audience.PROFESSIONALS
    office_hours_line.save()
    client.force_login(professional)
    assert office_hours_line.name in client.get(SEARCH).content.decode()
    client.logout()
    assert office_hours_line.name not in client.get(SEARCH).content.decode()


def test_each_language_has_its_own_body(client, hospice):
    assert "organisatie gevonden" in client.get(SEARCH).content.decode()
    assert "organisation found" in client.get("/en" + SEARCH).content.decode()


def test_no_body_outlives_local_midnight():
    evening = datetime(2026, 11, 24, 23, 58, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert seconds_until_midnight(evening) == 90


def test_the_body_is_kept_no_longer_than_until_a_shown_line_opens_or_closes(
    hospice, office_hours_line
):
    request = RequestFactory().get(SEARCH)
    request.user = AnonymousUser()
    request.LANGUAGE_CODE = "nl"
    before = timezone.now()
    _html, seconds = render_search_body(request, QueryDict())
    status = ConsultationLine.objects.get(pk=office_hours_line.pk).status_at(before)
    change = status.until if status.is_open else status.next_opening
    until_change = (change.astimezone(UTC) - before).total_seconds()
    assert 0 <= seconds <= min(300, until_change)
    assert seconds >= min(300, until_change) - 5


# --- The whole map -------------------------------------------------------------------------------


def test_the_whole_map_is_built_once_and_then_read_from_the_database(
    client, demo, django_assert_max_num_queries
):
    built = whole_map(client)
    assert MapSnapshot.objects.count() == 1
    with django_assert_max_num_queries(2):  # the version, the stored map
        assert whole_map(client) == built
    published = Location.objects.filter(
        organisation__is_published=True, latitude__isnull=False
    ).count()
    assert len(built["features"]) == published


def test_a_moved_location_replaces_the_stored_map(client, demo):
    first = client.get(GEOJSON)
    location = Location.objects.filter(organisation__slug="hospice-de-kapel").first()
    location.latitude, location.longitude = 52.0, 5.0
    location.save()
    second = client.get(GEOJSON)
    assert second["ETag"] != first["ETag"]
    assert MapSnapshot.objects.count() == 1
    coordinates = [f["geometry"]["coordinates"] for f in json.loads(second.content)["features"]]
    assert [5.0, 52.0] in coordinates


def test_a_release_that_writes_maps_differently_replaces_the_stored_map(client, demo, monkeypatch):
    before = client.get(GEOJSON)["ETag"]
    monkeypatch.setattr(map_data, "GEOJSON_FORMAT", map_data.GEOJSON_FORMAT + 1)
    assert client.get(GEOJSON)["ETag"] != before
    assert MapSnapshot.objects.count() == 1


def test_an_unpublished_organisation_leaves_the_whole_map(client, demo):
    organisation = Organisation.objects.get(slug="hospice-de-kapel")
    assert organisation.name in client.get(GEOJSON).content.decode()
    organisation.is_published = False
    organisation.save()
    assert organisation.name not in client.get(GEOJSON).content.decode()


def test_the_whole_map_speaks_the_visitors_language(client, demo):
    dutch = {f["properties"]["kind"] for f in whole_map(client)["features"]}
    english = {
        f["properties"]["kind"]
        for f in json.loads(
            gzip.decompress(client.get("/en" + GEOJSON, HTTP_ACCEPT_ENCODING="gzip").content)
        )["features"]
    }
    assert "Hospice" in dutch and "Thuiszorg" in dutch
    assert "Home care" in english
    assert MapSnapshot.objects.count() == 2


def test_sorting_and_paging_alone_still_get_the_stored_whole_map(client, demo):
    whole = client.get(GEOJSON)
    assert client.get(GEOJSON, {"sortering": "naam", "pagina": "2"})["ETag"] == whole["ETag"]
    assert client.get(GEOJSON, {"soort": "", "q": ""})["ETag"] == whole["ETag"]


def test_invalid_filters_are_left_out_of_a_filtered_map(client, demo):
    invalid = json.loads(client.get(GEOJSON, {"afstand": "-3"}).content)["features"]
    assert invalid == whole_map(client)["features"]


def test_a_filtered_map_is_built_for_its_own_search(client, demo):
    hospices = json.loads(client.get(GEOJSON, {"soort": "hospice"}).content)["features"]
    assert {feature["properties"]["kind"] for feature in hospices} == {"Hospice"}
    assert MapSnapshot.objects.count() == 0


def test_refresh_search_forgets_the_stored_maps(client, demo):
    before = client.get(GEOJSON)["ETag"]
    Organisation.objects.filter(slug="hospice-de-kapel").update(name="Hospice Stilte")
    assert "Hospice Stilte" not in client.get(GEOJSON).content.decode()
    call_command("refresh_search", stdout=StringIO())
    after = client.get(GEOJSON)
    assert "Hospice Stilte" in after.content.decode()
    assert after["ETag"] != before  # browsers holding the old map get the new one


def test_a_stored_map_of_an_older_version_is_replaced_not_kept(client, demo):
    client.get(GEOJSON)
    stale = MapSnapshot.objects.get()
    stale.version = "old:nl"
    stale.built_at = timezone.now() - timedelta(days=1)
    stale.save()
    client.get(GEOJSON)
    assert list(MapSnapshot.objects.values_list("version", flat=True)) == [
        MapSnapshot.current_version("nl")
    ]


# --- The home page -------------------------------------------------------------------------------


def test_a_repeated_home_page_is_answered_from_the_cache_with_one_query(
    client, demo, django_assert_max_num_queries
):
    client.get("/")
    with django_assert_max_num_queries(1):
        assert "41 organisaties in de regio" in client.get("/").content.decode()


def test_a_new_organisation_counts_on_the_home_page_at_once(client, demo):
    assert "41 organisaties in de regio" in client.get("/").content.decode()
    Organisation.objects.create(name="Hospice Nieuw", slug="hospice-nieuw", kind="hospice")
    html = client.get("/").content.decode()
    assert "42 organisaties in de regio" in html
    assert "Hospice Nieuw" in html  # recently updated
