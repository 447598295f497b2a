"""One bench database and size, in its own process: a fresh (or, with --keep, the seeded)
database, migrated and seeded, then the in-process pages measured; the result goes to a JSON file.

The databases are the bench's own, never db.sqlite3 or the test databases:

    SQLite      bench.sqlite3 (10,000) and bench.sqlite3.small (100) in the project folder
    PostgreSQL  <name> and <name>_small on the server of BENCH_PG_URL
                (default postgres://postgres@127.0.0.1:5432/expertisekaart_bench)
"""

import json
import os
import random
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from postgres_ready import connection_params, ensure_database

from benchlib import BASE_DIR, SIZES, progress

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/expertisekaart_bench"


def database_urls(database: str) -> dict[str, str]:
    """The URL of each size's bench database."""
    if database == "sqlite":
        return {size: f"sqlite:///{BASE_DIR / sqlite_name(size)}" for size in SIZES}
    parts = urlsplit(os.environ.get("BENCH_PG_URL") or DEFAULT_PG_URL)
    name = parts.path.lstrip("/") or "expertisekaart_bench"
    if name in {"expertisekaart", "postgres", "template0", "template1"} or name.startswith("test_"):
        raise SystemExit(f"BENCH_PG_URL names database {name!r}; the bench drops it. Refusing.")
    return {
        "large": urlunsplit(parts._replace(path=f"/{name}")),
        "small": urlunsplit(parts._replace(path=f"/{name}_small")),
    }


def sqlite_name(size: str) -> str:
    return "bench.sqlite3" if size == "large" else f"bench.sqlite3.{size}"


def postgres_problem(url: str) -> str | None:
    """None when the server of `url` answers; otherwise why not."""
    import psycopg

    _name, params = connection_params(url)
    try:
        with psycopg.connect(dbname="postgres", **params) as connection:
            connection.execute("SELECT 1")
    except psycopg.OperationalError as error:
        first_line = (str(error).strip() or "no answer").splitlines()[0]
        return f"no PostgreSQL server answers at {params['host']}:{params['port']} ({first_line})"
    return None


def reset_database(database: str, url: str) -> None:
    """A fresh, empty database: the bench never measures yesterday's schema by accident."""
    if database == "sqlite":
        path = Path(urlsplit(url).path)
        if path.parent.resolve() != BASE_DIR or not path.name.startswith("bench.sqlite3"):
            raise SystemExit(f"Refusing to delete {path}: not a bench database.")
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name, params = connection_params(url)
    with psycopg.connect(dbname="postgres", **params) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main(args) -> int:
    """`bench.py --child=<database>:<size>`: prepare the database, measure the pages in-process
    (or, with --load, under load through gunicorn), write the result to --out."""
    database, size = args.child.split(":")
    started = time.perf_counter()
    keep = args.keep or args.load  # the load run uses the seeded data set when it matches
    if not keep:
        reset_database(database, args.url)
    elif database == "postgres":
        ensure_database(args.url)

    import sys

    import django

    sys.path.insert(0, str(BASE_DIR))
    django.setup()
    from django.db import connection

    from benchlib import load, pages

    pages.configure(args.static_root)
    seeding = prepare(SIZES[size], keep=keep)
    if connection.vendor == "postgresql":
        progress("VACUUM ANALYZE (what autovacuum does after a bulk load)")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    result = {"database": database, "size": size, "organisations": SIZES[size]}
    result.update(server_version=server_version(connection), counts=counts(), seeding=seeding)
    if args.load:
        result["load"] = load.run(
            database_url=args.url,
            static_root=args.static_root,
            duration=args.duration,
            connections=args.connections,
            threads=args.threads,
        )
    else:
        result.update(
            load_before=os.getloadavg(),
            pages=pages.measure(args.repeat),
            load_after=os.getloadavg(),
        )
    result["seconds"] = round(time.perf_counter() - started, 1)
    Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


def prepare(organisations: int, *, keep: bool) -> dict:
    """Migrate, load the reference data, seed (unless --keep finds this data set); returns the
    seeding times (empty when reused)."""
    from django.core.management import call_command
    from django.db import transaction

    from benchlib.seed import DATA_VERSION, SEED, seed
    from netwerk.reference.loaders import reference_data_load
    from netwerk.search.publishing import changes_published

    progress("migrate")
    call_command("migrate", interactive=False, verbosity=0)
    loaded = reference_data_load()
    progress(
        f"reference data: {loaded.municipalities} municipalities, "
        f"{loaded.postcode_areas} PC4 areas" + (" (already there)" if loaded.skipped else "")
    )
    spec = {"version": DATA_VERSION, "seed": SEED, "organisations": organisations}
    migration = last_migration()
    marker = marker_read() or {}
    if keep and {key: marker.get(key) for key in spec} == spec:
        if marker.get("migration") != migration:
            # The schema changed since the data was seeded: rebuild what the code derives.
            progress(f"--keep: migrated to {migration}; rebuilding the search documents")
            with transaction.atomic():
                changes_published(everything=True)
        else:
            progress("--keep: reusing the seeded data set")
        marker_write({**spec, "migration": migration})
        return {}
    if keep:
        progress("--keep: no matching data set; flushing and seeding")
        call_command("flush", interactive=False, verbosity=0)
        reference_data_load()
    seeding = seed(organisations, random.Random(SEED))
    marker_write({**spec, "migration": migration})
    return seeding


def last_migration() -> str:
    from django.db.migrations.recorder import MigrationRecorder

    return MigrationRecorder.Migration.objects.filter(app="netwerk").order_by("name").last().name


def marker_read() -> dict | None:
    """The data set the database holds, written after seeding (a table of the bench's own)."""
    from django.db import DatabaseError, connection, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT spec FROM bench_marker")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return json.loads(row[0]) if row else None


def marker_write(spec: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_marker (spec TEXT NOT NULL)")
        cursor.execute("DELETE FROM bench_marker")
        cursor.execute("INSERT INTO bench_marker (spec) VALUES (%s)", [json.dumps(spec)])


def server_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0].split()[0]
        cursor.execute("SELECT sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


def counts() -> dict[str, int]:
    from netwerk.consultation.lines import ConsultationLine, ScheduleRow
    from netwerk.directory.contacts import Contact
    from netwerk.directory.locations import Location
    from netwerk.directory.organisations import Organisation
    from netwerk.places.places import Place

    return {
        "organisations": Organisation.objects.count(),
        "locations": Location.objects.count(),
        "contacts": Contact.objects.count(),
        "places": Place.objects.count(),
        "expertise links": Organisation.expertise.through.objects.count(),
        "consultation lines": ConsultationLine.objects.count(),
        "schedule rows": ScheduleRow.objects.count(),
    }
