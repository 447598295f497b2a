"""Import and export of spreadsheets in the admin, on django-import-export.

Coordinators (and administrators) import; every role exports what it may see, because the
export reads the changelist's scoped queryset. A confirmed import is all or nothing, unless the
coordinator chooses to import only the valid rows (and downloads the others with their errors).
On the preview page the coordinator also confirms that unknown columns are ignored and chooses,
per row that resembles an existing organisation, to update it or to add a new one.
"""

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import RowResult

from netwerk.coordination.spreadsheets import (
    FORMATS,
    DutchCSV,
    DutchXLSX,
    ImportChoices,
    ImportFileError,
    rejected_rows_read,
    rejected_rows_store,
)
from netwerk.directory.access import keeps_the_map
from netwerk.directory.vocabulary import vocabulary_listing

ROW_CHOICE = re.compile(r"^(nieuw|bijwerken:\d+)$")


class SpreadsheetConfirmForm(ConfirmImportForm):
    ignore_unknown_columns = forms.BooleanField(
        label=_("Ik weet dat de kolommen die worden genegeerd niet worden ingelezen."),
        required=False,
    )
    partial = forms.BooleanField(
        label=_(
            "Alleen de goede regels importeren; de regels met fouten download ik daarna als "
            "bestand met een kolom 'Fout', om te verbeteren en later opnieuw in te lezen."
        ),
        required=False,
    )


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
    confirm_form_class = SpreadsheetConfirmForm
    # The change page has its own buttons (verify); exporting is done from the list.
    show_change_form_export = False

    def has_import_permission(self, request):
        return keeps_the_map(request.user)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        if isinstance(form, SpreadsheetConfirmForm) and form.is_valid():
            resource_kwargs["choices"] = ImportChoices(
                ignore_unknown_columns=form.cleaned_data["ignore_unknown_columns"],
                partial=form.cleaned_data["partial"],
                rows={
                    int(key.removeprefix("rij-")): value
                    for key, value in request.POST.items()
                    if re.fullmatch(r"rij-\d{1,6}", key) and ROW_CHOICE.match(value)
                },
            )
        return resource_kwargs

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        partial = (
            isinstance(form, SpreadsheetConfirmForm)
            and form.is_valid()
            and form.cleaned_data["partial"]
        )
        kwargs = super().get_import_data_kwargs(**kwargs)
        # A row that fails at the moment of confirming undoes the whole import, unless the
        # coordinator chose to import the valid rows only.
        kwargs["rollback_on_validation_errors"] = not partial
        return kwargs

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if (
            result is not None
            and context.get("confirm_form") is None
            and not result.has_errors()
            and result.has_validation_errors()
            and result.valid_rows()
        ):
            # Rows with errors: the coordinator may still import the valid ones, knowingly.
            context["confirm_form"] = self.create_confirm_form(request, import_form=context["form"])
            context["only_partial"] = True
        return response

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # The file of this check was imported (or has expired): a second click, a reload.
            messages.error(
                request,
                _(
                    "Deze import is al verwerkt of verlopen; er is niets (opnieuw) ingelezen. "
                    "Kijk in de lijst of de gegevens er staan, of controleer het bestand opnieuw."
                ),
            )
            return HttpResponseRedirect(self.import_url())

    def import_url(self) -> str:
        return reverse(
            "admin:{}_{}_import".format(*self.get_model_info()),
            current_app=self.admin_site.name,
        )

    def get_export_filename(self, request, queryset, file_format):
        """Dutch: "organisaties-2026-12-01.csv"."""
        name = slugify(self.model._meta.verbose_name_plural)
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _("Dit bestand kon niet gelezen worden. Kies het juiste soort bestand."),
            )

    def process_result(self, result, request):
        if result.base_errors:
            for error in result.base_errors:
                messages.error(request, str(error.error))
            return HttpResponseRedirect(self.import_url())
        partial = getattr(result, "partial", False)
        if result.has_errors() or (result.has_validation_errors() and not partial):
            messages.error(
                request,
                _(
                    "Er is niets geïmporteerd: sinds de controle is er iets veranderd waardoor "
                    "niet alle regels meer kloppen. Controleer het bestand opnieuw."
                ),
            )
            return HttpResponseRedirect(self.import_url())
        response = super().process_result(result, request)
        if result.has_validation_errors():
            name = rejected_rows_store(result, user=request.user)
            info = self.get_model_info()
            url = reverse(f"admin:{info[0]}_{info[1]}_import_rejected", args=[name])
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}" class="ek-rejected-rows">{}</a>',
                    _(
                        "%(count)s regels met fouten zijn niet ingelezen. Download ze met hun "
                        "fout (kolom 'Fout'), verbeter ze en lees ze opnieuw in:"
                    )
                    % {"count": len(result.invalid_rows)},
                    url,
                    _("afgewezen regels downloaden"),
                ),
            )
        return response

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
        context["clear_markers"] = ["-", "(leeg)"]
        if self.resource_classes[0].shows_vocabulary:
            context["kinds"], context["tags"] = vocabulary_listing()
        return context

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/sjabloon.<str:extension>",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            path(
                "import/afgewezen/<str:name>",
                self.admin_site.admin_view(self.rejected_rows_view),
                name="{}_{}_import_rejected".format(*info),
            ),
            *super().get_urls(),
        ]

    def rejected_rows_view(self, request, name):
        """The rows a partial import left out, with a column 'Fout', as a CSV to fix."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        data = rejected_rows_read(name, user=request.user)
        if data is None:
            messages.error(
                request,
                _(
                    "Dit bestand met afgewezen regels is er niet (meer); controleer uw bestand "
                    "opnieuw."
                ),
            )
            return HttpResponseRedirect(self.import_url())
        response = HttpResponse(data, content_type=DutchCSV().get_content_type())
        filename = f"afgewezen-{slugify(self.model._meta.verbose_name_plural)}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

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
