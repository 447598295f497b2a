"""Where an uncached page spends its time: cProfile over N requests of the bench's pages.

    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/<name> \
        python scripts/profile_pages.py [--size small|large] [--repeat 10] [--top 40] [page ...]

Runs on a bench database seeded by `make bench` (scripts/bench.py, with --keep the data stays),
with the bench's production settings (DEBUG off), through Django's test client; before every
request the page's own preparation runs (for the uncached pages `cache.clear()`). Prints per page
the median time, the queries with their time, and the profile sorted by cumulative time.
Page names are those of scripts/benchlib/pages.py (default: the four cold pages of issue 11).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import child_environment
from benchlib import BASE_DIR
from benchlib.child import database_urls

DEFAULT_PAGES = [
    "search_text_cold",
    "search_typo_cold",
    "search_filters_cold",
    "search_distance_cold",
    "organisation",
    "who_to_call",
    "place_finder",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", default=DEFAULT_PAGES)
    parser.add_argument("--size", choices=["small", "large"], default="large")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--callers", help="also print the callers of functions matching this")
    args = parser.parse_args()
    os.environ.update(child_environment(database_urls("postgres")[args.size]))

    import django

    sys.path.insert(0, str(BASE_DIR))
    django.setup()
    from benchlib import pages
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from netwerk.search.data_version import published_data_changed

    pages.configure(tempfile.mkdtemp(prefix="expertisekaart-profile-static-"))
    client = Client()
    slug = pages.showcase_slug()
    prepares = {None: lambda: None, "clear": cache.clear, "change": published_data_changed}
    for name in args.pages:
        _label, url, how, headers = pages.PAGES[name]
        url, before = url.format(slug=slug), prepares[how]
        for _ in range(3):
            before()
            client.get(url, secure=True, **headers)
        times = []
        for _ in range(args.repeat):
            before()
            start = time.perf_counter()
            client.get(url, secure=True, **headers)
            times.append(time.perf_counter() - start)
        before()
        queries = []
        with connection.execute_wrapper(timed(queries)):
            client.get(url, secure=True, **headers)
        profile = cProfile.Profile()
        for _ in range(args.repeat):
            before()
            profile.enable()
            client.get(url, secure=True, **headers)
            profile.disable()
        print(f"\n===== {name} {url}: median {statistics.median(times) * 1000:.2f} ms")
        total = sum(seconds for seconds, _sql in queries)
        print(f"{len(queries)} queries, {total * 1000:.1f} ms (round trips included):")
        for seconds, sql in queries:
            print(f"  {seconds * 1000:6.1f} ms  {sql[:220]}")
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
        stats.print_stats(args.top)
        if args.callers:
            stats.print_callers(args.callers)
        print(out.getvalue())
    return 0


def timed(queries: list):
    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - start, sql))

    return wrapper


if __name__ == "__main__":
    sys.exit(main())
