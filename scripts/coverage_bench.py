"""Cold and warm response times of the coverage page (docs/benchmarks.md)."""
# ruff: noqa: E402, E501

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expertisekaart.settings")
import django

django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from netwerk.directory.organisations import Organisation

with override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    ALLOWED_HOSTS=["*"],
):
    from django.core.cache import caches

    c = Client()
    url = "/expertise-in-de-regio/?zorgsetting=hospice"
    print("organisations", Organisation.objects.count(), connection.vendor)
    cold, warm = [], []
    for _ in range(7):
        caches["default"].clear()
        t = time.perf_counter()
        r = c.get(url)
        cold.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.status_code
        t = time.perf_counter()
        c.get(url)
        warm.append((time.perf_counter() - t) * 1000)
    print(
        f"cold median {statistics.median(cold):.1f} ms, warm median {statistics.median(warm):.1f} ms"
    )
