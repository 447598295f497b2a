"""Spreadsheet import (issue 12): the 320-row acceptance sheets checked (the preview, a dry run)
and confirmed through the real admin views, on SQLite and PostgreSQL; seconds and queries.

    python scripts/import_bench.py [--database sqlite|postgres|both] [--repeat N]
                                   [--sheet everyday|reference|both] [--profile preview|confirm]

Each database is the bench's own and made anew: SQLite in a temporary folder, PostgreSQL the
database of BENCH_IMPORT_PG_URL (default postgres://postgres@127.0.0.1:5432/ek_import_bench),
dropped and created. Migrated, with the reference data (municipalities, PC4 areas, expertise
tags) and one administrator. Per repeat and sheet, into an empty network: the preview and the
confirmation of 320 new organisations, then the preview and the confirmation of the same file
again (320 unchanged rows). Wall-clock time (`time.perf_counter()`) and the Django process's
CPU time (`time.process_time()`; on PostgreSQL the server's own work is not in it); the queries
are counted in the same runs (CaptureQueriesContext). Settings: local (DJANGO_DEBUG=1, no
two-factor step), as `make run`. --profile prints cProfile's top functions of one step of the
first repeat (that repeat is then slower), --queries the commonest queries of each step, and
BENCH_TRACE_SQL=<text> the call stack of a query holding <text> that repeats (its fifth run).
The best and the median of the repeats are reported.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA = BASE_DIR / "tests" / "data"
SHEETS = {
    "everyday": DATA / "everyday_organisations.csv",
    "reference": DATA / "reference_organisations.csv",
}
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ek_import_bench"
STEPS = ("preview", "confirm", "preview_again", "confirm_again")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sheet", choices=[*SHEETS, "both"], default="everyday")
    parser.add_argument("--profile", choices=STEPS)
    parser.add_argument("--queries", action="store_true", help="the commonest queries per step")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = {}
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="ek-import-bench-") as folder:
            out = Path(folder) / "result.json"
            url = (
                f"sqlite:///{folder}/bench.sqlite3"
                if database == "sqlite"
                else os.environ.get("BENCH_IMPORT_PG_URL") or DEFAULT_PG_URL
            )
            command = [
                sys.executable,
                __file__,
                f"--child={out}",
                f"--repeat={args.repeat}",
                f"--sheet={args.sheet}",
                *([f"--profile={args.profile}"] if args.profile else []),
                *(["--queries"] if args.queries else []),
            ]
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
            env.setdefault("DJANGO_SETTINGS_MODULE", "expertisekaart.settings")
            subprocess.run(command, env=env, check=True, cwd=BASE_DIR)
            results[database] = json.loads(out.read_text())
    print(report(results))
    return 0


def child(args) -> int:
    sys.path.insert(0, str(BASE_DIR))
    sys.path.insert(0, str(BASE_DIR / "scripts"))
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        reset_postgres(url)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from netwerk.reference.loaders import expertise_tags_load, reference_data_load

    setup_test_environment()  # the test client's host and the responses' context
    call_command("migrate", interactive=False, verbosity=0)
    reference_data_load()
    expertise_tags_load()
    admin = User.objects.create_superuser("bench", password="bench-wachtwoord-1")
    client = Client()
    client.force_login(admin)
    if os.environ.get("BENCH_TRACE_SQL"):  # where a query comes from: its first call stack
        import traceback
        from collections import Counter

        traced = Counter()

        def trace(execute, sql, params, many, context):
            if os.environ["BENCH_TRACE_SQL"] in sql:
                traced[sql] += 1
            if traced[sql] == 5:  # not the first: the one a loop repeats
                print(sql[:200], "".join(traceback.format_stack(limit=25)[:-1]), sep="\n")
            return execute(sql, params, many, context)

        connection.execute_wrappers.append(trace)
    sheets = list(SHEETS) if args.sheet == "both" else [args.sheet]
    runs = {sheet: {step: [] for step in STEPS} for sheet in sheets}
    for repeat in range(args.repeat):
        for sheet in sheets:
            network_empty()
            profile = args.profile if repeat == 0 else None
            run = one_run(client, SHEETS[sheet].read_bytes(), profile, args.queries and not repeat)
            for step, figures in run.items():
                runs[sheet][step].append(figures)
            print(f"  {database_label(connection)} {sheet} #{repeat + 1}: {brief(runs[sheet])}")
    Path(args.child).write_text(
        json.dumps({"server": database_label(connection), "runs": runs, "load": os.getloadavg()})
    )
    return 0


def reset_postgres(url: str) -> None:
    import psycopg
    from postgres_ready import connection_params
    from psycopg import sql

    name, params = connection_params(url)
    if name in {"expertisekaart", "postgres", "template0", "template1"} or name.startswith("test_"):
        raise SystemExit(f"BENCH_IMPORT_PG_URL names database {name!r}; the bench drops it.")
    with psycopg.connect(dbname="postgres", **params) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def network_empty() -> None:
    """No organisations and no versions: every repeat imports into the same empty network."""
    from django.db import transaction

    from netwerk.directory.locations import Location
    from netwerk.directory.organisations import Organisation

    with transaction.atomic():
        Organisation.objects.all().delete()
        for model in (Organisation, Location):
            for field in model.history.model._history_m2m_fields:
                getattr(model.history.model, field.name).model.objects.all().delete()
            model.history.model.objects.all().delete()


def one_run(client, content: bytes, profile: str | None, show_queries: bool) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    def timed(step, call):
        profiler = None
        if step == profile:
            import cProfile

            profiler = cProfile.Profile()
        connection.queries_log.clear()  # the log keeps 9,000 queries; a step may have more
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            response = call()
            if profiler:
                profiler.disable()
            seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        if profiler:
            import pstats

            print(f"\n--- cProfile of {step} ---")
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(r"netwerk|import_export/resources|simple_history|publishing", 60)
        figures[step] = {"seconds": seconds, "cpu": cpu, "queries": len(queries)}
        if show_queries:
            import re
            from collections import Counter

            shapes = Counter(
                re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"])[:150] for query in queries
            )
            print(f"\n--- {len(queries)} queries of {step}, the commonest ---")
            for shape, count in shapes.most_common(25):
                print(f"{count:6} {shape}")
        return response

    def check():
        upload = SimpleUploadedFile("organisaties.csv", content)
        response = client.post(
            reverse("admin:netwerk_organisation_import"),
            {"import_file": upload, "format": "0", "resource": "0"},
        )
        result = response.context["result"]
        assert not result.base_errors and not result.invalid_rows, "rows were rejected"
        return response

    def confirm(checked):
        form = checked.context["confirm_form"]
        response = client.post(reverse("admin:netwerk_organisation_process_import"), form.initial)
        assert response.status_code == 302, response.status_code
        return response

    figures = {}
    confirm_step = lambda step, checked: timed(step, lambda: confirm(checked))  # noqa: E731
    confirm_step("confirm", timed("preview", check))
    confirm_step("confirm_again", timed("preview_again", check))
    return figures


def database_label(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0].split()[0]
        cursor.execute("SELECT sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


def brief(runs: dict) -> str:
    return ", ".join(
        f"{step} {figures[-1]['seconds']:.2f}s/{figures[-1]['queries']}q"
        for step, figures in runs.items()
    )


def report(results: dict) -> str:
    lines = [
        "| database | sheet | step | best s | median s | median CPU s | queries |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for result in results.values():
        for sheet, steps in result["runs"].items():
            for step, figures in steps.items():
                seconds = [f["seconds"] for f in figures]
                lines.append(
                    f"| {result['server']} | {sheet} | {step.replace('_', ' ')} "
                    f"| {min(seconds):.2f} | {statistics.median(seconds):.2f} "
                    f"| {statistics.median(f['cpu'] for f in figures):.2f} "
                    f"| {figures[-1]['queries']:,} |"
                )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
