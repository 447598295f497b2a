"""The coverage page (issue 15): its numbers against a plain count from the definition (the
region rule in Region's docstring), with a municipality covered only through an extra PC4 area
and one left out by an excluded area; bad parameters; the query budget; the CSV."""

import csv
import io

import pytest
from django.urls import reverse

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.reference.distance import Point, haversine_km
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.search.coverage import Question, coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    """Utrecht and Zeist whole, one PC4 area of Amersfoort extra, De Bilt listed but with
    all its areas left out; a tag offered in Utrecht (service area) and in Zeist (location)."""
    utrecht = Municipality.objects.get(code="GM0344")
    zeist = Municipality.objects.get(code="GM0355")
    de_bilt = Municipality.objects.get(code="GM0310")
    amersfoort = Municipality.objects.get(code="GM0307")
    region = Region.objects.create(name="Regio Test", slug="regio-test")
    region.municipalities.add(utrecht, zeist, de_bilt)
    extra = PostcodeArea.objects.filter(municipality=amersfoort).order_by("pc4").first()
    region.extra_postcode_areas.add(extra)
    region.excluded_postcode_areas.add(*PostcodeArea.objects.filter(municipality=de_bilt))
    tag = ExpertiseTag.objects.create(
        name="Testexpertise", slug="testexpertise", category="psychiatry"
    )
    served = Organisation.objects.create(name="A", slug="a", kind=OrganisationKind.HOSPICE)
    served.expertise.add(tag)
    served.service_area.add(utrecht)
    located = Organisation.objects.create(name="B", slug="b", kind=OrganisationKind.MENTAL_HEALTH)
    located.expertise.add(tag)
    zeist_area = PostcodeArea.objects.filter(municipality=zeist).first()
    Location.objects.create(organisation=located, postcode=zeist_area.pc4, city="Zeist")
    hidden = Organisation.objects.create(
        name="C", slug="c", kind=OrganisationKind.HOSPICE, is_published=False
    )
    hidden.expertise.add(tag)
    hidden.service_area.add(amersfoort)
    return {"region": region, "tag": tag, "extra": extra, "de_bilt": de_bilt}


def plain_count(tag, region):
    """From the definition, in Python over the raw rows: the region's areas, the municipalities
    having one, and per municipality the published organisations with the tag that have it in
    their service area or a location whose postcode's PC4 lies in it."""
    excluded = set(region.excluded_postcode_areas.values_list("pc4", flat=True))
    own = set(region.municipalities.values_list("pk", flat=True))
    extra = set(region.extra_postcode_areas.values_list("pc4", flat=True))
    municipalities = {
        area.municipality_id
        for area in PostcodeArea.objects.all()
        if (area.municipality_id in own or area.pc4 in extra) and area.pc4 not in excluded
    }
    area_of = dict(PostcodeArea.objects.values_list("pc4", "municipality"))
    counts = {}
    for pk in municipalities:
        offering = set()
        for organisation in Organisation.objects.filter(is_published=True, expertise=tag):
            if organisation.service_area.filter(pk=pk).exists():
                offering.add(organisation.pk)
            for location in organisation.locations.all():
                if area_of.get(location.postcode[:4]) == pk:
                    offering.add(organisation.pk)
        counts[pk] = len(offering)
    return counts


@pytest.mark.both_databases
def test_numbers_match_a_plain_count_from_the_definition(network):
    rows = coverage(Question(tag=network["tag"], region=network["region"]))
    assert {row.municipality.pk: row.count for row in rows} == plain_count(
        network["tag"], network["region"]
    )
    by_code = {row.municipality.code: row for row in rows}
    assert by_code["GM0344"].count == 1 and by_code["GM0355"].count == 1
    # Amersfoort is in the network only through its extra PC4 area, partly, and has a gap.
    assert by_code["GM0307"].partly and by_code["GM0307"].count == 0
    assert by_code["GM0307"].nearest_km is not None
    # De Bilt is listed but every area is left out: not in the network.
    assert "GM0310" not in by_code


def test_nearest_distance_is_the_nearest_location(network):
    rows = {row.municipality.code: row for row in coverage(Question(tag=network["tag"]))}
    amersfoort = Municipality.objects.get(code="GM0307")
    location = Location.objects.get(organisation__slug="b")
    expected = haversine_km(
        Point(amersfoort.latitude, amersfoort.longitude),
        Point(location.latitude, location.longitude),
    )
    assert rows["GM0307"].nearest_km == round(expected, 1)


def test_page_shows_gaps_in_table_and_map_data(client, network):
    response = client.get(reverse("netwerk:coverage"), {"expertise": "testexpertise"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="gemeente-GM0307" class="ek-gap-row"' in html
    assert "geen aanbod" in html
    assert '"code": "GM0344"' in html  # boundary feature in the map data


@pytest.mark.parametrize(
    "params",
    [
        {"expertise": "bestaat-niet"},
        {"categorie": "<script>"},
        {"zorgsetting": "x" * 500},
        {"regio": "nergens"},
        {"gevalideerd": "misschien"},
    ],
)
def test_strange_parameters_get_a_dutch_message(client, network, params):
    response = client.get(reverse("netwerk:coverage"), params)
    assert response.status_code == 400
    assert "bestaat niet" in response.content.decode() or "Gevalideerd" in response.content.decode()
    assert client.get(reverse("netwerk:coverage_csv"), params).status_code == 400


def test_query_count_does_not_grow_with_organisations(
    client, network, django_assert_max_num_queries
):
    for number in range(30):
        organisation = Organisation.objects.create(
            name=f"Extra {number}", slug=f"extra-{number}", kind=OrganisationKind.HOME_CARE
        )
        organisation.expertise.add(network["tag"])
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("netwerk:coverage"), {"expertise": "testexpertise"}).status_code
            == 200
        )


def test_warm_page_comes_from_the_cache(client, network, django_assert_max_num_queries):
    client.get(reverse("netwerk:coverage"))
    with django_assert_max_num_queries(2):
        assert client.get(reverse("netwerk:coverage")).status_code == 200


def test_csv_says_the_same(client, network):
    response = client.get(
        reverse("netwerk:coverage_csv"), {"expertise": "testexpertise", "regio": "regio-test"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_code = {row["gemeentecode"]: row for row in rows}
    assert by_code["GM0344"]["aantal_organisaties"] == "1"
    assert by_code["GM0307"]["aantal_organisaties"] == "0"
    assert by_code["GM0307"]["deels"] == "ja"
    assert "GM0310" not in by_code
