"""Spreadsheets as coordinators really have them (issue 12): everyday words for kinds and
expertise, alias headers, empty cells that keep, explicit clears, duplicates chosen knowingly,
partial imports, and the small things (a second confirm, lengths, file names).

Everything goes through the real admin: the dry run, the preview page and the confirmation.
"""

import csv
import io
import json
import re
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.directory.vocabulary import Alias, Vocabulary
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.loaders import expertise_tags_load
from netwerk.search.documents import organisations_search_refresh, search

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
EVERYDAY = DATA / "everyday_organisations.csv"
EVERYDAY_COUNT = 320
CSV_FORMAT = "0"
HEADER = (
    "Naam;Soort;Straat;Huisnummer;Postcode;Plaats;Telefoon;E-mail;Website;Omschrijving;Expertise"
)


@pytest.fixture(autouse=True)
def vocabulary(db):
    """The shipped expertise tags (fixtures/expertise_tags.csv), as `load_reference_data` adds."""
    expertise_tags_load()


def url(view, model=Organisation, *args):
    return reverse(f"admin:netwerk_{model._meta.model_name}_{view}", args=args)


def check(client, content: bytes, *, name="organisaties.csv", fmt=CSV_FORMAT, model=Organisation):
    upload = SimpleUploadedFile(name, content)
    return client.post(
        url("import", model), {"import_file": upload, "format": fmt, "resource": "0"}
    )


def confirm(client, dry_run, *, model=Organisation, **choices):
    form = dry_run.context["confirm_form"]
    assert form is not None, "the dry run offered no confirmation"
    return client.post(url("process_import", model), {**form.initial, **choices})


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def result_of(response):
    return response.context["result"]


def text(response) -> str:
    return response.content.decode()


def everyday_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(EVERYDAY.read_bytes().decode("cp1252")), delimiter=";"))


def as_csv(rows) -> bytes:
    output = io.StringIO()
    csv.writer(output, delimiter=";", lineterminator="\r\n").writerows(rows)
    return output.getvalue().encode("cp1252")


# --- The acceptance case: the everyday sheet. ----------------------------------------------------


def test_the_everyday_sheet_imports_without_a_rejected_row_and_loses_nothing(admin_client):
    rows = everyday_rows()
    header, body = rows[0], rows[1:]
    started, started_cpu = time.perf_counter(), time.process_time()
    dry_run = check(admin_client, EVERYDAY.read_bytes())
    checked, checked_cpu = time.perf_counter(), time.process_time()
    result = result_of(dry_run)
    assert not result.base_errors, [str(e.error) for e in result.base_errors]
    invalid = [(row.number, row.label, row.validation_error) for row in result.invalid_rows]
    assert invalid == []
    assert result.totals["new"] == EVERYDAY_COUNT
    assert result.ignored_columns == []
    assert result.renamed_columns["Telefoonnummer"] == "Telefoon"
    assert result.renamed_columns["Internet"] == "Website"
    assert result.renamed_columns["Expertises"] == "Expertise"

    response = confirm(admin_client, dry_run)
    confirmed, confirmed_cpu = time.perf_counter(), time.process_time()
    # docs/benchmarks.md, "Spreadsheet import (issue 12)": wall-clock and this process's CPU.
    print(
        f"\neveryday import ({connection.vendor}): check {checked - started:.2f}s "
        f"(cpu {checked_cpu - started_cpu:.2f}s), confirm {confirmed - checked:.2f}s "
        f"(cpu {confirmed_cpu - checked_cpu:.2f}s)"
    )
    assert response.status_code == 302
    assert Organisation.objects.count() == EVERYDAY_COUNT

    column = {name: index for index, name in enumerate(header)}
    organisations = {
        o.name: o for o in Organisation.objects.prefetch_related("expertise", "locations")
    }
    vocabulary = Vocabulary.load()
    for row in body:
        organisation = organisations[row[column["Naam organisatie"]]]
        assert organisation.kind == vocabulary.kind(row[column["Type"]])
        assert bool(organisation.phone) == bool(row[column["Telefoonnummer"]])
        assert organisation.email == row[column["E-mailadres"]]
        assert bool(organisation.website) == bool(row[column["Internet"]])
        written = [
            word.strip()
            for word in row[column["Expertises"]].replace(";", ",").split(",")
            if word.strip()
        ]
        assert {tag.name for tag in organisation.expertise.all()} == {
            vocabulary.tag(word).name for word in written
        }, row
        assert organisation.locations.get().street == row[column["Adres"]]
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"huisarts", "vptz", "consultatieteam"} <= kinds
    assert Organisation.objects.filter(expertise__slug="niet-aangeboren-hersenletsel-nah").exists()


def test_a_sheet_with_empty_cells_a_clear_and_a_renamed_organisation_imports_in_one_go(
    admin_client,
):
    """Issue 12's 'done when': nothing lost, nothing duplicated, every change announced."""
    rows = everyday_rows()[:41]
    confirm(admin_client, check(admin_client, as_csv(rows)))
    header = rows[0]
    column = {name: index for index, name in enumerate(header)}
    with_email = [i for i in range(1, 41) if rows[i][column["E-mailadres"]]]
    kept, cleared = with_email[0], with_email[1]
    renamed = next(i for i in range(1, 41) if i not in (kept, cleared))
    old_name = rows[renamed][column["Naam organisatie"]]
    original = Organisation.objects.get(name=old_name)
    before = {
        o.pk: (o.email, o.website, o.description, o.locations.get().street)
        for o in Organisation.objects.prefetch_related("locations")
    }

    changed = [list(row) for row in rows]
    # Empty cells leave everything as it is.
    for name in ("E-mailadres", "Internet", "Toelichting", "Adres", "Expertises"):
        changed[kept][column[name]] = ""
    # An explicit marker clears, and a new expertise is added.
    changed[cleared][column["E-mailadres"]] = "-"
    changed[cleared][column["Expertises"]] = (
        rows[cleared][column["Expertises"]] + ", Korsakov, NAH"
    ).lstrip(", ")
    # A typo fixed in a name: the same postcode, a resembling name.
    changed[renamed][column["Naam organisatie"]] = old_name + "s"

    dry_run = check(admin_client, as_csv(changed))
    result = result_of(dry_run)
    by_number = {row.number: row for row in result.rows}
    assert by_number[kept].import_type == "skip", (by_number[kept].changes, by_number[kept].diff)
    assert "e-mail wordt leeggemaakt" in by_number[cleared].changes
    assert result.clears == 1
    assert [r.organisation for r in by_number[renamed].resembles] == [original]
    page = text(dry_run)
    assert "e-mail wordt leeggemaakt" in page
    assert "1 veld wordt leeggemaakt" in page
    assert f"{old_name}s lijkt op een bestaande organisatie — bijwerken of nieuw?" in page
    assert Organisation.objects.get(pk=original.pk).name == old_name, "the dry run saved"

    response = confirm(admin_client, dry_run, **{f"rij-{renamed}": f"bijwerken:{original.pk}"})
    assert response.status_code == 302
    assert Organisation.objects.count() == 40, "nothing duplicated"
    assert Organisation.objects.get(pk=original.pk).name == old_name + "s"
    after = {
        o.pk: (o.email, o.website, o.description, o.locations.get().street)
        for o in Organisation.objects.prefetch_related("locations")
    }
    cleared_pk = Organisation.objects.get(name=rows[cleared][column["Naam organisatie"]]).pk
    kept_pk = Organisation.objects.get(name=rows[kept][column["Naam organisatie"]]).pk
    assert after[kept_pk] == before[kept_pk]
    assert after[cleared_pk][0] == "" and after[cleared_pk][1:] == before[cleared_pk][1:]
    assert {"Korsakov", "Niet-aangeboren hersenletsel (NAH)"} <= set(
        Organisation.objects.get(pk=cleared_pk).expertise.values_list("name", flat=True)
    )


def test_confirming_without_choosing_for_a_resembling_row_imports_nothing(admin_client):
    confirm(
        admin_client,
        check(admin_client, csv_bytes(HEADER, "Hospice De Linde;Hospice;;;3511 AB;Utrecht;;;;;")),
    )
    dry_run = check(
        admin_client, csv_bytes(HEADER, "Hospice de Lindes;Hospice;;;3511 AB;Utrecht;;;;;")
    )
    response = confirm(admin_client, dry_run)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("kies bij regel 2" in m for m in messages), messages
    assert Organisation.objects.count() == 1
    assert Organisation.objects.get().name == "Hospice De Linde"


def test_choosing_new_for_a_resembling_row_adds_an_organisation_with_its_own_code(admin_client):
    confirm(
        admin_client,
        check(
            admin_client,
            csv_bytes(HEADER, "Hospice De Linde;Hospice;;;3511 AB;Utrecht;030 123 45 67;;;;"),
        ),
    )
    dry_run = check(
        admin_client,
        csv_bytes(HEADER, "Hospice De Linde;Hospice;;;3584 CX;Utrecht;030 123 45 67;;;;"),
    )
    resembles = result_of(dry_run).rows[0].resembles
    assert [set(r.reasons) for r in resembles] == [
        {"dezelfde naam, ander adres", "hetzelfde telefoonnummer"}
    ]
    confirm(admin_client, dry_run, **{"rij-1": "nieuw"})
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == [
        "hospice-de-linde",
        "hospice-de-linde-2",
    ]


# --- One vocabulary. -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("Huisartsenpraktijk", "huisarts"),
        ("PaTz", "huisarts"),
        ("patz-groep", "huisarts"),
        ("Vrijwilligers (VPTZ)", "vptz"),
        ("V.P.T.Z.", "vptz"),
        ("ggz", "ggz"),
        ("GGZ-instelling", "ggz"),
        ("CPT", "consultatieteam"),
        ("Hospice", "hospice"),
    ],
)
def test_kinds_are_known_by_their_everyday_words(written, kind):
    assert Vocabulary.load().kind(written) == kind


@pytest.mark.parametrize(
    ("written", "tag"),
    [
        ("EPA", "Ernstige psychiatrische aandoening (EPA)"),
        ("lvb", "Verstandelijke beperking"),
        ("NAH", "Niet-aangeboren hersenletsel (NAH)"),
        ("niet aangeboren hersenletsel", "Niet-aangeboren hersenletsel (NAH)"),
        ("Suicidepreventie", "Suïcidepreventie"),
        ("GGZ", "Psychiatrie"),
        ("1-op-1-begeleiding", "Onbegrepen gedrag"),
    ],
)
def test_expertise_is_known_by_abbreviations_synonyms_and_without_accents(written, tag):
    assert Vocabulary.load().tag(written).name == tag


def test_an_unknown_word_gets_the_closest_valid_values_and_the_whole_list(admin_client):
    response = check(
        admin_client,
        csv_bytes(
            HEADER,
            "Hospice Een;Huisartsenpratijk;;;3511 AB;Utrecht;;;;;",
            "Hospice Twee;Hospice;;;3511 AB;Utrecht;;;;;Demensie",
        ),
    )
    rows = result_of(response).rows
    kind_error = " ".join(rows[0].validation_error.message_dict["Soort"])
    assert (
        "Huisartsenpratijk is geen bekende soort. Bedoelt u Huisartsenpraktijk / PaTz-groep?"
        in (kind_error)
    )
    tag_error = " ".join(rows[1].validation_error.message_dict["Expertise"])
    assert "Demensie is geen bekende expertise. Bedoelt u Dementie?" in tag_error
    assert "Bekend zijn: " in tag_error and "Korsakov" in tag_error
    page = text(response)
    # The row is named, not only numbered.
    assert '<strong class="ek-row-label">Hospice Een</strong>' in page


def test_the_import_page_lists_kinds_and_expertise_with_their_words_and_the_clear_marker(
    admin_client,
):
    page = text(admin_client.get(url("import")))
    assert "Huisartsenpraktijk / PaTz-groep" in page and "PaTz" in page
    assert "Niet-aangeboren hersenletsel (NAH)" in page
    assert "(leeg)" in page and "Een lege cel laat bestaande gegevens staan" in page
    assert "De vaste sleutel van een organisatie" in page  # what Code is


def test_an_alias_added_by_a_coordinator_reaches_the_import_the_search_and_the_filter(
    coordinator_client, admin_client
):
    tag = ExpertiseTag.objects.get(slug="palliatieve-sedatie")
    response = coordinator_client.post(
        reverse("admin:netwerk_alias_add"),
        {"text": "Sedatiebeleid", "kind": "", "expertise": tag.pk},
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Vocabulary.load().tag("sedatiebeleid") == tag

    dry_run = check(
        admin_client, csv_bytes(HEADER, "Hospice Een;Hospice;;;3511 AB;Utrecht;;;;;Sedatiebeleid")
    )
    assert result_of(dry_run).totals["new"] == 1
    confirm(admin_client, dry_run)
    organisation = Organisation.objects.get(name="Hospice Een")
    assert list(organisation.expertise.all()) == [tag]
    organisations_search_refresh()
    assert list(search(Organisation.objects.all(), "sedatiebeleid")) == [organisation]
    page = admin_client.get(reverse("netwerk:search"), {"expertise": "sedatiebeleid"})
    assert page.status_code == 200
    assert "Hospice Een" in page.content.decode()


def test_an_alias_that_already_means_something_else_is_refused_in_dutch(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:netwerk_alias_add"),
        {"text": "E.P.A.", "kind": "", "expertise": ExpertiseTag.objects.get(slug="dementie").pk},
    )
    assert response.status_code == 200
    assert "betekent al de expertise Ernstige psychiatrische aandoening (EPA)" in text(response)
    assert not Alias.objects.exists()


def test_the_search_filter_understands_a_kind_in_everyday_words(admin_client, hospice):
    page = admin_client.get(reverse("netwerk:search"), {"soort": "Bijna-thuis-huis"})
    assert page.status_code == 200
    assert "Hospice De Linde" in page.content.decode()
    other = admin_client.get(reverse("netwerk:search"), {"soort": "PaTz"})
    assert other.status_code == 200
    assert "Hospice De Linde" not in other.content.decode()


# --- Headers. ------------------------------------------------------------------------------------


def test_an_unknown_column_is_shown_as_ignored_and_must_be_confirmed_knowingly(admin_client):
    content = csv_bytes(
        "Naam;Soort;Postcode;Plaats;Tel.;Mail;Site;Fax",
        "Hospice Een;Hospice;3511 AB;Utrecht;030 123 45 67;info@een.nl;een.nl;030 999 99 99",
    )
    dry_run = check(admin_client, content)
    result = result_of(dry_run)
    assert result.ignored_columns == ["Fax"]
    page = text(dry_run)
    assert "Deze kolom wordt genegeerd:" in page and "Fax" in page
    assert "Bekende kolommen:" in page and "Telefoon" in page

    refused = confirm(admin_client, dry_run)
    messages = [str(m) for m in refused.wsgi_request._messages]
    assert any("bevestig dat de kolommen Fax niet worden ingelezen" in m for m in messages)
    assert not Organisation.objects.exists()

    dry_run = check(admin_client, content)
    confirm(admin_client, dry_run, ignore_unknown_columns="on")
    organisation = Organisation.objects.get()
    assert (organisation.phone.as_e164, organisation.email, organisation.website) == (
        "+31301234567",
        "info@een.nl",
        "https://een.nl",
    )


def test_two_columns_meaning_the_same_are_refused(admin_client):
    response = check(
        admin_client,
        csv_bytes("Naam;Soort;Postcode;Plaats;Telefoon;Telefoonnummer", "A;Hospice;3511;Utrecht;;"),
    )
    assert "De kolommen Telefoon en Telefoonnummer betekenen allebei Telefoon" in text(response)


# --- Empty never erases by accident. ------------------------------------------------------------


def test_an_empty_cell_keeps_and_a_marker_clears(admin_client):
    full = (
        "Hospice Een;Hospice;Lindelaan;1;3511 AB;Utrecht;030 123 45 67;a@een.nl;een.nl;Rust.;"
        "EPA, NAH"
    )
    confirm(admin_client, check(admin_client, csv_bytes(HEADER, full)))
    dry_run = check(admin_client, csv_bytes(HEADER, "Hospice Een;Hospice;;;3511 AB;Utrecht;;;;;"))
    assert result_of(dry_run).totals["skip"] == 1

    dry_run = check(
        admin_client, csv_bytes(HEADER, "Hospice Een;Hospice;-;;3511 AB;Utrecht;(leeg);-;;-;-")
    )
    row = result_of(dry_run).rows[0]
    assert row.changes == [
        "straat wordt leeggemaakt",
        "telefoon wordt leeggemaakt",
        "e-mail wordt leeggemaakt",
        "omschrijving wordt leeggemaakt",
        "2 expertises eraf",
    ]
    assert result_of(dry_run).clears == 5
    confirm(admin_client, dry_run)
    organisation = Organisation.objects.get()
    assert (organisation.email, str(organisation.phone), organisation.description) == ("", "", "")
    assert organisation.website == "https://een.nl"
    assert not organisation.expertise.exists()
    location = organisation.locations.get()
    assert (location.street, location.house_number) == ("", "1")


def test_a_marker_in_a_required_column_is_a_value_not_a_clear(admin_client):
    response = check(admin_client, csv_bytes(HEADER, "Hospice Een;-;;;3511 AB;Utrecht;;;;;"))
    errors = result_of(response).rows[0].validation_error.message_dict
    assert list(errors) == ["Soort"]
    assert errors["Soort"][0].startswith("- is geen bekende soort.")


# --- Partial import. -----------------------------------------------------------------------------


def test_a_partial_import_takes_the_valid_rows_and_offers_the_rejected_ones_as_a_sheet(
    admin_client,
):
    content = csv_bytes(
        HEADER,
        "Hospice Een;Hospice;;;3511 AB;Utrecht;;;;;",
        "Bakkerij Twee;Bakkerij;;;3511 AB;Utrecht;;;;;",
        "Hospice Drie;Hospice;;;3512;Utrecht;;;;;",
    )
    dry_run = check(admin_client, content)
    assert dry_run.context["only_partial"] is True
    # Confirming without choosing the partial import changes nothing.
    refused = confirm(admin_client, dry_run)
    assert refused.status_code == 302
    assert not Organisation.objects.exists()

    dry_run = check(admin_client, content)
    response = confirm(admin_client, dry_run, partial="on")
    assert response.status_code == 302
    assert sorted(Organisation.objects.values_list("name", flat=True)) == [
        "Hospice Drie",
        "Hospice Een",
    ]
    messages = [str(m) for m in response.wsgi_request._messages]
    link = rejected_rows_link(messages)
    download = admin_client.get(link)
    assert download.status_code == 200
    sheet = download.content.decode("utf-8-sig").splitlines()
    assert sheet[0].endswith(";Fout")
    assert len(sheet) == 2
    assert sheet[1].startswith("Bakkerij Twee;Bakkerij;")
    assert "Bakkerij is geen bekende soort" in sheet[1]

    # Fixed and read again, the rejected row is all there is to do.
    fixed = sheet[1].split(";Fout")[0].replace(";Bakkerij;", ";Overig;").rsplit(";", 1)[0]
    fixed_header = sheet[0].rsplit(";", 1)[0]
    assert result_of(check(admin_client, csv_bytes(fixed_header, fixed))).totals["new"] == 1


def rejected_rows_link(messages) -> str:
    message = next(m for m in messages if "regels met fouten zijn niet ingelezen" in m)
    return re.search(r'href="([^"]+)"', message)[1]


def test_the_rejected_rows_belong_to_the_one_who_imported_them(admin_client, coordinator_client):
    content = csv_bytes(
        HEADER, "Hospice Een;Hospice;;;3511 AB;Utrecht;;;;;", "B;Bakkerij;;;3511 AB;Utrecht;;;;;"
    )
    response = confirm(admin_client, check(admin_client, content), partial="on")
    link = rejected_rows_link([str(m) for m in response.wsgi_request._messages])
    assert coordinator_client.get(link).status_code == 302  # not theirs: back to the import


# --- The small items. ----------------------------------------------------------------------------


def test_confirming_twice_answers_in_dutch_instead_of_failing(admin_client):
    dry_run = check(admin_client, csv_bytes(HEADER, "Hospice Een;Hospice;;;3511 AB;Utrecht;;;;;"))
    assert confirm(admin_client, dry_run).status_code == 302
    again = confirm(admin_client, dry_run)
    assert again.status_code == 302
    messages = [str(m) for m in again.wsgi_request._messages]
    assert any("Deze import is al verwerkt of verlopen" in m for m in messages)
    assert Organisation.objects.count() == 1


def test_a_street_longer_than_the_model_allows_is_a_row_error_in_the_preview(admin_client):
    response = check(
        admin_client, csv_bytes(HEADER, f"Hospice Een;Hospice;{'x' * 300};1;3511 AB;Utrecht;;;;;")
    )
    errors = result_of(response).rows[0].validation_error.message_dict
    assert errors["Straat"] == ["Dit is 300 tekens lang; hoogstens 200 past."]


def test_a_file_with_only_a_header_gets_a_dutch_message(admin_client):
    response = check(admin_client, csv_bytes(HEADER))
    assert "Dit bestand heeft alleen een kopregel" in text(response)
    assert "No valid data" not in text(response)


def test_an_xlsx_file_named_csv_is_read_by_its_content(admin_client):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(HEADER.split(";"))
    book.active.append(["Hospice Een", "Hospice", "", "", "3511 AB", "Utrecht"])
    output = io.BytesIO()
    book.save(output)
    response = check(admin_client, output.getvalue(), name="organisaties.csv", fmt=CSV_FORMAT)
    assert result_of(response).totals["new"] == 1


def test_export_file_names_are_dutch(admin_client, hospice):
    response = admin_client.post(url("export"), {"format": CSV_FORMAT, "resource": "0"})
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert 'filename="organisaties-' in disposition and disposition.endswith('.csv"')


def test_locations_keep_where_their_position_comes_from(admin_client):
    confirm(
        admin_client,
        check(admin_client, csv_bytes(HEADER, "Hospice Een;Hospice;;;3511 AB;Utrecht;;;;;")),
    )
    assert Location.objects.get().position_source == "postcode"


# --- The line sheet: holiday rule and dated exceptions. ------------------------------------------

LINES_HEADER = "Organisatiecode;Naam;Telefoon;Doel;Op feestdagen;Uitzonderingen"


def test_a_line_imports_its_holiday_rule_and_dated_exceptions_and_reimports_unchanged(
    admin_client, hospice
):
    from netwerk.consultation.lines import ConsultationLine

    sheet = csv_bytes(
        LINES_HEADER,
        "hospice-de-linde;Consultatie;030 123 45 67;Consultatie;gesloten;"
        '"24-12-2026 t/m 26-12-2026 gesloten (kerst); 31-12-2026 17:00-24:00 gesloten"',
    )
    confirm(
        admin_client, check(admin_client, sheet, model=ConsultationLine), model=ConsultationLine
    )
    line = ConsultationLine.objects.get(organisation=hospice)
    assert line.holiday_rule == "closed"
    exceptions = [
        (e.starts_at.isoformat(), e.ends_at.isoformat(), e.is_open, e.reason)
        for e in line.exceptions.order_by("starts_at")
    ]
    assert exceptions == [
        ("2026-12-23T23:00:00+00:00", "2026-12-26T23:00:00+00:00", False, "kerst"),
        ("2026-12-31T16:00:00+00:00", "2026-12-31T23:00:00+00:00", False, ""),
    ]
    assert result_of(check(admin_client, sheet, model=ConsultationLine)).totals["skip"] == 1

    exported = admin_client.post(
        url("export", ConsultationLine), {"format": CSV_FORMAT, "resource": "0"}
    )
    again = check(admin_client, exported.content, model=ConsultationLine)
    assert result_of(again).totals["skip"] == 1, text(again)[:3000]

    cleared = csv_bytes(LINES_HEADER, "hospice-de-linde;Consultatie;030 123 45 67;Consultatie;;-")
    confirm(
        admin_client, check(admin_client, cleared, model=ConsultationLine), model=ConsultationLine
    )
    line.refresh_from_db()
    assert line.holiday_rule == "closed"  # the empty cell kept it
    assert not line.exceptions.exists()


def test_an_unreadable_exception_is_a_row_error_naming_the_column(admin_client, hospice):
    from netwerk.consultation.lines import ConsultationLine

    sheet = csv_bytes(
        LINES_HEADER, "hospice-de-linde;Consultatie;030 123 45 67;Consultatie;;kerst dicht"
    )
    errors = result_of(check(admin_client, sheet, model=ConsultationLine)).rows[0]
    assert "kerst dicht is niet te lezen" in " ".join(
        errors.validation_error.message_dict["Uitzonderingen"]
    )


# --- Location precision: PDOK Locatieserver, faked by a local HTTP server. -----------------------


class FakeLocatieserver:
    """Answers like PDOK Locatieserver's /free for the addresses it knows; counts requests."""

    KNOWN = {("3511AB", "1"): "POINT(5.1181 52.0907)", ("3511AB", "3"): "POINT(5.1190 52.0911)"}

    def __init__(self):
        import http.server
        import threading
        import urllib.parse

        self.requests = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["q"][0]
                fake.requests.append(query)
                postcode = query.split("postcode:")[1].split()[0]
                number = query.split("huisnummer:")[1].split()[0]
                point = fake.KNOWN.get((postcode, number))
                docs = [{"centroide_ll": point}] if point else []
                body = json.dumps({"response": {"numFound": len(docs), "docs": docs}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/free"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def locatieserver(settings):
    from netwerk.directory.geocoding import forget_answers

    fake = FakeLocatieserver()
    settings.GEOCODING_PDOK = True
    settings.GEOCODING_PDOK_URL = fake.url
    forget_answers()
    yield fake
    forget_answers()
    fake.close()


def test_an_imported_address_is_placed_by_pdok_and_an_unknown_one_on_its_pc4(
    admin_client, locatieserver
):
    sheet = csv_bytes(
        HEADER,
        "Hospice Een;Hospice;Lindelaan;1;3511 AB;Utrecht;;;;;",
        "Hospice Twee;Hospice;Lindelaan;3;3511 AB;Utrecht;;;;;",
        "Hospice Drie;Hospice;Lindelaan;99;3511 AB;Utrecht;;;;;",
    )
    dry_run = check(admin_client, sheet)
    assert locatieserver.requests == [], "the preview asks no outside service"
    confirm(admin_client, dry_run)
    positions = {
        location.organisation.name: (
            location.latitude,
            location.longitude,
            location.position_source,
        )
        for location in Location.objects.select_related("organisation")
    }
    from netwerk.reference.geography import PostcodeArea

    centroid = PostcodeArea.objects.get(pc4="3511")
    assert positions == {
        "Hospice Een": (52.0907, 5.1181, "adres"),
        "Hospice Twee": (52.0911, 5.1190, "adres"),
        "Hospice Drie": (centroid.latitude, centroid.longitude, "postcode"),
    }
    assert len(locatieserver.requests) == 3  # one per address
    assert locatieserver.requests[0] == "postcode:3511AB and huisnummer:1"


def test_a_location_saved_without_coordinates_is_placed_by_its_address(locatieserver, hospice):
    location = Location.objects.create(
        organisation=hospice,
        street="Lindelaan",
        house_number="3",
        postcode="3511 AB",
        city="Utrecht",
    )
    assert (location.latitude, location.longitude, location.position_source) == (
        52.0911,
        5.1190,
        "adres",
    )


def test_an_unreachable_locatieserver_leaves_the_pc4_centroid(settings, hospice):
    from netwerk.directory.geocoding import forget_answers

    settings.GEOCODING_PDOK = True
    settings.GEOCODING_PDOK_URL = "http://127.0.0.1:9/free"  # nothing listens on port 9
    settings.GEOCODING_TIMEOUT_SECONDS = 1
    forget_answers()
    location = Location.objects.create(
        organisation=hospice, house_number="1", postcode="3511 AB", city="Utrecht"
    )
    assert location.position_source == "postcode"
    forget_answers()


def test_the_location_sheet_preview_asks_nothing_and_its_confirmation_places_by_address(
    admin_client, hospice, locatieserver
):
    sheet = csv_bytes(
        "Organisatiecode;Straat;Huisnummer;Postcode;Plaats",
        "hospice-de-linde;Lindelaan;3;3511 AB;Utrecht",
    )
    dry_run = check(admin_client, sheet, model=Location)
    assert result_of(dry_run).totals["new"] == 1
    assert locatieserver.requests == []
    confirm(admin_client, dry_run, model=Location)
    added = Location.objects.get(organisation=hospice, house_number="3")
    assert (added.latitude, added.longitude, added.position_source) == (52.0911, 5.1190, "adres")
