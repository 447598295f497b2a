"""The coordinator's start page: what needs doing today and what others changed.

Each function takes querysets already narrowed to the user's scope (the admin's own
`get_queryset`, so the start page counts exactly what the linked lists show) and answers with a
few queries, never one per row.
"""

from dataclasses import dataclass
from datetime import datetime
from heapq import merge
from itertools import islice

from django.db.models import Model, QuerySet

from netwerk.coordination.verification import due_for_verification


def organisations_to_verify(organisations: QuerySet) -> int:
    return due_for_verification(organisations).count()


def open_error_reports(reports: QuerySet) -> int:
    return reports.open().count()


def places_with_stale_availability(places: QuerySet) -> int:
    return places.stale().count()


def update_links_expiring_soon(links: QuerySet) -> int:
    return links.expiring_soon().count()


def lines_without_schedule(lines: QuerySet) -> int:
    """Active lines that are not always open and have no weekly opening hours: the public
    pages can never say they are open."""
    return without_schedule(lines).count()


def without_schedule(lines: QuerySet) -> QuerySet:
    return lines.filter(is_active=True, is_always_open=False, schedule_rows__isnull=True)


@dataclass(frozen=True)
class Change:
    at: datetime
    who: str
    what: str
    kind: str  # "+", "~" or "-" as simple-history's history_type
    model: type[Model]
    object_id: int
    reason: str


def recent_changes_by_others(
    scoped: list[tuple[QuerySet, list[str]]], user, limit: int = 10
) -> list[Change]:
    """The newest history records of the scoped objects made by someone other than `user`
    (or by no one: imports and scripts), newest first; two queries per model: the records,
    then the objects' names (with `related`, the relations their names are made of)."""
    per_model = []
    for queryset, related in scoped:
        model = queryset.model
        records = list(
            model.history.filter(id__in=queryset.order_by().values("pk"))
            .exclude(history_user=user)
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        ids = {record.id for record in records}
        names = {
            obj.pk: str(obj)
            for obj in model._default_manager.filter(pk__in=ids).select_related(*related)
        }
        per_model.append(
            [
                Change(
                    at=record.history_date,
                    who=record.history_user.get_username() if record.history_user else "",
                    what=names.get(record.id, ""),
                    kind=record.history_type,
                    model=model,
                    object_id=record.id,
                    reason=record.history_change_reason or "",
                )
                for record in records
            ]
        )
    return list(islice(merge(*per_model, key=lambda change: change.at, reverse=True), limit))
