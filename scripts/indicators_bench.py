"""Response time and query count of /beheer/indicatoren/ at a given number of organisations
(docs/benchmarks.md).

    DJANGO_DEBUG=1 DATABASE_URL=sqlite:////tmp/ind/bench.sqlite3 \
        .venv/bin/python scripts/indicators_bench.py 10000

Migrates the (empty) database, loads the reference data, seeds the bench network
(scripts/benchlib/seed.py) plus a year of weekly availability updates per place and a year of
usage counters, then times the page for an administrator (everything) and for a coordinator of
one region, median of 5, with the queries of one request.
"""
# ruff: noqa: E402

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expertisekaart.settings")
import django

django.setup()
from benchlib.seed import SEED, seed
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from netwerk.coordination.demo_figures import demo_usage_load
from netwerk.directory.organisations import Organisation
from netwerk.places.availability import AvailabilityChange
from netwerk.places.places import Place
from netwerk.reference.geography import Region
from netwerk.reference.loaders import reference_data_load


def prepare(count: int) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    reference_data_load()
    if Organisation.objects.exists():
        return
    seed(count, random.Random(SEED))
    rng = random.Random(SEED)
    start = timezone.now() - timedelta(days=365)
    with transaction.atomic():
        changes = [
            AvailabilityChange(
                place_id=pk,
                changed_at=start + timedelta(days=day, hours=rng.randint(7, 19)),
                new_availability=rng.choice(["available", "full", "on_request"]),
            )
            for pk in Place.objects.values_list("pk", flat=True)
            for day in range(0, 365, 7)
        ]
        AvailabilityChange.objects.bulk_create(changes, batch_size=2000)
        demo_usage_load(timezone.localdate())


def timed(client, url: str) -> tuple[float, int]:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    prepare(count)
    administrator, _ = User.objects.get_or_create(
        username="bench-beheerder", defaults={"is_superuser": True, "is_staff": True}
    )
    region = Region.objects.order_by("name").first()
    coordinator, _ = User.objects.get_or_create(
        username="bench-coordinator", defaults={"is_staff": True}
    )
    region.coordinators.add(coordinator)
    print(
        f"{connection.vendor}: {Organisation.objects.count()} organisations, "
        f"{Place.objects.count()} places, {AvailabilityChange.objects.count()} availability "
        f"changes; coordinator of {region.name} "
        f"({Organisation.objects.in_region(region).count()} organisations)"
    )
    with override_settings(ALLOWED_HOSTS=["*"], TWO_FACTOR_REQUIRED=False):
        for label, user in (("administrator", administrator), ("coordinator", coordinator)):
            client = Client()
            client.force_login(user)
            median, queries = timed(client, "/beheer/indicatoren/")
            print(f"{label}: median {median:.0f} ms, {queries} queries")


main()
