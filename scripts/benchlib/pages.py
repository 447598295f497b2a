"""The pages timed in-process: Django's test client through the project's whole middleware stack
(production settings: DEBUG off, manifest static files, https), `time.perf_counter()` (and the
process's own CPU time, `time.thread_time()`, which other work on the machine does not inflate)
around each request after warm-up requests; the queries counted in one more, untimed request.

Before every request a page's `prepare` runs, untimed:
    None      nothing: what the next visitor with the same question gets (caches warm)
    "clear"   `cache.clear()`: uncached, the first visitor of a question
    "change"  the published version raised (`published_data_changed()`): the first request after
              a data change, which builds the whole map
"""

import gzip
import json
import math
import statistics
import sys
import time
import types
from pathlib import Path

from benchlib import progress

MINIMAL_URL = "/__bench_minimal/"
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}
SEARCHES = {
    "text": "q=hospice",
    "typo": "q=verslavng",
    "filters": "soort=hospice&zorgsetting=hospice&beschikbaar=true",
    "distance": "postcode=3511&afstand=25",
}
# name: (label, url, prepare, headers); "{slug}" is an organisation with much to show.
PAGES = {
    "minimal": ("minimal view `HttpResponse('ok')`", MINIMAL_URL, None, {}),
    "privacy": ("`/privacy/` (template floor, no query)", "/privacy/", None, {}),
    "home": ("home `/`, cached", "/", None, {}),
    "home_cold": ("home `/`, uncached", "/", "clear", {}),
    **{
        f"search_{name}": (f"search {name} `?{query}`, cached", f"/zoeken/?{query}", None, {})
        for name, query in SEARCHES.items()
    },
    **{
        f"search_{name}_cold": (f"search {name}, uncached", f"/zoeken/?{query}", "clear", {})
        for name, query in SEARCHES.items()
    },
    "organisation": ("organisation page, uncached", "/organisaties/{slug}/", "clear", {}),
    "who_to_call": (
        "Wie bel ik nu? `?postcode=3511`, uncached",
        "/wie-bel-ik-nu/?postcode=3511",
        "clear",
        {},
    ),
    "place_finder": (
        "Plek zoeken `?postcode=3511&zorgsetting=hospice&achtergrond=psychiatrie`, uncached",
        "/plek-zoeken/?postcode=3511&zorgsetting=hospice&achtergrond=psychiatrie",
        "clear",
        {},
    ),
    "geojson_build": (
        "whole map, after a data change (built)",
        "/zoeken/kaart.geojson",
        "change",
        GZIP,
    ),
    "geojson_cached": ("whole map, repeated (cache)", "/zoeken/kaart.geojson", None, GZIP),
    "geojson_304": (
        "whole map, repeated with If-None-Match (304)",
        "/zoeken/kaart.geojson",
        None,
        GZIP,
    ),
    "export_csv": ("CSV export of all `/zoeken/export.csv`", "/zoeken/export.csv", None, {}),
    "api_organizations": (
        "open data API `/api/v1/organizations`, first page, uncached",
        "/api/v1/organizations",
        "clear",
        {},
    ),
    "api_services": (
        "open data API `/api/v1/services?postcode=3511`, uncached",
        "/api/v1/services?postcode=3511",
        "clear",
        {},
    ),
    "api_organizations_cached": (
        "open data API `/api/v1/organizations`, repeated (cache)",
        "/api/v1/organizations",
        None,
        {},
    ),
}
# The floor is timed often; the CSV of every location is slow, so it gets few.
REPEATS = {"minimal": 200, "export_csv": 5}
WARMUPS = {"minimal": 50, "export_csv": 1}


def minimal_view(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def configure(static_root: str) -> None:
    """The project's URLs plus the minimal view; static files collected as in production."""
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django.urls import path

    from expertisekaart import urls as project_urls

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [
        path(MINIMAL_URL.strip("/") + "/", minimal_view),
        *project_urls.urlpatterns,
    ]
    sys.modules["bench_urls"] = module
    override_settings(ROOT_URLCONF="bench_urls", STATIC_ROOT=static_root).enable()
    if not (Path(static_root) / "staticfiles.json").exists():
        progress("collectstatic (manifest static files, as in production)")
        call_command("collectstatic", interactive=False, verbosity=0)


def measure(repeat: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from netwerk.search.data_version import published_data_changed

    client = Client()
    slug = showcase_slug()
    progress(f"measuring ({repeat} timed requests per page after warm-up); organisation: {slug}")
    prepares = {None: lambda: None, "clear": cache.clear, "change": published_data_changed}
    results = {}
    for name, (_label, url, how, headers) in PAGES.items():
        url, before = url.format(slug=slug), prepares[how]
        if name == "geojson_304":
            etag = client.get(url, secure=True, **headers).get("ETag", '"none"')
            headers = {**headers, "HTTP_IF_NONE_MATCH": etag}
        try:
            for _ in range(WARMUPS.get(name, 3)):
                before()
                client.get(url, secure=True, **headers)
            times, cpu = [], []
            for _ in range(repeats(name, repeat)):
                before()
                start, start_cpu = time.perf_counter(), time.thread_time()
                client.get(url, secure=True, **headers)
                times.append(time.perf_counter() - start)
                cpu.append(time.thread_time() - start_cpu)
            before()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, secure=True, **headers)
        except Exception as error:  # reported per page, e.g. a table not migrated yet
            message = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
            progress(f"{name}: FAILED {message}")
            results[name] = {"url": url, "error": message}
            continue
        r = results[name] = page_result(name, url, response, times, cpu, queries)
        progress(
            f"{name:20} {r['status']} median {r['median_ms']:8.2f} ms  p95 {r['p95_ms']:8.2f} ms  "
            f"{r['queries']:3} queries  {r['bytes']:>10,} bytes"
            + (f"  ({r['matches']:,} matches)" if "matches" in r else "")
        )
        if r["slowest_query_ms"] > 5:
            progress(
                f"    slowest query {r['slowest_query_ms']:.1f} ms: {r['slowest_query'][:300]}"
            )
    return results


def repeats(name: str, repeat: int) -> int:
    return max(repeat, REPEATS["minimal"]) if name == "minimal" else REPEATS.get(name, repeat)


def showcase_slug() -> str:
    """A published organisation with much to show: locations, contacts and consultation lines."""
    from django.db.models import Count, Exists, OuterRef

    from netwerk.consultation.lines import ConsultationLine
    from netwerk.directory.organisations import Organisation

    published = Organisation.objects.published()
    slug = (
        published.filter(Exists(ConsultationLine.objects.filter(organisation=OuterRef("pk"))))
        .annotate(n=Count("locations", distinct=True), c=Count("contacts", distinct=True))
        .order_by("-n", "-c", "pk")
        .values_list("slug", flat=True)
        .first()
    )
    return slug or published.values_list("slug", flat=True)[0]


def page_result(name, url, response, times, cpu, queries) -> dict:
    content = response.content
    gzipped = response.get("Content-Encoding") == "gzip"
    raw = gzip.decompress(content) if gzipped else content
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
    result = {
        "url": url,
        "status": response.status_code,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": percentile(times, 95) * 1000,
        "cpu_ms": statistics.median(cpu) * 1000,
        "samples": len(times),
        "queries": len(queries.captured_queries),
        "bytes": len(raw),
        "gzip_bytes": len(content) if gzipped else len(gzip.compress(raw, 6)),
        "served_gzip": gzipped,
        "slowest_query_ms": float(slowest["time"]) * 1000 if slowest else 0.0,
        "slowest_query": slowest["sql"] if slowest else "",
    }
    if name.startswith("search_"):
        result["matches"] = search_matches(url)
    if name.startswith("geojson") and response.status_code == 200:
        result["features"] = len(json.loads(raw)["features"])
    return result


def search_matches(url: str) -> int:
    from django.http import QueryDict

    from netwerk.directory.organisations import Organisation
    from netwerk.search.filters import OrganisationFilterSet

    query = QueryDict(url.partition("?")[2])
    return OrganisationFilterSet(query, queryset=Organisation.objects.published()).qs.count()


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]
