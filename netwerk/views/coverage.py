"""The public coverage page: where in the network an expertise or care setting is offered and
where not (`netwerk.search.coverage` holds the logic; this view reads the question, caches
the body per data version and writes the CSV)."""

import csv
import json
from functools import partial
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from netwerk.places.places import CareSetting
from netwerk.reference.expertise import ExpertiseCategory, ExpertiseTag
from netwerk.reference.geography import Region
from netwerk.search import coverage
from netwerk.search.page_cache import MAX_SECONDS, cached_body
from netwerk.views.embedding import embeddable

PARAMETERS = ("categorie", "expertise", "gevalideerd", "regio", "zorgsetting")
BOUNDARIES = Path(settings.BASE_DIR) / "fixtures" / "nl_gemeenten_2025_simplified.geojson"
# Colour-blind-safe sequential palette (ColorBrewer "Blues", 4 classes above the gap colour).
PALETTE = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]
GAP_COLOUR = "#fdb863"


class BadQuestion(ValueError):
    pass


def the_question(request) -> QueryDict:
    question = QueryDict(mutable=True)
    for name in PARAMETERS:
        value = request.GET.get(name, "").strip()
        if value:
            question[name] = value
    return question


def parse(question: QueryDict) -> coverage.Question:
    """The question's objects, or BadQuestion with a Dutch message."""
    tag = region = None
    if slug := question.get("expertise"):
        tag = ExpertiseTag.objects.filter(slug=slug).first()
        if tag is None:
            raise BadQuestion(_("De expertise “%(value)s” bestaat niet.") % {"value": slug[:50]})
    category = question.get("categorie", "")
    if category and category not in ExpertiseCategory.values:
        raise BadQuestion(_("De categorie “%(value)s” bestaat niet.") % {"value": category[:50]})
    setting = question.get("zorgsetting", "")
    if setting and setting not in CareSetting.values:
        raise BadQuestion(_("De zorgsetting “%(value)s” bestaat niet.") % {"value": setting[:50]})
    if slug := question.get("regio"):
        region = Region.objects.filter(slug=slug).first()
        if region is None:
            raise BadQuestion(_("De regio “%(value)s” bestaat niet.") % {"value": slug[:50]})
    validated = question.get("gevalideerd", "")
    if validated not in ("", "1", "0"):
        raise BadQuestion(_("Gevalideerd is 1 of 0."))
    return coverage.Question(tag, category, setting, region, validated == "1")


def colour(count: int) -> str:
    if count == 0:
        return GAP_COLOUR
    return PALETTE[min(count, len(PALETTE)) - 1]


def boundaries_for(rows) -> dict:
    """The municipality boundaries of the rows, with their figures as properties."""
    by_code = {row.municipality.code: row for row in rows}
    features = []
    for feature in json.loads(BOUNDARIES.read_text())["features"]:
        row = by_code.get(feature["properties"].get("statcode"))
        if row is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "code": row.municipality.code,
                    "name": row.municipality.name,
                    "count": row.count,
                    "nearest_km": row.nearest_km,
                    "colour": colour(row.count),
                    "anchor": f"#gemeente-{row.municipality.code}",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def render_body(request, question: QueryDict) -> tuple[str, int]:
    context = {
        "question": question,
        "tags": ExpertiseTag.objects.order_by("name"),
        "categories": ExpertiseCategory.choices,
        "settings": CareSetting.choices,
        "regions": Region.objects.order_by("name"),
        "palette": PALETTE,
        "gap_colour": GAP_COLOUR,
    }
    try:
        asked = parse(question)
    except BadQuestion as error:
        context["error"] = str(error)
        return render_to_string("netwerk/coverage_body.html", context, request=request), MAX_SECONDS
    rows = coverage.coverage(asked)
    context.update(
        {
            "rows": rows,
            "region_rows": coverage.coverage_by_region(asked, rows),
            "gaps": sum(1 for row in rows if not row.covered),
            "boundaries": boundaries_for(rows),
            "csv_query": question.urlencode(),
        }
    )
    return render_to_string("netwerk/coverage_body.html", context, request=request), MAX_SECONDS


@embeddable
@require_safe
def coverage_page(request):
    question = the_question(request)
    body = cached_body(
        "coverage", request, partial(render_body, request, question), question=question.urlencode()
    )
    status = 400 if "data-coverage-error" in body else 200
    return render(request, "netwerk/coverage.html", {"body": body}, status=status)


@require_safe
def coverage_csv(request):
    try:
        asked = parse(the_question(request))
    except BadQuestion as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="expertise-in-de-regio.csv"'
    writer = csv.writer(response)
    writer.writerow(["gemeentecode", "gemeente", "deels", "aantal_organisaties", "dichtstbij_km"])
    for row in coverage.coverage(asked):
        writer.writerow(
            [
                row.municipality.code,
                row.municipality.name,
                "ja" if row.partly else "nee",
                row.count,
                "" if row.nearest_km is None else row.nearest_km,
            ]
        )
    return response
