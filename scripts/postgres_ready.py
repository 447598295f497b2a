"""Exit 0 when the PostgreSQL server of DATABASE_URL answers, creating the database if missing.

Used by `make test` to decide whether the PostgreSQL run can happen.
"""

import sys

import dj_database_url
import psycopg
from psycopg import sql


def connection_params(url: str) -> tuple[str, dict]:
    """The database name of `url`, and psycopg parameters for connecting to its server."""
    config = dj_database_url.parse(url)
    params = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or "postgres",
        "password": config.get("PASSWORD") or None,
        "connect_timeout": 3,
        "autocommit": True,
    }
    return config["NAME"], params


def ensure_database(url: str) -> None:
    """Create the database of `url` on its server if it is missing (OperationalError when the
    server does not answer)."""
    name, params = connection_params(url)
    with psycopg.connect(dbname="postgres", **params) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main(url: str) -> int:
    try:
        ensure_database(url)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable: {error}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
