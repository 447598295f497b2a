"""Import and export of spreadsheets in the admin, on django-import-export.

Coordinators (and administrators) import; every role exports what it may see, because the
export reads the changelist's scoped queryset. A confirmed import is all or nothing.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm
from import_export.results import RowResult

from netwerk.coordination.spreadsheets import FORMATS, DutchCSV, DutchXLSX, ImportFileError
from netwerk.directory.access import keeps_the_map


class SpreadsheetImportForm(ImportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = _("Bestand (CSV of Excel)")
        self.fields["import_file"].help_text = _(
            "CSV (puntkomma's of komma's, UTF-8 of Windows-1252) of .xlsx, hoogstens %(size)s."
        ) % {"size": filesizeformat(settings.IMPORT_MAX_BYTES)}
        self.fields["format"].label = _("Soort bestand")

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Dit bestand is %(size)s; hoogstens %(max)s kan in één keer.")
                % {
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(settings.IMPORT_MAX_BYTES),
                }
            )
        return upload


class SpreadsheetAdminMixin(ImportExportMixin):
    formats = FORMATS
    import_form_class = SpreadsheetImportForm
    # Every column, always: an export is a file that can be imported again.
    export_form_class = ExportForm
    import_template_name = "admin/netwerk/import.html"
    # The change page has its own buttons (verify); exporting is done from the list.
    show_change_form_export = False

    def has_import_permission(self, request):
        return keeps_the_map(request.user)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # A row that fails at the moment of confirming undoes the whole import.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _("Dit bestand kon niet gelezen worden. Kies het juiste soort bestand."),
            )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _(
                    "Er is niets geïmporteerd: sinds de controle is er iets veranderd waardoor "
                    "niet alle regels meer kloppen. Controleer het bestand opnieuw."
                ),
            )
            return HttpResponseRedirect(
                reverse(
                    "admin:{}_{}_import".format(*self.get_model_info()),
                    current_app=self.admin_site.name,
                )
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            _("Import klaar: %(new)s nieuw, %(changed)s gewijzigd, %(same)s ongewijzigd.")
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "changed": totals[RowResult.IMPORT_TYPE_UPDATE],
                "same": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        info = self.get_model_info()
        context["template_links"] = [
            (label, reverse(f"admin:{info[0]}_{info[1]}_import_template", args=[extension]))
            for label, extension in (("CSV", "csv"), ("Excel", "xlsx"))
        ]
        context["column_help"] = self.resource_classes[0].column_help.items()
        return context

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/sjabloon.<str:extension>",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request, extension):
        """The empty spreadsheet with the Dutch column headers, to start from."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        file_format = {"csv": DutchCSV, "xlsx": DutchXLSX}.get(extension)
        if file_format is None:
            raise Http404
        resource_class = self.get_import_resource_classes(request)[0]
        data = file_format().export_data(resource_class.template_dataset())
        response = HttpResponse(data, content_type=file_format().get_content_type())
        filename = f"sjabloon-{self.model._meta.verbose_name_plural}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
