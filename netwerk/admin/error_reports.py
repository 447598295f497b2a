"""Error reports in the admin: coordinators see those of their region and close them with a note.

Organisation editors do not see them: a report may be about their own work.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from netwerk.admin.scoping import ScopedAdmin
from netwerk.coordination.error_reports import ErrorReport, ErrorReportStatus
from netwerk.directory.access import is_administrator


class ErrorReportForm(forms.ModelForm):
    close = forms.BooleanField(
        label=_("Melding afhandelen"),
        required=False,
        help_text=_("Vink aan en beschrijf hierboven wat u met de melding hebt gedaan."),
    )

    class Meta:
        model = ErrorReport
        fields = ["organisation", "message", "email", "closing_note"]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("close") and not cleaned_data.get("closing_note", "").strip():
            self.add_error("closing_note", _("Beschrijf kort wat u met de melding hebt gedaan."))
        return cleaned_data


class OpenFirstFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*ErrorReportStatus.choices, ("alle", _("Alle"))]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or ErrorReportStatus.OPEN) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or ErrorReportStatus.OPEN
        return queryset if value == "alle" else queryset.filter(status=value)


@admin.register(ErrorReport)
class ErrorReportAdmin(ScopedAdmin):
    for_editors = False  # a report may be about the editor's own work
    form = ErrorReportForm
    list_display = ["created_at", "organisation", "summary", "status", "closed_by"]
    list_select_related = ["organisation", "closed_by"]
    list_filter = [OpenFirstFilter]
    search_fields = ["message", "organisation__name", "email"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "organisation",
        "created_at",
        "message",
        "email",
        "status",
        "closed_at",
        "closed_by",
    ]
    fieldsets = [
        (None, {"fields": ["organisation", "created_at", "message", "email", "status"]}),
        (_("Afhandeling"), {"fields": ["closing_note", "close", "closed_at", "closed_by"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["status", "closed_at", "closed_by"]
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_open:
            readonly.append("closing_note")
        return readonly

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["organisation", "message", "email"]})]
        if obj is not None and not obj.is_open:
            return [
                (None, self.fieldsets[0][1]),
                (_("Afhandeling"), {"fields": ["closing_note", "closed_at", "closed_by"]}),
            ]
        return self.fieldsets

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("close"):
            obj.close(by=request.user, note=form.cleaned_data["closing_note"])
            self.message_user(request, _("De melding is afgehandeld."), messages.SUCCESS)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("melding"))
    def summary(self, report):
        return Truncator(report.message).chars(80)
