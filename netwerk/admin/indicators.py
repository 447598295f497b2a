"""/beheer/indicatoren/: the network's indicators for the evaluation, with CSV and XLSX exports
and the printable yearly report (issue 15).

For coordinators (their regions) and administrators (everything); editors and others are
refused. The figures are netwerk.coordination.indicators; the admin site serves these pages
(expertisekaart.admin_site), so sign-in and the second factor are the admin's.
"""

import csv
import io
import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netwerk.admin.availability_chart import region_field
from netwerk.coordination import indicators
from netwerk.coordination.indicators import Period, Scope
from netwerk.directory.access import coordinated_regions, is_administrator, keeps_the_map
from netwerk.reference.geography import Region


class IndicatorFilterForm(forms.Form):
    periode = forms.ChoiceField(
        label=gettext_lazy("Periode"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Kies een jaar of een half jaar uit de lijst, bijvoorbeeld 2026 of de eerste "
                "helft van 2026."
            )
        },
    )
    regio = region_field()

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = [
            (period.slug, period.label) for period in indicators.period_choices()
        ]
        self.fields["regio"].queryset = regions


def regions_of(user):
    if is_administrator(user):
        return Region.objects.order_by("name")
    return coordinated_regions(user).order_by("name")


def scope_and_period(request, period: Period | None = None):
    """The scope and period a request asks for; bad parameters are named in the form and the
    defaults (all the user's regions, this year) stand."""
    if not keeps_the_map(request.user):
        raise PermissionDenied
    regions = regions_of(request.user)
    form = IndicatorFilterForm(request.GET or None, regions=regions)
    region = None
    if form.is_bound and form.is_valid():
        region = form.cleaned_data["regio"]
        if period is None and form.cleaned_data["periode"]:
            period = Period.parse(form.cleaned_data["periode"])
    period = period or Period.current_year()
    if region is not None:
        scope = Scope.of(Region.objects.filter(pk=region.pk))
    else:
        scope = Scope.of(regions, everything=is_administrator(request.user))
    scope.asked = region
    return form, scope, period


def context_for(site, request, *, title, period=None) -> dict:
    form, scope, period = scope_and_period(request, period)
    asked = {"periode": period.slug, **({"regio": scope.asked.slug} if scope.asked else {})}
    return {
        **site.each_context(request),
        "title": title,
        "form": form,
        "scope": scope,
        "period": period,
        "indicators": indicators.indicators(scope, period),
        "export_query": urlencode(asked),
        "region_query": urlencode({"regio": scope.asked.slug}) if scope.asked else "",
        "generated_at": timezone.now(),
    }


def indicators_view(site, request):
    context = context_for(site, request, title=_("Indicatoren"))
    return TemplateResponse(request, "admin/indicators/index.html", context)


def export_rows(found) -> list[list]:
    rows = []
    for indicator in found:
        for table in indicator.tables:
            rows.append([indicator.title, table.caption])
            rows.append(table.columns)
            rows += [[str(cell) for cell in row] for row in table.rows]
            rows.append([])
    return rows


def filename(period: Period, extension: str) -> str:
    return f"indicatoren-{period.slug}.{extension}"


def csv_view(site, request):
    """Every table of every indicator, one after the other, for the whole period."""
    _form, scope, period = scope_and_period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(period, "csv")}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Indicatoren"), period.label])
    writer.writerow([])
    writer.writerows(export_rows(indicators.indicators(scope, period)))
    return response


def xlsx_view(site, request):
    """One worksheet per indicator, its tables under each other."""
    from openpyxl import Workbook  # a dependency of django-import-export[xlsx]
    from openpyxl.styles import Font

    _form, scope, period = scope_and_period(request)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for indicator in indicators.indicators(scope, period):
        sheet = workbook.create_sheet(indicator.key.capitalize())
        sheet.append([indicator.title, period.label])
        sheet["A1"].font = Font(bold=True)
        sheet.append([indicator.definition])
        for table in indicator.tables:
            sheet.append([])
            sheet.append([table.caption])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            sheet.append(table.columns)
            for row in table.rows:
                sheet.append([cell if isinstance(cell, int | float) else str(cell) for cell in row])
        sheet.column_dimensions["A"].width = 40
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(period, "xlsx")}"'
    return response


def year_report_view(site, request, year: str):
    """One year's indicators on A4 (the print stylesheet), with the coverage map. A year
    that is not a year of the site answers 404 with a Dutch explanation."""
    if not keeps_the_map(request.user):
        raise PermissionDenied
    period = Period.parse(year) if re.fullmatch(r"[0-9]{4}", year) else None
    if period is None:
        choices = [p for p in indicators.period_choices() if p.half is None]
        message = _(
            "Voor ‘%(year)s’ is er geen jaarverslag. Kies een jaar van %(first)s tot en met "
            "%(last)s."
        ) % {"year": year[:20], "first": choices[-1].year, "last": choices[0].year}
        body = render_to_string(
            "admin/indicators/not_found.html",
            {**site.each_context(request), "title": _("Geen jaarverslag"), "message": message},
            request,
        )
        return HttpResponseNotFound(body)
    context = context_for(
        site, request, title=_("Jaarverslag %(year)s") % {"year": period.year}, period=period
    )
    context["coverage_map"] = indicators.coverage_map(context["scope"])
    return TemplateResponse(request, "admin/indicators/year_report.html", context)
