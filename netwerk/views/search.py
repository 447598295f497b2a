"""The sociale kaart: search list, and the same search as GeoJSON and CSV."""

import csv
import gzip
import hashlib
import json
import time

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from netwerk.consultation import ConsultationLine
from netwerk.filters import OrganisationFilterSet
from netwerk.geography import Municipality
from netwerk.locations import Location
from netwerk.organisations import Organisation, OrganisationKind
from netwerk.places import Place
from netwerk.views.organisations import line_with_status

PAGE_SIZE = 20
GEOJSON_CACHE_SECONDS = 300


def filterset_for(request) -> OrganisationFilterSet:
    return OrganisationFilterSet(
        request.GET, queryset=Organisation.objects.published().without_search_documents()
    )


@require_safe
def search_page(request):
    filterset = filterset_for(request)
    page, page_error = paginate(filterset.qs, request.GET.get("pagina"))
    organisations = with_result_details(page.object_list, request.user)
    now = timezone.now()
    querystring = querystring_without(request, "pagina")
    return render(
        request,
        "netwerk/search.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "results": [result_for(organisation, now) for organisation in organisations],
            "page_error": page_error,
            "active_filters": active_filters(request, filterset),
            "querystring": querystring,
            "geojson_url": f"{reverse('netwerk:search_geojson')}?{querystring}",
            "municipality_options": municipality_options(request.GET.get("gemeente", "")),
        },
    )


def municipality_options(selected: str) -> str:
    """The <option>s of the municipality filter, built in Python: 342 widget templates cost more
    than the rest of the page."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (code, mark_safe(" selected") if code == selected else "", name)
            for code, name in Municipality.objects.order_by("name").values_list("code", "name")
        ),
    )


def paginate(queryset, number):
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(int(number or 1)), None
    except (ValueError, TypeError):
        return paginator.page(1), _("Paginanummer %(page)s bestaat niet; dit is pagina 1.") % {
            "page": number
        }
    except Exception:  # EmptyPage: past the end or below 1
        return paginator.page(paginator.num_pages), _(
            "Pagina %(page)s bestaat niet; dit is de laatste pagina."
        ) % {"page": number}


def with_result_details(organisations, user) -> list[Organisation]:
    """The page's organisations with what a result shows, in a fixed number of queries."""
    ids = [organisation.pk for organisation in organisations]
    details = (
        Organisation.objects.without_search_documents()
        .filter(pk__in=ids)
        .prefetch_related(
            "expertise",
            Prefetch("locations", queryset=Location.objects.order_by("city", "pk")),
            Prefetch("places", queryset=Place.objects.order_by("setting", "pk")),
            Prefetch(
                "consultation_lines",
                queryset=ConsultationLine.objects.active().for_audience_of(user).with_schedule(),
                to_attr="visible_lines",
            ),
        )
    )
    by_pk = {organisation.pk: organisation for organisation in details}
    for organisation in organisations:
        detailed = by_pk[organisation.pk]
        detailed.distance = getattr(organisation, "distance", None)
    return [by_pk[pk] for pk in ids]


def result_for(organisation, now) -> dict:
    places = list(organisation.places.all())
    return {
        "organisation": organisation,
        "cities": sorted({location.city for location in organisation.locations.all()}),
        "available_places": sum(
            1 for place in places if place.public_availability(now) == "available"
        ),
        "lines": [line_with_status(line, now) for line in organisation.visible_lines],
    }


def querystring_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def active_filters(request, filterset) -> list[dict]:
    """Each active filter value with a link that removes just that value."""
    labels = {
        "soort": dict(OrganisationKind.choices),
        "expertise": dict(filterset.form.fields["expertise"].queryset.values_list("slug", "name")),
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
        for value in request.GET.getlist(name):
            if not value or name in filterset.form.errors:
                continue
            query = request.GET.copy()
            query.setlist(name, [v for v in query.getlist(name) if v != value])
            query.pop("pagina", None)
            label = labels.get(name, {}).get(value, value)
            active.append(
                {
                    "label": f"{filterset.form.fields[name].label}: {label}",
                    "remove_url": f"?{query.urlencode()}",
                }
            )
    return active


# --- GeoJSON and CSV ----------------------------------------------------------------------------


def locations_of(filterset):
    """The locations (with coordinates) of the matching organisations."""
    return Location.objects.filter(
        organisation__in=filterset.qs.order_by().values("pk"), latitude__isnull=False
    ).order_by("organisation__name", "pk")


def data_version(request) -> str:
    """Changes whenever the data behind a search may have changed, and at least every few
    minutes (availability goes stale with time); the ETag and cache key of the GeoJSON."""
    organisations = Organisation.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    locations = Location.objects.aggregate(count=Count("pk"), last=Max("pk"))
    places = Place.objects.aggregate(changed=Max("availability_updated_at"))
    period = int(time.time() // GEOJSON_CACHE_SECONDS)
    raw = f"{request.GET.urlencode()}|{organisations}|{locations}|{places}|{period}"
    return hashlib.sha256(f"{raw}|{request.LANGUAGE_CODE}".encode()).hexdigest()[:32]


@require_safe
def search_geojson(request):
    """The search as GeoJSON, one feature per location; answered from the cache or with a 304
    while the data stays the same, and gzipped for clients that accept it."""
    version = data_version(request)
    etag = f'W/"{version}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        response = HttpResponse(
            geojson_bytes(request, version, gzipped=gzipped), content_type="application/geo+json"
        )
        if gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=60"
    patch_vary_headers(response, ["Accept-Encoding", "Accept-Language"])
    return response


def geojson_bytes(request, version: str, *, gzipped: bool) -> bytes:
    key = f"netwerk:geojson:{version}:{'gzip' if gzipped else 'plain'}"
    body = cache.get(key)
    if body is None:
        plain = json.dumps(geojson_for(filterset_for(request)), separators=(",", ":")).encode()
        body = gzip.compress(plain, compresslevel=6) if gzipped else plain
        cache.set(key, body, GEOJSON_CACHE_SECONDS)
    return body


def geojson_for(filterset) -> dict:
    kinds = {value: str(label) for value, label in OrganisationKind.choices}
    url_prefix = reverse("netwerk:organisation", kwargs={"slug": "x"})[:-2]
    rows = locations_of(filterset).values_list(
        "latitude",
        "longitude",
        "organisation__name",
        "organisation__slug",
        "organisation__kind",
        "city",
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {
                    "name": name,
                    "kind": kinds[kind],
                    "url": f"{url_prefix}{slug}/",
                    "city": city,
                },
            }
            for lat, lon, name, slug, kind, city in rows
        ],
    }


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
    rows = locations_of(filterset_for(request)).values_list(
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
        writer.writerow(
            [name, kinds[kind], street, number, postcode, city, phone, website, email, lat, lon]
        )
    return response


def phone_text(phone) -> str:
    return phone.as_national if phone else ""
