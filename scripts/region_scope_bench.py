"""The coordinator scope query (`Organisation.objects.in_regions`) timed on a seeded database:

    PYTHONPATH=. DATABASE_URL=postgres://.../expertisekaart_bench \
        .venv/bin/python scripts/region_scope_bench.py        # EXPLAIN=1 prints the plan too
"""

import os
import statistics
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expertisekaart.settings")
    django.setup()
    from netwerk.directory.organisations import Organisation
    from netwerk.reference.geography import Region

    print(f"{Organisation.objects.count():,} organisations, {Region.objects.count()} regions")
    for region in Region.objects.order_by("pk")[:3]:
        scope = Organisation.objects.in_regions(Region.objects.filter(pk=region.pk))
        count = scope.count()
        times = []
        for _ in range(15):
            started = time.perf_counter()
            scope.count()
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        print(f"{region.name}: {count} organisations, median {median:.1f} ms")
        if os.environ.get("EXPLAIN"):
            print(scope.explain(analyze=True))


if __name__ == "__main__":
    main()
