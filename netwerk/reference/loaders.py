"""Loading the shipped reference data (CBS municipalities, GeoNames PC4 centroids), the
expertise vocabulary (fixtures/expertise_tags.csv, written by us) and the national numbers
(fixtures/nl_national_lines.csv).

The files in fixtures/ are copies of ../shared/data (see fixtures/SOURCES.md for licences and the
attribution the site shows). Loading is an upsert keyed on the CBS and PC4 codes, so it can run
again at any time and only changes what differs.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, PostcodeArea
from netwerk.reference.reference_lines import ReferenceLine

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
MUNICIPALITIES_CSV = FIXTURES / "nl_gemeenten.csv"
POSTCODES_CSV = FIXTURES / "nl_pc4_centroids.csv"
EXPERTISE_CSV = FIXTURES / "expertise_tags.csv"
NATIONAL_LINES_CSV = FIXTURES / "nl_national_lines.csv"


@dataclass(frozen=True)
class LoadResult:
    municipalities: int
    postcode_areas: int
    skipped: bool


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def municipalities_from(rows) -> list[Municipality]:
    return [
        Municipality(
            code=row["gemeente_code"],
            name=row["gemeente_name"],
            province_code=row["province_code"],
            province_name=row["province_name"],
            latitude=float(row["label_lat"]),
            longitude=float(row["label_lon"]),
        )
        for row in rows
    ]


def postcode_areas_from(rows, municipality_ids: dict[str, int]) -> list[PostcodeArea]:
    return [
        PostcodeArea(
            pc4=row["pc4"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            place_names=row["place_names"],
            municipality_id=municipality_ids[row["gemeente_code"]],
        )
        for row in rows
    ]


def is_loaded(municipality_rows: list, postcode_rows: list) -> bool:
    return Municipality.objects.count() == len(
        municipality_rows
    ) and PostcodeArea.objects.count() == len(postcode_rows)


@transaction.atomic
def reference_data_load(*, force: bool = False) -> LoadResult:
    municipality_rows = read_rows(MUNICIPALITIES_CSV)
    postcode_rows = read_rows(POSTCODES_CSV)
    if not force and is_loaded(municipality_rows, postcode_rows):
        return LoadResult(len(municipality_rows), len(postcode_rows), skipped=True)
    Municipality.objects.bulk_create(
        municipalities_from(municipality_rows),
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "province_code", "province_name", "latitude", "longitude"],
    )
    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    PostcodeArea.objects.bulk_create(
        postcode_areas_from(postcode_rows, municipality_ids),
        update_conflicts=True,
        unique_fields=["pc4"],
        update_fields=["latitude", "longitude", "place_names", "municipality"],
        batch_size=1000,
    )
    return LoadResult(len(municipality_rows), len(postcode_rows), skipped=False)


def expertise_tag_rows() -> list[dict[str, str]]:
    """The shipped expertise tags: name, English name, category and the synonyms search and
    import know."""
    return read_rows(EXPERTISE_CSV)


@transaction.atomic
def expertise_tags_load() -> int:
    """Add the shipped tags that are missing (matched on the slug); a tag that exists is left as
    the administrators keep it. Returns how many were added."""
    existing = set(ExpertiseTag.objects.values_list("slug", flat=True))
    missing = [
        ExpertiseTag(
            name=row["name"],
            name_en=row["name_en"],
            slug=slugify(row["name"]),
            category=row["category"],
            synonyms=row["synonyms"],
        )
        for row in expertise_tag_rows()
        if slugify(row["name"]) not in existing
    ]
    ExpertiseTag.objects.bulk_create(missing)
    return len(missing)


def national_line_rows() -> list[dict[str, str]]:
    """The shipped national numbers: name, number, audience, hours, when to call, source."""
    return read_rows(NATIONAL_LINES_CSV)


@transaction.atomic
def reference_lines_load() -> int:
    """Add the shipped national numbers that are missing (matched on the slug of their name), in
    the file's order; one that exists is left as the administrators keep it (changed, or switched
    off). Returns how many were added."""
    existing = set(ReferenceLine.objects.values_list("slug", flat=True))
    missing = [
        ReferenceLine(
            slug=slugify(row["name"]),
            name=row["name"],
            number=row["number"],
            audience=row["audience"],
            hours=row["hours"],
            when_to_call=row["when_to_call"],
            source=row["source"],
            order=10 * position,
        )
        for position, row in enumerate(national_line_rows(), start=1)
        if slugify(row["name"]) not in existing
    ]
    for line in missing:
        line.full_clean(exclude=["slug"], validate_unique=False)  # a wrong file fails loudly
    ReferenceLine.objects.bulk_create(missing)
    return len(missing)
