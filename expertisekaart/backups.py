"""Backups of the database the settings name (`manage.py backup` / `manage.py restore`).

PostgreSQL: ``pg_dump --format=custom``, one consistent snapshot of the whole database taken
while the site runs, restored with ``pg_restore`` in one transaction into an empty database.
SQLite: a consistent online copy through SQLite's backup API (never a file copy of a database
being written), restored the same way into an empty database file.

The site stores no uploaded files: knowledge documents are links, so the database is everything.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection


def backup_make(target: Path) -> str:
    """Writes the backup to `target`; returns what was written, in words."""
    if connection.vendor == "postgresql":
        run_client("pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", target)
        return f"PostgreSQL dump (pg_dump custom format) written to {target}"
    if connection.vendor == "sqlite":
        sqlite_copy(Path(connection.settings_dict["NAME"]), target)
        return f"SQLite copy (online backup) written to {target}"
    raise CommandError(f"No backup for the {connection.vendor} database backend.")


def backup_restore(source: Path) -> str:
    """Restores `source` into the configured database, which must be empty."""
    if not source.is_file():
        raise CommandError(f"No backup at {source}.")
    if tables := connection.introspection.table_names():
        raise CommandError(
            f"The database is not empty ({len(tables)} tables); restore only into an empty one."
        )
    if connection.vendor == "postgresql":
        connection.close()
        run_client(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            source,
        )
        return f"PostgreSQL dump {source} restored"
    if connection.vendor == "sqlite":
        connection.close()
        sqlite_copy(source, Path(connection.settings_dict["NAME"]))
        return f"SQLite copy {source} restored"
    raise CommandError(f"No restore for the {connection.vendor} database backend.")


def sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while other processes write."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def run_client(program: str, *arguments) -> None:
    """pg_dump or pg_restore against the configured database, refusing a client older than the
    server (it would write or read an incomplete dump)."""
    binary = shutil.which(program)
    if not binary:
        raise CommandError(
            f"{program} is not installed (Debian: apt-get install postgresql-client)."
        )
    server_major = connection.cursor().connection.info.server_version // 10000
    client_major = client_version(binary)
    if client_major < server_major:
        raise CommandError(
            f"{program} {client_major} is older than the PostgreSQL {server_major} server; "
            f"install postgresql-client-{server_major}."
        )
    settings = connection.settings_dict
    environment = libpq_environment(settings)
    command = [binary, *[str(argument) for argument in arguments], "--dbname", settings["NAME"]]
    completed = subprocess.run(command, env=environment, capture_output=True, text=True)
    if completed.returncode != 0:
        raise CommandError(f"{program} failed: {completed.stderr.strip()}")


def client_version(binary: str) -> int:
    output = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    return int(output.split()[-1].split(".")[0])


def libpq_environment(settings: dict) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ]:
        if settings.get(key):
            environment[variable] = str(settings[key])
    return environment
