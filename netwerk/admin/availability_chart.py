"""'Beschikbaarheid door de tijd': free places per week over the last year, per care setting and
per place, as a chart, a table and a CSV file (issue 13).

Scoped as the list of places: administrators all places, coordinators their regions', editors
their own organisations'. The figures come from the availability history
(netwerk.places.occupancy); the chart is netwerk.coordination.charts.
"""

import csv
import itertools
from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netwerk.admin.scoping import has_role
from netwerk.coordination.charts import Series, line_chart, number
from netwerk.directory.access import coordinated_regions, is_administrator, keeps_the_map
from netwerk.directory.organisations import Organisation
from netwerk.places import occupancy
from netwerk.places.places import CareSetting
from netwerk.reference.geography import Region


def may_read(user) -> bool:
    return is_administrator(user) or has_role(user)


def regions_for(user):
    """The regions a role filters by: their own for coordinators, all for the others (an
    editor's organisation may lie in any)."""
    if is_administrator(user) or not coordinated_regions(user).exists():
        return Region.objects.order_by("name")
    return coordinated_regions(user).order_by("name")


def region_field() -> forms.ModelChoiceField:
    """A filter by region, by its slug; the form sets the regions the role may choose."""
    return forms.ModelChoiceField(
        label=gettext_lazy("Regio"),
        queryset=Region.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Alle regio’s"),
        error_messages={"invalid_choice": gettext_lazy("Kies een van de regio’s uit de lijst.")},
    )


class ChartFilterForm(forms.Form):
    zorgsetting = forms.ChoiceField(
        label=gettext_lazy("Zorgsetting"),
        choices=[("", gettext_lazy("Alle zorgsettings")), *CareSetting.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Kies een van de zorgsettings.")},
    )
    regio = region_field()
    plek = forms.TypedChoiceField(
        label=gettext_lazy("Plek"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Kies een van de plekken uit de lijst.")},
    )

    def __init__(self, *args, places, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regio"].queryset = regions
        self.fields["plek"].choices = [("", _("Alle plekken")), *places]


def filtered_places(model_admin, request):
    """(form, places shown): bad parameters are named in the form, and the page then shows
    everything in scope."""
    scoped = list(
        model_admin.get_queryset(request)
        .select_related("organisation", "location__organisation")
        .order_by("organisation__name", "setting", "pk")
    )
    choices = [(place.pk, str(place)) for place in scoped]
    form = ChartFilterForm(request.GET or None, places=choices, regions=regions_for(request.user))
    places = scoped
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["zorgsetting"]:
            places = [place for place in places if place.setting == data["zorgsetting"]]
        if data["regio"]:
            in_region = set(
                Organisation.objects.in_region(data["regio"]).values_list("pk", flat=True)
            )
            places = [place for place in places if place.organisation_id in in_region]
        if data["plek"]:
            places = [place for place in places if place.pk == data["plek"]]
    return form, places


def weekly_figures(places, boundaries: list[datetime]) -> dict:
    """Per place: seconds per status per week, and the free places per week."""
    spans = occupancy.timelines(places, start=boundaries[0], end=boundaries[-1])
    figures = {}
    for place in places:
        weeks = occupancy.split(spans[place.pk], boundaries)
        lengths = [(b - a).total_seconds() for a, b in itertools.pairwise(boundaries)]
        free = [
            place.capacity * week["available"] / length
            for week, length in zip(weeks, lengths, strict=True)
        ]
        total = {status: sum(week[status] for week in weeks) for status in occupancy.STATUSES}
        figures[place.pk] = {"weeks": weeks, "free": free, "total": total}
    return figures


def chart_data(request, model_admin) -> dict:
    form, places = filtered_places(model_admin, request)
    boundaries = occupancy.week_starts(timezone.localdate())
    figures = weekly_figures(places, boundaries)
    week_labels = [date_format(timezone.localtime(start), "j M") for start in boundaries[:-1]]
    settings = [value for value in CareSetting.values if any(p.setting == value for p in places)]
    labels = dict(CareSetting.choices)
    one_place = len(places) == 1 and form.is_bound and form.is_valid() and form.cleaned_data["plek"]
    if one_place:
        series = [Series(str(places[0]), figures[places[0].pk]["free"])]
    else:
        series = [
            Series(
                str(labels[setting]),
                [
                    sum(figures[p.pk]["free"][i] for p in places if p.setting == setting)
                    for i in range(len(week_labels))
                ],
            )
            for setting in settings
        ]
    rows = []
    for place in places:
        total = figures[place.pk]["total"]
        rows.append(
            {
                "place": place,
                "average_free": sum(figures[place.pk]["free"]) / len(week_labels),
                "free_place_days": occupancy.free_place_days(total, place.capacity),
                "shares": occupancy.shares(total),
            }
        )
    return {
        "form": form,
        "places": places,
        "boundaries": boundaries,
        "week_labels": week_labels,
        "series": series,
        "rows": rows,
        "figures": figures,
    }


def chart_view(model_admin, request):
    if not may_read(request.user):
        raise PermissionDenied
    data = chart_data(request, model_admin)
    first, last = data["boundaries"][0], data["boundaries"][-1]
    period = _("%(start)s tot en met %(end)s") % {
        "start": date_format(timezone.localtime(first), "j F Y"),
        "end": date_format(timezone.localtime(last) - timedelta(days=1), "j F Y"),
    }
    chart = None
    if data["series"]:
        chart = line_chart(
            chart_id="vrije-plekken",
            title=_("Vrije plekken per week"),
            description=_(
                "Gemiddeld aantal vrije plekken per week, %(period)s, per %(per)s. "
                "De tabel onder de grafiek geeft dezelfde cijfers."
            )
            % {
                "period": period,
                "per": _("plek") if len(data["series"]) == 1 else _("zorgsetting"),
            },
            x_labels=data["week_labels"],
            series=data["series"],
            y_label=_("vrije plekken"),
        )
    table = [
        [label, *(number(item.values[index]) for item in data["series"])]
        for index, label in enumerate(data["week_labels"])
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Beschikbaarheid door de tijd"),
        "period": period,
        "chart": chart,
        "table": table,
        "csv_query": request.GET.urlencode(),
        "show_indicators": keeps_the_map(request.user),
        **data,
    }
    return TemplateResponse(request, "admin/netwerk/place/availability_statistics.html", context)


def csv_view(model_admin, request):
    """The whole year, one row per place and week: the figures behind the chart."""
    if not may_read(request.user):
        raise PermissionDenied
    data = chart_data(request, model_admin)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="beschikbaarheid-per-week.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the accents right
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("week vanaf"),
            _("organisatie"),
            _("plek"),
            _("zorgsetting"),
            _("aantal plekken"),
            _("vrije plekken (gemiddeld)"),
            _("vrije-plekdagen"),
            _("deel beschikbaar"),
            _("deel op aanvraag"),
            _("deel vol"),
            _("deel onbekend"),
        ]
    )
    labels = dict(CareSetting.choices)
    for place in data["places"]:
        figures = data["figures"][place.pk]
        for start, week, free in zip(
            data["boundaries"], figures["weeks"], figures["free"], strict=False
        ):
            shares = occupancy.shares(week)
            writer.writerow(
                [
                    timezone.localtime(start).date().isoformat(),
                    place.organisation.name,
                    str(place),
                    labels[place.setting],
                    place.capacity,
                    number(free, 2),
                    number(occupancy.free_place_days(week, place.capacity), 2),
                    *(number(shares[status], 3) for status in occupancy.STATUSES),
                ]
            )
    return response
