"""The version of the published data: one number in one row, on which the public pages' caches
are keyed.

The write path (netwerk.search.publishing) raises it in the transaction of every change the
public pages show. Other transactions read the old number, and the old data, until that
transaction commits; from then on every process reads the new one. So a cache entry made under
a number always holds the data of that number, and no process can miss a change.

A change made outside the write path (a shell, `bulk_update`, raw SQL) is announced with
`manage.py refresh_search`.
"""

import hashlib

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class PublishedChangeCount(models.Model):
    """One row: how many changes to the published data have been made."""

    changes = models.BigIntegerField(_("wijzigingen"), default=0)

    class Meta:
        verbose_name = _("aantal gepubliceerde wijzigingen")
        verbose_name_plural = _("aantallen gepubliceerde wijzigingen")

    def __str__(self) -> str:
        return str(self.changes)


def published_version() -> int:
    """One indexed read of one row."""
    return PublishedChangeCount.objects.filter(pk=1).values_list("changes", flat=True).first() or 0


def versioned_cache_key(kind: str, *parts: str) -> str:
    """A cache key for something built from the published data: it holds the version, so an
    entry is never read again once the data has changed."""
    raw = "|".join([str(published_version()), *parts])
    return f"netwerk:{kind}:" + hashlib.sha256(raw.encode()).hexdigest()


def published_data_changed() -> None:
    """Raise the version, inside the caller's transaction (its row lock is held until commit, so
    the write path calls this at the end of a change)."""
    raised = PublishedChangeCount.objects.filter(pk=1).update(changes=F("changes") + 1)
    if not raised:  # a database flushed since its migration made the row
        PublishedChangeCount.objects.get_or_create(pk=1, defaults={"changes": 1})
