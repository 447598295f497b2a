"""Backups (`manage.py backup` / `manage.py restore`) on the real databases: what a dump holds
comes back whole in a fresh database, and the SQLite copy is taken while the site could write.

PostgreSQL: the demo network, with changes of availability, is committed in the test database,
dumped with pg_dump, restored with pg_restore into a new database on the same server, and every
organisation, history row and availability change is read back there. SQLite: the same through
the backup API, into a fresh file.
"""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from netwerk.demo import demo_data_load
from netwerk.directory.organisations import Organisation
from netwerk.places.availability import AvailabilityChange, place_availability_update
from netwerk.places.places import Place
from netwerk.reference.loaders import reference_data_load

ROOT = Path(__file__).resolve().parent.parent
# What must come back: the organisations, their history and the places' changes of availability.
CHECKED_TABLES = [
    Organisation._meta.db_table,
    Organisation.history.model._meta.db_table,
    Place.history.model._meta.db_table,
    AvailabilityChange._meta.db_table,
]


def demo_with_availability_changes() -> None:
    reference_data_load()
    demo_data_load()
    places = Place.objects.order_by("pk")[:3]
    for place, availability in zip(places, ["full", "available", "full"], strict=True):
        place_availability_update(place=place, availability=availability, note="backup-test")


def rows_by_table(cursor) -> dict[str, list[tuple]]:
    """Every row of the checked tables, whole, in id order."""
    rows = {}
    for table in CHECKED_TABLES:
        order = "history_id" if table.startswith("netwerk_historical") else "id"
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{order}"')
        rows[table] = [tuple(map(str, row)) for row in cursor.fetchall()]
    return rows


def manage(*arguments, database_url: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment |= {"DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fresh_postgres_database():
    """A new, empty database beside the test database, dropped afterwards."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    params = {"host": settings["HOST"], "port": settings["PORT"] or 5432, "user": settings["USER"]}
    params |= {"password": settings["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**params) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    yield f"postgres://{settings['USER']}{password}@{params['host']}:{params['port']}/{name}"
    with psycopg.connect(**params) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_postgres_dump_restores_every_organisation_history_row_and_availability_change(
    tmp_path, fresh_postgres_database
):
    demo_with_availability_changes()
    dump = tmp_path / "expertisekaart.dump"
    call_command("backup", str(dump))
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    restored = manage("restore", str(dump), database_url=fresh_postgres_database)
    assert restored.returncode == 0, restored.stderr

    with connection.cursor() as cursor:
        original = rows_by_table(cursor)
    with psycopg.connect(fresh_postgres_database) as copy, copy.cursor() as cursor:
        copied = rows_by_table(cursor)
    assert all(original[table] for table in CHECKED_TABLES), "nothing to compare"
    assert copied == original
    backed_up = [row for row in original[AvailabilityChange._meta.db_table] if "backup-test" in row]
    assert len(backed_up) == 3

    migrations = manage("migrate", "--check", database_url=fresh_postgres_database)
    assert migrations.returncode == 0, "the restored database should need no migration"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path):
    dump = tmp_path / "expertisekaart.dump"
    call_command("backup", str(dump))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(dump))


def test_a_sqlite_copy_is_whole_and_restores_into_a_fresh_file(tmp_path, sqlite_copy_of_the_demo):
    database = f"sqlite:///{sqlite_copy_of_the_demo}"
    writer = sqlite3.connect(sqlite_copy_of_the_demo)  # an open connection, as a running site has
    writer.execute(
        "INSERT INTO netwerk_availabilitychange (place_id, changed_at, old_availability,"
        " new_availability, note) SELECT id, '2026-12-02 12:00:00', '', 'full', 'backup-test'"
        " FROM netwerk_place"
    )
    writer.commit()

    made = manage("backup", str(tmp_path / "copy.sqlite3"), database_url=database)
    assert made.returncode == 0, made.stderr
    restored = manage(
        "restore",
        str(tmp_path / "copy.sqlite3"),
        database_url=f"sqlite:///{tmp_path / 'new.sqlite3'}",
    )
    assert restored.returncode == 0, restored.stderr

    original = rows_by_table(writer.cursor())
    copy = sqlite3.connect(tmp_path / "new.sqlite3")
    # Django's check constraints use REGEXP, a function Django gives its own connections.
    copy.create_function("REGEXP", 2, lambda pattern, text: bool(re.search(pattern, text or "")))
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert rows_by_table(copy.cursor()) == original
    assert all(original[table] for table in CHECKED_TABLES), "nothing to compare"
    writer.close()
    copy.close()


def test_a_restore_without_a_backup_file_says_so(tmp_path):
    result = manage(
        "restore",
        str(tmp_path / "missing.dump"),
        database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    assert result.returncode != 0
    assert "No backup at" in result.stderr
