"""Spreadsheets in and out of the admin (django-import-export), as Dutch coordinators keep them.

A coordinator's spreadsheet comes from Dutch Excel: semicolons, Windows-1252 or UTF-8 with a
BOM, Dutch column headers, phone numbers written every Dutch way and postcodes with or without
the space. Every import is a dry run first; every row is new, changed, unchanged or wrong (with
the column and the reason in Dutch); a confirmed import is one transaction, and importing the
same file again changes nothing because rows are matched on a stable key (the organisation's
code; for a location its organisation's code plus postcode and house number; for the rest of what
belongs to an organisation, its code plus the name).
"""

import csv
import difflib
import functools
import io
import itertools
import operator
import re
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import timedelta
from pathlib import Path

import phonenumbers
import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import CachedInstanceLoader
from phonenumber_field.phonenumber import PhoneNumber

from netwerk.consultation import opening_hours
from netwerk.consultation.lines import (
    Audience,
    ConsultationLine,
    HolidayRule,
    Purpose,
    ScheduleException,
    is_plannable,
    plannable_period_text,
)
from netwerk.consultation.schedule_notation import (
    DatedException,
    NotationError,
    format_exceptions,
    format_ranges,
    parse_exceptions,
    parse_ranges,
)
from netwerk.coordination.history import m2m_snapshot, one_version_with_its_sets
from netwerk.coordination.spreadsheet_cells import escape_cell, unescape_cell
from netwerk.directory.access import (
    coordinated_postcode_areas,
    editable_organisations,
    is_administrator,
)
from netwerk.directory.contacts import Contact, Visibility
from netwerk.directory.geocoding import without_outside_requests
from netwerk.directory.locations import Location, PositionSource
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.directory.vocabulary import Vocabulary, term_key
from netwerk.places.places import Acceptance, CareSetting, Place
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, PostcodeArea, normalise_postcode
from netwerk.search.publishing import changes_published


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the coordinator, in Dutch."""


# --- Formats ------------------------------------------------------------------------------------


def decode_spreadsheet_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or, failing that, Windows-1252: what Dutch Excel writes."""
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "Dit bestand is geen CSV-bestand in UTF-8 of Windows-1252 (het bevat "
                "nul-tekens, zoals UTF-16 of een binair bestand). Sla het in Excel op als "
                "'CSV (gescheiden door lijstscheidingsteken)' of als .xlsx."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("De tekens in dit bestand zijn niet te lezen als UTF-8 of Windows-1252.")
        ) from error


def csv_dataset(text: str) -> tablib.Dataset:
    """Read CSV separated by semicolons, commas or tabs (whichever the header line uses)."""
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise ImportFileError(_("Het bestand is leeg."))
    delimiter = max(";,\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise ImportFileError(
            _("Het bestand is geen leesbaar CSV-bestand (regel %(line)s).")
            % {"line": reader.line_num}
        ) from error
    headers = [cell.strip() for cell in rows[0]]
    dataset = tablib.Dataset(headers=headers)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(headers) and any(cell.strip() for cell in row[len(headers) :]):
            raise ImportFileError(
                _("Regel %(line)s heeft meer kolommen (%(found)s) dan de kopregel (%(expected)s).")
                % {"line": number, "found": len(row), "expected": len(headers)}
            )
        dataset.append((row + [""] * len(headers))[: len(headers)])
    return dataset


class DutchCSV(base_formats.CSV):
    """CSV as Dutch Excel writes it; exported with semicolons and a BOM so Excel reads it back."""

    def is_binary(self):
        return True  # decoded here, so that Windows-1252 can be recognised

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        if is_xlsx(in_stream):
            return DutchXLSX().create_dataset(in_stream)  # an .xlsx chosen (or named) as CSV
        return with_rows(unescaped(csv_dataset(decode_spreadsheet_text(in_stream))))

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(escaped(dataset), delimiter=";", **kwargs)


class DutchXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        if isinstance(in_stream, bytes | bytearray) and not is_xlsx(in_stream):
            return DutchCSV().create_dataset(in_stream)  # a CSV file chosen as Excel
        try:
            dataset = super().create_dataset(in_stream)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError(
                _("Dit bestand is geen leesbaar Excel-bestand (.xlsx).")
            ) from error
        return with_rows(unescaped(dataset))

    def export_data(self, dataset, **kwargs):
        # A quoted text is a text cell to openpyxl, never a formula.
        return super().export_data(escaped(dataset), **kwargs)


def escaped(dataset: tablib.Dataset) -> tablib.Dataset:
    """Every text cell that a spreadsheet would run as a formula, quoted (spreadsheet_cells)."""
    return tablib.Dataset(
        *[[escape_cell(cell) for cell in row] for row in dataset],
        headers=dataset.headers,
        title=dataset.title,
    )


def unescaped(dataset: tablib.Dataset) -> tablib.Dataset:
    """The cells as they were before an export quoted them, so that a sheet round-trips."""
    return tablib.Dataset(
        *[[unescape_cell(cell) for cell in row] for row in dataset],
        headers=dataset.headers,
        title=dataset.title,
    )


FORMATS = [DutchCSV, DutchXLSX]


def is_xlsx(data: bytes) -> bool:
    """An .xlsx file is a zip archive, whatever its name says."""
    return bytes(data[:4]) == b"PK\x03\x04"


def with_rows(dataset: tablib.Dataset) -> tablib.Dataset:
    if not dataset.height:
        raise ImportFileError(
            _("Dit bestand heeft alleen een kopregel: er staan geen regels onder om te importeren.")
        )
    return dataset


def read_spreadsheet(data: bytes, *, name: str = "") -> tablib.Dataset:
    """A dataset from an uploaded file's bytes; XLSX by its content, whatever the name."""
    if is_xlsx(data):
        return DutchXLSX().create_dataset(data)
    return DutchCSV().create_dataset(data)


# --- The rows a partial import left out ---------------------------------------------------------

REJECTED_DIR = Path(tempfile.gettempdir()) / "expertisekaart-afgewezen"
REJECTED_NAME = re.compile(r"[0-9a-f]{32}")
REJECTED_KEPT_SECONDS = 24 * 3600


def rejected_rows_dataset(result) -> tablib.Dataset:
    """The rejected rows with the reason in an extra column 'Fout', in the file's order."""
    rows = [row for row in result.rows if getattr(row, "cells", None) is not None]
    headers = list(dict.fromkeys(header for row in rows for header in row.cells))
    dataset = tablib.Dataset(headers=[*headers, "Fout"])
    for row in rows:
        dataset.append([*(row.cells.get(header, "") for header in headers), row_error_text(row)])
    return dataset


def row_error_text(row) -> str:
    if row.validation_error is not None:
        return " ".join(
            f"{'Regel' if column == NON_FIELD_ERRORS else column}: {' '.join(messages)}"
            for column, messages in row.validation_error.message_dict.items()
        )
    return " ".join(str(error.error) for error in row.errors)


def rejected_rows_store(result, *, user) -> str:
    """Keep the rejected rows as a CSV for the user to download; returns the file's name."""
    REJECTED_DIR.mkdir(mode=0o700, exist_ok=True)
    now = time.time()
    for old in REJECTED_DIR.glob("*.csv"):
        if now - old.stat().st_mtime > REJECTED_KEPT_SECONDS:
            old.unlink(missing_ok=True)
    name = uuid.uuid4().hex
    data = DutchCSV().export_data(rejected_rows_dataset(result))
    (REJECTED_DIR / f"{user.pk}-{name}.csv").write_text(data, encoding="utf-8")
    return name


def rejected_rows_read(name: str, *, user) -> bytes | None:
    """The stored rows, only for the user who imported them; None when there are none."""
    if not REJECTED_NAME.fullmatch(name):
        return None
    path = REJECTED_DIR / f"{user.pk}-{name}.csv"
    return path.read_bytes() if path.is_file() else None


# --- Widgets: Dutch ways of writing values --------------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


class PostcodeWidget(widgets.CharWidget):
    """ "3511AB", "3511 ab" and "3511" (only the PC4), stored as "3511 AB" and "3511"."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(_("Vul de postcode in."))
        try:
            return normalise_postcode(text)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None


class PhoneWidget(widgets.Widget):
    """ "030 - 123 45 67", "06-12345678", "+31 (0)30 1234567", "0031 30 1234567", 301234567."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        digits = re.sub(r"\(0\)", "", text)
        digits = re.sub(r"[\s\-./()]", "", digits)
        if re.fullmatch(r"[1-9]\d{8}", digits):
            digits = "0" + digits  # Excel dropped the leading zero of a number typed as number
        if digits.startswith("00"):
            digits = "+" + digits[2:]
        try:
            parsed = phonenumbers.parse(digits, "NL")
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            raise ValueError(
                _("%(value)s is geen geldig telefoonnummer (bijvoorbeeld 030 123 45 67).")
                % {"value": text}
            )
        return PhoneNumber.from_string(digits, region="NL")

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        if not isinstance(value, PhoneNumber):
            return str(value)
        # A foreign number keeps its country code (and so is quoted on export, see escaped()).
        return value.as_national if value.country_code == 31 else value.as_international


class ChoiceWidget(widgets.Widget):
    """A choice written as its Dutch label ("GGZ-instelling") or its value ("ggz")."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        wanted = text.casefold()
        for choice_value, label in self.choices:
            if wanted in (str(choice_value).casefold(), str(label).casefold()):
                return choice_value
        raise ValueError(
            _("%(value)s is geen bekende keuze; kies uit: %(choices)s.")
            % {"value": text, "choices": ", ".join(str(label) for _v, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class YesNoWidget(widgets.Widget):
    YES = {"ja", "j", "yes", "y", "1", "waar", "true", "x", "✓"}
    NO = {"nee", "n", "no", "0", "onwaar", "false", "-"}

    def __init__(self, *, default: bool, **kwargs):
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).casefold()
        if not text:
            return self.default
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("Vul ja of nee in, niet %(value)s.") % {"value": cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        return _("ja") if value else _("nee")


class DutchDateWidget(widgets.DateWidget):
    def __init__(self, **kwargs):
        super().__init__(format="%d-%m-%Y", **kwargs)
        self.formats = ("%d-%m-%Y", "%d-%m-%y", "%Y-%m-%d", "%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError as error:
            raise ValueError(
                _("%(value)s is geen datum (schrijf bijvoorbeeld 31-12-2025).")
                % {"value": cell_text(value)}
            ) from error


class NamesWidget(widgets.ManyToManyWidget):
    """Names separated by commas; a name that does not exist is an error, not silently dropped."""

    # Every object by its exact name, when the resource loaded them once for the whole file.
    known: dict | None = None

    def __init__(self, model, label, **kwargs):
        super().__init__(model, separator=",", field="name", **kwargs)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in cell_text(value).split(",") if name.strip()]
        if not names:
            return [] if self.known is not None else self.model.objects.none()
        variants = self.case_variants(names)
        if self.known is not None:
            matches = (self.known[variant] for variant in variants if variant in self.known)
        else:
            matches = self.model.objects.filter(name__in=variants)
        found = {obj.name.casefold(): obj for obj in matches}
        unknown = [name for name in names if name.casefold() not in found]
        if unknown:
            raise ValueError(
                _("Onbekende %(label)s: %(names)s.")
                % {"label": self.label, "names": ", ".join(unknown)}
            )
        if self.known is not None:
            return list(
                {found[name.casefold()].pk: found[name.casefold()] for name in names}.values()
            )
        return self.model.objects.filter(pk__in=[found[name.casefold()].pk for name in names])

    @staticmethod
    def case_variants(names):
        return {variant for name in names for variant in (name, name.title(), name.capitalize())}

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(item.name for item in value.all()))


def unknown_value_message(text: str, what: str, suggestions: list[str], known: list[str]) -> str:
    """ "X is geen bekende soort. Bedoelt u A of B? Bekend zijn: …" """
    message = _("%(value)s is geen bekende %(what)s.") % {"value": text, "what": what}
    if suggestions:
        message += " " + _("Bedoelt u %(suggestions)s?") % {
            "suggestions": _(" of ").join(suggestions)
        }
    return message + " " + _("Bekend zijn: %(known)s.") % {"known": ", ".join(known)}


class KindWidget(ChoiceWidget):
    """A kind by its label, value, synonym or alias (netwerk.directory.vocabulary)."""

    vocabulary: Vocabulary | None = None  # set by the resource for each import

    def __init__(self, **kwargs):
        super().__init__(OrganisationKind.choices, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        vocabulary = self.vocabulary or Vocabulary.load()
        kind = vocabulary.kind(text)
        if kind is None:
            raise ValueError(
                unknown_value_message(
                    text,
                    _("soort"),
                    vocabulary.kind_suggestions(text),
                    [str(label) for _value, label in self.choices],
                )
            )
        return kind


TAG_SEPARATORS = re.compile(r"[,;|\n]")


class ExpertiseWidget(widgets.ManyToManyWidget):
    """Expertise tags by name, synonym, abbreviation or alias, separated by commas (or ; or |).
    A word that means no tag is an error naming the closest tags, never silently dropped."""

    vocabulary: Vocabulary | None = None  # set by the resource for each import

    def __init__(self, **kwargs):
        super().__init__(ExpertiseTag, separator=",", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        words = [word.strip() for word in TAG_SEPARATORS.split(cell_text(value)) if word.strip()]
        if not words:
            return []
        vocabulary = self.vocabulary or Vocabulary.load()
        tags = {word: vocabulary.tag(word) for word in words}
        unknown = [word for word, tag in tags.items() if tag is None]
        if unknown:
            known = sorted({tag.name for tag in vocabulary.tags.values()})
            raise ValueError(
                " ".join(
                    unknown_value_message(
                        word, _("expertise"), vocabulary.tag_suggestions(word), known
                    )
                    for word in unknown[:1]
                )
                + (
                    " " + _("Ook onbekend: %(others)s.") % {"others": ", ".join(unknown[1:])}
                    if unknown[1:]
                    else ""
                )
            )
        # The tags as loaded with the vocabulary: no query per row (a list serves .set()).
        return list({tag.pk: tag for tag in tags.values()}.values())

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(item.name for item in value.all()))


class OrganisationCodeWidget(widgets.ForeignKeyWidget):
    """An organisation by its code, among those the importing user may change."""

    def __init__(self, **kwargs):
        super().__init__(Organisation, field="slug", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        user = kwargs.get("user")
        return editable_organisations(user) if user is not None else Organisation.objects.all()

    def clean(self, value, row=None, **kwargs):
        code = cell_text(value)
        if not code:
            raise ValueError(_("Vul de code van de organisatie in."))
        try:
            return self.get_queryset(code, row, **kwargs).get(slug=code)
        except Organisation.DoesNotExist:
            raise ValueError(
                _("Er is geen organisatie met code %(code)s (binnen uw bereik).") % {"code": code}
            ) from None


# --- Resources -----------------------------------------------------------------------------------


# Everyday names for the template's columns; a resource knows those of the columns it has.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "Code": ("Organisatiecode", "Sleutel", "ID"),
    "Naam": ("Naam organisatie", "Organisatienaam", "Organisatie naam"),
    "Soort": ("Soort organisatie", "Type", "Type organisatie", "Categorie"),
    "Straat": ("Straatnaam", "Adres"),
    "Huisnummer": ("Nr", "Nr.", "Huisnr", "Huisnr.", "Nummer", "Huisnummer en toevoeging"),
    "Postcode": ("PC", "Post code"),
    "Plaats": ("Woonplaats", "Vestigingsplaats", "Plaatsnaam", "Stad"),
    "Telefoon": (
        "Telefoonnummer",
        "Tel",
        "Tel.",
        "Tel nr",
        "Tel.nr.",
        "Telefoonnr",
        "Telnr",
        "Algemeen telefoonnummer",
    ),
    "E-mail": ("E-mailadres", "Email", "Emailadres", "Mail", "Mailadres", "E-mail adres"),
    "Website": ("Internet", "Internetadres", "Site", "Webadres", "Webpagina", "URL", "Homepage"),
    "Omschrijving": ("Beschrijving", "Toelichting", "Over de organisatie"),
    "Werkgebied": ("Gemeenten", "Werkgebied gemeenten", "Verzorgingsgebied"),
    "Expertise": (
        "Expertises",
        "Specialisme",
        "Specialismen",
        "Deskundigheid",
        "Aandachtsgebied",
        "Aandachtsgebieden",
        "Doelgroepen",
    ),
    "Gepubliceerd": ("Publiceren", "Zichtbaar", "Op de kaart"),
    "Rol of functie": ("Rol", "Functie"),
    "Zichtbaarheid": ("Zichtbaar voor",),
    "Openingstijden": ("Bereikbaarheid", "Bereikbaar", "Tijden"),
    "Op feestdagen": ("Feestdagen", "Feestdagregel"),
    "Uitzonderingen": ("Uitzondering", "Sluitingen", "Afwijkende tijden"),
}

# A cell that empties a field; an empty cell leaves the field as it is.
CLEAR_MARKERS = frozenset({"-", "(leeg)", "leeg", "(wissen)"})


def is_clear_marker(text: str) -> bool:
    return text.strip().casefold() in CLEAR_MARKERS


def column(name, attribute=None, widget=None, **kwargs):
    return fields.Field(
        attribute=attribute, column_name=name, widget=widget or TextWidget(), **kwargs
    )


@dataclass
class ImportChoices:
    """What the coordinator chose on the preview page, sent with the confirmation."""

    ignore_unknown_columns: bool = False
    partial: bool = False
    # Row number (as django-import-export counts, from 1) → "nieuw" or "bijwerken:<pk>".
    rows: dict[int, str] = dc_field(default_factory=dict)


@dataclass(frozen=True)
class Resemblance:
    organisation: Organisation
    reasons: tuple[str, ...]

    @property
    def choice(self) -> str:
        return f"bijwerken:{self.organisation.pk}"


PLURALS = {
    "Expertise": (gettext_lazy("expertise"), gettext_lazy("expertises")),
    "Werkgebied": (gettext_lazy("gemeente"), gettext_lazy("gemeenten")),
}


class Listed:
    """A list where a widget's render() expects a related manager (`.all()`)."""

    def __init__(self, items):
        self.items = list(items)

    def all(self):
        return self.items


class WordedDiff(resources.Diff):
    """The diff that also says in words what changes, per column."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.columns = [f.column_name for f in resource.get_import_fields()]
        self.many = {
            f.column_name
            for f in resource.get_import_fields()
            if isinstance(f.widget, widgets.ManyToManyWidget)
        }
        resource._diff = self

    def compare_with(self, resource, instance):
        """The row after the import, read from the instance as imported: the sets it will have
        (`_import_sets`, see OrganisationResource.save_m2m) rather than the database's, which
        the preview never writes and the confirmation writes only after the last row."""
        sets = getattr(instance, "_import_sets", None)
        if sets is None:
            return super().compare_with(resource, instance)
        self.right = [
            field.widget.render(Listed(sets[field.attribute]))
            if field.attribute in sets
            else field.export(instance)
            for field in resource.get_import_fields()
        ]

    def in_words(self) -> tuple[list[str], int]:
        """("e-mail wordt leeggemaakt", "2 expertises erbij", …) and how many fields empty."""
        words, clears = [], 0
        for column_name, before, after in zip(self.columns, self.left, self.right, strict=False):
            before, after = str(before or ""), str(after or "")
            if before == after:
                continue
            name = column_name[:1].lower() + column_name[1:]
            if column_name in self.many:
                old = {v.strip() for v in before.split(",") if v.strip()}
                new = {v.strip() for v in after.split(",") if v.strip()}
                one, more = PLURALS.get(column_name, (name, name))
                if new - old:
                    count = len(new - old)
                    words.append(
                        _("%(count)s %(what)s erbij")
                        % {"count": count, "what": one if count == 1 else more}
                    )
                if old - new:
                    count = len(old - new)
                    words.append(
                        _("%(count)s %(what)s eraf")
                        % {"count": count, "what": one if count == 1 else more}
                    )
                    if not new:
                        clears += 1
            elif not after:
                words.append(_("%(what)s wordt leeggemaakt") % {"what": name})
                clears += 1
            elif not before:
                words.append(_("%(what)s ingevuld") % {"what": name})
            else:
                words.append(_("%(what)s gewijzigd") % {"what": name})
        return words, clears


class DutchResource(resources.ModelResource):
    """Shared behaviour: Dutch headers matched loosely, file checks first, errors by column."""

    required_columns: tuple[str, ...] = ()
    key_columns: tuple[str, ...] = ()
    # Shown on the import page beside the template: how to fill in the columns that need it.
    column_help: dict[str, str] = {}
    # Whether the import page lists the kinds and expertise with the words they are known by.
    shows_vocabulary = False

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            changed = [
                row.object_id
                for row in result.rows
                if row.import_type in (row.IMPORT_TYPE_NEW, row.IMPORT_TYPE_UPDATE)
            ]
            changes_published(organisation_ids=self.organisations_touched(changed))

    def organisations_touched(self, object_ids) -> set[int]:
        """The organisations whose search documents hold something of the imported rows."""
        rows = self._meta.model.objects.filter(pk__in=object_ids)
        return set(rows.values_list("organisation_id", flat=True))

    def __init__(self, choices: ImportChoices | None = None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices or ImportChoices()
        self.ignored_columns: list[str] = []
        self.renamed_columns: dict[str, str] = {}
        self.resemblances: dict[int, list[Resemblance]] = {}
        self._diff = None
        self._import_fields = None

    def get_import_fields(self):
        # Asked for several times per row and cell (django-import-export works the list out
        # anew each time); a resource's columns do not change.
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_data(self, dataset, **kwargs):
        # Who imports: a coordinator's file is read against the organisations in scope only.
        self.user = kwargs.get("user")
        self.vocabulary = Vocabulary.load()
        for field in self.get_import_fields():
            if hasattr(field.widget, "vocabulary"):
                field.widget.vocabulary = self.vocabulary
        problem = self.file_problem(dataset)
        if not problem and not kwargs.get("dry_run"):
            problem = self.unconfirmed_choices()
        if problem:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.append_base_error(self.get_error_result_class()(ImportFileError(problem)))
            return result
        self.seen_keys = {}
        if kwargs.get("dry_run"):
            with without_outside_requests():  # the preview places addresses on their PC4
                result = super().import_data(dataset, **kwargs)
        else:
            result = super().import_data(dataset, **kwargs)
        result.ignored_columns = self.ignored_columns
        result.renamed_columns = self.renamed_columns
        result.known_columns = [f.column_name for f in self.get_import_fields()]
        result.clears = sum(getattr(row, "clears", 0) for row in result.rows)
        result.resembling_rows = sorted(self.resemblances)
        result.partial = self.choices.partial
        return result

    def unconfirmed_choices(self) -> str:
        """At the confirmation: what the coordinator was asked and did not answer."""
        if self.ignored_columns and not self.choices.ignore_unknown_columns:
            return _(
                "Er is niets geïmporteerd: bevestig dat de kolommen %(columns)s niet worden "
                "ingelezen, of geef ze een naam uit het sjabloon."
            ) % {"columns": ", ".join(self.ignored_columns)}
        open_rows = [number for number in self.resemblances if number not in self.choices.rows]
        if open_rows:
            return _(
                "Er is niets geïmporteerd: kies bij regel %(rows)s of de bestaande organisatie "
                "wordt bijgewerkt of dat er een nieuwe bijkomt."
            ) % {"rows": ", ".join(str(number + 1) for number in sorted(open_rows))}
        return ""

    def known_columns(self) -> dict[str, str]:
        """Every header this sheet understands (compared as term_key), to its column."""
        columns = [f.column_name for f in self.get_import_fields()]
        known = {term_key(name): name for name in columns}
        for name in columns:
            for alias in HEADER_ALIASES.get(name, ()):
                known.setdefault(term_key(alias), name)
        return known

    def file_problem(self, dataset) -> str:
        """Why the file as a whole cannot be imported ("" when it can); fixes headers in place."""
        if dataset.height > settings.IMPORT_MAX_ROWS:
            return _("Het bestand heeft %(rows)s regels; meer dan %(max)s tegelijk kan niet.") % {
                "rows": dataset.height,
                "max": settings.IMPORT_MAX_ROWS,
            }
        if dataset.height == 0:
            return _("Het bestand bevat geen regels om te importeren.")
        known = self.known_columns()
        headers, meant_by = [], {}
        for number, header in enumerate(dataset.headers or [], start=1):
            text = cell_text(header)
            name = known.get(term_key(text))
            if name is None:
                if text or any(cell_text(cell) for cell in dataset.get_col(number - 1)):
                    text = text or _("(kolom %(number)s zonder naam)") % {"number": number}
                    self.ignored_columns.append(text)
                headers.append(text or f"__{number}")
                continue
            if name in meant_by:
                return _(
                    "De kolommen %(first)s en %(second)s betekenen allebei %(name)s; laat er "
                    "één staan."
                ) % {"first": meant_by[name], "second": text, "name": name}
            meant_by[name] = text
            if text != name:
                self.renamed_columns[text] = name
            headers.append(name)
        dataset.headers = headers
        missing = [name for name in self.required_columns if name not in dataset.headers]
        if missing:
            return _(
                "Deze kolommen ontbreken: %(missing)s. Gebruik de kopregel van het sjabloon."
            ) % {"missing": ", ".join(missing)}
        return ""

    # --- Empty cells keep, a marker clears ---

    def clearable(self, field) -> bool:
        return not (
            field.column_name in self.required_columns
            or field.column_name in self.key_columns
            or isinstance(field.widget, YesNoWidget)
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if not field.attribute or field.readonly or field.column_name not in row:
            return super().import_field(field, instance, row, is_m2m, **kwargs)
        text = cell_text(row[field.column_name])
        if is_clear_marker(text) and self.clearable(field):
            # A column that cannot be emptied (a required one, yes/no) reads "-" as a value:
            # an organisation may be called "-" (and its export says so).
            return super().import_field(field, instance, {field.column_name: ""}, is_m2m, **kwargs)
        if not text and instance.pk is not None:
            return None  # an empty cell leaves what is there
        return super().import_field(field, instance, row, is_m2m, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # django-import-export compares many-to-many cells as written: show it the cells as
        # import_field reads them (an empty cell keeps, a marker is an empty set).
        many = {
            f.column_name
            for f in self.get_import_fields()
            if isinstance(f.widget, widgets.ManyToManyWidget)
        }
        read = {}
        for column_name, value in row.items():
            if column_name in many:
                if is_clear_marker(cell_text(value)):
                    value = ""
                elif not cell_text(value) and original is not None and original.pk is not None:
                    continue
            read[column_name] = value
        return super().skip_row(instance, original, read, import_validation_errors)

    def cell_or_kept(self, row, column: str, kept: str) -> str:
        """A cell read the same way for the values a resource reads itself (the address)."""
        text = cell_text(row.get(column))
        if is_clear_marker(text):
            return ""
        return text or kept

    # --- The preview in words ---

    @classmethod
    def get_diff_class(cls):
        return WordedDiff

    def import_row(self, row, instance_loader, **kwargs):
        self._diff = None
        row_result = super().import_row(row, instance_loader, **kwargs)
        number = kwargs.get("row_number")
        row_result.number = number
        row_result.label = self.row_label(row)
        row_result.changes, row_result.clears = [], 0
        if self._diff is not None and row_result.import_type == row_result.IMPORT_TYPE_UPDATE:
            row_result.changes, row_result.clears = self._diff.in_words()
        row_result.resembles = self.resemblances.get(number, [])
        row_result.choice = self.choices.rows.get(number, "")
        if row_result.import_type in (row_result.IMPORT_TYPE_INVALID, row_result.IMPORT_TYPE_ERROR):
            row_result.cells = self.rejected_cells(row, number)
        return row_result

    def rejected_cells(self, row, number) -> dict[str, str]:
        """The row as the coordinator wrote it (under the template's headers), to fix."""
        return {
            header: cell_text(value) for header, value in row.items() if not header.startswith("__")
        }

    def row_label(self, row) -> str:
        """How the coordinator recognises the row: the name (and organisation) in it."""
        parts = [cell_text(row.get("Naam")), cell_text(row.get("Organisatiecode"))]
        return " – ".join(part for part in parts if part)

    def before_import_row(self, row, **kwargs):
        key = self.row_key(row)
        if key is None:
            return
        first = self.seen_keys.setdefault(key, kwargs.get("row_number"))
        if first != kwargs.get("row_number"):
            written = (cell_text(row.get(name)) for name in self.key_columns)
            raise ValidationError(
                {
                    self.key_columns[-1]: _(
                        "Deze sleutel (%(key)s) staat ook al in regel %(first)s van het "
                        "bestand; elke regel moet uniek zijn."
                    )
                    % {"key": " / ".join(value for value in written if value), "first": first}
                }
            )

    def restricted(self) -> bool:
        """Whether the importing user sees only part of the organisations (a coordinator)."""
        user = getattr(self, "user", None)
        return user is not None and not is_administrator(user)

    def matchable_organisations(self):
        """The organisations a row's code can find: those in the user's scope. An existing
        organisation outside it is not found, and so answers exactly like an unknown code."""
        if self.restricted():
            return editable_organisations(self.user)
        return Organisation.objects.all()

    def row_key(self, row) -> tuple | None:
        """What identifies the row's object, as compared between rows; None without a key."""
        key = tuple(cell_text(row.get(name)).casefold() for name in self.key_columns)
        return key if self.key_columns and all(key) else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                if is_clear_marker(cell_text(row[field.column_name])):
                    continue  # checked in import_field, when the set is saved
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        errors.update(self.extra_errors(instance, row, **kwargs))
        if errors:
            raise ValidationError(errors)

    def extra_errors(self, instance, row, **kwargs) -> dict:
        return {}

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            # The dry run is rolled back: its versions would never be seen, so none are written.
            instance.skip_history_when_saving = True
        super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        """The many-to-many sets without versions of their own, then copied into the version
        the row's save made: one version per imported row, as per admin save."""
        if kwargs.get("dry_run"):
            instance.skip_history_when_saving = True
            try:
                return super().save_m2m(instance, row, **kwargs)
            finally:
                del instance.skip_history_when_saving
        with one_version_with_its_sets(instance):
            super().save_m2m(instance, row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            columns = {f.attribute: f.column_name for f in self.get_import_fields() if f.attribute}
            raise ValidationError(
                {columns.get(key, key): value for key, value in error.message_dict.items()}
            ) from None

    @classmethod
    def template_dataset(cls) -> tablib.Dataset:
        """The empty sheet coordinators start from: just the Dutch headers."""
        return tablib.Dataset(headers=[f.column_name for f in cls().get_import_fields()])


LOCATION_COLUMNS = {
    "street": "Straat",
    "house_number": "Huisnummer",
    "postcode": "Postcode",
    "city": "Plaats",
}


class AddressField(fields.Field):
    """A column of the organisation's main location: read from the row on import (see
    OrganisationResource.extra_errors), from the location on export and in the preview."""

    def __init__(self, column_name, key):
        super().__init__(column_name=column_name, widget=TextWidget())
        self.key = key

    def get_value(self, organisation):
        address = getattr(organisation, "_import_address", None)
        if address is not None and getattr(organisation, "_main_location", None) is None:
            return address[self.key]
        location = main_location(organisation)
        return getattr(location, self.key) if location else ""


# What OrganisationResource.get_instance keeps of an organisation as the file found it.
BEFORE = ("locations", "service_area", "expertise")


class SetField(fields.Field):
    """A many-to-many column, compared with the set the organisation had when the file was read
    (`_import_before`): django-import-export compares a deep copy of the row's object, and a
    copied prefetch would query again, once per row."""

    def get_value(self, instance):
        before = getattr(instance, "_import_before", None)
        if before is not None:
            return Listed(before[self.attribute])
        return super().get_value(instance)


def website_key(value) -> str:
    text = cell_text(value).casefold()
    text = re.sub(r"^[a-z]+://", "", text).removeprefix("www.")
    return text.split("/")[0]


def phone_key(value) -> str:
    return phone_key_of_text(cell_text(value))


@functools.lru_cache(maxsize=4096)
def phone_key_of_text(text: str) -> str:
    """Parsing a number is slow (phonenumbers), and a sheet asks for the same ones often."""
    try:
        phone = PhoneWidget().clean(text)
    except ValueError:
        return ""
    return phone.as_e164 if phone else ""


def pc4_of(value) -> str:
    return postcode_key(value)[:4]


def same_postcode(known: str, wanted: str) -> bool:
    """The same postcode, or the same PC4 when one of them is only a PC4."""
    return known == wanted or (min(len(known), len(wanted)) == 4 and known[:4] == wanted[:4])


class OrganisationMatcher:
    """Which existing organisation a row without a code means, or resembles.

    The same name and postcode is the same organisation. A new name resembles an organisation
    with the same postcode and a similar name (a typo fixed, "Stichting" added), the same name
    elsewhere, the same phone number or the same website: the coordinator decides.
    """

    SIMILAR_NAME = 0.85

    def __init__(self, organisations):
        self.organisations = list(organisations.prefetch_related("locations"))
        self.by_name: dict[str, list[Organisation]] = {}
        self.by_pc4: dict[str, list[Organisation]] = {}
        self.by_phone: dict[str, list[Organisation]] = {}
        self.by_website: dict[str, list[Organisation]] = {}
        self.postcodes: dict[int, set[str]] = {}
        for organisation in self.organisations:
            self.by_name.setdefault(term_key(organisation.name), []).append(organisation)
            postcodes = {location.postcode for location in organisation.locations.all()}
            self.postcodes[organisation.pk] = postcodes
            for pc4 in {postcode[:4] for postcode in postcodes}:
                self.by_pc4.setdefault(pc4, []).append(organisation)
            if organisation.phone:
                self.by_phone.setdefault(organisation.phone.as_e164, []).append(organisation)
            if organisation.website:
                self.by_website.setdefault(website_key(organisation.website), []).append(
                    organisation
                )
        self.taken = set(Organisation.objects.values_list("slug", flat=True))
        self.new_in_file: dict[tuple[str, str], str] = {}

    def same(self, name, postcode) -> Organisation | None:
        wanted = postcode_key(postcode)
        for organisation in self.by_name.get(term_key(cell_text(name)), []):
            for known in self.postcodes[organisation.pk]:
                if same_postcode(known, wanted):
                    return organisation
        return None

    def resembling(self, name, postcode, phone, website) -> list[Resemblance]:
        key = term_key(cell_text(name))
        reasons: dict[int, list[str]] = {}
        found: dict[int, Organisation] = {}

        def note(organisations, reason):
            for organisation in organisations:
                found[organisation.pk] = organisation
                reasons.setdefault(organisation.pk, []).append(str(reason))

        note(self.by_name.get(key, []), _("dezelfde naam, ander adres"))
        wanted = postcode_key(postcode)
        note(
            [
                organisation
                for organisation in self.by_pc4.get(pc4_of(postcode), [])
                if any(same_postcode(known, wanted) for known in self.postcodes[organisation.pk])
                and key
                and difflib.SequenceMatcher(None, key, term_key(organisation.name)).ratio()
                >= self.SIMILAR_NAME
            ],
            _("dezelfde postcode en een naam die erop lijkt"),
        )
        if phone_key(phone):
            note(self.by_phone.get(phone_key(phone), []), _("hetzelfde telefoonnummer"))
        if website_key(website):
            note(self.by_website.get(website_key(website), []), _("dezelfde website"))
        return [
            Resemblance(found[pk], tuple(reasons[pk]))
            for pk in sorted(found, key=lambda pk: found[pk].name)
        ]

    def new_code(self, name, postcode) -> str:
        """A code from the name, past every code in use; the same name and postcode twice in
        one file get the same code (and so are reported as one key twice)."""
        key = (term_key(cell_text(name)), postcode_key(postcode))
        if key in self.new_in_file:
            return self.new_in_file[key]
        base = slugify(cell_text(name))[:190] or "organisatie"
        code = next(
            candidate
            for candidate in itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2)))
            if candidate not in self.taken
        )
        self.taken.add(code)
        self.new_in_file[key] = code
        return code


class OrganisationResource(DutchResource):
    """One row per organisation, with its main location (vestiging) in the same row; all its
    locations are in the locations sheet (LocationResource)."""

    slug = column("Code", "slug")
    name = column("Naam", "name")
    kind = column("Soort", "kind", KindWidget())
    street = AddressField("Straat", "street")
    house_number = AddressField("Huisnummer", "house_number")
    postcode = AddressField("Postcode", "postcode")
    city = AddressField("Plaats", "city")
    phone = column("Telefoon", "phone", PhoneWidget())
    email = column("E-mail", "email")
    website = column("Website", "website")
    description = column("Omschrijving", "description")
    service_area = SetField(
        attribute="service_area",
        column_name="Werkgebied",
        widget=NamesWidget(Municipality, "gemeenten"),
    )
    expertise = SetField(attribute="expertise", column_name="Expertise", widget=ExpertiseWidget())
    is_published = column("Gepubliceerd", "is_published", YesNoWidget(default=True))
    last_verified_on = column(
        "Laatst gecontroleerd", "last_verified_on", DutchDateWidget(), readonly=True
    )

    required_columns = ("Naam", "Soort", "Postcode", "Plaats")
    key_columns = ("Code",)
    shows_vocabulary = True
    column_help = {
        "Code": gettext_lazy(
            "De vaste sleutel van een organisatie: met de code van een organisatie die u mag "
            "wijzigen werkt een regel die organisatie bij, ook als u haar naam verandert. Laat de "
            "code leeg voor een nieuwe organisatie: die krijgt een code op basis van haar naam. "
            "Zonder code wordt een regel gevonden op naam én postcode; lijkt een regel op een "
            "bestaande organisatie (een naam die erop lijkt bij dezelfde postcode, hetzelfde "
            "telefoonnummer of dezelfde website), dan kiest u bij de controle: bijwerken of "
            "nieuw. Een export heeft de codes al. Alleen beheerders geven een nieuwe organisatie "
            "zelf een code."
        ),
    }

    class Meta(DutchResource.Meta):
        model = Organisation
        import_id_fields = ["slug"]
        # One query for all the codes in the file instead of one per row.
        instance_loader_class = CachedInstanceLoader
        # No savepoint per row: no row writes anything until rows_write writes them all (its
        # own save_instance and save_m2m; django-import-export's bulk lists stay empty).
        use_bulk = True
        fields = [
            "slug",
            "name",
            "kind",
            "street",
            "house_number",
            "postcode",
            "city",
            "phone",
            "email",
            "website",
            "description",
            "service_area",
            "expertise",
            "is_published",
            "last_verified_on",
        ]
        name = "Organisaties met hun vestiging"

    def get_queryset(self):
        """What a code can match: for a coordinator only the organisations in scope, so that a
        code outside it reads exactly like an unknown one. With what a row is compared with,
        loaded for the whole file at once (CachedInstanceLoader)."""
        return self.matchable_organisations().prefetch_related(*BEFORE)

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is not None and not hasattr(instance, "_import_before"):
            # Loaded for the whole file (get_queryset); plain lists survive a deep copy.
            instance._import_before = {name: list(getattr(instance, name).all()) for name in BEFORE}
        return instance

    def import_data(self, dataset, **kwargs):
        """Per file, not per row: the municipalities, the user's scope; the rows to write."""
        self.fields["service_area"].widget.known = {
            municipality.name: municipality for municipality in Municipality.objects.all()
        }
        user = kwargs.get("user")
        self.editable_ids = self.coordinated_area_ids = None
        if user is not None and not is_administrator(user):
            self.editable_ids = set(editable_organisations(user).values_list("pk", flat=True))
            self.coordinated_area_ids = set(
                coordinated_postcode_areas(user).values_list("pk", flat=True)
            )
        self.saved_rows: list[tuple] = []
        return super().import_data(dataset, **kwargs)

    def file_problem(self, dataset) -> str:
        problem = super().file_problem(dataset)
        if problem:
            return problem
        # A row without a code is matched on its name and postcode; a row that matches no
        # organisation but resembles one is flagged, and the coordinator chooses (bijwerken of
        # nieuw). A new organisation's code is made from its name, past every code in use.
        column = lambda name: (  # noqa: E731
            list(dataset[name]) if name in dataset.headers else [""] * dataset.height
        )
        codes = column("Code")
        self.original_codes = [cell_text(code) for code in codes]
        if "Code" in dataset.headers:
            del dataset["Code"]
        matcher = OrganisationMatcher(self.matchable_organisations())
        self.slugs_in_use = set(matcher.taken)  # before the file's new codes join them
        self.areas_load(column("Postcode"))
        self.rows_with_derived_code = set()
        resolved = []
        rows = zip(
            codes,
            column("Naam"),
            column("Postcode"),
            column("Telefoon"),
            column("Website"),
            strict=True,
        )
        # Row numbers as django-import-export counts them (from 1), see extra_errors.
        for number, (code, name, postcode, phone, website) in enumerate(rows, start=1):
            if cell_text(code):
                resolved.append(cell_text(code))
                continue
            self.rows_with_derived_code.add(number)
            same = matcher.same(name, postcode)
            if same is not None:
                resolved.append(same.slug)
                continue
            resembling = matcher.resembling(name, postcode, phone, website)
            choice = self.choices.rows.get(number, "")
            chosen = next((r for r in resembling if r.choice == choice), None)
            if resembling:
                self.resemblances[number] = resembling
            resolved.append(
                chosen.organisation.slug if chosen else matcher.new_code(name, postcode)
            )
        dataset.append_col(resolved, header="Code")
        return ""

    def rejected_cells(self, row, number) -> dict[str, str]:
        cells = super().rejected_cells(row, number)
        cells["Code"] = self.original_codes[number - 1]  # not the one made from the name
        return cells

    def extra_errors(self, instance, row, **kwargs) -> dict:
        errors = {}
        if (
            instance.pk is None
            and self.restricted()
            and kwargs.get("row_number") not in self.rows_with_derived_code
        ):
            # Unknown and out of scope read the same. Keyed on the attribute, so that the
            # model's unique check (which would tell them apart) leaves the code alone.
            errors["slug"] = [
                _(
                    "Er is geen organisatie met code %(code)s binnen uw bereik. Laat de code "
                    "leeg voor een nieuwe organisatie: die krijgt een code op basis van haar naam."
                )
                % {"code": instance.slug}
            ]
        location = main_location(instance)
        address = {
            key: self.cell_or_kept(row, name, getattr(location, key) if location else "")
            for key, name in LOCATION_COLUMNS.items()
        }
        area = None
        try:
            address["postcode"] = normalise_postcode(address["postcode"])
            area = self.postcode_area(address["postcode"])
            if area is None:
                errors["Postcode"] = [
                    _("Postcode %(pc4)s bestaat niet.") % {"pc4": address["postcode"][:4]}
                ]
        except ValidationError as error:
            errors["Postcode"] = error.messages
        if not address["city"]:
            errors["Plaats"] = [_("Vul de plaats in.")]
        for key, name in LOCATION_COLUMNS.items():
            limit = Location._meta.get_field(key).max_length
            if len(address[key]) > limit:
                errors[name] = [
                    _("Dit is %(length)s tekens lang; hoogstens %(limit)s past.")
                    % {"length": len(address[key]), "limit": limit}
                ]
        website = cell_text(row.get("Website"))
        if website and not is_clear_marker(website) and "://" not in website:
            instance.website = f"https://{website}"
        instance._import_address = address
        instance._import_area = area
        if self.editable_ids is not None and area is not None:
            in_scope = (instance.pk is not None and instance.pk in self.editable_ids) or (
                instance.pk is None and area.pk in self.coordinated_area_ids
            )
            if not in_scope:
                errors[NON_FIELD_ERRORS] = [
                    _("Deze organisatie ligt buiten uw regio; u kunt haar niet importeren.")
                ]
        return errors

    def areas_load(self, postcodes) -> None:
        """The PC4 areas of the file's postcodes, in one query."""
        pc4s = {postcode_key(postcode)[:4] for postcode in postcodes}
        self.areas = dict.fromkeys(pc4s)
        for area in PostcodeArea.objects.select_related("municipality").filter(pc4__in=pc4s):
            self.areas[area.pc4] = area

    def postcode_area(self, postcode: str) -> PostcodeArea | None:
        if not hasattr(self, "areas"):
            self.areas = {}
        pc4 = postcode[:4]
        if pc4 not in self.areas:  # a postcode kept from the location, not in the file
            self.areas[pc4] = (
                PostcodeArea.objects.select_related("municipality").filter(pc4=pc4).first()
            )
        return self.areas[pc4]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's checks, but the code's uniqueness against the codes loaded for the file
        (one query, not two per row; the UUID is new, uuid4, or the organisation's own)."""
        errors = {}
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique=False)
        except ValidationError as error:
            errors = error.message_dict
        checked = "slug" not in (import_validation_errors or {}) and not {"slug", "Code"} & set(
            errors
        )
        if (
            validate_unique
            and checked
            and instance.pk is None
            and instance.slug in self.slugs_in_use
        ):
            errors["Code"] = [instance.unique_error_message(Organisation, ("slug",))]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return super().skip_row(
            instance, original, row, import_validation_errors
        ) and not self.address_changed(instance)

    def address_changed(self, instance) -> bool:
        location = main_location(instance)
        if location is None:
            return True
        return any(
            getattr(location, key) != value for key, value in instance._import_address.items()
        )

    def after_save_instance(self, instance, row, **kwargs):
        address = instance._import_address
        location = main_location(instance)
        if location is None:
            location = Location(organisation=instance)
        elif location.postcode != address["postcode"]:
            # A new postcode moves the marker: coordinates and municipality follow it again.
            location.latitude = location.longitude = location.municipality = None
        elif location.house_number != address["house_number"] and location.position_source:
            location.latitude = location.longitude = None  # placed by address or PC4: again
        for key, value in address.items():
            setattr(location, key, value)
        area = instance._import_area
        if area is not None and location.latitude is None:
            if kwargs.get("dry_run"):
                # The preview asks no outside service; the confirmation places it by address.
                location.latitude, location.longitude = area.latitude, area.longitude
                location.position_source = PositionSource.POSTCODE
            else:
                location.place_on_map(area)
            location.municipality = area.municipality
        location.fill_from_area(area)  # what its save() does, with the area already known
        instance._main_location = location  # written with the organisation, see rows_write

    # --- Saving: the preview writes nothing, the confirmation writes all rows at once ---

    def import_row(self, row, instance_loader, **kwargs):
        self._row_saved = None
        row_result = super().import_row(row, instance_loader, **kwargs)
        if self._row_saved is not None and row_result.import_type in (
            row_result.IMPORT_TYPE_NEW,
            row_result.IMPORT_TYPE_UPDATE,
        ):
            self.saved_rows.append((row_result, self._row_saved))
        return row_result

    def save_instance(self, instance, is_create, row, **kwargs):
        """Not written yet: at the confirmation rows_write writes every row after the last
        one; the preview (a dry run) writes nothing at all."""
        self.before_save_instance(instance, row, **kwargs)
        self.after_save_instance(instance, row, **kwargs)
        if not kwargs.get("dry_run"):
            self._row_saved = instance

    def save_m2m(self, instance, row, **kwargs):
        """The sets the row gives (`_import_sets`, by attribute), read as import_field reads a
        cell: an empty cell keeps the set of an existing organisation, a marker empties it."""
        instance._import_sets = {}
        for field in self.get_import_fields():
            if not isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            if field.readonly or field.column_name not in row:
                continue
            text = cell_text(row[field.column_name])
            if is_clear_marker(text) and self.clearable(field):
                row = {field.column_name: ""}
            elif not text and instance.pk is not None:
                continue
            instance._import_sets[field.attribute] = list(field.clean(row))

    def after_import(self, dataset, result, **kwargs):
        if not kwargs.get("dry_run"):
            self.rows_write(self.saved_rows)
        super().after_import(dataset, result, **kwargs)

    def rows_write(self, saved_rows) -> None:
        """The confirmed rows in a few queries per model, however many rows: the organisations,
        their main locations and their sets, each with one version per row (the sets copied
        into the organisation's version, as an admin save makes it)."""
        organisations = [instance for _row, instance in saved_rows]
        if not organisations:
            return
        new = [organisation for organisation in organisations if organisation.pk is None]
        changed = [organisation for organisation in organisations if organisation.pk is not None]
        set_fields = [
            field.attribute
            for field in self.get_import_fields()
            if isinstance(field.widget, widgets.ManyToManyWidget)
        ]
        # The sets as they are, before anything is written (a new organisation has none).
        current = {
            (id(organisation), name): {
                obj.pk for obj in getattr(organisation, "_import_before", {}).get(name, [])
            }
            for organisation in organisations
            for name in set_fields
        }
        Organisation.objects.bulk_create(new)
        now = timezone.now()
        for organisation in changed:
            organisation.updated_at = now  # auto_now, which bulk_update leaves alone
        objects_update(changed, Organisation)
        versions = [
            *Organisation.history.bulk_history_create(new, default_change_reason=None),
            *Organisation.history.bulk_history_create(
                changed, update=True, default_change_reason=None
            ),
        ]
        locations = [organisation._main_location for organisation in organisations]
        added = [location for location in locations if location.pk is None]
        kept = [location for location in locations if location.pk is not None]
        Location.objects.bulk_create(added)
        objects_update(kept, Location)
        Location.history.bulk_history_create(added, default_change_reason=None)
        Location.history.bulk_history_create(kept, update=True, default_change_reason=None)
        for name in set_fields:
            field = Organisation._meta.get_field(name)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            removals, additions = [], []
            for organisation in organisations:
                if name not in organisation._import_sets:
                    continue  # an empty cell, or no such column: the set stays
                before = current[id(organisation), name]
                wanted = {obj.pk for obj in organisation._import_sets[name]}
                if before - wanted:
                    removals.append(
                        Q(**{source: organisation.pk, f"{target}__in": before - wanted})
                    )
                additions += [
                    through(**{source: organisation.pk, target: pk}) for pk in wanted - before
                ]
            if removals:
                through.objects.filter(functools.reduce(operator.or_, removals)).delete()
            through.objects.bulk_create(additions)
        m2m_snapshot(versions)  # each version holds the sets its row gave
        for row_result, instance in saved_rows:
            row_result.object_id = instance.pk

    def organisations_touched(self, object_ids) -> set[int]:
        return set(object_ids)


def objects_update(objects, model) -> None:
    """bulk_update of what a save() of an imported object writes: every field but the key, the
    UUID, the creation time and what the search refresh maintains (netwerk.search)."""
    if objects:
        names = [
            field.name
            for field in model._meta.concrete_fields
            if not field.primary_key
            and field.name not in {"uuid", "created_at"}
            and not field.name.startswith("search_")
        ]
        model.objects.bulk_update(objects, names)


def main_location(organisation: Organisation) -> Location | None:
    """The first location: the one a one-row-per-organisation sheet describes (an imported
    row's, `_main_location`, before it is written)."""
    if getattr(organisation, "_main_location", None) is not None:
        return organisation._main_location
    if organisation.pk is None:
        return None
    locations = getattr(organisation, "_import_before", {}).get("locations")
    if locations is None:
        locations = organisation.locations.all()
    locations = sorted(locations, key=lambda location: location.pk)
    return locations[0] if locations else None


class BelongsToOrganisationResource(DutchResource):
    """Contacts, places and lines: matched on the organisation's code plus the name."""

    key_columns = ("Organisatiecode", "Naam")

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self.import_kwargs = kwargs

    def get_instance(self, instance_loader, row):
        # The loader cannot see through the organisation's code, so the match is made here.
        code, name = cell_text(row.get("Organisatiecode")), cell_text(row.get("Naam"))
        if not code:
            return None
        return (
            self._meta.model.objects.filter(
                organisation__in=self.matchable_organisations(), organisation__slug=code, name=name
            )
            .order_by("pk")
            .first()
        )


class ContactResource(BelongsToOrganisationResource):
    organisation = column("Organisatiecode", "organisation", OrganisationCodeWidget())
    name = column("Naam", "name")
    is_person = column("Is een persoon", "is_person", YesNoWidget(default=True))
    role = column("Rol of functie", "role")
    phone = column("Telefoon", "phone", PhoneWidget())
    email = column("E-mail", "email")
    visibility = column("Zichtbaarheid", "visibility", ChoiceWidget(Visibility.choices))
    consent_recorded_on = column(
        "Toestemming vastgelegd op", "consent_recorded_on", DutchDateWidget()
    )

    required_columns = ("Organisatiecode", "Naam")

    class Meta(DutchResource.Meta):
        model = Contact
        import_id_fields = ["organisation", "name"]
        fields = [
            "organisation",
            "name",
            "is_person",
            "role",
            "phone",
            "email",
            "visibility",
            "consent_recorded_on",
        ]
        name = "Contactpersonen"

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.visibility:
            instance.visibility = Visibility.PROFESSIONALS


def postcode_key(value) -> str:
    text = cell_text(value)
    try:
        return normalise_postcode(text)
    except ValidationError:
        return text.casefold()


def house_number_key(value) -> str:
    """ "12 A", "12a" and "12-a" are one house number."""
    return re.sub(r"[\s\-]", "", cell_text(value)).casefold()


class LocationResource(BelongsToOrganisationResource):
    """Every location of an organisation, one row each, matched on the organisation's code and
    the address (postcode and house number): another postcode or number is another location.
    A new location is placed on the map from its postcode when it is saved."""

    organisation = column("Organisatiecode", "organisation", OrganisationCodeWidget())
    organisation_name = column("Organisatie", "organisation__name", readonly=True)
    name = column("Naam vestiging", "name")
    street = column("Straat", "street")
    house_number = column("Huisnummer", "house_number")
    postcode = column("Postcode", "postcode", PostcodeWidget())
    city = column("Plaats", "city")
    phone = column("Telefoon", "phone", PhoneWidget())
    notes = column("Opmerkingen", "notes")

    required_columns = ("Organisatiecode", "Postcode", "Huisnummer", "Plaats")
    key_columns = ("Organisatiecode", "Postcode", "Huisnummer")
    column_help = {
        "Organisatiecode": gettext_lazy(
            "De code van de organisatie, zoals in het organisatieblad. Samen met de postcode en "
            "het huisnummer bepaalt die welke vestiging een regel is: een andere postcode of een "
            "ander huisnummer is een nieuwe vestiging. Een verhuisde vestiging verwijdert u "
            "daarna in het beheer."
        ),
        "Organisatie": gettext_lazy("Alleen ter informatie in een export; wordt niet ingelezen."),
        "Huisnummer": gettext_lazy(
            "Mag leeg zijn (bijvoorbeeld bij alleen een PC4-postcode), maar de kolom moet er zijn."
        ),
    }

    class Meta(DutchResource.Meta):
        model = Location
        import_id_fields = ["organisation", "postcode", "house_number"]
        fields = [
            "organisation",
            "organisation_name",
            "name",
            "street",
            "house_number",
            "postcode",
            "city",
            "phone",
            "notes",
        ]
        name = "Vestigingen"

    def row_key(self, row) -> tuple | None:
        code = cell_text(row.get("Organisatiecode")).casefold()
        postcode = postcode_key(row.get("Postcode"))
        if not (code and postcode):
            return None
        return code, postcode, house_number_key(row.get("Huisnummer"))

    def get_instance(self, instance_loader, row):
        key = self.row_key(row)
        if key is None:
            return None
        candidates = Location.objects.filter(
            organisation__in=self.matchable_organisations(),
            organisation__slug=cell_text(row.get("Organisatiecode")),
            postcode=key[1],
        ).order_by("pk")
        return next((c for c in candidates if house_number_key(c.house_number) == key[2]), None)


def acceptance_column(name, attribute):
    return column(name, attribute, ChoiceWidget(Acceptance.choices))


class PlaceResource(BelongsToOrganisationResource):
    """Places and their terms; availability itself is kept up to date elsewhere, not imported."""

    organisation = column("Organisatiecode", "organisation", OrganisationCodeWidget())
    name = column("Naam", "name")
    location_postcode = column("Postcode vestiging")
    setting = column("Zorgsetting", "setting", ChoiceWidget(CareSetting.choices))
    capacity = column("Aantal plekken", "capacity", widgets.IntegerWidget())
    accepts_severe_mental_illness = acceptance_column("EPA", "accepts_severe_mental_illness")
    accepts_active_substance_use = acceptance_column(
        "Actief middelengebruik", "accepts_active_substance_use"
    )
    accepts_opioid_substitution = acceptance_column("Methadon", "accepts_opioid_substitution")
    accepts_one_to_one_supervision = acceptance_column(
        "1-op-1-begeleiding", "accepts_one_to_one_supervision"
    )
    allows_smoking = acceptance_column("Roken", "allows_smoking")
    admission_conditions = column("Overige opnamevoorwaarden", "admission_conditions")

    required_columns = ("Organisatiecode", "Naam", "Zorgsetting")

    class Meta(DutchResource.Meta):
        model = Place
        import_id_fields = ["organisation", "name"]
        fields = [
            "organisation",
            "name",
            "location_postcode",
            "setting",
            "capacity",
            "accepts_severe_mental_illness",
            "accepts_active_substance_use",
            "accepts_opioid_substitution",
            "accepts_one_to_one_supervision",
            "allows_smoking",
            "admission_conditions",
        ]
        name = "Plekken"

    def extra_errors(self, instance, row, **kwargs) -> dict:
        if instance.organisation_id is None:
            return {}
        locations = list(instance.organisation.locations.order_by("pk"))
        wanted = cell_text(row.get("Postcode vestiging"))
        if wanted:
            try:
                wanted = normalise_postcode(wanted)
            except ValidationError as error:
                return {"Postcode vestiging": error.messages}
            locations = [location for location in locations if location.postcode == wanted]
        if not locations:
            return {
                "Postcode vestiging": [_("Deze organisatie heeft geen vestiging met die postcode.")]
            }
        if instance.location_id not in {location.pk for location in locations}:
            instance.location = locations[0]
        return {}

    def dehydrate_location_postcode(self, place):
        return place.location.postcode if place.location_id else ""


class ScheduleField(fields.Field):
    """A line's weekly opening hours in one cell (netwerk.consultation.schedule_notation): read
    from the row in ConsultationLineResource.extra_errors, because the hours are rows of their
    own."""

    def __init__(self, column_name):
        super().__init__(column_name=column_name, widget=TextWidget())

    def get_value(self, line):
        ranges = getattr(line, "_import_ranges", None)
        if ranges is None:
            ranges = line.weekly_ranges() if line.pk else ()
        return format_ranges(ranges)


class HolidayRuleWidget(ChoiceWidget):
    """The holiday rule by its label or a short word: gewoon, gesloten, zondag."""

    WORDS = {
        "gewoon": HolidayRule.REGULAR,
        "normaal": HolidayRule.REGULAR,
        "gesloten": HolidayRule.CLOSED,
        "dicht": HolidayRule.CLOSED,
        "zondag": HolidayRule.SUNDAY,
        "zondagtijden": HolidayRule.SUNDAY,
        "alszondag": HolidayRule.SUNDAY,
    }

    def __init__(self, **kwargs):
        super().__init__(HolidayRule.choices, **kwargs)

    def clean(self, value, row=None, **kwargs):
        word = self.WORDS.get(term_key(cell_text(value)))
        return str(word) if word is not None else super().clean(value, row, **kwargs)


class ExceptionsField(fields.Field):
    """A line's dated exceptions in one cell (schedule_notation.parse_exceptions); read from
    the row in ConsultationLineResource.extra_errors, because they are rows of their own."""

    def __init__(self, column_name):
        super().__init__(column_name=column_name, widget=TextWidget())

    def get_value(self, line):
        exceptions = getattr(line, "_import_exceptions", None)
        if exceptions is None:
            exceptions = dated_exceptions(line) if line.pk else ()
        return format_exceptions(exceptions)


def dated_exceptions(line) -> tuple[DatedException, ...]:
    zone = timezone.get_default_timezone()
    return tuple(
        DatedException(
            timezone.localtime(e.starts_at, zone).replace(tzinfo=None),
            timezone.localtime(e.ends_at, zone).replace(tzinfo=None),
            e.is_open,
            e.reason,
        )
        for e in sorted(line.exceptions.all(), key=lambda e: (e.starts_at, e.pk))
    )


class ConsultationLineResource(BelongsToOrganisationResource):
    """Lines with their weekly opening hours, holiday rule and dated exceptions."""

    organisation = column("Organisatiecode", "organisation", OrganisationCodeWidget())
    name = column("Naam", "name")
    phone = column("Telefoon", "phone", PhoneWidget())
    purpose = column("Doel", "purpose", ChoiceWidget(Purpose.choices))
    audience = column("Voor wie", "audience", ChoiceWidget(Audience.choices))
    is_always_open = column("24/7 bereikbaar", "is_always_open", YesNoWidget(default=False))
    notes = column("Aanwijzingen", "notes")
    is_active = column("Actief", "is_active", YesNoWidget(default=True))
    schedule = ScheduleField("Openingstijden")
    holiday_rule = column("Op feestdagen", "holiday_rule", HolidayRuleWidget())
    exceptions = ExceptionsField("Uitzonderingen")

    required_columns = ("Organisatiecode", "Naam", "Telefoon", "Doel")
    column_help = {
        "Openingstijden": gettext_lazy(
            "Dagen en tijden, gescheiden door puntkomma's: ma-vr 09:00-17:00; za 10:00-14:00; "
            "zo 00:00-00:00. Dagen: ma, di, wo, do, vr, za, zo; een reeks met een streepje "
            "(ma-vr), losse dagen met komma's (ma,wo). Meer tijden op één dag met komma's: "
            "ma 09:00-12:00, 13:00-17:00. Ook 9-17 en 09.00 worden begrepen. Een eindtijd vóór "
            "de begintijd loopt door na middernacht (vr 17:00-08:00); dezelfde begin- en eindtijd "
            "is 24 uur (zo 00:00-00:00 is de hele zondag). Een lege cel laat de openingstijden "
            "zoals ze zijn; 'geen' haalt ze allemaal weg."
        ),
        "Op feestdagen": gettext_lazy(
            "Wat de lijn op Nederlandse feestdagen doet: gewoon (de gewone openingstijden), "
            "gesloten, of zondag (de tijden van de zondag). Leeg bij een nieuwe lijn: gewoon."
        ),
        "Uitzonderingen": gettext_lazy(
            "Gesloten of extra open op een datum, gescheiden door puntkomma's: 25-12-2026 "
            "gesloten; 24-12-2026 t/m 26-12-2026 gesloten (kerst); 31-12-2026 17:00-24:00 "
            "gesloten; 27-04-2027 10:00-14:00 open (Koningsdag). Een datum zonder tijden is de "
            "hele dag. Een gevulde cel vervangt alle uitzonderingen van de lijn; een lege cel "
            "laat ze zoals ze zijn; 'geen' haalt ze allemaal weg."
        ),
    }

    class Meta(DutchResource.Meta):
        model = ConsultationLine
        import_id_fields = ["organisation", "name"]
        fields = [
            "organisation",
            "name",
            "phone",
            "purpose",
            "audience",
            "is_always_open",
            "notes",
            "is_active",
            "holiday_rule",
            "exceptions",
            "schedule",  # last: the preview's last column
        ]
        name = "Consultatielijnen"

    def get_instance(self, instance_loader, row):
        line = super().get_instance(instance_loader, row)
        if line is not None:
            prefetch_related_objects([line], "schedule_rows", "exceptions")
        return line

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.audience:
            instance.audience = Audience.PROFESSIONALS

    def extra_errors(self, instance, row, **kwargs) -> dict:
        return {**self.schedule_errors(instance, row), **self.exception_errors(instance, row)}

    def exception_errors(self, instance, row) -> dict:
        instance._import_exceptions = None
        text = cell_text(row.get("Uitzonderingen"))
        if not text:
            return {}  # an empty cell, or no such column, leaves the exceptions as they are
        try:
            exceptions = () if is_clear_marker(text) else parse_exceptions(text)
        except NotationError as error:
            return {"Uitzonderingen": [str(error)]}
        zone = timezone.get_default_timezone()
        for exception in exceptions:
            for moment in (exception.starts, exception.ends - timedelta(seconds=1)):
                if not is_plannable(moment.replace(tzinfo=zone)):
                    return {
                        "Uitzonderingen": [
                            _("Kies een datum tussen %(first)s en %(last)s.")
                            % plannable_period_text()
                        ]
                    }
        instance._import_exceptions = exceptions
        return {}

    def schedule_errors(self, instance, row) -> dict:
        instance._import_ranges = None
        text = cell_text(row.get("Openingstijden"))
        if is_clear_marker(text):
            text = "geen"
        if not text:
            return {}  # an empty cell, or no such column, leaves the opening hours as they are
        try:
            ranges = parse_ranges(text)
        except NotationError as error:
            return {"Openingstijden": [str(error)]}
        # The same check, and the same words, as the opening hours on the line's admin page.
        overlaps = opening_hours.validate_ranges(ranges)
        if overlaps:
            return {"Openingstijden": overlaps}
        instance._import_ranges = ranges
        return {}

    def after_save_instance(self, instance, row, **kwargs):
        ranges = instance._import_ranges
        if ranges is not None and Counter(ranges) != Counter(instance.weekly_ranges()):
            instance.replace_weekly_ranges(ranges)
        exceptions = instance._import_exceptions
        if exceptions is not None and Counter(exceptions) != Counter(dated_exceptions(instance)):
            # One at a time, so that each removed and added exception keeps its history.
            for old in instance.exceptions.all():
                old.delete()
            zone = timezone.get_default_timezone()
            for exception in exceptions:
                ScheduleException.objects.create(
                    line=instance,
                    starts_at=exception.starts.replace(tzinfo=zone),
                    ends_at=exception.ends.replace(tzinfo=zone),
                    is_open=exception.is_open,
                    reason=exception.reason,
                )
            getattr(instance, "_prefetched_objects_cache", {}).pop("exceptions", None)
