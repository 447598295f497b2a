from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from netwerk.admin.history import RevertibleModelForm, VersionedHistoryAdmin
from netwerk.admin.publishing import PublishesReferenceChanges
from netwerk.admin.scoping import OrganisationScopedAdmin, ScopedInline, ScopedInlineFormSet
from netwerk.admin.spreadsheets import SpreadsheetAdminMixin
from netwerk.consultation import opening_hours
from netwerk.consultation.holiday_choice import HolidayChoice
from netwerk.consultation.lines import ConsultationLine, ScheduleException, ScheduleRow
from netwerk.coordination.spreadsheets import ConsultationLineResource
from netwerk.coordination.workspace import without_schedule
from netwerk.directory.access import coordinated_regions, is_administrator
from netwerk.reference.geography import Municipality, PostcodeArea

PREVIEW_DAYS = 7


class ScheduleRowFormSet(ScopedInlineFormSet):
    """Refuses overlapping ranges across all rows of the line, with the engine's Dutch message."""

    def clean(self):
        super().clean()
        ranges = [
            opening_hours.WeeklyRange(
                form.cleaned_data["weekday"],
                form.cleaned_data["opens_at"],
                form.cleaned_data["closes_at"],
            )
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and all(
                form.cleaned_data.get(f) is not None for f in ("weekday", "opens_at", "closes_at")
            )
        ]
        errors = opening_hours.validate_ranges(ranges)
        if errors:
            raise forms.ValidationError(errors)


class ConsultationLineForm(RevertibleModelForm):
    """The areas a line serves. A coordinator may add only their own regions and
    municipalities (the admin narrows the fields' choices). On a line of their own
    organisations they may also remove what it serves elsewhere; on another organisation's line
    that serves their region, what it serves elsewhere is not theirs, and stays."""

    AREA_FIELDS = ("regions", "municipalities")
    may_remove_elsewhere = True  # set per request by the admin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.may_remove_elsewhere:
            for name in self.AREA_FIELDS:
                field = self.fields.get(name)
                if field is not None:
                    current = getattr(self.instance, name).values("pk")
                    field.queryset = field.queryset.model.objects.filter(
                        Q(pk__in=field.queryset.values("pk")) | Q(pk__in=current)
                    )

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and not self.may_remove_elsewhere:
            for name in self.AREA_FIELDS:
                if name in cleaned_data:
                    offered = self.fields[name].queryset.values("pk")
                    elsewhere = getattr(self.instance, name).exclude(pk__in=offered)
                    cleaned_data[name] = [*cleaned_data[name], *elsewhere]
        return cleaned_data


def regions_to_choose(user):
    """Regions a user may make a line serve; None means all."""
    return None if is_administrator(user) else coordinated_regions(user)


def municipalities_to_choose(user):
    """Municipalities a user may make a line serve: those reaching into their regions."""
    if is_administrator(user):
        return None
    areas = PostcodeArea.objects.in_regions(coordinated_regions(user))
    return Municipality.objects.filter(pk__in=areas.values("municipality"))


class ScheduleRowInline(ScopedInline, admin.TabularInline):
    for_editors = False
    model = ScheduleRow
    formset = ScheduleRowFormSet
    extra = 1


class ScheduleExceptionInline(ScopedInline, admin.TabularInline):
    for_editors = False
    model = ScheduleException
    extra = 0


class ScheduleFilter(admin.SimpleListFilter):
    title = _("openingstijden")
    parameter_name = "rooster"

    def lookups(self, request, model_admin):
        return [("geen", _("actief, niet altijd open en zonder openingstijden"))]

    def queryset(self, request, queryset):
        if self.value() == "geen":
            return without_schedule(queryset)
        return queryset


@admin.register(ConsultationLine)
class ConsultationLineAdmin(SpreadsheetAdminMixin, OrganisationScopedAdmin):
    form = ConsultationLineForm
    for_editors = False
    resource_classes = [ConsultationLineResource]
    list_display = ["name", "organisation", "purpose", "audience", "is_always_open", "is_active"]
    list_select_related = ["organisation"]
    list_filter = [
        "purpose",
        "audience",
        "is_always_open",
        "is_active",
        "holiday_rule",
        ScheduleFilter,
    ]
    search_fields = ["name", "organisation__name", "notes"]
    autocomplete_fields = ["organisation", "regions", "municipalities", "expertise", "escalates_to"]
    readonly_fields = ["preview"]
    inlines = [ScheduleRowInline, ScheduleExceptionInline]
    fieldsets = [
        (None, {"fields": ["organisation", "name", "phone", "purpose", "audience", "is_active"]}),
        (
            _("Bereikbaarheid"),
            {"fields": ["is_always_open", "holiday_rule", "escalates_to", "preview"]},
        ),
        (_("Werkgebied en expertise"), {"fields": ["regions", "municipalities", "expertise"]}),
        (_("Aanwijzingen"), {"fields": ["notes"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("schedule_rows", "exceptions")

    def scope(self, user):
        serving = ConsultationLine.objects.serving_regions(coordinated_regions(user))
        return super().scope(user) | Q(pk__in=serving.values("pk"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_remove_elsewhere = obj is None or self.runs_the_line(request.user, obj)
        return form

    def runs_the_line(self, user, line) -> bool:
        return (
            is_administrator(user)
            or self.organisations_in_scope(user).filter(pk=line.organisation_id).exists()
        )

    def get_readonly_fields(self, request, obj=None):
        # Another region's coordinator keeps a line serving their region up to date, but does
        # not move it to another organisation or escalation they cannot see.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.runs_the_line(request.user, obj):
            readonly += ["organisation", "escalates_to"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = {"regions": regions_to_choose, "municipalities": municipalities_to_choose}
        if db_field.name in choices:
            offered = choices[db_field.name](request.user)
            if offered is not None:
                kwargs["queryset"] = offered
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("de komende 7 dagen"))
    def preview(self, line):
        if line.pk is None:
            return _("Sla de lijn eerst op.")
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        intervals = opening_hours.open_intervals(
            line.schedule(), start, start + timedelta(days=PREVIEW_DAYS)
        )
        if not intervals:
            return _("Gesloten in de komende 7 dagen.")
        return format_html_join(
            "",
            "<div>{} – {}</div>",
            (
                (date_format(opens, "l j F H:i"), closing_text(opens, closes))
                for opens, closes in intervals
            ),
        )


def closing_text(opens, closes) -> str:
    if closes.date() == opens.date():
        return date_format(closes, "H:i")
    return date_format(closes, "l j F H:i")


@admin.register(HolidayChoice)
class HolidayChoiceAdmin(PublishesReferenceChanges, VersionedHistoryAdmin):
    """The network's holidays: one row, kept by administrators (Django's permissions decide), for
    every line that closes on holidays or keeps Sunday hours then."""

    list_display = ["__str__", "good_friday", "liberation_day_every_year", "december_afternoons"]
    fieldsets = [
        (
            None,
            {
                "description": _(
                    "Altijd feestdag: Nieuwjaarsdag, Eerste en Tweede Paasdag, Koningsdag, "
                    "Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en Tweede Kerstdag, en "
                    "Bevrijdingsdag in de lustrumjaren. Geldt voor lijnen die op feestdagen "
                    "sluiten of dan de zondagtijden aanhouden."
                ),
                "fields": [
                    "good_friday",
                    "liberation_day_every_year",
                    "closes_december_afternoons",
                    "afternoons_from",
                ],
            },
        ),
    ]

    def has_add_permission(self, request):
        # One row: the first one counts, so a second would only mislead.
        return super().has_add_permission(request) and not HolidayChoice.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("24 en 31 december"))
    def december_afternoons(self, choice):
        if not choice.closes_december_afternoons:
            return _("gewone dag")
        return _("vanaf %(time)s") % {"time": f"{choice.afternoons_from:%H:%M}"}
