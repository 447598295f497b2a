"""The sociale kaart search: relevance (stemming, accents, typos, synonyms), filters, distance,
sorting, invalid parameters, and the GeoJSON and CSV of the same search. Runs on both databases."""

import gzip
import json

import pytest
from django.db import connection
from django.urls import reverse

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.reference.distance import Point, haversine_km
from netwerk.reference.geography import PostcodeArea
from netwerk.search.documents import organisations_search_refresh
from netwerk.search.publishing import changes_published

pytestmark = pytest.mark.django_db


def results(client, **params) -> list[Organisation]:
    response = client.get(reverse("netwerk:search"), params)
    assert response.status_code == 200
    return [result["organisation"] for result in response.context["results"]]


def names(client, **params) -> list[str]:
    """The names of every result, across all pages."""
    response = client.get(reverse("netwerk:search"), params)
    return [organisation.name for organisation in response.context["page"].paginator.object_list]


def test_hospice_finds_hospices_with_the_word_in_their_name_first(client, demo):
    found = results(client, q="hospice")
    named = {o.name for o in Organisation.objects.filter(name__icontains="hospice")}
    assert {o.name for o in found[: len(named)]} == named
    assert set(Organisation.objects.filter(kind="hospice")) <= set(found)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hospices", "Hospice De Lindeboom"),  # plural: stemming
        ("verslavingen", "Verslavingszorg Domstad"),  # plural into a compound
        ("suicidepreventie", "GGZ Stichtse Oevers"),  # without the diaeresis of Suïcide
        ("SUÏCIDEPREVENTIE", "Ambulante GGZ Nieuwegein"),  # capitals and accents
        ("hospcie", "Hospice Het Rozenhuis"),  # typo
        ("verslavng", "Herstelhuis De Brug"),  # typo
        ("middelengebruik", "Verslavingszorg Heuvelrug"),  # synonym of Verslaving
        ("methadon", "Hospice De Kapel"),  # synonym of Opiaatvervanging
        ("levensvragen", "Centrum voor Levensvragen Domstad"),
        ("amersfoort", "GGZ Eemvallei"),  # the place of a location
    ],
)
def test_text_search_forgives_the_way_people_type(client, demo, query, expected):
    assert expected in names(client, q=query)


def test_every_word_must_match(client, demo):
    found = names(client, q="hospice verslaving")
    assert "Hospice De Kapel" in found
    assert "Hospice Het Rozenhuis" not in found


def test_nonsense_finds_nothing_and_says_what_to_relax(client, demo):
    response = client.get(reverse("netwerk:search"), {"q": "xqzwv"})
    assert response.context["results"] == []
    assert "Gebruik minder of andere woorden" in response.content.decode()


def test_search_follows_a_renamed_expertise_synonym(client, demo):
    from netwerk.reference.expertise import ExpertiseTag

    tag = ExpertiseTag.objects.get(slug="korsakov")
    tag.synonyms = "wernicke"
    tag.save()
    organisations_search_refresh(tag.organisations.all())
    assert "Verpleeghuis De Vecht" in names(client, q="wernicke")


def test_distance_in_sql_matches_haversine_for_known_postcodes(client, demo):
    centre = PostcodeArea.objects.get(pc4="3511")
    found = results(client, postcode="3511 AB", sortering="afstand")
    assert [o.distance for o in found] == sorted(o.distance for o in found)
    for organisation in found[:10]:
        nearest = min(
            haversine_km(
                Point(centre.latitude, centre.longitude), Point(loc.latitude, loc.longitude)
            )
            for loc in organisation.locations.all()
        )
        assert organisation.distance == pytest.approx(nearest, abs=0.001)


def test_known_distance_utrecht_to_amersfoort_is_about_20_km():
    utrecht, amersfoort = PostcodeArea.objects.get(pc4="3511"), PostcodeArea.objects.get(pc4="3811")
    km = haversine_km(
        Point(utrecht.latitude, utrecht.longitude), Point(amersfoort.latitude, amersfoort.longitude)
    )
    assert 19 < km < 22


def test_distance_filter_keeps_only_what_lies_within_it(client, demo):
    near = results(client, postcode="3511", afstand="10")
    assert near and all(o.distance <= 10 for o in near)
    assert "GGZ Eemvallei" not in [o.name for o in near]  # Amersfoort, about 20 km
    assert "GGZ Eemvallei" in names(client, postcode="3511", afstand="25")


def test_distance_is_shown_in_dutch_notation(client, demo):
    html = client.get(
        reverse("netwerk:search"), {"postcode": "3511", "afstand": "10"}
    ).content.decode()
    assert " km</strong>" in html and "," in html.split(" km</strong>")[0][-4:]


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"soort": ["hospice", "ggz"]}, lambda o: o.kind in {"hospice", "ggz"}),
        ({"zorgsetting": "thuis"}, lambda o: o.places.filter(setting="thuis").exists()),
        ({"expertise": "korsakov"}, lambda o: o.expertise.filter(slug="korsakov").exists()),
        (
            {"gemeente": "GM0307"},
            lambda o: o.locations.filter(municipality__code="GM0307").exists(),
        ),
        ({"beschikbaar": "true"}, lambda o: o.places.available().exists()),
    ],
    ids=["kinds", "setting", "expertise", "municipality", "available"],
)
def test_filters_keep_only_matching_organisations(client, demo, params, check):
    found = results(client, **params)
    assert found
    assert all(check(organisation) for organisation in found)


def test_region_filter(client, demo):
    assert len(results(client, regio="demoregio-utrecht", pagina=1)) == 20


def test_name_sorting_and_pagination(client, demo):
    first = [o.name for o in results(client, sortering="naam")]
    second = [o.name for o in results(client, sortering="naam", pagina="2")]
    assert first == sorted(first) and first[-1] < second[0]
    response = client.get(reverse("netwerk:search"))
    assert response.context["page"].paginator.count == 41


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"postcode": "1000 AA"}, "Postcode 1000 kennen we niet."),
        ({"postcode": "3511", "afstand": "-3"}, "De afstand moet minstens 1 km zijn."),
        ({"afstand": "10"}, "Vul ook een postcode in om op afstand te zoeken."),
        ({"postcode": "3511", "afstand": "ver"}, "Vul de afstand in als een getal in kilometers."),
        ({"pagina": "abc"}, "Paginanummer abc bestaat niet; dit is pagina 1."),
        ({"pagina": "999"}, "Pagina 999 bestaat niet; dit is de laatste pagina."),
        ({"expertise": "bestaat-niet"}, "Expertise bestaat-niet kennen we niet."),
        ({"soort": "kapper"}, "Kies een bestaande soort uit de lijst."),
        ({"sortering": "willekeurig"}, "Kies een bestaande sortering uit de lijst."),
        ({"gemeente": "GM9999"}, "Kies een bestaande gemeente uit de lijst."),
        ({"q": "x" * 500}, "niet meer dan 200 tekens"),
    ],
)
def test_strange_parameters_get_a_dutch_message_and_a_page(client, demo, params, message):
    response = client.get(reverse("netwerk:search"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_active_filters_are_shown_and_each_can_be_removed(client, demo):
    response = client.get(reverse("netwerk:search"), {"soort": ["hospice", "ggz"], "q": "zorg"})
    filters = response.context["active_filters"]
    labels = [f["label"] for f in filters]
    assert "Soort organisatie: Hospice" in labels and "Soort organisatie: GGZ-instelling" in labels
    hospice_removed = next(f for f in filters if f["label"].endswith("Hospice"))["remove_url"]
    assert "soort=ggz" in hospice_removed and "soort=hospice" not in hospice_removed


def test_query_count_does_not_grow_with_results(client, demo, django_assert_max_num_queries):
    # +6 for the usage counter (issue 15): 2 reads of the names a question may count (once
    # per 10 minutes), and the first question of an hour's bucket (update, savepoint, insert,
    # release); afterwards one update. PostgreSQL asks once more: which of the words are Dutch
    # stop words, before it builds the full-text query.
    budget = 23 + (1 if connection.vendor == "postgresql" else 0)
    with django_assert_max_num_queries(budget):
        client.get(reverse("netwerk:search"), {"q": "zorg", "postcode": "3511", "afstand": "50"})
    for number in range(40):
        organisation = Organisation.objects.create(
            name=f"Thuiszorg Extra {number}", slug=f"extra-{number}", kind="thuiszorg"
        )
        Location.objects.create(organisation=organisation, postcode="3512", city="Utrecht")
    organisations_search_refresh()
    with django_assert_max_num_queries(budget):
        client.get(reverse("netwerk:search"), {"q": "zorg", "postcode": "3511", "afstand": "50"})


def test_geojson_holds_one_feature_per_location_of_the_same_search(client, demo):
    response = client.get(reverse("netwerk:search_geojson"), {"soort": "ggz"})
    collection = json.loads(response.content)
    expected = Location.objects.filter(organisation__kind="ggz").count()
    assert len(collection["features"]) == expected
    feature = collection["features"][0]
    assert feature["geometry"]["type"] == "Point"
    # phone and availableUntil only where known (tests/test_public_map_popups.py)
    always = {"name", "kind", "marker", "url", "city"}
    assert always <= set(feature["properties"]) <= always | {"phone", "phoneText", "availableUntil"}


def test_geojson_answers_304_to_a_repeated_request_and_a_new_body_after_a_change(client, demo):
    url = reverse("netwerk:search_geojson")
    first = client.get(url)
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    organisation = Organisation.objects.get(slug="hospice-de-kapel")
    organisation.name = "Hospice De Kapel (vernieuwd)"
    organisation.save()
    changes_published(organisation_ids=[organisation.pk])
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert "Hospice De Kapel (vernieuwd)" in changed.content.decode()


def test_geojson_is_gzipped_for_clients_that_accept_it(client, demo):
    response = client.get(reverse("netwerk:search_geojson"), headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["type"] == "FeatureCollection"


def test_csv_opens_in_dutch_excel(client, demo):
    response = client.get(reverse("netwerk:search_csv"), {"q": "hospice"})
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffnaam;soort;straat;")
    assert "Hospice De Lindeboom;Hospice;" in body
    assert response["Content-Disposition"] == 'attachment; filename="sociale-kaart.csv"'


def test_dutch_stop_words_in_a_query_do_not_hide_the_organisation(client, demo):
    assert "Hospice Het Rozenhuis" in names(client, q="Hospice Het Rozenhuis")
    assert "Thuiszorg Soest en Baarn" in names(client, q="thuiszorg soest en baarn")


def test_refresh_command_makes_a_change_made_elsewhere_findable(client, demo, capsys):
    from django.core.management import call_command

    Organisation.objects.filter(slug="hospice-de-kapel").update(description="Ook voor doven")
    assert "Hospice De Kapel" not in names(client, q="doven")
    call_command("refresh_search")
    assert "Hospice De Kapel" in names(client, q="doven")
    assert "Search documents rebuilt for 41 organisations." in capsys.readouterr().out


def test_the_fragment_is_the_pages_body_from_the_same_cache(
    client, demo, django_assert_max_num_queries
):
    params = {"soort": "hospice", "postcode": "3511"}
    page = client.get(reverse("netwerk:search"), params).content.decode()
    with django_assert_max_num_queries(2):  # the session and the data version at most
        fragment = client.get(reverse("netwerk:search_fragment"), params)
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body and body in page
    assert 'data-show-label="Toon 7 resultaten"' in body


@pytest.mark.parametrize(
    "params",
    [{"postcode": "1000 AA"}, {"pagina": "abc"}, {"soort": "kapper"}, {"afstand": "ver"}],
)
def test_the_fragment_answers_strange_parameters_with_a_message(client, demo, params):
    response = client.get(reverse("netwerk:search_fragment"), params)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
