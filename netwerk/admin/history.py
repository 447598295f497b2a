"""Readable differences between versions, and optimistic locking of the organisation form.

Two coordinators may open the same organisation. The form carries the version the coordinator
saw (the organisation's `updated_at`); a save from an older version is refused and the message
lists what the other person changed, taken from the history. Nothing is lost: the refused form
keeps what was typed.
"""

from datetime import datetime

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netwerk.verification import NOT_A_CHANGE


def version_token(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def readable_value(value) -> str:
    if value in (None, ""):
        return _("(leeg)")
    if isinstance(value, list):  # a many-to-many field: the ids of the rows that link
        return _("gewijzigd")
    return str(value)


def readable_changes(newer, older) -> list[str]:
    """One line per changed field, "Label: old → new", between two historical records."""
    model = newer.instance_type
    delta = newer.diff_against(older, excluded_fields=NOT_A_CHANGE)
    lines = []
    for change in delta.changes:
        label = model._meta.get_field(change.field).verbose_name
        lines.append(f"{label}: {readable_value(change.old)} → {readable_value(change.new)}")
    return lines


class VersionedModelForm(forms.ModelForm):
    """A ModelForm that refuses to save over a version newer than the one it was opened on."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # From the database, not the instance: a revert form shows an old version's values
            # but is saved over the current one.
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            self.initial["version"] = version_token(current)

    def clean(self):
        cleaned_data = super().clean()
        seen = parse_datetime(self.data.get("version") or "")
        if self.instance.pk and seen is not None:
            current = self.current_version()
            if current is not None and current != seen:
                raise forms.ValidationError(self.conflict_messages(seen))
        return cleaned_data

    def current_version(self):
        rows = type(self.instance).objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()  # two saves at the same moment queue up here
        return rows.values_list("updated_at", flat=True).first()

    def conflict_messages(self, seen: datetime) -> list[str]:
        history = type(self.instance).history.filter(id=self.instance.pk)
        latest = history.order_by("-history_date", "-history_id").first()
        opened = history.filter(updated_at=seen).order_by("-history_date", "-history_id").first()
        if latest is None:
            who, when, lines = _("iemand anders"), "", []
        else:
            who = str(latest.history_user or _("iemand anders"))
            when = date_format(timezone.localtime(latest.history_date), "j F H:i")
            lines = readable_changes(latest, opened) if opened else []
        messages = [
            _(
                "Niet opgeslagen: %(who)s heeft deze organisatie gewijzigd (%(when)s) nadat u "
                "haar opende. Zo gaat geen van beide wijzigingen verloren. Uw invoer staat "
                "hieronder nog; open de organisatie opnieuw, neem uw wijziging over en sla op."
            )
            % {"who": who, "when": when}
        ]
        if lines:
            messages.append(_("Wat %(who)s veranderde:") % {"who": who})
            messages.extend(lines)
        return messages
