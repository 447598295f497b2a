"""Verification: coordinators confirm that an organisation's details are still true.

Organisations not verified for `VERIFICATION_MONTHS` are due ("te controleren"); for each, the
history tells what changed since the last verification, so the coordinator knows what to check.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerk.coordination.history import m2m_sets, m2m_snapshot, tracked_m2m_fields
from netwerk.directory.organisations import Organisation

# Bookkeeping fields that say nothing about whether the details are true.
NOT_A_CHANGE = {"updated_at", "created_at", "last_verified_on", "last_verified_by"}


def verification_cutoff(today: date | None = None) -> date:
    """Verified before this date means due again."""
    return (today or timezone.localdate()) - relativedelta(months=settings.VERIFICATION_MONTHS)


def due_for_verification(queryset: QuerySet[Organisation], today: date | None = None):
    cutoff = verification_cutoff(today)
    return queryset.filter(
        Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff)
    ).order_by(F("last_verified_on").asc(nulls_first=True), "name")  # never verified first


def organisations_verify(*, organisations, by, on: date | None = None) -> int:
    """Record that `by` verified the organisations today; each gets a history record."""
    organisations = list(organisations)
    for organisation in organisations:
        organisation.mark_verified(by=by, on=on)
    with transaction.atomic():
        Organisation.objects.bulk_update(organisations, ["last_verified_on", "last_verified_by"])
        records = Organisation.history.bulk_history_create(
            organisations, update=True, default_user=by, default_change_reason="gecontroleerd"
        )
        # Records made in bulk hold no service area or expertise; a revert to one would empty them.
        m2m_snapshot(records)
    return len(organisations)


@dataclass
class ChangesSince:
    count: int = 0
    fields: set[str] = field(default_factory=set)
    last_changed_at: datetime | None = None
    last_changed_by: str = ""

    @property
    def field_list(self) -> list[str]:
        return sorted(self.fields)


def changes_since_verification(organisations) -> dict[int, ChangesSince]:
    """What changed in each organisation since its last verification (or ever), from history.

    One query, and one per many-to-many field (service area, expertise), whatever the number
    of organisations.
    """
    organisations = list(organisations)
    if not organisations:
        return {}
    in_history = {f.attname for f in Organisation.history.model._meta.concrete_fields}
    tracked = [
        f.attname
        for f in Organisation._meta.concrete_fields
        if f.attname in in_history and f.attname not in NOT_A_CHANGE and f.attname != "id"
    ]
    m2m_fields = tracked_m2m_fields(Organisation)
    labels = {f.attname: str(f.verbose_name) for f in Organisation._meta.concrete_fields}
    labels |= {f.name: str(f.verbose_name) for f in m2m_fields}
    records = list(
        Organisation.history.filter(id__in=[o.pk for o in organisations])
        .order_by("id", "history_date", "history_id")
        .values(
            "id", "history_id", "history_date", "history_type", "history_user__username", *tracked
        )
    )
    by_organisation = defaultdict(list)
    for record in records:
        by_organisation[record["id"]].append(record)
    history_ids = [record["history_id"] for record in records]
    sets = {f.name: m2m_sets(Organisation, f, history_ids) for f in m2m_fields}

    def changed_sets(record, previous) -> set[str]:
        now, before = record["history_id"], previous["history_id"]
        return {name for name, of_record in sets.items() if of_record[now] != of_record[before]}

    result = {}
    for organisation in organisations:
        since = verification_moment(organisation.last_verified_on)
        summary = ChangesSince()
        previous = None
        for record in by_organisation[organisation.pk]:
            if since is None or record["history_date"] >= since:
                if previous is None or record["history_type"] == "+":
                    changed = {"__created__"}
                else:
                    changed = {name for name in tracked if record[name] != previous[name]}
                    changed |= changed_sets(record, previous)
                if changed:
                    summary.count += 1
                    summary.fields |= {labels[name] for name in changed if name in labels}
                    if "__created__" in changed:
                        summary.fields.add(str(_("aangemaakt")))
                    summary.last_changed_at = record["history_date"]
                    summary.last_changed_by = record["history_user__username"] or ""
            previous = record
        result[organisation.pk] = summary
    return result


def verification_moment(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))
