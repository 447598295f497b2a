"""Where expertise is missing: per municipality of the network, how many published
organisations offer an expertise (tag or category) or a care setting there, and, where none
does, how far away the nearest one is (issue 15).

"Offers it there" is the site's one region rule (Region's docstring): an organisation serves a
municipality when the municipality is in its service area or one of its locations' postcodes
lies in it (`Organisation.objects.serving`, here answered for all municipalities at once with
the same two link tables), and the municipalities of the network are
`Municipality.objects.in_regions` ("(deels)" by `partly_in`). Every function is a fixed number
of queries, whatever the number of organisations."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import models

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.reference.distance import Point, haversine_km
from netwerk.reference.expertise import ExpertiseCategory, ExpertiseTag
from netwerk.reference.geography import Municipality, Region


@dataclass(frozen=True)
class Question:
    """What the page asks: at most one of tag/category, optionally a care setting and a region;
    `validated` keeps only organisations verified at least once."""

    tag: ExpertiseTag | None = None
    category: str = ""
    setting: str = ""
    region: Region | None = None
    validated: bool = False


@dataclass
class MunicipalityCoverage:
    municipality: Municipality
    count: int
    partly: bool
    nearest_km: float | None = None

    @property
    def covered(self) -> bool:
        return self.count > 0


def offering(question: Question) -> models.QuerySet[Organisation]:
    """The published organisations that offer what the question asks, anywhere."""
    organisations = Organisation.objects.published()
    if question.tag is not None:
        organisations = organisations.filter(expertise=question.tag)
    elif question.category:
        organisations = organisations.filter(expertise__category=question.category)
    if question.setting:
        organisations = organisations.filter(places__setting=question.setting)
    if question.validated:
        organisations = organisations.filter(last_verified_on__isnull=False)
    return organisations.distinct()


def regions_asked(question: Question) -> models.QuerySet[Region]:
    if question.region is not None:
        return Region.objects.filter(pk=question.region.pk)
    return Region.objects.all()


def serving_pairs(organisations, municipalities) -> dict[int, set[int]]:
    """Municipality id → ids of the organisations serving it (service area or a location's
    postcode), the rule of `Organisation.objects.serving` for many municipalities in two
    queries."""
    served: dict[int, set[int]] = defaultdict(set)
    by_area = Organisation.service_area.through.objects.filter(
        organisation__in=organisations.values("pk"), municipality__in=municipalities.values("pk")
    ).values_list("municipality", "organisation")
    by_location = Location.objects.filter(
        organisation__in=organisations.values("pk"),
        postcode_area__municipality__in=municipalities.values("pk"),
    ).values_list("postcode_area__municipality", "organisation")
    for municipality, organisation in [*by_area, *by_location]:
        served[municipality].add(organisation)
    return served


def positions_of(organisations) -> list[Point]:
    """Where the offering organisations are (their located locations), for the nearest one."""
    rows = Location.objects.filter(
        organisation__in=organisations.values("pk"), latitude__isnull=False
    ).values_list("latitude", "longitude")
    return [Point(lat, lon) for lat, lon in rows]


def nearest_km(centre: Point, positions: list[Point]) -> float | None:
    if not positions:
        return None
    return round(min(haversine_km(centre, position) for position in positions), 1)


def coverage(question: Question) -> list[MunicipalityCoverage]:
    """One row per municipality of the asked region(s), by name."""
    regions = regions_asked(question)
    municipalities = Municipality.objects.in_regions(regions)
    partly = Municipality.objects.partly_in(regions)
    organisations = offering(question)
    served = serving_pairs(organisations, municipalities)
    rows = [
        MunicipalityCoverage(m, len(served.get(m.pk, ())), m.pk in partly)
        for m in municipalities.order_by("name")
    ]
    if any(not row.covered for row in rows):
        positions = positions_of(organisations)
        for row in rows:
            if not row.covered:
                centre = Point(row.municipality.latitude, row.municipality.longitude)
                row.nearest_km = nearest_km(centre, positions)
    return rows


@dataclass
class RegionCoverage:
    region: Region
    municipalities: int
    covered: int

    @property
    def gaps(self) -> int:
        return self.municipalities - self.covered


def coverage_by_region(
    question: Question, rows: list[MunicipalityCoverage]
) -> list[RegionCoverage]:
    """Per asked region: its municipalities and how many of them are covered (the rows above,
    one query for the region's municipalities per region; regions are few)."""
    covered = {row.municipality.pk for row in rows if row.covered}
    result = []
    for region in regions_asked(question).order_by("name"):
        ids = set(
            Municipality.objects.in_regions(Region.objects.filter(pk=region.pk)).values_list(
                "pk", flat=True
            )
        )
        result.append(RegionCoverage(region, len(ids), len(ids & covered)))
    return result


CATEGORY_VALUES = set(ExpertiseCategory.values)
