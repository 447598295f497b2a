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
import io
import itertools
import re
from collections import Counter

import phonenumbers
import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import prefetch_related_objects
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import CachedInstanceLoader
from phonenumber_field.phonenumber import PhoneNumber

from netwerk.consultation import opening_hours
from netwerk.consultation.lines import Audience, ConsultationLine, Purpose
from netwerk.consultation.schedule_notation import NotationError, format_ranges, parse_ranges
from netwerk.coordination.history import one_version_with_its_sets
from netwerk.coordination.spreadsheet_cells import escape_cell, unescape_cell
from netwerk.directory.access import (
    coordinated_postcode_areas,
    editable_organisations,
    is_administrator,
)
from netwerk.directory.contacts import Contact, Visibility
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
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
        return unescaped(csv_dataset(decode_spreadsheet_text(in_stream)))

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(escaped(dataset), delimiter=";", **kwargs)


class DutchXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        try:
            dataset = super().create_dataset(in_stream)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError(
                _("Dit bestand is geen leesbaar Excel-bestand (.xlsx).")
            ) from error
        return unescaped(dataset)

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


def read_spreadsheet(data: bytes, *, name: str = "") -> tablib.Dataset:
    """A dataset from an uploaded file's bytes; XLSX by its name or its zip signature."""
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        return DutchXLSX().create_dataset(data)
    return DutchCSV().create_dataset(data)


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

    def __init__(self, model, label, **kwargs):
        super().__init__(model, separator=",", field="name", **kwargs)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in cell_text(value).split(",") if name.strip()]
        if not names:
            return self.model.objects.none()
        found = {
            obj.name.casefold(): obj
            for obj in self.model.objects.filter(name__in=self.case_variants(names))
        }
        unknown = [name for name in names if name.casefold() not in found]
        if unknown:
            raise ValueError(
                _("Onbekende %(label)s: %(names)s.")
                % {"label": self.label, "names": ", ".join(unknown)}
            )
        return self.model.objects.filter(pk__in=[found[name.casefold()].pk for name in names])

    @staticmethod
    def case_variants(names):
        return {variant for name in names for variant in (name, name.title(), name.capitalize())}

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


def column(name, attribute=None, widget=None, **kwargs):
    return fields.Field(
        attribute=attribute, column_name=name, widget=widget or TextWidget(), **kwargs
    )


class DutchResource(resources.ModelResource):
    """Shared behaviour: Dutch headers matched loosely, file checks first, errors by column."""

    required_columns: tuple[str, ...] = ()
    key_columns: tuple[str, ...] = ()
    # Shown on the import page beside the template: how to fill in the columns that need it.
    column_help: dict[str, str] = {}

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

    def import_data(self, dataset, **kwargs):
        # Who imports: a coordinator's file is read against the organisations in scope only.
        self.user = kwargs.get("user")
        problem = self.file_problem(dataset)
        if problem:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.append_base_error(self.get_error_result_class()(ImportFileError(problem)))
            return result
        self.seen_keys = {}
        return super().import_data(dataset, **kwargs)

    def file_problem(self, dataset) -> str:
        """Why the file as a whole cannot be imported ("" when it can); fixes headers in place."""
        if dataset.height > settings.IMPORT_MAX_ROWS:
            return _("Het bestand heeft %(rows)s regels; meer dan %(max)s tegelijk kan niet.") % {
                "rows": dataset.height,
                "max": settings.IMPORT_MAX_ROWS,
            }
        if dataset.height == 0:
            return _("Het bestand bevat geen regels om te importeren.")
        known = {f.column_name.casefold(): f.column_name for f in self.get_import_fields()}
        dataset.headers = [
            known.get(cell_text(header).casefold(), cell_text(header))
            for header in dataset.headers or []
        ]
        missing = [name for name in self.required_columns if name not in dataset.headers]
        if missing:
            return _(
                "Deze kolommen ontbreken: %(missing)s. Gebruik de kopregel van het sjabloon."
            ) % {"missing": ", ".join(missing)}
        return ""

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
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        errors.update(self.extra_errors(instance, row, **kwargs))
        if errors:
            raise ValidationError(errors)

    def extra_errors(self, instance, row, **kwargs) -> dict:
        return {}

    def save_m2m(self, instance, row, **kwargs):
        """The many-to-many sets without versions of their own, then copied into the version
        the row's save made: one version per imported row, as per admin save."""
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


class OrganisationResource(DutchResource):
    """One row per organisation, with its main location (vestiging) in the same row; all its
    locations are in the locations sheet (LocationResource)."""

    slug = column("Code", "slug")
    name = column("Naam", "name")
    kind = column("Soort", "kind", ChoiceWidget(OrganisationKind.choices))
    street = AddressField("Straat", "street")
    house_number = AddressField("Huisnummer", "house_number")
    postcode = AddressField("Postcode", "postcode")
    city = AddressField("Plaats", "city")
    phone = column("Telefoon", "phone", PhoneWidget())
    email = column("E-mail", "email")
    website = column("Website", "website")
    description = column("Omschrijving", "description")
    service_area = column("Werkgebied", "service_area", NamesWidget(Municipality, "gemeenten"))
    expertise = column("Expertise", "expertise", NamesWidget(ExpertiseTag, "expertise"))
    is_published = column("Gepubliceerd", "is_published", YesNoWidget(default=True))
    last_verified_on = column(
        "Laatst gecontroleerd", "last_verified_on", DutchDateWidget(), readonly=True
    )

    required_columns = ("Naam", "Soort", "Postcode", "Plaats")
    key_columns = ("Code",)
    column_help = {
        "Code": gettext_lazy(
            "De vaste sleutel van een organisatie: met de code van een organisatie die u mag "
            "wijzigen werkt een regel die organisatie bij. Laat de code leeg voor een nieuwe "
            "organisatie: die krijgt een code op basis van haar naam, en dezelfde naam vindt haar "
            "bij een volgende import terug. Alleen beheerders geven een nieuwe organisatie zelf "
            "een code."
        ),
    }

    class Meta(DutchResource.Meta):
        model = Organisation
        import_id_fields = ["slug"]
        # One query for all the codes in the file instead of one per row.
        instance_loader_class = CachedInstanceLoader
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
        code outside it reads exactly like an unknown one."""
        return self.matchable_organisations()

    def file_problem(self, dataset) -> str:
        problem = super().file_problem(dataset)
        if not problem:
            # A sheet without codes gets them from the names, the same way on every import.
            names = dataset["Naam"]
            codes = dataset["Code"] if "Code" in dataset.headers else [""] * dataset.height
            if "Code" in dataset.headers:
                del dataset["Code"]
            derived = {
                number: slugify(cell_text(name))[:200]
                for number, (code, name) in enumerate(zip(codes, names, strict=True), start=1)
                if not cell_text(code)
            }
            if self.restricted():
                derived = self.codes_beside_those_out_of_scope(derived)
            # Row numbers as django-import-export counts them (from 1), see extra_errors.
            self.rows_with_derived_code = set(derived)
            dataset.append_col(
                [
                    derived.get(number) or cell_text(code)
                    for number, code in enumerate(codes, start=1)
                ],
                header="Code",
            )
        return problem

    def codes_beside_those_out_of_scope(self, derived: dict[int, str]) -> dict[int, str]:
        """Codes from names, moved past a code that belongs to an organisation out of the
        user's scope ("ggz-amstel" becomes "ggz-amstel-2"), so that a coordinator can add an
        organisation whose name another region also has. The first code that is free or in
        scope is taken, so the same sheet finds the same organisation on every import."""
        scope = editable_organisations(self.user).values("pk")
        taken = set(
            Organisation.objects.filter(slug__in=set(derived.values()))
            .exclude(pk__in=scope)
            .values_list("slug", flat=True)
        )
        moved = {}
        for code in taken:
            base = code[:190]
            others = set(
                Organisation.objects.filter(slug__startswith=f"{base}-")
                .exclude(pk__in=scope)
                .values_list("slug", flat=True)
            )
            moved[code] = next(
                f"{base}-{n}" for n in itertools.count(2) if f"{base}-{n}" not in others
            )
        return {number: moved.get(code, code) for number, code in derived.items()}

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
        address = {key: cell_text(row.get(name)) for key, name in LOCATION_COLUMNS.items()}
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
        website = cell_text(row.get("Website"))
        if website and "://" not in website:
            instance.website = f"https://{website}"
        instance._import_address = address
        instance._import_area = area
        user = kwargs.get("user")
        if user is not None and not is_administrator(user) and area is not None:
            in_scope = (
                instance.pk is not None
                and editable_organisations(user).filter(pk=instance.pk).exists()
            ) or (
                instance.pk is None and coordinated_postcode_areas(user).filter(pk=area.pk).exists()
            )
            if not in_scope:
                errors[NON_FIELD_ERRORS] = [
                    _("Deze organisatie ligt buiten uw regio; u kunt haar niet importeren.")
                ]
        return errors

    def postcode_area(self, postcode: str) -> PostcodeArea | None:
        if not hasattr(self, "areas"):
            self.areas = {}
        pc4 = postcode[:4]
        if pc4 not in self.areas:
            self.areas[pc4] = (
                PostcodeArea.objects.select_related("municipality").filter(pc4=pc4).first()
            )
        return self.areas[pc4]

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
        for key, value in address.items():
            setattr(location, key, value)
        area = instance._import_area
        if area is not None and location.latitude is None:
            location.latitude, location.longitude = area.latitude, area.longitude
            location.municipality = area.municipality
        location.save()
        instance._main_location = location

    def organisations_touched(self, object_ids) -> set[int]:
        return set(object_ids)


def main_location(organisation: Organisation) -> Location | None:
    """The first location: the one a one-row-per-organisation sheet describes."""
    if organisation.pk is None:
        return None
    if getattr(organisation, "_main_location", None) is not None:
        return organisation._main_location
    locations = sorted(organisation.locations.all(), key=lambda location: location.pk)
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


class ConsultationLineResource(BelongsToOrganisationResource):
    """Lines with their weekly opening hours; exceptions (closures) are entered in the admin."""

    organisation = column("Organisatiecode", "organisation", OrganisationCodeWidget())
    name = column("Naam", "name")
    phone = column("Telefoon", "phone", PhoneWidget())
    purpose = column("Doel", "purpose", ChoiceWidget(Purpose.choices))
    audience = column("Voor wie", "audience", ChoiceWidget(Audience.choices))
    is_always_open = column("24/7 bereikbaar", "is_always_open", YesNoWidget(default=False))
    notes = column("Aanwijzingen", "notes")
    is_active = column("Actief", "is_active", YesNoWidget(default=True))
    schedule = ScheduleField("Openingstijden")

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
            "schedule",
        ]
        name = "Consultatielijnen"

    def get_instance(self, instance_loader, row):
        line = super().get_instance(instance_loader, row)
        if line is not None:
            prefetch_related_objects([line], "schedule_rows")
        return line

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.audience:
            instance.audience = Audience.PROFESSIONALS

    def extra_errors(self, instance, row, **kwargs) -> dict:
        instance._import_ranges = None
        text = cell_text(row.get("Openingstijden"))
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
