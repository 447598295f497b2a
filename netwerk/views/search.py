"""The sociale kaart: search list, and the same search as GeoJSON and CSV."""

import csv
import gzip
from functools import partial
from html import escape

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from netwerk.consultation.holiday_choice import network_holiday_calendar
from netwerk.consultation.lines import ConsultationLine
from netwerk.consultation.who_to_call import line_now, seconds_until_next_change
from netwerk.coordination.spreadsheet_cells import escape_cell
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.neighbours.outside import postcode_answer
from netwerk.places.places import CareSetting, Place
from netwerk.reference.expertise import name_in_language
from netwerk.reference.geography import Municipality, Region
from netwerk.search.filters import OrganisationFilterSet
from netwerk.search.map_data import (
    asks_for_everything,
    filtered_map_gzipped,
    locations_of,
    whole_map_gzipped,
    whole_map_version,
)
from netwerk.search.page_cache import cached_body
from netwerk.search.usage import QuestionKind, count_named_question
from netwerk.views.embedding import embeddable

PAGE_SIZE = 20
SEARCH_PARAMETERS = {*OrganisationFilterSet.base_filters, "pagina"}
REPEATABLE = {"soort", "expertise"}


def filterset_for(query) -> OrganisationFilterSet:
    return OrganisationFilterSet(
        query, queryset=Organisation.objects.published().without_search_documents()
    )


def the_question(request) -> QueryDict:
    """The parameters the search reads, in a fixed order: unknown ones are dropped (they would
    otherwise make new cache entries and ride along in every link), and the values of a
    repeatable filter are sorted (their order means nothing)."""
    question = QueryDict(mutable=True)
    for name in sorted(SEARCH_PARAMETERS):
        values = request.GET.getlist(name)
        if values:
            question.setlist(name, sorted(values) if name in REPEATABLE else values)
    if request.GET.get("embed") == "1":  # an embedded page's links stay embedded
        question["embed"] = "1"
    return question


@embeddable
@require_safe
def search_page(request):
    """The search page. Its body (form, results, map) is the same for everyone asking the same
    question in the same language and role, so it is cached until the data changes or a
    consultation line shown in it opens or closes; only the layout around it is rendered anew."""
    body = search_body(request)
    count_search(the_question(request))
    return render(
        request,
        "netwerk/search.html",
        {"query_text": request.GET.get("q", "")[:200], "body": body},
    )


@embeddable
@require_safe
def search_fragment(request):
    """The search page's body alone (form, results, map) for static/js/search-panel.js, which
    swaps it in without a reload: the same cached body as the page, so a filter ticked on a
    phone costs what the page costs, and strange parameters get the same Dutch messages."""
    count_search(the_question(request))  # a filter ticked is a question asked
    response = HttpResponse(search_body(request))
    patch_vary_headers(response, ["Cookie"])  # professionals see more lines (page_cache.role_of)
    return response


NOT_A_QUESTION = {"pagina", "sortering", "embed"}


def count_search(question: QueryDict) -> None:
    """One counter write per search asked (issue 15), also when the body came from the cache;
    browsing to another page or order of the same search is not a new question."""
    if set(question) - NOT_A_QUESTION:
        count_named_question(
            QuestionKind.SEARCH,
            municipality_code=question.get("gemeente", ""),
            tag_slug=question.get("expertise", ""),
        )


def search_body(request) -> str:
    question = the_question(request)
    render = partial(render_search_body, request, question)
    return cached_body("search", request, render, question=question.urlencode(), per_role=True)


def render_search_body(request, question: QueryDict) -> tuple[str, int]:
    """The body's HTML, and how many seconds it stays true."""
    filterset = filterset_for(question)
    page, page_error = paginate(filterset.qs, question.get("pagina"))
    organisations = with_result_details(page.object_list, request.user)
    now = timezone.now()
    # The network's holidays, read once for the page and only when a result has a line.
    calendar = (
        network_holiday_calendar()
        if any(organisation.visible_lines for organisation in organisations)
        else None
    )
    results = [result_for(organisation, now, calendar) for organisation in organisations]
    everything_shown = question.copy()
    everything_shown.pop("pagina", None)  # the map and the downloads hold every page
    html = render_to_string(
        "netwerk/search_body.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "results": results,
            "page_error": page_error,
            "active_filters": active_filters(question, filterset),
            "question": question,
            "geojson_url": f"{reverse('netwerk:search_geojson')}?{everything_shown.urlencode()}",
            "municipality_options": municipality_options(question.get("gemeente", "")),
            "place_answer": postcode_answer(filterset.centre, request.user),
        },
        request=request,
    )
    lines = [line for result in results for line in result["lines"]]
    return html, seconds_until_next_change(lines, now)


def municipality_options(selected: str) -> str:
    """The <option>s of the municipality filter, written here: 342 widget options cost more than
    the rest of the page. Only the network's own municipalities (the one region rule) are
    offered, and the one asked for if it lies outside them; any other is asked for by postcode."""
    ours = Municipality.objects.covered_by(Region.objects.all())
    rows = (
        Municipality.objects.filter(Q(pk__in=list(ours)) | Q(code=selected))
        .order_by("name")
        .values_list("code", "name")
    )
    return mark_safe(
        "".join(
            f'<option value="{escape(code)}"{" selected" if code == selected else ""}>'
            f"{escape(name)}</option>"
            for code, name in rows
        )
    )


def paginate(queryset, number):
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(int(number or 1)), None
    except (ValueError, TypeError):
        return paginator.page(1), _("Paginanummer %(page)s bestaat niet; dit is pagina 1.") % {
            "page": number
        }
    except EmptyPage:  # past the end or below 1
        return paginator.page(paginator.num_pages), _(
            "Pagina %(page)s bestaat niet; dit is de laatste pagina."
        ) % {"page": number}


def with_result_details(organisations, user) -> list[Organisation]:
    """The page's organisations with what a result shows, in a fixed number of queries."""
    organisations = list(organisations)
    prefetch_related_objects(
        organisations,
        "expertise",
        Prefetch("locations", queryset=Location.objects.order_by("city", "pk")),
        Prefetch("places", queryset=Place.objects.order_by("setting", "pk")),
        Prefetch(
            "consultation_lines",
            queryset=ConsultationLine.objects.active().for_audience_of(user).with_schedule(),
            to_attr="visible_lines",
        ),
    )
    return organisations


def result_for(organisation, now, calendar) -> dict:
    places = list(organisation.places.all())
    return {
        "organisation": organisation,
        "cities": sorted({location.city for location in organisation.locations.all()}),
        "available_places": sum(
            1 for place in places if place.public_availability(now) == "available"
        ),
        "lines": [line_now(line, now, calendar) for line in organisation.visible_lines],
    }


def active_filters(question: QueryDict, filterset) -> list[dict]:
    """Each active filter value with a link that removes just that value."""
    labels = {
        "soort": dict(OrganisationKind.choices),
        "zorgsetting": dict(CareSetting.choices),
    }
    if question.getlist("expertise"):  # one query, only when a tag is asked for
        queryset = filterset.form.fields["expertise"].queryset
        labels["expertise"] = {
            slug: name_in_language(name, name_en)
            for slug, name, name_en in queryset.values_list("slug", "name", "name_en")
        }
    active = []
    for name in (
        "q",
        "soort",
        "zorgsetting",
        "expertise",
        "gemeente",
        "regio",
        "postcode",
        "afstand",
        "beschikbaar",
    ):
        for value in question.getlist(name):
            if not value or name in filterset.form.errors:
                continue
            query = question.copy()
            query.setlist(name, [v for v in query.getlist(name) if v != value])
            query.pop("pagina", None)
            label = labels.get(name, {}).get(value, value)
            if name == "afstand":
                chip = _("binnen %(km)s km") % {"km": value}
            else:
                chip = f"{filterset.form.fields[name].label}: {label}"
            active.append(
                {
                    "label": chip,
                    "remove_url": f"?{query.urlencode()}",
                }
            )
    return active


# --- GeoJSON and CSV ----------------------------------------------------------------------------


@require_safe
def search_geojson(request):
    """The search as GeoJSON, one feature per location, gzipped for clients that accept it. The
    whole map comes from the cache, or as a 304, while the data stays the same."""
    question = the_question(request)
    language = request.LANGUAGE_CODE
    etag = None
    if asks_for_everything(question):
        version = whole_map_version(language)
        etag = f'W/"{version}"'
        if not_modified := get_conditional_response(request, etag=etag):
            return with_map_headers(not_modified, etag)
        gzipped = whole_map_gzipped(language, version)
    else:
        gzipped = filtered_map_gzipped(question, language, filterset_for(question).qs)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(gzipped, content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(gzipped), content_type="application/geo+json")
    return with_map_headers(response, etag)


def with_map_headers(response, etag: str | None):
    if etag:
        response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=60"
    patch_vary_headers(response, ["Accept-Encoding", "Accept-Language"])
    return response


CSV_HEADER = [
    "naam",
    "soort",
    "straat",
    "huisnummer",
    "postcode",
    "plaats",
    "telefoon",
    "website",
    "e-mail",
    "breedtegraad",
    "lengtegraad",
]


@require_safe
def search_csv(request):
    """The search as a spreadsheet: UTF-8 with BOM and ';' so Dutch Excel opens it as it is."""
    kinds = dict(OrganisationKind.choices)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sociale-kaart.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_HEADER)
    rows = locations_of(filterset_for(request.GET).qs).values_list(
        "organisation__name",
        "organisation__kind",
        "street",
        "house_number",
        "postcode",
        "city",
        "organisation__phone",
        "organisation__website",
        "organisation__email",
        "latitude",
        "longitude",
    )
    for name, kind, street, number, postcode, city, phone, website, email, lat, lon in rows:
        phone = phone_text(phone)
        row = [name, kinds[kind], street, number, postcode, city, phone, website, email, lat, lon]
        writer.writerow([escape_cell(cell) for cell in row])
    return response


def phone_text(phone) -> str:
    """Dutch numbers as Dutch people write them; others with their country code."""
    if not phone:
        return ""
    return phone.as_national if phone.country_code == 31 else phone.as_international
