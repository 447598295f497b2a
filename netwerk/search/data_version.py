"""Fingerprints of the published data: the keys of the public pages' caches.

Two things move when published data changes:

- the highest history id of each model: every change to a domain object writes a history row
  (django-simple-history), visible to everyone once committed and at once to the transaction
  that wrote it (and to a test);
- a count of committed changes (`PublishedChangeCount`), raised after each commit of a change
  made through the write path (netwerk.search.publishing). It catches what the highest ids
  cannot: on PostgreSQL ids are taken at insert, so a long import can commit lower ids after a
  quick admin save has committed a higher one; and it covers reference data, which keeps no
  history.

Changes made without the write path or without the ORM's save() (bulk_update, raw SQL) call
`published_data_changed()`; `manage.py refresh_search` does it after work in a shell.

A process remembers the versions for a second (the query costs more than the rest of a cached
page on PostgreSQL) and forgets them whenever it writes history or counts a change itself.
"""

import time
from functools import cache, partial

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.signals import post_create_historical_record

REMEMBER_SECONDS = 1.0
_remembered: dict[str, tuple[float, str]] = {}

# What the whole map shows: the organisations and their locations' coordinates.
MAP_MODELS = ("netwerk.Organisation", "netwerk.Location")


class PublishedChangeCount(models.Model):
    """One row: how many committed transactions changed the published data (and the map)."""

    public_changes = models.BigIntegerField(_("wijzigingen"), default=0)
    map_changes = models.BigIntegerField(_("wijzigingen van de kaart"), default=0)

    class Meta:
        verbose_name = _("aantal gepubliceerde wijzigingen")
        verbose_name_plural = _("aantallen gepubliceerde wijzigingen")

    def __str__(self) -> str:
        return f"{self.public_changes} / {self.map_changes}"


def public_data_version() -> str:
    """Changes whenever anything a public page shows may have changed."""
    return _remembered_or(_public_query())


def map_data_version() -> str:
    """Changes whenever the markers of the whole map may have changed."""
    return _remembered_or(_map_query())


@cache
def _public_query() -> str:
    tracked = [model for model in apps.get_app_config("netwerk").get_models() if _history(model)]
    return _highest_history_ids(tracked) + _count_column("public_changes")


@cache
def _map_query() -> str:
    tracked = [apps.get_model(label) for label in MAP_MODELS]
    return _highest_history_ids(tracked) + _count_column("map_changes")


def _history(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def _highest_history_ids(models) -> str:
    tables = [connection.ops.quote_name(_history(model)._meta.db_table) for model in models]
    return "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {table})" for table in tables)


def _count_column(column: str) -> str:
    table = connection.ops.quote_name(PublishedChangeCount._meta.db_table)
    return f", (SELECT {column} FROM {table} WHERE id = 1)"


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


@receiver(post_create_historical_record, dispatch_uid="netwerk.data_version.history_written")
def history_written(instance, **kwargs) -> None:
    # The new history row moves the version at once; only this process's memory of it lags.
    forget_versions()


def published_data_changed(*, map_too: bool = True) -> None:
    """Count a change once its transaction commits (so that the count never runs ahead of what
    other processes can read); forget the remembered versions now. Called by the write path
    (netwerk.search.publishing), once per change, not per row."""
    forget_versions()
    # robust: the change itself is committed; failing to count it must not fail the request
    transaction.on_commit(partial(count_published_change, map_too=map_too), robust=True)


def count_published_change(*, map_too: bool = False) -> None:
    """Raise the count now (after a commit, or for maintenance outside any transaction)."""
    counts = PublishedChangeCount.objects.filter(pk=1)
    raised = counts.update(
        public_changes=F("public_changes") + 1,
        map_changes=F("map_changes") + (1 if map_too else 0),
    )
    if not raised:  # a database made without the migration's row
        PublishedChangeCount.objects.get_or_create(
            pk=1, defaults={"public_changes": 1, "map_changes": int(map_too)}
        )
    forget_versions()


def forget_versions() -> None:
    """The next request in this process reads the versions afresh."""
    _remembered.clear()
