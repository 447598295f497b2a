"""Spreadsheets in and out of the admin: the coordinators' reference file, malformed files, scope.

Everything goes through the real admin (django-import-export's dry run and confirm steps).
"""

import csv
import io
import re
import time
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netwerk.consultation.lines import ConsultationLine, ScheduleRow
from netwerk.coordination.spreadsheets import PhoneWidget, PlaceResource, read_spreadsheet
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.places.places import Place
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import PostcodeArea

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
REFERENCE = DATA / "reference_organisations.csv"
REFERENCE_COUNT = 320
# Behaviour that does not depend on the file's size is shown on its first rows, to keep CI fast.
SAMPLE_COUNT = 40
CSV_FORMAT, XLSX_FORMAT = "0", "1"
HEADER = "Naam;Soort;Straat;Huisnummer;Postcode;Plaats;Telefoon"


def admin_url(model, view, *args):
    return reverse(f"admin:netwerk_{model._meta.model_name}_{view}", args=args)


def check(client, content: bytes, *, model=Organisation, name="organisaties.csv", fmt=None):
    """Upload a file to the import page: the dry run, which changes nothing."""
    fmt = fmt or (XLSX_FORMAT if name.endswith(".xlsx") else CSV_FORMAT)
    upload = SimpleUploadedFile(name, content)
    return client.post(
        admin_url(model, "import"), {"import_file": upload, "format": fmt, "resource": "0"}
    )


def confirm(client, dry_run_response, *, model=Organisation, **choices):
    """Confirm the checked file; `choices` are what the coordinator ticks or picks on the
    preview (ignore_unknown_columns="on", partial="on", **{"rij-3": "nieuw"})."""
    form = dry_run_response.context["confirm_form"]
    assert form is not None, "the dry run offered no confirmation"
    return client.post(admin_url(model, "process_import"), {**form.initial, **choices})


def import_file(client, content: bytes, **kwargs):
    response = check(client, content, **kwargs)
    assert response.status_code == 200
    return confirm(client, response, model=kwargs.get("model", Organisation))


def totals(response) -> dict:
    return dict(response.context["result"].totals)


def page_text(response) -> str:
    return response.content.decode()


def reference_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(REFERENCE.read_bytes().decode("cp1252")), delimiter=";"))


def sample_rows() -> list[list[str]]:
    """The header and the first SAMPLE_COUNT organisations of the reference file."""
    return reference_rows()[: SAMPLE_COUNT + 1]


def sample_bytes() -> bytes:
    output = io.StringIO()
    csv.writer(output, delimiter=";", lineterminator="\r\n").writerows(sample_rows())
    return output.getvalue().encode("cp1252")


def as_xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def csv_bytes(*lines: str, encoding="utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# --- The acceptance case: the reference spreadsheet. ---------------------------------------------


def test_reference_spreadsheet_imports_normalised_and_every_organisation_lands_on_the_map(
    admin_client,
):
    started = time.perf_counter()
    dry_run = check(admin_client, REFERENCE.read_bytes())
    checked = time.perf_counter()
    assert totals(dry_run)["new"] == REFERENCE_COUNT, page_text(dry_run)[:3000]
    assert Organisation.objects.count() == 0, "the dry run changed the database"

    with CaptureQueriesContext(connection) as queries:
        response = confirm(admin_client, dry_run)
    imported = time.perf_counter()
    assert response.status_code == 302
    print(
        f"\nreference import: check {checked - started:.1f}s, "
        f"confirm {imported - checked:.1f}s with {len(queries)} queries"
    )

    assert Organisation.objects.count() == REFERENCE_COUNT
    areas = {area.pc4: area for area in PostcodeArea.objects.all()}
    locations = list(Location.objects.select_related("organisation"))
    assert len(locations) == REFERENCE_COUNT
    for location in locations:
        area = areas[location.postcode[:4]]
        assert (location.latitude, location.longitude) == (area.latitude, area.longitude)
        assert location.municipality_id == area.municipality_id
    # Phone numbers, postcodes and websites are stored in one spelling.
    rows = {row[0]: row for row in reference_rows()[1:]}
    for organisation in Organisation.objects.prefetch_related("locations"):
        row = rows[organisation.name]
        location = organisation.locations.get()
        assert location.postcode.replace(" ", "") == row[4].replace(" ", "").upper()
        assert len(location.postcode) in (4, 7)
        if row[6]:
            assert organisation.phone.as_e164.startswith("+31"), row[6]
        if row[8]:
            assert organisation.website.startswith("https://")
    # Imported organisations are findable at once.
    first = Organisation.objects.order_by("pk").first()
    found = admin_client.get(reverse("netwerk:search"), {"q": first.name})
    assert first in found.context["page"].paginator.object_list


@pytest.mark.long
def test_importing_the_reference_spreadsheet_again_changes_nothing(admin_client):
    import_file(admin_client, REFERENCE.read_bytes())
    history_before = Organisation.history.count()

    dry_run = check(admin_client, REFERENCE.read_bytes())
    assert totals(dry_run) | {"skip": 0} == totals(dry_run) | {"skip": 0, "new": 0, "update": 0}
    assert totals(dry_run)["skip"] == REFERENCE_COUNT
    confirm(admin_client, dry_run)

    assert Organisation.objects.count() == REFERENCE_COUNT
    assert Location.objects.count() == REFERENCE_COUNT
    assert Organisation.history.count() == history_before


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_csv_from_dutch_excel_in_either_encoding_reads_the_same(admin_client, encoding):
    content = REFERENCE.read_bytes().decode("cp1252").encode(encoding)
    dry_run = check(admin_client, content)
    assert totals(dry_run)["new"] == REFERENCE_COUNT
    assert "Café Ontmoeting" in page_text(dry_run) or "’t Hofje" in page_text(dry_run)


def test_the_same_spreadsheet_as_xlsx_imports_too(admin_client):
    import_file(admin_client, sample_bytes())
    dry_run = check(admin_client, as_xlsx(sample_rows()), name="organisaties.xlsx")
    assert totals(dry_run)["skip"] == SAMPLE_COUNT, page_text(dry_run)[:2000]


def test_a_changed_row_is_shown_as_changed_and_only_it_is_saved(admin_client):
    import_file(admin_client, sample_bytes())
    rows = sample_rows()
    rows[1][6] = "030 - 999 99 99"
    rows[2][4] = "3511 AB"  # moved: without a code, another postcode is for the coordinator
    dry_run = check(admin_client, as_xlsx(rows), name="organisaties.xlsx")
    preview = dry_run.context["result"].rows
    assert preview[0].import_type == "update"
    assert "<ins " in "".join(preview[0].diff)  # the preview marks what is new
    assert preview[0].changes == ["telefoon gewijzigd"]
    moving = Organisation.objects.get(name=rows[2][0])
    assert [r.organisation for r in preview[1].resembles] == [moving]
    assert "lijkt op een bestaande organisatie" in page_text(dry_run)
    assert totals(dry_run)["skip"] == SAMPLE_COUNT - 2
    confirm(admin_client, dry_run, **{"rij-2": f"bijwerken:{moving.pk}"})
    assert Organisation.objects.count() == SAMPLE_COUNT
    assert Organisation.objects.get(name=rows[1][0]).phone.as_e164 == "+31309999999"
    moved = Location.objects.get(organisation__name=rows[2][0])
    utrecht = PostcodeArea.objects.get(pc4="3511")
    assert (moved.postcode, moved.latitude) == ("3511 AB", utrecht.latitude)


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("030 - 123 45 67", "+31301234567"),
        ("06-12345678", "+31612345678"),
        ("+31 (0)30 1234567", "+31301234567"),
        ("0031 30 1234567", "+31301234567"),
        ("(030) 123 4567", "+31301234567"),
        ("030.123.45.67", "+31301234567"),
        (301234567, "+31301234567"),  # Excel dropped the leading zero
        ("0348-412345", "+31348412345"),
    ],
)
def test_phone_numbers_written_the_dutch_ways_are_understood(written, e164):
    assert PhoneWidget().clean(written).as_e164 == e164


# --- Malformed files: a clear answer in Dutch, and nothing changes. -----------------------------


MALFORMED = {
    "utf-16": (
        (HEADER + "\r\nHospice Één;Hospice;;;3511 AB;Utrecht;\r\n").encode("utf-16"),
        "geen CSV-bestand in UTF-8 of Windows-1252",
    ),
    "missing-columns": (
        csv_bytes("Naam;Telefoon", "Hospice Een;030 123 45 67"),
        "Deze kolommen ontbreken: Soort, Postcode, Plaats",
    ),
    "bad-postcode": (
        csv_bytes(
            HEADER,
            "Hospice Een;Hospice;;;3511 AB;Utrecht;",
            "Hospice Twee;Hospice;;;35 AB;Utrecht;",
        ),
        "35 AB is geen geldige Nederlandse postcode",
    ),
    "unknown-postcode": (
        csv_bytes(
            HEADER, "Hospice Een;Hospice;;;0999 AB;Utrecht;", "Hospice Twee;Hospice;;;9999;X;"
        ),
        "geen geldige Nederlandse postcode",
    ),
    "bad-phone": (
        csv_bytes(HEADER, "Hospice Een;Hospice;;;3511 AB;Utrecht;030 - 12"),
        "030 - 12 is geen geldig telefoonnummer",
    ),
    "duplicated-keys": (
        csv_bytes(
            HEADER,
            "Hospice Een;Hospice;;;3511 AB;Utrecht;",
            "Hospice een;Hospice;;;3511ab;Utrecht;",
        ),
        "staat ook al in regel 1",
    ),
    "unknown-kind": (
        csv_bytes(HEADER, "Hospice Een;Bakkerij;;;3511 AB;Utrecht;"),
        "Bakkerij is geen bekende soort. Bekend zijn: Hospice, GGZ-instelling",
    ),
    "too-many-columns": (
        csv_bytes(HEADER, "Hospice Een;Hospice;;;3511 AB;Utrecht;;extra;cellen"),
        "Regel 2 heeft meer kolommen",
    ),
    "garbage-xlsx": (b"PK\x03\x04" + bytes(range(256)) * 40, "geen leesbaar Excel-bestand"),
    "empty": (b"", "leeg"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_files_give_a_dutch_answer_and_change_nothing(admin_client, hospice, case):
    content, expected = MALFORMED[case]
    name = "organisaties.xlsx" if case == "garbage-xlsx" else "organisaties.csv"
    before = Organisation.objects.count(), Location.objects.count()

    response = check(admin_client, content, name=name)

    assert response.status_code == 200
    assert expected in page_text(response)
    assert_no_plain_confirmation(response)
    assert (Organisation.objects.count(), Location.objects.count()) == before


def assert_no_plain_confirmation(response):
    """A file with errors cannot be confirmed as it is; when some rows are valid, the
    coordinator may import only those, knowingly."""
    result = response.context.get("result")
    if result is not None and result.valid_rows():
        assert response.context.get("only_partial") is True
        assert "Alleen de goede regels importeren" in page_text(response)
    else:
        assert response.context.get("confirm_form") is None


def test_five_megabytes_of_garbage_are_refused_before_reading(admin_client, hospice):
    garbage = bytes(range(256)) * (5 * 1024 * 4)  # 5 MB
    response = check(admin_client, garbage)
    assert response.status_code == 200
    assert "hoogstens 2,0" in page_text(response)
    assert Organisation.objects.count() == 1


def test_row_errors_name_the_line_the_column_and_the_reason(admin_client):
    response = check(
        admin_client,
        csv_bytes(
            HEADER,
            "Hospice Een;Hospice;;;3511 AB;Utrecht;",
            "Hospice Twee;Hospice;;;3511 SS;Utrecht;06-1234",
        ),
    )
    result = response.context["result"]
    assert [row.import_type for row in result.rows] == ["new", "invalid"]
    errors = result.rows[1].validation_error.message_dict
    assert "SS wordt niet gebruikt" in " ".join(errors["Postcode"])
    assert "06-1234 is geen geldig telefoonnummer" in " ".join(errors["Telefoon"])
    html = page_text(response)
    assert "1 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 met fouten." in html
    assert "Er is niets ingelezen" in html
    assert Organisation.objects.count() == 0


def test_confirming_is_all_or_nothing(admin_client):
    dry_run = check(
        admin_client,
        csv_bytes(
            HEADER, "Hospice Een;Hospice;;;3511 AB;Utrecht;", "Hospice Twee;Hospice;;;9411;Beilen;"
        ),
    )
    assert totals(dry_run)["new"] == 2
    # Between the check and the confirmation the reference data changes: row 2 fails now.
    PostcodeArea.objects.filter(pc4="9411").delete()

    response = confirm(admin_client, dry_run)

    assert response.status_code == 302
    assert Organisation.objects.count() == 0
    follow = admin_client.get(response["Location"])
    assert "Er is niets geïmporteerd" in page_text(follow)


# --- Template and export. -----------------------------------------------------------------------


def test_the_template_has_the_dutch_headers_in_csv_and_xlsx(admin_client):
    csv_response = admin_client.get(admin_url(Organisation, "import_template", "csv"))
    text = csv_response.content.decode("utf-8")
    assert text.startswith("\ufeffCode;Naam;Soort;Straat;Huisnummer;Postcode;Plaats;Telefoon")

    xlsx_response = admin_client.get(admin_url(Organisation, "import_template", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    headers = [cell.value for cell in next(sheet.iter_rows())]
    assert headers[:3] == ["Code", "Naam", "Soort"]
    assert "Werkgebied" in headers and "Expertise" in headers


def test_the_import_page_links_the_template_and_shows_progress_while_working(admin_client):
    html = page_text(admin_client.get(admin_url(Organisation, "import")))
    assert admin_url(Organisation, "import_template", "xlsx") in html
    assert 'class="ek-import-progress" hidden role="status"' in html
    assert "admin-import/import-progress.js" in html


def export(client, model=Organisation, fmt=CSV_FORMAT):
    response = client.post(admin_url(model, "export"), {"format": fmt, "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return response


def test_an_export_reimports_without_changes(admin_client):
    import_file(admin_client, sample_bytes())
    exported = export(admin_client).content
    assert exported.decode("utf-8").startswith("\ufeffCode;Naam;Soort")
    dry_run = check(admin_client, exported)
    assert totals(dry_run)["skip"] == SAMPLE_COUNT, page_text(dry_run)[:2000]


def test_export_queries_do_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    import_file(admin_client, sample_bytes())
    with django_assert_max_num_queries(25):  # 40 organisations; a query per row would be 60+
        export(admin_client, fmt=XLSX_FORMAT)


def test_contacts_and_lines_import_by_organisation_code_and_reimport_unchanged(
    admin_client, hospice
):
    contacts = csv_bytes(
        "Organisatiecode;Naam;Rol of functie;Telefoon;Zichtbaarheid",
        "hospice-de-linde;Dienstdoende arts;arts;06-12345678;Openbaar",
    )
    lines = csv_bytes(
        "Organisatiecode;Naam;Telefoon;Doel;Voor wie;24/7 bereikbaar",
        "hospice-de-linde;Avondlijn;030 - 123 45 67;Consultatie;Alleen professionals;ja",
    )
    import_file(admin_client, contacts, model=Contact)
    import_file(admin_client, lines, model=ConsultationLine)

    contact = Contact.objects.get(organisation=hospice)
    assert (contact.name, contact.visibility, contact.phone.as_e164) == (
        "Dienstdoende arts",
        "public",
        "+31612345678",
    )
    line = ConsultationLine.objects.get(organisation=hospice)
    assert (line.purpose, line.audience, line.is_always_open) == (
        "consultation",
        "professionals",
        True,
    )
    assert totals(check(admin_client, contacts, model=Contact))["skip"] == 1
    assert totals(check(admin_client, lines, model=ConsultationLine))["skip"] == 1


def test_a_contact_for_an_unknown_organisation_is_a_row_error(admin_client, hospice):
    response = check(
        admin_client,
        csv_bytes("Organisatiecode;Naam", "bestaat-niet;Iemand"),
        model=Contact,
    )
    assert "Er is geen organisatie met code bestaat-niet" in page_text(response)
    assert Contact.objects.count() == 0


# --- Scope: coordinators import and export only their region; editors only export their own. ---


def test_coordinator_cannot_import_an_organisation_outside_the_region(coordinator_client):
    response = check(
        coordinator_client,
        csv_bytes(
            HEADER,
            "Hospice Utrecht;Hospice;;;3511 AB;Utrecht;",
            "Hospice Amsterdam;Hospice;;;1011 AB;Amsterdam;",
        ),
    )
    rows = response.context["result"].rows
    assert [row.import_type for row in rows] == ["new", "invalid"]
    assert "buiten uw regio" in page_text(response)


def test_coordinator_cannot_update_an_organisation_outside_the_region(
    coordinator_client, amsterdam_organisation
):
    response = check(
        coordinator_client,
        csv_bytes("Code;" + HEADER, "ggz-amstel;Gekaapt;GGZ-instelling;;;3511 AB;Utrecht;"),
    )
    # Answered as for an unknown code: "buiten uw regio" would tell that the code exists.
    assert "Er is geen organisatie met code ggz-amstel binnen uw bereik" in page_text(response)
    amsterdam_organisation.refresh_from_db()
    assert amsterdam_organisation.name == "GGZ Amstel"


def test_contact_import_cannot_reach_an_organisation_outside_the_region(
    coordinator_client, hospice, amsterdam_organisation
):
    response = check(
        coordinator_client, csv_bytes("Organisatiecode;Naam", "ggz-amstel;Iemand"), model=Contact
    )
    assert "Er is geen organisatie met code ggz-amstel" in page_text(response)


@pytest.mark.parametrize(
    ("role", "model"),
    [
        (role, model)
        for role in ("coordinator", "editor")
        for model in (Organisation, Location, Contact, ConsultationLine)
        if (role, model) != ("editor", ConsultationLine)  # lines are the coordinators' work
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_export_holds_only_what_is_in_scope(
    client, request, role, model, hospice, office_hours_line, amsterdam_organisation
):
    Contact.objects.create(organisation=hospice, name="Zuster Linde", visibility="public")
    Contact.objects.create(organisation=amsterdam_organisation, name="Zuster Amstel")
    client.force_login(request.getfixturevalue(role))
    text = export(client, model).content.decode("utf-8")
    assert "hospice-de-linde" in text or "Hospice De Linde" in text
    assert "Amstel" not in text and "ggz-amstel" not in text


def test_editors_may_not_import(editor_client):
    assert editor_client.get(admin_url(Organisation, "import")).status_code == 403
    assert editor_client.get(admin_url(Organisation, "import_template", "csv")).status_code == 403
    response = check(editor_client, csv_bytes(HEADER, "Hospice Een;Hospice;;;3511 AB;Utrecht;"))
    assert response.status_code == 403
    assert Organisation.objects.filter(name="Hospice Een").count() == 0


def test_outsiders_reach_no_import_or_export_door(client, hospice):
    outsider = User.objects.create_user("buitenstaander", password="x", is_staff=True)
    client.force_login(outsider)
    for model in (Organisation, Location, Contact, Place, ConsultationLine):
        for view in ("import", "export"):
            assert client.get(admin_url(model, view)).status_code == 403


def test_places_import_at_the_location_with_that_postcode(coordinator, hospice):
    """PlaceAdmin belongs to the places work; the resource is ready for it and works on its own."""
    sheet = csv_bytes(
        "Organisatiecode;Naam;Postcode vestiging;Zorgsetting;Aantal plekken;EPA;Roken",
        "hospice-de-linde;GGZ-bed;3511AB;Hospice;2;ja;In overleg",
        "hospice-de-linde;Kamer 9;9999 ZZ;Hospice;1;ja;nee",
    )
    result = PlaceResource().import_data(
        read_spreadsheet(sheet), dry_run=False, user=coordinator, rollback_on_validation_errors=True
    )
    assert [row.import_type for row in result.rows] == ["new", "invalid"]
    assert "geen vestiging met die postcode" in str(result.rows[1].validation_error)
    assert not Place.objects.filter(name="GGZ-bed").exists()  # all or nothing

    first_row_only = b"\r\n".join(sheet.split(b"\r\n")[:2])
    PlaceResource().import_data(
        read_spreadsheet(first_row_only),
        dry_run=False,
        user=coordinator,
        rollback_on_validation_errors=True,
    )
    place = Place.objects.get(name="GGZ-bed")
    assert (place.location, place.capacity, place.accepts_severe_mental_illness) == (
        hospice.locations.get(),
        2,
        "yes",
    )


@pytest.mark.parametrize(
    "model_name", ["organisation", "location", "contact", "place", "consultationline"]
)
def test_every_spreadsheet_changelist_offers_import_and_export(admin_client, model_name):
    html = admin_client.get(reverse(f"admin:netwerk_{model_name}_changelist")).content.decode()
    assert reverse(f"admin:netwerk_{model_name}_import") in html
    assert reverse(f"admin:netwerk_{model_name}_export") in html


# --- Consultation lines with their opening hours. ----------------------------------------------

LINES_HEADER = "Organisatiecode;Naam;Telefoon;Doel;Openingstijden"


def line_row(hours: str, name="Consultatie palliatieve zorg", phone="030 123 45 67") -> str:
    # Excel puts quotes round a cell with semicolons, as the csv module does.
    return f'hospice-de-linde;{name};{phone};Consultatie;"{hours}"'


def without_deletions(diff_html: str) -> str:
    """The new value in a preview cell: what is not struck out."""
    return re.sub(r"<[^>]+>", "", re.sub(r"<del [^>]*>.*?</del>", "", diff_html))


def hours_of(line) -> list[tuple]:
    return [
        (row.weekday, f"{row.opens_at:%H:%M}", f"{row.closes_at:%H:%M}")
        for row in line.schedule_rows.order_by("weekday", "opens_at")
    ]


def test_a_line_imports_with_its_opening_hours_and_reimports_unchanged(admin_client, hospice):
    sheet = csv_bytes(LINES_HEADER, line_row("ma t/m vr 9-17; za 10.00-14.00; zo 0:00-24:00"))
    import_file(admin_client, sheet, model=ConsultationLine)

    line = ConsultationLine.objects.get(organisation=hospice)
    assert hours_of(line) == [
        *[(day, "09:00", "17:00") for day in range(5)],
        (5, "10:00", "14:00"),
        (6, "00:00", "00:00"),
    ]
    assert totals(check(admin_client, sheet, model=ConsultationLine))["skip"] == 1


def test_exported_opening_hours_read_the_dutch_way_and_reimport_unchanged(
    admin_client, office_hours_line
):
    exported = export(admin_client, ConsultationLine).content
    assert "Openingstijden" in exported.decode("utf-8").splitlines()[0]
    assert ";ma-vr 09:00-17:00" in exported.decode("utf-8")
    dry_run = check(admin_client, exported, model=ConsultationLine)
    assert totals(dry_run)["skip"] == 1, page_text(dry_run)[:2000]


def test_changed_opening_hours_replace_the_lines_schedule_with_history(
    admin_client, office_hours_line
):
    sheet = csv_bytes(LINES_HEADER, line_row("ma-vr 08:30-17:00; vr 17:00-08:30"))
    dry_run = check(admin_client, sheet, model=ConsultationLine)
    assert totals(dry_run)["update"] == 1
    preview = dry_run.context["result"].rows[0].diff[-1]  # the Openingstijden column
    assert "<del " in preview and "<ins " in preview
    assert without_deletions(preview) == "ma-do 08:30-17:00; vr 08:30-17:00, 17:00-08:30"
    assert len(hours_of(office_hours_line)) == 5, "the dry run changed the schedule"

    confirm(admin_client, dry_run, model=ConsultationLine)

    assert hours_of(office_hours_line) == [
        *[(day, "08:30", "17:00") for day in range(5)],
        (4, "17:00", "08:30"),
    ]
    removed = ScheduleRow.history.filter(history_type="-", line_id=office_hours_line.pk)
    assert removed.count() == 5


def test_a_change_elsewhere_in_the_row_leaves_the_schedule_rows_alone(
    admin_client, office_hours_line
):
    rows_before = list(office_hours_line.schedule_rows.values_list("pk", flat=True))
    sheet = csv_bytes(LINES_HEADER, line_row("ma-vr 9-17", phone="030 999 99 99"))
    import_file(admin_client, sheet, model=ConsultationLine)

    office_hours_line.refresh_from_db()
    assert office_hours_line.phone.as_e164 == "+31309999999"
    assert list(office_hours_line.schedule_rows.values_list("pk", flat=True)) == rows_before


def test_an_empty_cell_keeps_the_opening_hours_and_geen_removes_them(
    admin_client, office_hours_line
):
    assert (
        totals(check(admin_client, csv_bytes(LINES_HEADER, line_row("")), model=ConsultationLine))[
            "skip"
        ]
        == 1
    )
    import_file(admin_client, csv_bytes(LINES_HEADER, line_row("geen")), model=ConsultationLine)
    assert hours_of(office_hours_line) == []


@pytest.mark.parametrize(
    ("hours", "reason"),
    [
        ("mz 9-17", "mz is geen dag; gebruik ma, di, wo, do, vr, za of zo."),
        ("ma-vr 9-25", "25 is geen geldige tijd."),
        ("ma-vr", "Bij ma-vr staan geen tijden"),
        # The words of the line's admin page, which refuses the same overlap.
        ("ma 09:00-17:00; ma 16:00-18:00", "Maandag 09:00–17:00 overlapt met maandag 16:00–18:00."),
        ("zo 22:00-06:00; ma 05:00-09:00", "Zondag 22:00–06:00 overlapt met maandag 05:00–09:00."),
    ],
)
def test_unreadable_or_overlapping_opening_hours_are_row_errors_naming_the_column(
    admin_client, office_hours_line, hours, reason
):
    response = check(admin_client, csv_bytes(LINES_HEADER, line_row(hours)), model=ConsultationLine)

    row = response.context["result"].rows[0]
    assert row.import_type == "invalid"
    assert reason in row.validation_error.message_dict["Openingstijden"][0]
    assert "<strong>Openingstijden</strong>" in page_text(response)
    assert len(hours_of(office_hours_line)) == 5


def test_the_lines_import_page_explains_how_to_write_opening_hours(admin_client):
    html = page_text(admin_client.get(admin_url(ConsultationLine, "import")))
    assert "<dt>Openingstijden</dt>" in html
    assert "ma-vr 09:00-17:00; za 10:00-14:00" in html
    assert "Een lege cel laat de openingstijden" in html


# --- Locations: every location of an organisation, not only the main one. ----------------------

LOCATIONS_HEADER = "Organisatiecode;Naam vestiging;Straat;Huisnummer;Postcode;Plaats;Telefoon"


def test_further_locations_import_onto_the_map_and_reimport_unchanged(admin_client, hospice):
    sheet = csv_bytes(
        LOCATIONS_HEADER,
        "hospice-de-linde;;Lindelaan;1;3511AB;Utrecht;",  # the main location, as it is
        "hospice-de-linde;Dagbehandeling Zonnehuis;Heidelberglaan;8;3584 CX;Utrecht;030-1234567",
        "hospice-de-linde;Steunpunt Drenthe;;;9411;Beilen;",  # only a PC4
    )
    dry_run = check(admin_client, sheet, model=Location)
    assert (totals(dry_run)["new"], totals(dry_run)["skip"]) == (2, 1), page_text(dry_run)[:3000]
    assert hospice.locations.count() == 1, "the dry run changed the database"

    confirm(admin_client, dry_run, model=Location)

    assert hospice.locations.count() == 3
    for location in hospice.locations.all():
        area = PostcodeArea.objects.get(pc4=location.postcode[:4])
        assert (location.latitude, location.longitude) == (area.latitude, area.longitude)
        assert location.municipality_id == area.municipality_id
    zonnehuis = hospice.locations.get(name="Dagbehandeling Zonnehuis")
    assert (zonnehuis.postcode, zonnehuis.phone.as_e164) == ("3584 CX", "+31301234567")
    found = admin_client.get(reverse("netwerk:search"), {"q": "Zonnehuis"})
    assert hospice in found.context["page"].paginator.object_list

    assert totals(check(admin_client, sheet, model=Location))["skip"] == 3


def test_a_location_is_matched_on_postcode_and_house_number_however_written(admin_client, hospice):
    sheet = csv_bytes(
        LOCATIONS_HEADER, "hospice-de-linde;Hoofdgebouw;Lindelaan; 1 ;3511 ab;Utrecht;"
    )
    import_file(admin_client, sheet, model=Location)

    location = hospice.locations.get()
    assert (location.name, location.house_number) == ("Hoofdgebouw", "1")


def test_another_house_number_at_the_same_postcode_is_another_location(admin_client, hospice):
    sheet = csv_bytes(LOCATIONS_HEADER, "hospice-de-linde;;Lindelaan;1a;3511 AB;Utrecht;")
    assert totals(check(admin_client, sheet, model=Location))["new"] == 1


def test_exported_locations_reimport_unchanged_and_the_organisation_sheet_keeps_working(
    admin_client,
):
    import_file(admin_client, sample_bytes())
    first, second = Organisation.objects.order_by("pk")[:2]
    extra = csv_bytes(
        LOCATIONS_HEADER,
        f"{first.slug};Poli;Stationsplein;2;3511 CE;Utrecht;",
        f"{second.slug};Tweede vestiging;Markt;12 A;9411;Beilen;",
    )
    import_file(admin_client, extra, model=Location)
    assert Location.objects.count() == SAMPLE_COUNT + 2

    exported = export(admin_client, Location).content
    assert exported.decode("utf-8").startswith(
        "\ufeffOrganisatiecode;Organisatie;Naam vestiging;Straat;Huisnummer;Postcode;Plaats"
    )
    dry_run = check(admin_client, exported, model=Location)
    assert totals(dry_run)["skip"] == SAMPLE_COUNT + 2, page_text(dry_run)[:2000]

    # The organisation sheet still describes (only) each organisation's main location.
    assert totals(check(admin_client, sample_bytes()))["skip"] == SAMPLE_COUNT
    assert totals(check(admin_client, export(admin_client).content))["skip"] == SAMPLE_COUNT


def test_location_export_queries_do_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    import_file(admin_client, sample_bytes())
    with django_assert_max_num_queries(20):  # 40 locations; a query per row would be 40+
        export(admin_client, Location, fmt=XLSX_FORMAT)


@pytest.mark.parametrize(
    ("rows", "column", "reason"),
    [
        (
            [";;Lindelaan;1;3511 AB;Utrecht;"],
            "Organisatiecode",
            "Vul de code van de organisatie in.",
        ),
        (
            ["bestaat-niet;;;1;3511 AB;Utrecht;"],
            "Organisatiecode",
            "Er is geen organisatie met code bestaat-niet",
        ),
        (["hospice-de-linde;;;1;35 AB;Utrecht;"], "Postcode", "35 AB is geen geldige"),
        (["hospice-de-linde;;;1;;Utrecht;"], "Postcode", "Vul de postcode in."),
        (["hospice-de-linde;;;1;1000 AA;Nergens;"], "Postcode", "Postcode 1000 is onbekend."),
        (["hospice-de-linde;;;1;3584 CX;;"], "Plaats", "Dit veld kan niet leeg zijn"),
        (["hospice-de-linde;;;1;3584 CX;Utrecht;030 - 12"], "Telefoon", "030 - 12 is geen"),
        (
            [
                "hospice-de-linde;Poli;;12a;3584CX;Utrecht;",
                "hospice-de-linde;Poli 2;;12 A;3584 CX;Utrecht;",
            ],
            "Huisnummer",
            "Deze sleutel (hospice-de-linde / 3584 CX / 12 A) staat ook al in regel 1",
        ),
        (
            ["hospice-de-linde;;;;9411;Beilen;", "hospice-de-linde;;;;9411;Beilen;"],
            "Huisnummer",
            "staat ook al in regel 1",
        ),
    ],
)
def test_location_rows_that_are_wrong_name_the_column_and_change_nothing(
    admin_client, hospice, rows, column, reason
):
    response = check(admin_client, csv_bytes(LOCATIONS_HEADER, *rows), model=Location)

    invalid = response.context["result"].rows[-1]
    assert invalid.import_type == "invalid", page_text(response)[:3000]
    assert reason in " ".join(invalid.validation_error.message_dict[column])
    assert_no_plain_confirmation(response)
    assert Location.objects.count() == 1


def test_a_location_sheet_without_the_house_number_column_is_refused(admin_client, hospice):
    response = check(
        admin_client,
        csv_bytes("Organisatiecode;Postcode;Plaats", "hospice-de-linde;3584 CX;Utrecht"),
        model=Location,
    )
    assert "Deze kolommen ontbreken: Huisnummer" in page_text(response)


def test_the_location_template_and_import_page_explain_the_key(admin_client):
    text = admin_client.get(admin_url(Location, "import_template", "csv")).content.decode()
    assert text.startswith("\ufeffOrganisatiecode;Organisatie;Naam vestiging;Straat;Huisnummer")
    html = page_text(admin_client.get(admin_url(Location, "import")))
    assert "een andere postcode of een ander huisnummer is een nieuwe vestiging" in html


def test_coordinator_cannot_add_a_location_to_an_organisation_outside_the_region(
    coordinator_client, hospice, amsterdam_organisation
):
    sheet = csv_bytes(
        LOCATIONS_HEADER,
        "hospice-de-linde;Poli;;2;3584 CX;Utrecht;",
        "ggz-amstel;Poli;;2;3584 CX;Utrecht;",
    )
    rows = check(coordinator_client, sheet, model=Location).context["result"].rows
    assert [row.import_type for row in rows] == ["new", "invalid"]
    assert "Er is geen organisatie met code ggz-amstel" in str(rows[1].validation_error)
    assert amsterdam_organisation.locations.count() == 1


def test_editors_may_not_import_locations(editor_client, hospice):
    assert editor_client.get(admin_url(Location, "import")).status_code == 403
    response = check(
        editor_client,
        csv_bytes(LOCATIONS_HEADER, "hospice-de-linde;Poli;;2;3584 CX;Utrecht;"),
        model=Location,
    )
    assert response.status_code == 403
    assert hospice.locations.count() == 1


def test_each_imported_row_makes_one_version_holding_its_sets(admin_client):
    ExpertiseTag.objects.create(name="Verslaving", slug="verslaving")
    import_file(
        admin_client,
        csv_bytes(
            "Naam;Soort;Postcode;Plaats;Werkgebied;Expertise",
            "Hospice Het Baken;Hospice;3511 AB;Utrecht;Utrecht, Zeist;Verslaving",
        ),
    )
    organisation = Organisation.objects.get(name="Hospice Het Baken")
    versions = list(organisation.history.all())
    assert len(versions) == 1
    (version,) = versions
    assert sorted(version.service_area.values_list("municipality__name", flat=True)) == [
        "Utrecht",
        "Zeist",
    ]
    assert list(version.expertise.values_list("expertisetag__name", flat=True)) == ["Verslaving"]


# --- Codes: an import does not tell which codes exist outside the coordinator's scope. ----------


def row_errors(response) -> dict:
    (row,) = response.context["result"].invalid_rows
    return row.error_dict


def test_an_out_of_scope_code_and_an_unknown_code_get_the_same_answer(
    coordinator_client, amsterdam_organisation
):
    Organisation.objects.filter(pk=amsterdam_organisation.pk).update(is_published=False)
    answers = {}
    for code in ("ggz-amstel", "bestaat-nergens"):
        response = check(
            coordinator_client,
            csv_bytes("Code;" + HEADER, f"{code};Hospice Gekaapt;Hospice;;;3511 AB;Utrecht;"),
        )
        assert response.context.get("confirm_form") is None
        answers[code] = {
            column: [message.replace(code, "<code>") for message in messages]
            for column, messages in row_errors(response).items()
        }
    assert answers["ggz-amstel"] == answers["bestaat-nergens"]
    assert answers["ggz-amstel"] == {
        "Code": [
            "Er is geen organisatie met code <code> binnen uw bereik. Laat de code leeg voor een "
            "nieuwe organisatie: die krijgt een code op basis van haar naam."
        ]
    }
    amsterdam_organisation.refresh_from_db()
    assert amsterdam_organisation.name == "GGZ Amstel"
    assert not Organisation.objects.filter(name="Hospice Gekaapt").exists()


def test_a_name_whose_code_is_taken_outside_the_region_gets_a_code_of_its_own(
    coordinator_client, amsterdam_organisation
):
    sheet = csv_bytes(HEADER, "GGZ Amstel;GGZ-instelling;;;3511 AB;Utrecht;")
    import_file(coordinator_client, sheet)

    ours = Organisation.objects.get(slug="ggz-amstel-2")
    assert ours.locations.get().city == "Utrecht"
    amsterdam_organisation.refresh_from_db()
    assert amsterdam_organisation.locations.get().city == "Amsterdam"
    # The same sheet again finds the organisation it made, not the one in Amsterdam.
    assert totals(check(coordinator_client, sheet))["skip"] == 1


def test_an_administrator_may_give_a_new_organisation_its_code(admin_client):
    import_file(
        admin_client,
        csv_bytes("Code;" + HEADER, "linde-2;Hospice De Linde;Hospice;;;3511 AB;Utrecht;"),
    )
    assert Organisation.objects.get(slug="linde-2").name == "Hospice De Linde"


def test_the_organisation_import_page_explains_the_code_column(coordinator_client):
    text = page_text(coordinator_client.get(admin_url(Organisation, "import")))
    assert "Laat de code leeg voor een nieuwe organisatie" in text


@pytest.mark.parametrize(
    "model, header, row",
    [
        (Location, LOCATIONS_HEADER, "{code};Hoofdlocatie;Damrak;;1011 AB;Amsterdam;"),
        (
            Place,
            "Organisatiecode;Naam;Postcode vestiging;Zorgsetting",
            "{code};;1011 AB;Instelling",
        ),
        (Contact, "Organisatiecode;Naam;Rol of functie", "{code};Zuster Amstel;arts"),
        (
            ConsultationLine,
            "Organisatiecode;Naam;Telefoon;Doel",
            "{code};Crisisdienst Amstel;020 123 4567;Crisis",
        ),
    ],
    ids=["Location", "Place", "Contact", "ConsultationLine"],
)
def test_rows_below_an_out_of_scope_organisation_read_as_for_an_unknown_code(
    coordinator_client, hospice, amsterdam_organisation, model, header, row
):
    Contact.objects.create(organisation=amsterdam_organisation, name="Zuster Amstel")
    answers = {}
    for code in ("ggz-amstel", "bestaat-nergens"):
        response = check(coordinator_client, csv_bytes(header, row.format(code=code)), model=model)
        answers[code] = {
            column: [message.replace(code, "<code>") for message in messages]
            for column, messages in row_errors(response).items()
        }
    assert answers["ggz-amstel"] == answers["bestaat-nergens"]
