"""'Plek zoeken': the ranking (hand-checked orders) and the page that shows it."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.places.finder import ADDICTION, BOTH, PSYCHIATRY, UNKNOWN, Candidate, rank, sort_key
from netwerk.places.places import RANKING_MARGIN, CareSetting, Place, places_ranked_for
from netwerk.reference.distance import Point
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import PostcodeArea
from netwerk.search.usage import UsageCount
from netwerk.views.places import PLACES_SHOWN

UTRECHT_CENTRE = Point(52.0907, 5.1214)
ZEIST = Point(52.0894, 5.2330)  # ~7.6 km east of Utrecht
AMERSFOORT = Point(52.1561, 5.3878)  # ~19.6 km north-east of Utrecht


def candidate(name, psychiatry="yes", addiction="yes", availability="available", **extra):
    return Candidate(
        key=name,
        name=name,
        accepts_psychiatry=psychiatry,
        accepts_addiction=addiction,
        availability=availability,
        **extra,
    )


def order(matches) -> list[str]:
    return [match.candidate.key for match in matches]


# --- The ranking. ---------------------------------------------------------------------------------


def test_places_that_accept_the_target_group_come_before_availability():
    places = [
        candidate("nee, maar vrij", psychiatry="no", availability="available"),
        candidate("in overleg, vrij", psychiatry="consult", availability="available"),
        candidate("ja, maar vol", psychiatry="yes", availability="full"),
    ]
    assert order(rank(places, background=PSYCHIATRY)) == [
        "ja, maar vol",
        "in overleg, vrij",
        "nee, maar vrij",
    ]


def test_within_the_same_fit_available_then_on_request_then_unknown_and_full_last():
    places = [
        candidate("vol", availability="full"),
        candidate("onbekend", availability=UNKNOWN),
        candidate("op aanvraag", availability="on_request"),
        candidate("beschikbaar", availability="available"),
    ]
    assert order(rank(places, background=ADDICTION)) == [
        "beschikbaar",
        "op aanvraag",
        "onbekend",
        "vol",
    ]


def test_distance_decides_between_equally_fitting_equally_available_places():
    places = [
        candidate("Amersfoort", point=AMERSFOORT),
        candidate("zonder coördinaten"),
        candidate("Zeist", point=ZEIST),
    ]
    matches = rank(places, background=PSYCHIATRY, origin=UTRECHT_CENTRE)
    assert order(matches) == ["Zeist", "Amersfoort", "zonder coördinaten"]
    assert [round(m.distance_km or 0) for m in matches] == [8, 20, 0]
    assert matches[-1].distance_km is None


def test_availability_outweighs_distance():
    places = [
        candidate("dichtbij maar vol", availability="full", point=ZEIST),
        candidate("verder weg en vrij", availability="available", point=AMERSFOORT),
    ]
    assert order(rank(places, background=PSYCHIATRY, origin=UTRECHT_CENTRE)) == [
        "verder weg en vrij",
        "dichtbij maar vol",
    ]


def test_both_backgrounds_count_the_weakest_answer():
    places = [
        candidate("ja en nee", psychiatry="yes", addiction="no"),
        candidate("ja en in overleg", psychiatry="yes", addiction="consult"),
        candidate("ja en ja", psychiatry="yes", addiction="yes", availability="on_request"),
    ]
    matches = rank(places, background=BOTH)
    assert order(matches) == ["ja en ja", "ja en in overleg", "ja en nee"]
    assert [m.acceptance for m in matches] == ["yes", "consult", "no"]
    assert not matches[-1].fits
    assert matches[0].criteria == ((PSYCHIATRY, "yes"), (ADDICTION, "yes"))


def test_the_background_chooses_which_terms_count():
    places = [
        candidate("psychiatrie ja", psychiatry="yes", addiction="no"),
        candidate("verslaving ja", psychiatry="no", addiction="yes"),
    ]
    assert order(rank(places, background=PSYCHIATRY)) == ["psychiatrie ja", "verslaving ja"]
    assert order(rank(places, background=ADDICTION)) == ["verslaving ja", "psychiatrie ja"]


def test_the_asked_for_expertise_ranks_first_among_equally_fitting_places():
    places = [
        candidate("zonder expertise, vrij", availability="available"),
        candidate("met expertise, op aanvraag", availability="on_request", has_expertise=True),
        candidate("met expertise, in overleg", psychiatry="consult", has_expertise=True),
    ]
    assert order(rank(places, background=PSYCHIATRY)) == [
        "met expertise, op aanvraag",
        "zonder expertise, vrij",
        "met expertise, in overleg",
    ]


def test_a_full_hand_checked_order():
    # fit, then availability, then distance, then name
    places = [
        candidate("F", psychiatry="no", availability="available", point=ZEIST),
        candidate("E", psychiatry="consult", availability="available", point=ZEIST),
        candidate("D", availability="full", point=ZEIST),
        candidate("C", availability=UNKNOWN, point=ZEIST),
        candidate("B2", availability="on_request", point=AMERSFOORT),
        candidate("B1", availability="on_request", point=ZEIST),
        candidate("A", availability="available", point=AMERSFOORT),
    ]
    assert order(rank(places, background=PSYCHIATRY, origin=UTRECHT_CENTRE)) == [
        "A",
        "B1",
        "B2",
        "C",
        "D",
        "E",
        "F",
    ]


def test_an_unknown_background_is_refused():
    with pytest.raises(ValueError):
        rank([candidate("x")], background="iets anders")


# --- The page. ------------------------------------------------------------------------------------


def finder(client, **params):
    return client.get(reverse("netwerk:place_finder"), params)


def test_the_empty_page_shows_only_the_questions(client, db):
    response = finder(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Achtergrond van de patiënt" in html
    assert "plekken gevonden" not in html
    assert response.context["matches"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"zorgsetting": "hospice"}, "Kies psychiatrische aandoening, verslaving of beide."),
        ({"achtergrond": "gokken"}, "Kies psychiatrische aandoening, verslaving of beide."),
        ({"achtergrond": "beide", "zorgsetting": "kasteel"}, "Kies hospice, instelling, thuis"),
        ({"achtergrond": "beide", "postcode": "0000"}, "geen geldige Nederlandse postcode"),
        ({"achtergrond": "beide", "postcode": "1000"}, "Postcode 1000 kennen we niet"),
        ({"achtergrond": "beide", "expertise": "bestaat-niet"}, "Kies een bestaande expertise"),
        ({"achtergrond": "beide", "postcode": "x" * 500}, "Controleer uw invoer"),
    ],
)
def test_strange_parameters_get_a_dutch_answer_not_an_error(client, db, params, message):
    response = finder(client, **params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Controleer uw invoer" in html
    assert message in html


def test_results_are_ranked_with_reasons_freshness_and_a_phone_link(client, demo):
    response = finder(client, achtergrond="psychiatrie", postcode="3511 AB")
    assert response.status_code == 200
    results = response.context["matches"]
    assert len(results) == min(
        PLACES_SHOWN, Place.objects.filter(organisation__is_published=True).count()
    )
    matches = [result["match"] for result in results]
    keys = [
        (
            {"yes": 0, "consult": 1, "no": 2}[m.acceptance],
            not m.candidate.has_expertise,
            ["available", "on_request", UNKNOWN, "full"].index(m.candidate.availability),
            m.distance_km,
        )
        for m in matches
    ]
    assert keys == sorted(keys)
    html = response.content.decode()
    assert "Waarom deze plek:" in html
    assert "Psychiatrische aandoening (EPA): wordt opgenomen" in html
    assert 'href="tel:+31' in html
    assert "hemelsbreed gemeten vanaf het midden van postcodegebied 3511" in html


def test_a_chosen_setting_shows_only_places_in_that_setting(client, demo):
    response = finder(client, achtergrond="verslaving", zorgsetting="hospice")
    places = [result["place"] for result in response.context["matches"]]
    assert places
    assert {place.setting for place in places} == {CareSetting.HOSPICE}


def test_stale_availability_is_ranked_and_shown_as_unknown_never_as_available(client, hospice):
    place = hospice.places.get()
    Place.objects.filter(pk=place.pk).update(
        availability="available", availability_updated_at=timezone.now() - timedelta(days=12)
    )
    response = finder(client, achtergrond="psychiatrie")
    [result] = response.context["matches"]
    assert result["match"].candidate.availability == UNKNOWN
    html = response.content.decode()
    assert "onbekend (laatst bijgewerkt 12 dagen geleden)" in html
    assert "ek-availability--available" not in html


def test_results_are_also_on_the_map(client, hospice):
    response = finder(client, achtergrond="beide")
    [point] = response.context["map_points"]
    location = hospice.locations.get()
    assert (point["lat"], point["lon"]) == (location.latitude, location.longitude)
    assert point["url"] == hospice.get_absolute_url()
    html = response.content.decode()
    assert 'data-map-points="plekkenkaart-points"' in html
    assert "js/map.js" in html


def test_unpublished_organisations_are_not_found(client, hospice):
    Organisation.objects.filter(pk=hospice.pk).update(is_published=False)
    assert finder(client, achtergrond="beide").context["matches"] == []


def test_only_the_best_few_are_shown_with_how_many_there_are(client, demo):
    published = Place.objects.filter(organisation__is_published=True).count()
    assert published > PLACES_SHOWN  # the demo has more places than a page shows
    response = finder(client, achtergrond="psychiatrie", postcode="3511 AB")
    html = response.content.decode()
    assert len(response.context["matches"]) == PLACES_SHOWN
    assert html.count('<li class="ek-finder__result') == PLACES_SHOWN
    assert f"{published} plekken gevonden" in html
    assert f"Hieronder de {PLACES_SHOWN} best passende." in html
    assert len(response.context["map_points"]) <= PLACES_SHOWN


def test_the_url_holds_the_whole_search(client, demo):
    response = finder(client, achtergrond="beide", zorgsetting="thuis", postcode="3811")
    html = response.content.decode()
    checked = re.findall(r'<input type="radio"[^>]*value="(\w*)"[^>]*checked', html)
    assert checked == ["thuis", "beide"]
    assert 'method="get"' in html
    assert response.context["form"].cleaned_data["postcode"].pc4 == "3811"


def test_nothing_about_the_patient_is_stored_or_cached(client, demo):
    with CaptureQueriesContext(connection) as queries:
        response = finder(client, achtergrond="beide", postcode="3511 AB")
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
    ]
    # Only the anonymous usage counter (issue 15): month, kind, municipality, hour of the week.
    assert writes and all('"netwerk_usagecount"' in sql for sql in writes)
    [counter] = UsageCount.objects.values()
    assert "3511" not in str(counter) and "beide" not in str(counter)
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_query_count_does_not_grow_with_the_number_of_places(
    client, demo, django_assert_max_num_queries
):
    location = Location.objects.filter(organisation__kind="hospice").first()
    for index in range(20):
        Place.objects.create(
            organisation=location.organisation,
            location=location,
            name=f"Extra {index}",
            setting=CareSetting.HOSPICE,
            availability_updated_at=timezone.now(),
        )
    # +6 for the usage counter (issue 15): 2 reads of the names a question may count (once
    # per 10 minutes), and the first question of an hour's bucket (update, savepoint, insert,
    # release); afterwards one update. +1: whether the postcode lies in our area (issue 14).
    with django_assert_max_num_queries(13):
        response = finder(client, achtergrond="beide", postcode="3511", expertise="psychiatrie")
    assert response.status_code == 200


@pytest.mark.parametrize("background", [PSYCHIATRY, ADDICTION, BOTH])
def test_the_best_few_from_the_database_are_the_best_few_of_the_full_ranking(demo, background):
    """With a limit the database orders the places first and Python ranks only the best rows
    (`places_ranked_for`): the same places in the same order as ranking them all, also among
    equal names and places without a postcode to measure from, and only those rows are read."""
    location = Location.objects.filter(organisation__kind="hospice").first()
    stale = timezone.now() - timedelta(days=400)
    for index in range(12):  # equal names, fresh and stale, every answer
        Place.objects.create(
            organisation=location.organisation,
            location=location,
            name="",
            setting=[CareSetting.HOSPICE, CareSetting.INSTITUTION][index % 2],
            accepts_severe_mental_illness=["yes", "consult", "no"][index % 3],
            accepts_active_substance_use=["no", "yes", "consult"][index % 3],
            availability=["available", "on_request", "full"][index % 3],
            availability_updated_at=stale if index % 4 == 0 else timezone.now(),
        )
    areas = [None, PostcodeArea.objects.get(pc4="3511"), PostcodeArea.objects.get(pc4="1011")]
    tags = [None, ExpertiseTag.objects.filter(organisations__places__isnull=False).first()]
    for area in areas:
        for tag in tags:
            for setting in [None, CareSetting.HOSPICE]:
                question = dict(setting=setting, expertise=tag, background=background, area=area)
                count, everything = places_ranked_for(**question)
                with CaptureQueriesContext(connection) as queries:
                    limited_count, best = places_ranked_for(**question, limit=5)
                assert limited_count == count
                assert [keys(result) for result in best] == [keys(r) for r in everything[:5]]
                ranking = [q["sql"] for q in queries if "CASE" in q["sql"]]
                assert ranking and all(f"LIMIT {5 + RANKING_MARGIN}" in sql for sql in ranking)


def keys(result) -> tuple:
    """What decides a place's rank, and its setting (the full ranking keeps places equal in every
    key in Place's default ordering: setting, then whatever the database returns)."""
    return (sort_key(result["match"]), result["place"].setting)
