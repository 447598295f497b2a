"""Fingerprints of the published data: the keys of the public pages' caches.

Every change to a domain object writes a history row (django-simple-history), so the highest
history id of each model moves exactly when a change is committed — in every process, for every
kind of change (save, delete, revert, import), at the cost of one indexed query. Changes made
without the ORM's save() (bulk_update, raw SQL) leave no history row: `manage.py refresh_search`
clears the caches after such work.

A process remembers the versions for a second (the query costs more than the rest of a cached
page on PostgreSQL) and forgets them the moment it writes a history row itself, so a change is
seen at once where it was made and within a second everywhere else.
"""

import time
from functools import cache

from django.apps import apps
from django.db import connection
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

REMEMBER_SECONDS = 1.0
_remembered: dict[str, tuple[float, str]] = {}

# What the whole map shows: the organisations and their locations' coordinates.
MAP_MODELS = ("netwerk.Organisation", "netwerk.Location")


def public_data_version() -> str:
    """Changes whenever anything a public page shows may have changed."""
    return _remembered_or(_public_query())


def map_data_version() -> str:
    """Changes whenever the markers of the whole map may have changed."""
    return _remembered_or(_map_query())


@cache
def _public_query() -> str:
    models = apps.get_app_config("netwerk").get_models()
    return _highest_history_ids([model for model in models if _history(model)])


@cache
def _map_query() -> str:
    return _highest_history_ids([apps.get_model(label) for label in MAP_MODELS])


def _history(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def _highest_history_ids(models) -> str:
    tables = [connection.ops.quote_name(_history(model)._meta.db_table) for model in models]
    return "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {table})" for table in tables)


def _run(query: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return "-".join(str(value or 0) for value in cursor.fetchone())


def _remembered_or(query: str) -> str:
    now = time.monotonic()
    remembered = _remembered.get(query)
    if remembered is not None and now - remembered[0] < REMEMBER_SECONDS:
        return remembered[1]
    version = _run(query)
    _remembered[query] = (now, version)
    return version


@receiver(post_create_historical_record, dispatch_uid="netwerk.data_version.forget")
def forget_versions(**kwargs) -> None:
    """This process changed something: the next request reads the versions afresh."""
    _remembered.clear()
