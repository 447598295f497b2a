"""The parts of `make bench` (scripts/bench.py).

child.py       one process per database and size: reset or reuse, seed, measure in-process
seed.py        the deterministic data generator (word lists in vocabulary.py)
pages.py       the pages timed in-process through Django's test client, queries counted
load.py        the load run: gunicorn with production settings, driven by wrk
report.py      the targets, the console output and docs/benchmarks.md
"""

import platform
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Organisations per size; everything else is proportional.
SIZES = {"small": 100, "large": 10_000}
BATCH = 2000  # rows per bulk_create


def progress(message: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {message}", flush=True)


def with_ids(objects, model, key=None):
    """bulk_create's objects with their ids, also on a backend that does not return them."""
    if objects and objects[0].pk is None:
        if key:
            ids = dict(model.objects.values_list(key, "pk"))
            for obj in objects:
                obj.pk = ids[getattr(obj, key)]
        else:
            pks = model.objects.order_by("pk").values_list("pk", flat=True)
            for obj, pk in zip(objects, pks, strict=True):
                obj.pk = pk
    return objects


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def memory_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return str(round(int(line.split()[1]) / 1024 / 1024))
    except OSError:
        pass
    return "?"
