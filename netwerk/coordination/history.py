"""Many-to-many sets in the change history (django-simple-history's `m2m_fields`).

simple-history keeps, with every historical record, a copy of the rows of the tracked
many-to-many fields (a service area, expertise tags). Three things it leaves to us:

- records created in bulk (`bulk_update_with_history`) get no copy at all, and a record made by
  `save()` copies the sets as they were *before* a form saved its new ones; `m2m_snapshot`
  stores the current sets with such records;
- a version opened for revert shows the current sets, not its own; `m2m_of_version` gives the
  sets it had, for the revert form to start from;
- `m2m_names` and `m2m_sets` read the sets of many records in one query per field, for
  readable diffs and for what changed since a verification.
"""

from collections import defaultdict
from contextlib import contextmanager

from django.db import models
from django.dispatch import receiver
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.signals import post_create_historical_record
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name


def tracked_m2m_fields(model) -> list[models.ManyToManyField]:
    history = getattr(model, "history", None)
    return list(getattr(history.model, "_history_m2m_fields", [])) if history else []


def m2m_history_model(model, field: models.ManyToManyField):
    """The table that keeps the field's rows per historical record."""
    return getattr(model.history.model, field.name).model


def m2m_snapshot(records) -> None:
    """Store the objects' current many-to-many sets with their historical records, replacing
    whatever those records held. A few queries per field, however many records."""
    records = list(records)
    if not records:
        return
    model = records[0].instance_type
    pk_name = model._meta.pk.attname
    object_ids = {getattr(record, pk_name) for record in records}
    for field in tracked_m2m_fields(model):
        kept = m2m_history_model(model, field)
        through = field.remote_field.through
        source = get_m2m_field_name(field)
        rows_by_object = defaultdict(list)
        for row in through.objects.filter(**{f"{source}__in": object_ids}):
            rows_by_object[getattr(row, f"{source}_id")].append(row)
        kept.objects.filter(history__in=records).delete()
        kept.objects.bulk_create(
            kept(
                history=record,
                **{f.attname: getattr(row, f.attname) for f in through._meta.concrete_fields},
            )
            for record in records
            for row in rows_by_object[getattr(record, pk_name)]
        )


@receiver(
    post_create_historical_record, dispatch_uid="netwerk.coordination.history.remember_version"
)
def remember_version(instance, history_instance, **kwargs) -> None:
    instance.version_written = history_instance


def version_written_by_last_save(instance):
    """The historical record the object's last save() wrote: not simply the newest one, which
    may be another person's save of the same object a moment later."""
    written = getattr(instance, "version_written", None)
    return written if written is not None else instance.history.order_by("-history_id").first()


def hold_set_versions(instance) -> None:
    """The many-to-many sets saved next make no versions of their own..."""
    if tracked_m2m_fields(type(instance)):
        instance.skip_history_when_saving = True


def copy_sets_into_version(instance) -> None:
    """...and once they are saved, they are copied into the version the object's save wrote:
    one version per save, holding its sets."""
    if hasattr(instance, "skip_history_when_saving"):
        del instance.skip_history_when_saving
        m2m_snapshot([version_written_by_last_save(instance)])


@contextmanager
def one_version_with_its_sets(instance):
    """Around saving the object's many-to-many sets, after its save()."""
    hold_set_versions(instance)
    try:
        yield
    finally:
        copy_sets_into_version(instance)


def m2m_of_version(instance) -> dict[str, list]:
    """For an instance taken from a historical record (`record.instance`): the primary keys in
    that version's many-to-many sets, by field name. Empty for any other instance."""
    record = getattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
    if record is None:
        return {}
    return {
        field.name: list(
            getattr(record, field.name).values_list(
                f"{get_m2m_reverse_field_name(field)}_id", flat=True
            )
        )
        for field in tracked_m2m_fields(type(instance))
    }


def m2m_names(records, field: models.ManyToManyField) -> dict[int, list[str]]:
    """For each historical record, the names of the objects in its copy of the field, sorted."""
    records = list(records)
    if not records:
        return {}
    target = get_m2m_reverse_field_name(field)
    kept = m2m_history_model(records[0].instance_type, field)
    names = {record.history_id: [] for record in records}
    for row in kept.objects.filter(history__in=records).select_related(target):
        names[row.history_id].append(str(getattr(row, target)))
    return {history_id: sorted(values) for history_id, values in names.items()}


def m2m_sets(model, field: models.ManyToManyField, history_ids) -> dict[int, frozenset]:
    """For each historical record id, the primary keys in its copy of the field. One query."""
    history_ids = list(history_ids)
    target = f"{get_m2m_reverse_field_name(field)}_id"
    rows = m2m_history_model(model, field).objects.filter(history__in=history_ids)
    sets = defaultdict(set)
    for history_id, target_id in rows.values_list("history_id", target):
        sets[history_id].add(target_id)
    return {history_id: frozenset(sets[history_id]) for history_id in history_ids}
