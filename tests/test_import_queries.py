"""The organisation import's cost does not grow with the rows (issue 12): the preview writes
nothing, and both it and the confirmation read what they compare with once per file, and the
confirmation writes all rows at once. The times are in docs/benchmarks.md
(scripts/import_bench.py); here the queries, on the real database, through the real admin.
"""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.reference.loaders import expertise_tags_load

pytestmark = pytest.mark.django_db

EVERYDAY = Path(__file__).parent / "data" / "everyday_organisations.csv"
# Per file, whatever its number of rows: the session and user, the vocabulary, the codes in
# use, the organisations the file names with their locations and sets, the PC4 areas, the
# municipalities; at the confirmation also the bulk writes, the versions with their sets, the
# search documents and the admin log.
PREVIEW_QUERIES = 30
CONFIRM_QUERIES = 45


def confirm_queries(rows: int) -> int:
    """SQLite takes at most 999 parameters per query (Django's max_query_params), so there a
    bulk write of the organisations, locations and their versions is one query per 40-50 rows
    per table; PostgreSQL writes each table in one."""
    return CONFIRM_QUERIES + (0 if connection.vendor == "postgresql" else rows // 12)


@pytest.fixture(autouse=True)
def vocabulary(db):
    expertise_tags_load()


def first_rows(count: int) -> bytes:
    rows = list(csv.reader(io.StringIO(EVERYDAY.read_bytes().decode("cp1252")), delimiter=";"))
    output = io.StringIO()
    csv.writer(output, delimiter=";", lineterminator="\r\n").writerows(rows[: count + 1])
    return output.getvalue().encode("cp1252")


def check(client, content: bytes):
    upload = SimpleUploadedFile("organisaties.csv", content)
    return client.post(
        reverse("admin:netwerk_organisation_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def confirm(client, dry_run):
    form = dry_run.context["confirm_form"]
    assert form is not None, "the dry run offered no confirmation"
    return client.post(reverse("admin:netwerk_organisation_process_import"), form.initial)


def counted(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    return response, queries


@pytest.mark.long
@pytest.mark.parametrize("rows", [30, 320])
def test_checking_and_confirming_take_as_many_queries_for_30_rows_as_for_320(
    admin_client, rows, django_assert_max_num_queries
):
    content = first_rows(rows)
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        dry_run = check(admin_client, content)
    assert dry_run.context["result"].totals["new"] == rows
    with django_assert_max_num_queries(confirm_queries(rows)):
        response = confirm(admin_client, dry_run)
    assert response.status_code == 302
    assert Organisation.objects.count() == Location.objects.count() == rows
    # The same file again: every row compared with what it already made, still per file.
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        again = check(admin_client, content)
    assert again.context["result"].totals["skip"] == rows
    with django_assert_max_num_queries(confirm_queries(rows)):
        confirm(admin_client, again)


def test_the_preview_writes_nothing(admin_client, hospice):
    sheet = first_rows(30) + b"Hospice De Linde;Hospice;Lindelaan;9;3511 AB;Utrecht;;x@y.nl;;;\r\n"
    dry_run, queries = counted(lambda: check(admin_client, sheet))
    result = dry_run.context["result"]
    assert (result.totals["new"], result.totals["update"]) == (30, 1)
    writes = [
        query["sql"]
        for query in queries
        if query["sql"].split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        and "django_session" not in query["sql"]
    ]
    assert writes == []


@pytest.mark.parametrize("rows", [30, 320])
def test_a_coordinators_check_reads_the_scope_once_per_file(
    coordinator_client, hospice, rows, django_assert_max_num_queries
):
    """Rows in and out of the coordinator's region (Utrecht only): the organisations in scope
    and the region's PC4 areas are read once, not per row."""
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        dry_run = check(coordinator_client, first_rows(rows))
    result = dry_run.context["result"]
    assert result.totals["new"] and result.totals["invalid"]
    assert result.totals["new"] + result.totals["invalid"] == rows
