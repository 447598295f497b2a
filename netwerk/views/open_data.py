"""The open data: the read-only HSDS API under /api/v1/ and the human page /open-data/.

Every API response is the same for everyone (no session, no user, always Dutch), so it is
cached per version of the published data, question and site address for at most five minutes
(availability turns "onbekend" with time, holidays and exceptions pass), and answered with a weak
ETag over its bytes (`If-None-Match` gives a 304), gzipped when the client accepts it, with
`Access-Control-Allow-Origin: *` for GET so that another network's map can read it from the
browser, and a rate limit per address (`OPEN_DATA_API_RATE`).
"""

import hashlib
import json
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited

from netwerk.open_data import api, export
from netwerk.open_data.hsds import Context
from netwerk.open_data.openapi import openapi_document
from netwerk.open_data.parameters import BadParameter, cache_key_part, question_from
from netwerk.search.data_version import versioned_cache_key

CACHE_SECONDS = 300
BROWSER_SECONDS = 60
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Expose-Headers": "ETag",
    "Access-Control-Max-Age": "86400",
}


def api_rate(group, request) -> str:
    return settings.OPEN_DATA_API_RATE


def json_response(data, *, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return HttpResponse(body, status=status, content_type="application/json")


def error(message: str, status: int) -> HttpResponse:
    return json_response({"error": str(message), "status": status}, status=status)


def etag_of(body: bytes) -> str:
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def finished(response: HttpResponse) -> HttpResponse:
    for name, value in CORS_HEADERS.items():
        response[name] = value
    patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def api_endpoint(view):
    """What every API address shares: GET/HEAD (and the CORS preflight) only, the rate limit,
    Dutch, validated parameters (400 with a Dutch message), the cached body, ETag and gzip.
    `view(request, question, context, **kwargs)` returns a dict, or None for a 404."""

    @wraps(view)
    def endpoint(request, **kwargs):
        if request.method == "OPTIONS":
            return finished(HttpResponse(status=204))
        if request.method not in ("GET", "HEAD"):
            response = error(_("Deze API kan alleen gelezen worden (GET)."), 405)
            response["Allow"] = "GET, HEAD, OPTIONS"
            return finished(response)
        with override("nl"):
            if is_ratelimited(
                request, group="open_data_api", key="ip", rate=api_rate, increment=True
            ):
                response = error(_("Te veel verzoeken van dit adres; probeer het later."), 429)
                response["Retry-After"] = "60"
                return finished(response)
            try:
                question = question_from(request.GET)
            except BadParameter as problem:
                return finished(error(str(problem), 400))
            if "pk" in kwargs:
                try:
                    kwargs["pk"] = uuid.UUID(kwargs["pk"])
                except ValueError:
                    return finished(error(_("Niet gevonden: een id is een UUID."), 404))
            base_url = request.build_absolute_uri("/")
            key = versioned_cache_key("api", base_url, request.path, cache_key_part(request.GET))
            body = cache.get(key)
            if body is None:
                data = view(request, question, Context(base_url=base_url), **kwargs)
                if data is None:
                    return finished(error(_("Niet gevonden."), 404))
                body = json_response(data).content
                cache.set(key, body, CACHE_SECONDS)
        etag = etag_of(body)
        # Django compares weakly (RFC 9110): gzip may have weakened the tag the client holds.
        response = get_conditional_response(request, etag=etag) or HttpResponse(
            body, content_type="application/json"
        )
        response["ETag"] = etag
        return finished(response)

    return gzip_page(endpoint)


@api_endpoint
def api_root(request, question, context):
    return api.root(question, context)


@api_endpoint
def organizations(request, question, context):
    return api.organisations(question, context)


@api_endpoint
def organization(request, question, context, pk):
    return api.organisation(pk, context)


@api_endpoint
def services(request, question, context):
    return api.services(question, context)


@api_endpoint
def service(request, question, context, pk):
    return api.service(pk, context)


@api_endpoint
def service_at_locations(request, question, context):
    return api.service_at_locations(question, context)


@api_endpoint
def taxonomies(request, question, context):
    return api.taxonomies(question, context)


@api_endpoint
def taxonomy(request, question, context, pk):
    return api.taxonomy(pk, context)


@api_endpoint
def taxonomy_terms(request, question, context):
    return api.taxonomy_terms(question, context)


@api_endpoint
def taxonomy_term(request, question, context, pk):
    return api.taxonomy_term(pk, context)


@api_endpoint
def openapi(request, question, context):
    return openapi_document(context)


@require_safe
def open_data_page(request):
    """What is published, under which licence, with attribution, examples and downloads."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = render(
        request,
        "netwerk/open_data.html",
        {
            "api_url": f"{base_url}/api/v1/",
            "base_url": base_url,
            "licence_name": settings.OPEN_DATA_LICENCE_NAME,
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
            "downloads": export.published_snapshots(),
        },
    )
    return response


@require_safe
def download(request, filename):
    """A dated download written by `manage.py export_open_data`; only its own file names."""
    path = export.snapshot_path(filename)
    if path is None:
        raise Http404
    content_type = "application/zip" if filename.endswith(".zip") else "application/json"
    response = FileResponse(path.open("rb"), content_type=content_type, as_attachment=True)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=3600)
    return response
