"""Cards and map on the public pages (issue 14): a visible "Bel" on every number, a route link,
place cards that say how many places and when exactly they were updated, a neutral button for a
full place, fit reasons only where cards differ, dates on "Recent bijgewerkt", "Mijn plekken" in
the navigation for editors, and map markers that carry kind, phone and availability."""

import gzip
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from netwerk.directory.locations import Location
from netwerk.places.places import CareSetting, Place
from netwerk.search.data_version import published_data_changed

pytestmark = pytest.mark.django_db

GEOJSON = reverse("netwerk:search_geojson")


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_organisation_page_says_bel_on_its_numbers_and_links_a_route(client, hospice):
    hospice.phone = "+31301234567"
    hospice.save()
    location = hospice.locations.get()
    location.latitude, location.longitude = 52.09071, 5.12142
    location.save()
    html = html_of(client.get(hospice.get_absolute_url()))
    assert re.search(
        r'<a class="ek-tel-button" href="tel:\+31301234567" aria-label="Bel 030 123 4567 '
        r'\(Hospice De Linde\)">Bel 030 123 4567</a>',
        html,
    )
    assert 'href="https://www.openstreetmap.org/directions?to=52.09071%2C5.12142"' in html
    assert "naar Lindelaan 1, 3511 AB Utrecht" in html


def test_a_location_without_coordinates_gets_a_route_to_its_address(client, hospice):
    Location.objects.filter(organisation=hospice).update(latitude=None, longitude=None)
    html = html_of(client.get(hospice.get_absolute_url()))
    assert "directions?to=Lindelaan%201%2C%203511%20AB%20Utrecht" in html


@pytest.fixture
def two_places(hospice):
    """The hospice's available place and a full one elsewhere, both "in overleg" for active
    substance use; only the first takes people with a severe mental illness."""
    available = hospice.places.get()
    available.accepts_active_substance_use = "consult"
    available.accepts_severe_mental_illness = "yes"
    available.save()
    full = Place.objects.create(
        organisation=hospice,
        location=available.location,
        name="Kamer 2",
        setting=CareSetting.HOSPICE,
        capacity=1,
        availability="full",
        availability_updated_at=timezone.now() - timedelta(hours=3),
        accepts_active_substance_use="consult",
        accepts_severe_mental_illness="no",
    )
    return available, full


def finder(client, **params) -> str:
    return html_of(client.get(reverse("netwerk:place_finder"), params))


def cards_of(html: str) -> list[str]:
    results = html[html.index('<ol class="ek-finder__results">') :]
    results = results[: results.index("</ol>")]
    return results.split('<li class="ek-finder__result')[1:]


def test_a_reason_all_cards_share_is_said_once_above_them(client, two_places):
    html = finder(client, achtergrond="beide")
    assert html.count("Actief middelengebruik: in overleg") == 1
    shared = html[html.index('<div class="ek-finder__shared">') :]
    assert "Actief middelengebruik: in overleg" in shared[: shared.index("</div>")]
    cards = cards_of(html)
    assert len(cards) == 2
    # Where the cards differ, each says so.
    assert "Psychiatrische aandoening (EPA): wordt opgenomen" in cards[0]
    assert "Psychiatrische aandoening (EPA): wordt niet opgenomen" in cards[1]


def test_a_single_card_keeps_all_its_reasons(client, hospice):
    html = finder(client, achtergrond="verslaving")
    assert 'class="ek-finder__shared"' not in html
    (card,) = cards_of(html)
    assert "Actief middelengebruik:" in card


def test_a_full_place_gets_a_neutral_button_and_a_free_one_its_number(client, two_places):
    available, _full = two_places
    hospice = available.organisation
    hospice.phone = "+31301234567"
    hospice.save()
    free_card, full_card = cards_of(finder(client, achtergrond="beide"))
    assert 'class="ek-call-button" href="tel:+31301234567"' in free_card
    assert 'class="ek-call-button ek-call-button--neutral" href="tel:+31301234567"' in full_card
    assert '<strong class="ek-finder__count">4 plekken</strong>' in free_card
    assert "ek-finder__count" not in full_card
    assert ">Bel 030 123 4567</a>" in full_card


def test_place_cards_show_the_absolute_update_time_beside_the_relative_one(client, two_places):
    _available, full = two_places
    (_free_card, full_card) = cards_of(finder(client, achtergrond="beide"))
    local = timezone.localtime(full.availability_updated_at)
    absolute = date_format(local, "j F Y H:i")
    assert re.search(r"bijgewerkt 3\suur geleden, <time datetime=\"[^\"]+\">" + absolute, full_card)


def test_recent_updates_on_the_home_page_carry_their_date(client, hospice):
    html = html_of(client.get(reverse("netwerk:home")))
    recent = html[html.index('id="recent-title"') :]
    recent = recent[: recent.index("</section>")]
    day = date_format(timezone.localtime(hospice.updated_at), "j F Y")
    assert f"bijgewerkt op {day}" in recent


def nav_of(html: str) -> str:
    nav = html[html.index('<nav class="ek-nav"') :]
    return nav[: nav.index("</nav>")]


def test_editors_find_mijn_plekken_in_the_navigation(client, editor, professional):
    client.force_login(editor)
    assert "Mijn plekken" in nav_of(html_of(client.get(reverse("netwerk:home"))))
    page = html_of(client.get(reverse("netwerk:my_places")))
    assert 'aria-current="page">Mijn plekken' in nav_of(page)
    client.force_login(professional)
    assert "Mijn plekken" not in html_of(client.get(reverse("netwerk:home")))


def whole_map(client) -> dict:
    response = client.get(GEOJSON, headers={"accept-encoding": "gzip"})
    return json.loads(gzip.decompress(response.content))


def test_markers_carry_their_kind_phone_and_until_when_a_place_counts_as_available(
    client, hospice, settings
):
    hospice.phone = "+31301234567"
    hospice.save()
    location = hospice.locations.get()
    location.latitude, location.longitude = 52.09, 5.12
    location.save()
    published_data_changed()
    (feature,) = whole_map(client)["features"]
    properties = feature["properties"]
    assert properties["marker"] == "hospice"
    assert properties["phone"] == "+31301234567" and properties["phoneText"] == "030 123 4567"
    place = hospice.places.get()
    days = settings.PLACE_FRESHNESS_DAYS_BY_SETTING.get("hospice", settings.PLACE_FRESHNESS_DAYS)
    expected = place.availability_updated_at + timedelta(days=days)
    assert properties["availableUntil"] == int(expected.timestamp())


def test_a_location_without_an_available_place_has_no_availability_on_the_map(client, hospice):
    Place.objects.filter(organisation=hospice).update(availability="full")
    location = hospice.locations.get()
    location.latitude, location.longitude = 52.09, 5.12
    location.save()
    published_data_changed()
    (feature,) = whole_map(client)["features"]
    assert "availableUntil" not in feature["properties"]
    assert "phone" not in feature["properties"]


def test_the_whole_map_is_still_built_in_one_query_for_its_features(
    client, demo, django_assert_max_num_queries
):
    # The version, the published-change count, the features: popups add no query.
    with django_assert_max_num_queries(3):
        assert whole_map(client)["features"]


def test_the_home_and_search_maps_have_a_legend_with_shapes(client, hospice):
    for url in (reverse("netwerk:home"), reverse("netwerk:search")):
        html = html_of(client.get(url))
        legend = html[html.index('<ul class="ek-legend ek-map-legend"') :]
        legend = legend[: legend.index("</ul>")]
        for group in ("hospice", "instelling", "thuis", "consultatie", "overig"):
            assert f"ek-marker--{group}" in legend
