from datetime import timedelta

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from netwerk import opening_hours
from netwerk.admin.scoping import OrganisationScopedAdmin, ScopedInline
from netwerk.admin.spreadsheets import SpreadsheetAdminMixin
from netwerk.consultation import ConsultationLine, ScheduleException, ScheduleRow
from netwerk.imports import ConsultationLineResource

PREVIEW_DAYS = 7


class ScheduleRowFormSet(forms.BaseInlineFormSet):
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


class ScheduleRowInline(ScopedInline, admin.TabularInline):
    model = ScheduleRow
    formset = ScheduleRowFormSet
    extra = 1


class ScheduleExceptionInline(ScopedInline, admin.TabularInline):
    model = ScheduleException
    extra = 0


@admin.register(ConsultationLine)
class ConsultationLineAdmin(SpreadsheetAdminMixin, OrganisationScopedAdmin):
    resource_classes = [ConsultationLineResource]
    list_display = ["name", "organisation", "purpose", "audience", "is_always_open", "is_active"]
    list_select_related = ["organisation"]
    list_filter = ["purpose", "audience", "is_always_open", "is_active", "holiday_rule"]
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
