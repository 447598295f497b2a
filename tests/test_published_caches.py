"""The caches behind the public pages: the search and home bodies and the whole map are reused
while the published data's version stays the same, and never outlive a change, a line opening or
closing, or a role."""

import gzip
import json
from datetime import UTC, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connections, transaction
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from netwerk.consultation.lines import Audience, ConsultationLine
from netwerk.consultation.who_to_call import CLOSING_SOON, CLOSING_SOON_CACHE_SECONDS
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.search import map_data
from netwerk.search.data_version import (
    PublishedChangeCount,
    published_data_changed,
    published_version,
)
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


# --- The version of the published data -----------------------------------------------------------


def test_the_version_moves_with_the_write_path_not_with_a_read(hospice):
    before = published_version()
    Organisation.objects.get(pk=hospice.pk)
    assert published_version() == before
    changes_published(organisation_ids=[hospice.pk])
    assert published_version() == before + 1


def test_a_change_counts_once_however_many_rows_it_wrote(db):
    before = published_version()
    organisation = Organisation.objects.create(name="Hospice Een", slug="een", kind="hospice")
    organisation.description = "Twee keer opgeslagen"
    organisation.save()
    changes_published(organisation_ids=[organisation.pk])
    assert published_version() == before + 1


@pytest.mark.postgres_only  # SQLite has one writer: nobody reads beside an open write
@pytest.mark.django_db(transaction=True)
def test_other_connections_see_the_new_version_only_once_the_change_commits():
    """A cache entry made under a version always holds that version's data: until the change
    commits, everyone else still reads the old number (and the old data)."""
    published_data_changed()  # committed: the row exists whatever ran before
    before = published_version()
    with transaction.atomic():
        published_data_changed()
        assert published_version() == before + 1  # this transaction sees its own change
        assert version_read_by_another_connection() == before
    assert version_read_by_another_connection() == before + 1


def version_read_by_another_connection() -> int:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f"SELECT changes FROM {PublishedChangeCount._meta.db_table} WHERE id = 1"
            )
            return cursor.fetchone()[0]
    finally:
        other.close()


def test_a_flushed_database_starts_counting_again(db):
    PublishedChangeCount.objects.all().delete()
    assert published_version() == 0
    published_data_changed()
    assert published_version() == 1


# --- The search body -----------------------------------------------------------------------------


def test_a_repeated_search_is_answered_from_the_cache_with_one_query(
    client, demo, django_assert_max_num_queries
):
    first = client.get(SEARCH, {"q": "hospice"})
    with django_assert_max_num_queries(2):  # the version, the usage counter
        again = client.get(SEARCH, {"q": "hospice"})
    assert results_of(again) == results_of(first)
    assert "Hospice De Kapel" in results_of(again)


def test_the_order_of_the_parameters_does_not_matter(client, demo, django_assert_max_num_queries):
    client.get(SEARCH, {"soort": ["hospice", "ggz"], "q": "zorg"})
    with django_assert_max_num_queries(2):  # the version, the usage counter
        client.get(f"{SEARCH}?q=zorg&soort=ggz&soort=hospice")


def test_made_up_parameters_neither_make_new_entries_nor_ride_along_in_links(
    client, demo, django_assert_max_num_queries
):
    client.get(SEARCH, {"q": "zorg", "onzin": "1"})
    with django_assert_max_num_queries(2):  # the version, the usage counter
        response = client.get(SEARCH, {"q": "zorg", "nog-meer-onzin": "2"})
    assert "onzin" not in results_of(response)
    client.get("/?x=1")
    with django_assert_max_num_queries(1):
        client.get("/?y=2")


def test_a_change_through_the_write_path_shows_in_the_next_search(client, demo):
    assert "Hospice De Kapel" in client.get(SEARCH, {"q": "kapel"}).content.decode()
    organisation = Organisation.objects.get(slug="hospice-de-kapel")
    organisation.name = "Hospice De Kapel (vernieuwd)"
    organisation.save()
    changes_published(organisation_ids=[organisation.pk])
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
    longest = min(300, until_change)
    if status.is_open and until_change <= CLOSING_SOON.total_seconds():
        longest = min(longest, CLOSING_SOON_CACHE_SECONDS)  # it says "sluit over N min"
    assert 0 <= seconds <= longest
    assert seconds >= longest - 5


# --- The whole map -------------------------------------------------------------------------------


def test_the_whole_map_is_built_once_per_version_and_then_read_from_the_cache(
    client, demo, django_assert_max_num_queries
):
    built = whole_map(client)
    with django_assert_max_num_queries(1):  # the version
        assert whole_map(client) == built
    published = Location.objects.filter(
        organisation__is_published=True, latitude__isnull=False
    ).count()
    assert len(built["features"]) == published


def test_a_moved_location_changes_the_map_and_its_etag(client, demo):
    first = client.get(GEOJSON)
    location = Location.objects.filter(organisation__slug="hospice-de-kapel").first()
    location.latitude, location.longitude = 52.0, 5.0
    location.save()
    changes_published(organisation_ids=[location.organisation_id])
    second = client.get(GEOJSON, headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    coordinates = [f["geometry"]["coordinates"] for f in json.loads(second.content)["features"]]
    assert [5.0, 52.0] in coordinates


def test_a_release_that_writes_maps_differently_changes_the_etag(client, demo, monkeypatch):
    before = client.get(GEOJSON)["ETag"]
    monkeypatch.setattr(map_data, "GEOJSON_FORMAT", map_data.GEOJSON_FORMAT + 1)
    assert client.get(GEOJSON)["ETag"] != before


def test_an_unpublished_organisation_leaves_the_whole_map(client, demo):
    organisation = Organisation.objects.get(slug="hospice-de-kapel")
    assert organisation.name in client.get(GEOJSON).content.decode()
    organisation.is_published = False
    organisation.save()
    changes_published(organisation_ids=[organisation.pk])
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
    assert "Hospice" in {f["properties"]["kind"] for f in whole_map(client)["features"]}


def test_sorting_and_paging_alone_still_get_the_whole_map(client, demo):
    whole = client.get(GEOJSON)
    assert client.get(GEOJSON, {"sortering": "naam", "pagina": "2"})["ETag"] == whole["ETag"]
    assert client.get(GEOJSON, {"soort": "", "q": ""})["ETag"] == whole["ETag"]


def test_invalid_filters_are_left_out_of_a_filtered_map(client, demo):
    invalid = json.loads(client.get(GEOJSON, {"afstand": "-3"}).content)["features"]
    assert invalid == whole_map(client)["features"]


def test_a_filtered_map_is_built_for_its_own_search_and_has_no_etag(client, demo):
    response = client.get(GEOJSON, {"soort": "hospice"})
    hospices = json.loads(response.content)["features"]
    assert {feature["properties"]["kind"] for feature in hospices} == {"Hospice"}
    assert not response.has_header("ETag")


def test_a_filtered_map_follows_a_change_at_once(client, demo):
    url = f"{GEOJSON}?soort=hospice"
    assert "Hospice De Kapel" in client.get(url).content.decode()
    organisation = Organisation.objects.get(slug="hospice-de-kapel")
    organisation.is_published = False
    organisation.save()
    changes_published(organisation_ids=[organisation.pk])
    assert "Hospice De Kapel" not in client.get(url).content.decode()


def test_refresh_search_announces_changes_made_outside_the_write_path(client, demo):
    before = client.get(GEOJSON)["ETag"]
    Organisation.objects.filter(slug="hospice-de-kapel").update(name="Hospice Stilte")
    assert "Hospice Stilte" not in client.get(GEOJSON).content.decode()
    call_command("refresh_search", stdout=StringIO())
    after = client.get(GEOJSON)
    assert "Hospice Stilte" in after.content.decode()
    assert after["ETag"] != before  # browsers holding the old map get the new one


# --- The home page -------------------------------------------------------------------------------


def test_a_repeated_home_page_is_answered_from_the_cache_with_one_query(
    client, demo, django_assert_max_num_queries
):
    client.get("/")
    with django_assert_max_num_queries(1):
        assert "41 organisaties in de regio" in client.get("/").content.decode()


def test_a_new_organisation_counts_on_the_home_page_at_once(client, demo):
    assert "41 organisaties in de regio" in client.get("/").content.decode()
    organisation = Organisation.objects.create(
        name="Hospice Nieuw", slug="hospice-nieuw", kind="hospice"
    )
    changes_published(organisation_ids=[organisation.pk])
    html = client.get("/").content.decode()
    assert "42 organisaties in de regio" in html
    assert "Hospice Nieuw" in html  # recently updated
