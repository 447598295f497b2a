"""Formula injection: no exported cell runs as a formula in a spreadsheet, and none is changed.

A text that starts with = + - @, a tab or a carriage return is prefixed with a quote (OWASP) in
the public search's CSV and in the admin's CSV and Excel exports; the admin import takes exactly
that quote off again, so an exported sheet imports without a single change.
"""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from netwerk.coordination.spreadsheet_cells import escape_cell, unescape_cell
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil","klik")'
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def organisation_with(slug, *, name, description="", street="", house_number="", city="Utrecht"):
    organisation = Organisation.objects.create(
        name=name,
        slug=slug,
        kind=OrganisationKind.HOSPICE,
        description=description,
        phone="+31301234567",
    )
    Location.objects.create(
        organisation=organisation,
        street=street,
        house_number=house_number,
        postcode="3511 AB",
        city=city,
        latitude=52.09,
        longitude=5.12,
    )
    return organisation


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


# --- The pure pair. ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [HYPERLINK, "+1", "-2", "-", "@SUM(A1)", "\tx", "\rx"])
def test_a_formula_like_text_gets_one_leading_quote(text):
    assert escape_cell(text) == "'" + text
    assert unescape_cell(escape_cell(text)) == text


@pytest.mark.parametrize(
    "value", ["", "Hospice De Linde", "3511 AB", "'t Hofje", "a=b", "'", 12, -4.5, None]
)
def test_anything_else_is_written_and_read_as_it_is(value):
    assert escape_cell(value) == value
    assert unescape_cell(value) == value


@pytest.mark.parametrize("text", ["'=x", "''+1", "'-"])
def test_a_text_that_already_looks_escaped_survives_the_round_trip_too(text):
    assert escape_cell(text) == "'" + text
    assert unescape_cell(escape_cell(text)) == text


# --- The public search's CSV. --------------------------------------------------------------------


def test_the_public_csv_quotes_every_cell_a_spreadsheet_would_run(client):
    organisation_with("evil", name=HYPERLINK, street="\tx", house_number="-2", city="@SUM(A1)")
    organisation_with("ok", name="Hospice De Linde", street="Lindelaan", house_number="1")

    response = client.get(reverse("netwerk:search_csv"))

    header, *rows = csv_rows(response.content)
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    evil = by_name["'" + HYPERLINK]
    assert (evil["straat"], evil["huisnummer"], evil["plaats"]) == ("'\tx", "'-2", "'@SUM(A1)")
    assert evil["telefoon"] == "030 123 4567"
    ordinary = by_name["Hospice De Linde"]
    assert (ordinary["straat"], ordinary["huisnummer"], ordinary["postcode"]) == (
        "Lindelaan",
        "1",
        "3511 AB",
    )
    assert (ordinary["breedtegraad"], ordinary["lengtegraad"]) == ("52.09", "5.12")


# --- The admin's exports. ------------------------------------------------------------------------


@pytest.fixture
def formula_organisations(db):
    organisation_with("evil", name=HYPERLINK, description="+1", street="-2", city="@SUM(A1)")
    organisation_with("min", name="-", description="-2", house_number="'=x")
    organisation_with("plus", name="+31 30 hospice", description="@SUM(A1)", street="''+1")


def admin_url(view):
    return reverse(f"admin:netwerk_organisation_{view}")


def export(client, fmt) -> bytes:
    response = client.post(admin_url("export"), {"format": fmt, "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return response.content


EXPECTED = {
    "evil": {
        "Naam": "'" + HYPERLINK,
        "Omschrijving": "'+1",
        "Straat": "'-2",
        "Plaats": "'@SUM(A1)",
    },
    "min": {"Naam": "'-", "Omschrijving": "'-2", "Huisnummer": "''=x"},
    "plus": {"Naam": "'+31 30 hospice", "Omschrijving": "'@SUM(A1)", "Straat": "'''+1"},
}


def test_the_admin_csv_export_quotes_formula_cells(admin_client, formula_organisations):
    Organisation.objects.filter(slug="min").update(description="\tx")
    header, *rows = csv_rows(export(admin_client, CSV_FORMAT))
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for code, cells in EXPECTED.items():
        expected = dict(cells, Omschrijving="'\tx") if code == "min" else cells
        assert {column: by_code[code][column] for column in expected} == expected
    assert by_code["evil"]["Telefoon"] == "030 123 4567"
    assert by_code["evil"]["Postcode"] == "3511 AB"


def test_the_admin_xlsx_export_holds_quoted_texts_and_no_formula(
    admin_client, formula_organisations
):
    sheet = openpyxl.load_workbook(io.BytesIO(export(admin_client, XLSX_FORMAT))).active
    header, *rows = list(sheet.iter_rows())
    columns = [cell.value for cell in header]
    by_code = {row[0].value: dict(zip(columns, row, strict=True)) for row in rows}
    for code, cells in EXPECTED.items():
        for column, text in cells.items():
            cell = by_code[code][column]
            assert (cell.data_type, cell.value) == ("s", text), (code, column)
    formulas = [cell.coordinate for row in rows for cell in row if cell.data_type == "f"]
    assert formulas == []


# --- Export, then import: nothing changes. -------------------------------------------------------


def check(client, content: bytes, fmt):
    name = "organisaties.xlsx" if fmt == XLSX_FORMAT else "organisaties.csv"
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        admin_url("import"), {"import_file": upload, "format": fmt, "resource": "0"}
    )
    assert response.status_code == 200
    return response


def snapshot():
    return sorted(Organisation.objects.values_list("slug", "name", "description", "phone")), sorted(
        Location.objects.values_list("organisation__slug", "street", "house_number", "city")
    )


@pytest.mark.parametrize("fmt", [CSV_FORMAT, XLSX_FORMAT], ids=["csv", "xlsx"])
def test_an_export_with_formula_cells_imports_again_unchanged(
    client, coordinator, formula_organisations, fmt
):
    client.force_login(coordinator)
    before = snapshot()
    exported = export(client, fmt)

    dry_run = check(client, exported, fmt)
    result = dry_run.context["result"]
    assert [row.import_type for row in result.rows] == ["skip"] * 3, [
        (row.validation_error and row.validation_error.message_dict) for row in result.rows
    ]

    confirmed = client.post(admin_url("process_import"), dry_run.context["confirm_form"].initial)
    assert confirmed.status_code == 302
    assert snapshot() == before
    assert Organisation.objects.count() == 3


def test_a_quoted_phone_number_typed_by_hand_is_read_without_the_quote(admin_client):
    content = (
        "\ufeffNaam;Soort;Postcode;Plaats;Telefoon\r\n"
        "Hospice Plus;Hospice;3511 AB;Utrecht;'+31 30 123 4567\r\n"
    ).encode()
    dry_run = check(admin_client, content, CSV_FORMAT)
    admin_client.post(admin_url("process_import"), dry_run.context["confirm_form"].initial)
    assert Organisation.objects.get(slug="hospice-plus").phone.as_e164 == "+31301234567"


def test_a_foreign_phone_number_is_exported_quoted_and_imports_again_unchanged(admin_client):
    organisation_with("grens", name="Hospice Over De Grens")
    Organisation.objects.filter(slug="grens").update(phone="+3232123456")
    header, *rows = csv_rows(export(admin_client, CSV_FORMAT))
    (row,) = [dict(zip(header, row, strict=True)) for row in rows]
    assert row["Telefoon"] == "'+32 3 212 34 56"

    dry_run = check(admin_client, export(admin_client, CSV_FORMAT), CSV_FORMAT)
    assert [row.import_type for row in dry_run.context["result"].rows] == ["skip"]


def test_the_public_csv_keeps_a_foreign_numbers_country_code(client):
    organisation = organisation_with("grens", name="Hospice Over De Grens")
    organisation.phone = "+3232123456"
    organisation.save()

    response = client.get(reverse("netwerk:search_csv"))

    header, *rows = csv_rows(response.content)
    row = next(dict(zip(header, r, strict=True)) for r in rows if r[0] == "Hospice Over De Grens")
    assert row["telefoon"] == "'+32 3 212 34 56"
