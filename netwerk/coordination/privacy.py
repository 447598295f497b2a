"""Forgetting personal data (AVG): what the site removes, and when.

- A deleted contact keeps its history rows, so "who changed what when" stays, but they lose a
  person's name, the phone number, the e-mail address and the note on consent. The admin calls
  `contacts_forget_personal_data` on every delete path (netwerk.admin.privacy);
  `deleted_contacts_forget` catches deletes made any other way (a shell, a cascade from
  elsewhere) and runs in the daily `manage.py purge_expired`.
- Login records of django-axes are removed after LOGIN_RECORDS_RETENTION_DAYS.
- A reporter's e-mail address goes when the report is closed, and at the latest after
  ERROR_REPORT_EMAIL_RETENTION_DAYS (netwerk.coordination.error_reports).
- Registrations for the agenda's events (name, e-mail address, organisation) go
  EVENT_REGISTRATION_RETENTION_DAYS after the event ended (netwerk.network.registrations).

The privacy page (templates/pages/privacy.html) tells visitors the same: keep them in step.
"""

import json
from collections.abc import Iterable
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from netwerk.directory.contacts import Contact
from netwerk.directory.organisations import Organisation

# What the admin log shows instead of a forgotten person's name.
FORGOTTEN = "(verwijderd)"


def contacts_forget_personal_data(contact_ids: Iterable[int]) -> int:
    """Blank the personal fields in the history of these contacts, those that no longer exist.

    The history of a contact that still exists stays as it is. Returns the number of history
    rows that still held personal data.
    """
    contact_ids = set(contact_ids)
    if not contact_ids:
        return 0
    existing = Contact.objects.filter(pk__in=contact_ids).values_list("pk", flat=True)
    return _forget(Contact.history.filter(id__in=contact_ids - set(existing)))


def deleted_contacts_forget() -> int:
    """Blank the personal fields in the history of every contact that no longer exists."""
    return _forget(Contact.history.exclude(id__in=Contact.objects.values("pk")))


def _forget(history) -> int:
    remembered = history.filter(
        Q(is_person=True, name__gt="") | Q(phone__gt="") | Q(email__gt="") | Q(consent_note__gt="")
    )
    contact_ids = set(remembered.values_list("id", flat=True))
    if not contact_ids:
        return 0
    history = history.filter(id__in=contact_ids)
    with transaction.atomic():
        count = remembered.count()
        people = history.filter(is_person=True).exclude(name="")
        shown_as = {_label(name, role) for name, role in people.values_list("name", "role")}
        organisation_ids = set(history.values_list("organisation_id", flat=True))
        people.update(name="")
        history.update(phone="", email="", consent_note="")
        _forget_in_admin_log(contact_ids, organisation_ids, shown_as)
    return count


def _label(name: str, role: str) -> str:
    """A contact as the admin log wrote it (Contact.__str__ of that version)."""
    return str(Contact(name=name, role=role))


def _forget_in_admin_log(contact_ids, organisation_ids, shown_as: set[str]) -> None:
    """The admin log names a contact on its own entries, and on its organisation's entries when
    it was added, changed or deleted as a row of the organisation's page."""
    if not shown_as:
        return
    contact_type = ContentType.objects.get_for_model(Contact)
    LogEntry.objects.filter(
        content_type=contact_type,
        object_id__in=[str(pk) for pk in contact_ids],
        object_repr__in=shown_as,
    ).update(object_repr=FORGOTTEN)
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id__in=[str(pk) for pk in organisation_ids],
        change_message__startswith="[",
    )
    rewritten = []
    for entry in entries:
        message = json.loads(entry.change_message)
        if admin_log_message_forget(message, shown_as):
            entry.change_message = json.dumps(message)
            rewritten.append(entry)
    LogEntry.objects.bulk_update(rewritten, ["change_message"])


def admin_log_message_forget(message: list, shown_as: set[str]) -> bool:
    """Replace the contacts named `shown_as` in an admin log message (Django's JSON list of
    {"added"|"changed"|"deleted": {"name": model, "object": str(object)}}); True if any was."""
    mentions = [
        detail
        for item in message
        for detail in item.values()
        if isinstance(detail, dict) and detail.get("object") in shown_as
    ]
    for detail in mentions:
        detail["object"] = FORGOTTEN
    return bool(mentions)


def login_records_purge(*, older_than_days: int) -> int:
    """Remove django-axes' records of logins and failed attempts (user name, IP address, user
    agent) older than this many days. Returns how many were removed."""
    # axes' own clean-up by age for its access logs (the command axes_reset_logs uses it). For
    # failed attempts it has none: it drops those older than the cool-off only when someone
    # logs in, so on a quiet site they would stay.
    removed = AxesProxyHandler.reset_logs(age_days=older_than_days)
    removed += AxesProxyHandler.reset_failure_logs(age_days=older_than_days)
    cutoff = timezone.now() - timedelta(days=older_than_days)
    _, per_model = AccessAttempt.objects.filter(attempt_time__lte=cutoff).delete()
    return removed + per_model.get(AccessAttempt._meta.label, 0)
