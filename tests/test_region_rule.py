"""One region rule everywhere (DESIGN.md, Region's docstring), checked by random examples.

Each example draws a region (municipalities, extra PC4 areas inside and outside them, areas left
out, up to whole municipalities) and a few organisations (locations and service areas) on the
real reference data, then asks every place that decides "does this lie in the region?" and
compares its answer with `Rule`, written here from the definition alone (the admin scope, error
report routing, the search filters, Wie bel ik nu?, the home counts and the open data API):

- a PC4 area lies in the region when its municipality is one of the region's or it is an extra
  area, and it is not left out;
- an organisation lies in the region when one of its locations' postcodes, or one of the areas
  of a municipality in its service area, lies in the region;
- a municipality is offered with the region when one of its areas lies in it, "(deels)" when
  not all of them do;
- an organisation serves a municipality when it is in its service area or one of its locations'
  postcodes lies in it (the postcode decides, not a stored municipality).
"""

import os
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netwerk.consultation.lines import Audience, ConsultationLine, Purpose
from netwerk.consultation.who_to_call import ids_of_lines_serving
from netwerk.coordination.error_reports import coordinators_of
from netwerk.directory.access import coordinated_organisations, coordinated_postcode_areas
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.open_data.parameters import Question
from netwerk.open_data.queries import lines_for, organisations_for
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.search.filters import OrganisationFilterSet
from netwerk.views.forms import WhoToCallForm

MUNICIPALITIES = 5  # small ones, so that whole municipalities are often left out


@dataclass(frozen=True)
class Geography:
    municipalities: tuple[Municipality, ...]
    areas: tuple[PostcodeArea, ...]  # the municipalities' areas, then some outside them

    def areas_of(self, municipality) -> list[PostcodeArea]:
        return [area for area in self.areas if area.municipality_id == municipality.pk]


@pytest.fixture
def geography(db) -> Geography:
    small = [
        municipality
        for municipality in Municipality.objects.order_by("code")
        if 2 <= municipality.postcode_areas.count() <= 3
    ][: MUNICIPALITIES + 1]
    areas = PostcodeArea.objects.select_related("municipality").filter(municipality__in=small)
    # The last municipality's areas lie outside every drawn region unless added as extras.
    return Geography(
        tuple(small[:MUNICIPALITIES]), tuple(areas.order_by("municipality__code", "pc4"))
    )


@dataclass(frozen=True)
class Rule:
    """The definition, on plain sets of ids."""

    municipalities: frozenset
    extra: frozenset
    excluded: frozenset
    geography: Geography

    def area_in(self, area) -> bool:
        chosen = area.municipality_id in self.municipalities or area.pk in self.extra
        return chosen and area.pk not in self.excluded

    def municipality_in(self, municipality) -> bool:
        return any(self.area_in(area) for area in self.all_areas_of(municipality))

    def municipality_partly_in(self, municipality) -> bool:
        inside = [self.area_in(area) for area in self.all_areas_of(municipality)]
        return any(inside) and not all(inside)

    def organisation_in(self, organisation) -> bool:
        located = any(self.area_in(area) for area in organisation["location_areas"])
        return located or any(
            self.municipality_in(municipality) for municipality in organisation["serves"]
        )

    def all_areas_of(self, municipality):
        return self.geography.areas_of(municipality)


def serves(organisation, municipality) -> bool:
    return municipality in organisation["serves"] or any(
        area.municipality_id == municipality.pk for area in organisation["location_areas"]
    )


@st.composite
def examples(draw, geography: Geography):
    municipalities = draw(st.sets(st.sampled_from(geography.municipalities), max_size=4))
    extra = draw(st.sets(st.sampled_from(geography.areas), max_size=3))
    excluded = set(draw(st.sets(st.sampled_from(geography.areas), max_size=4)))
    if municipalities and draw(st.booleans()):  # a whole municipality left out
        excluded |= set(geography.areas_of(draw(st.sampled_from(sorted(municipalities, key=pk)))))
    organisation = st.fixed_dictionaries(
        {
            "location_areas": st.lists(st.sampled_from(geography.areas), max_size=2),
            "serves": st.sets(st.sampled_from(geography.municipalities), max_size=2),
            "stored_municipality": st.sampled_from(geography.municipalities),
        }
    )
    organisations = draw(st.lists(organisation, min_size=1, max_size=5))
    line_municipality = draw(st.sampled_from(geography.municipalities))
    asked_area = draw(st.sampled_from(geography.areas))
    rule = Rule(
        frozenset(m.pk for m in municipalities),
        frozenset(a.pk for a in extra),
        frozenset(a.pk for a in excluded),
        geography,
    )
    return rule, municipalities, extra, excluded, organisations, line_municipality, asked_area


def pk(model) -> int:
    return model.pk


def build(municipalities, extra, excluded, organisations) -> tuple[Region, list[Organisation]]:
    region = Region.objects.create(name="Proefregio", slug="proefregio")
    region.municipalities.set(municipalities)
    region.extra_postcode_areas.set(extra)
    region.excluded_postcode_areas.set(excluded)
    made = []
    for number, drawn in enumerate(organisations):
        organisation = Organisation.objects.create(
            name=f"Organisatie {number}", slug=f"organisatie-{number}", kind=OrganisationKind.OTHER
        )
        organisation.service_area.set(drawn["serves"])
        for area in drawn["location_areas"]:
            # A stored municipality that may disagree with the postcode, as a manual edit leaves.
            Location.objects.create(
                organisation=organisation,
                postcode=f"{area.pc4} AB",
                city="X",
                municipality=drawn["stored_municipality"],
            )
        made.append(organisation)
    return region, made


SETTINGS = settings(
    max_examples=int(os.environ.get("REGION_RULE_EXAMPLES", 100)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.long
@pytest.mark.django_db
def test_every_place_that_asks_whether_something_lies_in_a_region_follows_the_one_rule(
    geography,
):
    coordinator = User.objects.create_user("coordinator", email="c@example.org", is_staff=True)

    @SETTINGS
    @given(examples(geography))
    def check(example):
        rule, municipalities, extra, excluded, organisations, line_municipality, asked = example
        with transaction.atomic():
            region, made = build(municipalities, extra, excluded, organisations)
            region.coordinators.add(coordinator)
            assert_the_rule_holds(rule, region, made, organisations, line_municipality, asked)
            transaction.set_rollback(True)

    check()


def assert_the_rule_holds(rule, region, made, organisations, line_municipality, asked):
    expected = {
        o.pk for o, drawn in zip(made, organisations, strict=True) if rule.organisation_in(drawn)
    }
    regions = Region.objects.filter(pk=region.pk)
    geography = rule.geography

    # The region's areas, and a coordinator's scope in the admin.
    assert set(region.postcode_areas()) == {a for a in geography.areas if rule.area_in(a)}
    assert set(coordinated_postcode_areas(region.coordinators.get())) == set(
        region.postcode_areas()
    )
    assert set(Organisation.objects.in_regions(regions).values_list("pk", flat=True)) == expected
    scope = coordinated_organisations(region.coordinators.get())
    assert set(scope.values_list("pk", flat=True)) == expected

    # The open data API's region filter.
    published = organisations_for(Question(region=region)).values_list("pk", flat=True)
    assert set(published) == expected

    # Error reports reach the coordinators of the organisation's regions.
    for organisation in made:
        reached = region.coordinators.get() in coordinators_of(organisation)
        assert reached == (organisation.pk in expected)

    # The search's region and municipality filters.
    found = OrganisationFilterSet({"regio": region.slug}, queryset=Organisation.objects.all()).qs
    assert set(found.values_list("pk", flat=True)) == expected
    for municipality in geography.municipalities:
        query = {"gemeente": municipality.code}
        found = OrganisationFilterSet(query, queryset=Organisation.objects.all()).qs
        serving = {
            o.pk for o, d in zip(made, organisations, strict=True) if serves(d, municipality)
        }
        assert set(found.values_list("pk", flat=True)) == serving, municipality

    # The municipalities offered with the region: Wie bel ik nu?'s choices and the home counts.
    form = WhoToCallForm()
    offered = {
        municipality.code: label
        for municipality, label in (
            (m, form.fields["gemeente"].label_from_instance(m))
            for m in form.fields["gemeente"].queryset
        )
    }
    every_municipality = {area.municipality for area in geography.areas}
    expected_offer = {m.code: m for m in every_municipality if rule.municipality_in(m)}
    if expected_offer:
        assert set(offered) == set(expected_offer)
        for code, municipality in expected_offer.items():
            assert offered[code].endswith("(deels)") == rule.municipality_partly_in(municipality)
    count = Region.objects.with_municipality_counts().get(pk=region.pk).municipality_count
    assert count == len(expected_offer)

    # Wie bel ik nu?: the lines that serve an asked postcode area.
    owner = made[0]
    by_region = always_open_line(owner, "Regiolijn")
    by_region.regions.add(region)
    by_name = always_open_line(owner, "Gemeentelijn")
    by_name.municipalities.add(line_municipality)
    serving = ids_of_lines_serving(asked)
    assert (by_region.pk in serving) == rule.area_in(asked)
    assert (by_name.pk in serving) == (asked.municipality_id == line_municipality.pk)
    # ... and the API's lines of the region.
    lines = lines_for(Question(region=region)).values_list("pk", flat=True)
    assert (by_region.pk in lines) and (by_name.pk in lines) == rule.municipality_in(
        line_municipality
    )


# --- A location knows its PC4 area ----------------------------------------------------------


def test_a_location_takes_the_area_of_its_postcode_and_follows_a_new_one(hospice):
    location = hospice.locations.get()
    assert location.postcode_area.pc4 == "3511"
    location.postcode = "3584 CX"
    location.save()
    location.refresh_from_db()
    assert location.postcode_area == PostcodeArea.objects.get(pc4="3584")


def test_locations_changed_outside_save_are_linked_again(hospice):
    """What the migration does for existing rows, and load_reference_data for new areas."""
    Location.objects.update(postcode_area=None)
    assert Location.objects.filter(postcode_area__isnull=True).link_postcode_areas() == 1
    assert hospice.locations.get().postcode_area.pc4 == "3511"


def test_the_postcode_not_a_stored_municipality_decides_what_a_location_serves(hospice, utrecht):
    elsewhere = Municipality.objects.exclude(pk=utrecht.pk).first()
    hospice.service_area.clear()
    Location.objects.update(municipality=elsewhere)  # a manual edit that disagrees
    assert list(Organisation.objects.serving(utrecht)) == [hospice]
    assert not Organisation.objects.serving(elsewhere).exists()


def always_open_line(organisation, name: str) -> ConsultationLine:
    return ConsultationLine.objects.create(
        organisation=organisation,
        name=name,
        phone="+31301234567",
        purpose=Purpose.CONSULTATION,
        audience=Audience.PUBLIC,
        is_always_open=True,
    )
