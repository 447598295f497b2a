"""The agenda and the agreements as spreadsheets, on the coordination room's import machinery
(netwerk.coordination.spreadsheets): Dutch headers, a dry run, all or nothing, the importing
user's scope. An export imports again unchanged."""

from django.utils.translation import gettext as _
from import_export import widgets

from netwerk.coordination.spreadsheets import (
    ChoiceWidget,
    DutchDateWidget,
    DutchResource,
    NamesWidget,
    OrganisationCodeWidget,
    YesNoWidget,
    cell_text,
    column,
)
from netwerk.directory.access import editable_organisations
from netwerk.directory.organisations import Organisation
from netwerk.network.agreements import Agreement, AgreementKind
from netwerk.network.events import Event, EventKind, RegistrationMode, TargetGroup
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import normalise_postcode


class DutchDateTimeWidget(widgets.DateTimeWidget):
    """ "17-11-2026 14:00" in Amsterdam time (also 2026-11-17 14:00)."""

    def __init__(self, **kwargs):
        super().__init__(format="%d-%m-%Y %H:%M", **kwargs)
        self.formats = ("%d-%m-%Y %H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M")

    def clean(self, value, row=None, **kwargs):
        try:
            moment = super().clean(value, row, **kwargs)
        except ValueError as error:
            raise ValueError(
                _("%(value)s is geen datum met tijd (schrijf bijvoorbeeld 17-11-2026 14:00).")
                % {"value": cell_text(value)}
            ) from error
        if moment is None:
            raise ValueError(_("Vul een datum met tijd in (bijvoorbeeld 17-11-2026 14:00)."))
        return moment


class OptionalPostcodeWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        try:
            return normalise_postcode(text)
        except Exception as error:  # Django's ValidationError, with its Dutch message
            raise ValueError(" ".join(getattr(error, "messages", [str(error)]))) from None


class OrganisationCodesWidget(widgets.ManyToManyWidget):
    """Organisation codes separated by commas, each within the importing user's scope."""

    def __init__(self, **kwargs):
        super().__init__(Organisation, separator=",", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        codes = [code.strip() for code in cell_text(value).split(",") if code.strip()]
        if not codes:
            return self.model.objects.none()
        user = kwargs.get("user")
        offered = editable_organisations(user) if user is not None else Organisation.objects.all()
        found = set(offered.filter(slug__in=codes).values_list("slug", flat=True))
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValueError(
                _("Er is geen organisatie met code %(code)s (binnen uw bereik).")
                % {"code": ", ".join(unknown)}
            )
        return self.model.objects.filter(slug__in=codes)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(item.slug for item in value.all()))


class NetworkWorkResource(DutchResource):
    def organisations_touched(self, object_ids) -> set[int]:
        return set()  # in no organisation's search document


class EventResource(NetworkWorkResource):
    slug = column("Code", "slug")
    title = column("Titel", "title")
    kind = column("Soort", "kind", ChoiceWidget(EventKind.choices))
    starts_at = column("Begint op", "starts_at", DutchDateTimeWidget())
    ends_at = column("Eindigt op", "ends_at", DutchDateTimeWidget())
    organiser = column("Organisatiecode", "organiser", OrganisationCodeWidget())
    venue = column("Plek", "venue")
    address = column("Adres", "address")
    postcode = column("Postcode", "postcode", OptionalPostcodeWidget())
    city = column("Plaats", "city")
    is_online = column("Online", "is_online", YesNoWidget(default=False))
    target_group = column("Doelgroep", "target_group", ChoiceWidget(TargetGroup.choices))
    expertise = column("Expertise", "expertise", NamesWidget(ExpertiseTag, _("expertise")))
    description = column("Omschrijving", "description")
    accreditation = column("Accreditatie", "accreditation")
    capacity = column("Plaatsen", "capacity", widgets.IntegerWidget())
    registration_mode = column(
        "Aanmelden", "registration_mode", ChoiceWidget(RegistrationMode.choices)
    )
    registration_url = column("Aanmeldlink", "registration_url")
    professionals_only = column(
        "Alleen voor professionals", "professionals_only", YesNoWidget(default=False)
    )
    is_published = column("Gepubliceerd", "is_published", YesNoWidget(default=True))

    required_columns = ("Code", "Titel", "Soort", "Begint op", "Eindigt op", "Organisatiecode")
    key_columns = ("Code",)
    column_help = {
        "Code": _("Vaste code van de bijeenkomst in het webadres, bijvoorbeeld scholing-2026."),
        "Begint op": _("Datum en tijd, bijvoorbeeld 17-11-2026 14:00."),
        "Organisatiecode": _("De code van de organiserende organisatie."),
        "Expertise": _("Namen van expertises, gescheiden door komma's."),
    }

    class Meta(NetworkWorkResource.Meta):
        model = Event
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "organiser",
            "venue",
            "address",
            "postcode",
            "city",
            "is_online",
            "target_group",
            "expertise",
            "description",
            "accreditation",
            "capacity",
            "registration_mode",
            "registration_url",
            "professionals_only",
            "is_published",
        ]
        name = "Agenda"

    def get_queryset(self):
        return Event.objects.select_related("organiser").prefetch_related("expertise")

    def get_instance(self, instance_loader, row):
        # Only events of organisations in the user's scope are found; another's answers as new.
        code = cell_text(row.get("Code"))
        if not code:
            return None
        return Event.objects.filter(organiser__in=self.matchable_organisations(), slug=code).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.target_group = instance.target_group or TargetGroup.BOTH
        instance.registration_mode = instance.registration_mode or RegistrationMode.NONE


class AgreementResource(NetworkWorkResource):
    title = column("Titel", "title")
    kind = column("Soort", "kind", ChoiceWidget(AgreementKind.choices))
    partners = column("Partners", "partners", OrganisationCodesWidget())
    starts_on = column("Ingangsdatum", "starts_on", DutchDateWidget())
    review_on = column("Evaluatiedatum", "review_on", DutchDateWidget())
    description = column("Omschrijving", "description")
    document_url = column("Document", "document_url")
    is_published = column("Gepubliceerd", "is_published", YesNoWidget(default=True))

    required_columns = ("Titel", "Soort", "Partners", "Ingangsdatum", "Omschrijving")
    key_columns = ("Titel",)
    column_help = {
        "Partners": _("Codes van twee of meer organisaties, gescheiden door komma's."),
        "Ingangsdatum": _("Bijvoorbeeld 1-3-2026."),
    }

    class Meta(NetworkWorkResource.Meta):
        model = Agreement
        import_id_fields = ["title"]
        fields = [
            "title",
            "kind",
            "partners",
            "starts_on",
            "review_on",
            "description",
            "document_url",
            "is_published",
        ]
        name = "Samenwerkingsafspraken"

    def get_queryset(self):
        return Agreement.objects.prefetch_related("partners")

    def in_scope(self):
        with_partner = Agreement.partners.through.objects.filter(
            organisation__in=self.matchable_organisations()
        )
        return Agreement.objects.filter(pk__in=with_partner.values("agreement"))

    def get_instance(self, instance_loader, row):
        title = cell_text(row.get("Titel"))
        return self.in_scope().filter(title=title).order_by("pk").first() if title else None

    def extra_errors(self, instance, row, **kwargs) -> dict:
        codes = [code for code in cell_text(row.get("Partners")).split(",") if code.strip()]
        if len(set(codes)) < 2:
            return {"partners": [_("Vul de codes van ten minste twee organisaties in.")]}
        return {}
