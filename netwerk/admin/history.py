"""Versions in the admin: one per save, readable differences, revert, and optimistic locking.

Two coordinators may open the same organisation. The form carries the version the coordinator
saw (the organisation's `updated_at`); a save from an older version is refused and the message
lists what the other person changed, taken from the history. Nothing is lost: the refused form
keeps what was typed.
"""

from dataclasses import replace
from datetime import datetime
from itertools import pairwise

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelDelta

from netwerk.coordination.history import (
    copy_sets_into_version,
    hold_set_versions,
    m2m_names,
    m2m_of_version,
    tracked_m2m_fields,
)
from netwerk.coordination.verification import NOT_A_CHANGE


def version_token(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def revert_reason(version) -> str:
    """ "Teruggezet naar de versie van 3 december 2026 14:05 door Anna de Vries"."""
    moment = date_format(timezone.localtime(version.history_date), "j F Y H:i")
    author = version.history_user
    if author is None:
        return _("Teruggezet naar de versie van %(moment)s") % {"moment": moment}
    return _("Teruggezet naar de versie van %(moment)s door %(name)s") % {
        "moment": moment,
        "name": author.get_full_name() or author.get_username(),
    }


def empty_foreign_keys_as_empty(delta: ModelDelta) -> ModelDelta:
    """simple-history reports a foreign key that was or became empty as a deleted object with
    no id ("Verwijderd: gebruiker (pk=None)"); it was simply empty."""

    def value(found):
        return _("(leeg)") if isinstance(found, DeletedObject) and found.pk is None else found

    changes = [replace(c, old=value(c.old), new=value(c.new)) for c in delta.changes]
    return replace(delta, changes=changes)


def readable_value(value) -> str:
    if value in (None, "", []):
        return _("(leeg)")
    if isinstance(value, list):  # a many-to-many field: the names of the linked objects
        return ", ".join(value)
    return str(value)


def readable_changes(newer, older) -> list[str]:
    """One line per changed field, "Label: old → new", between two historical records."""
    model = newer.instance_type
    m2m_fields = tracked_m2m_fields(model)
    delta = newer.diff_against(
        older,
        excluded_fields=NOT_A_CHANGE | {field.name for field in m2m_fields},
        foreign_keys_are_objs=True,  # names, not ids
    )
    delta = empty_foreign_keys_as_empty(delta)
    changes = [(change.field, change.old, change.new) for change in delta.changes]
    changes += m2m_changes([newer, older], m2m_fields)[newer.history_id]
    lines = []
    for name, old, new in changes:
        label = model._meta.get_field(name).verbose_name
        lines.append(f"{label}: {readable_value(old)} → {readable_value(new)}")
    return lines


def m2m_changes(records, fields) -> dict[int, list[tuple[str, list[str], list[str]]]]:
    """Per record (newest first), the many-to-many fields whose names differ from the next
    older record's: (field, old names, new names). One query per field."""
    records = list(records)
    changes = {record.history_id: [] for record in records}
    for field in fields:
        names = m2m_names(records, field)
        for newer, older in pairwise(records):
            old, new = names[older.history_id], names[newer.history_id]
            if old != new:
                changes[newer.history_id].append((field.name, old, new))
    return changes


class RevertibleModelForm(forms.ModelForm):
    """Opened on an old version (simple-history's revert page), the form starts from that
    version's many-to-many sets too, not only its other fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(m2m_of_version(self.instance))


class VersionedHistoryAdmin(SimpleHistoryAdmin):
    """One version per save, with the many-to-many sets the form saved; revert restores them.

    simple-history records a version on `save()`, before the form saves the many-to-many sets,
    and another one for every set that then changes. Here the sets are saved without versions
    of their own and copied into the save's version once everything is saved.
    """

    form = RevertibleModelForm
    object_history_form_template = "admin/history/version_form.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A version, opened to read or to revert to.

        simple-history's own view saves a posted version after checking only the *view*
        permission, and saves the whole old object, fields the form does not offer included.
        Here a revert is a change like any other: the page shows the version's values in the
        change page's form; posting it needs the change permission on the current object and
        saves only what that form offers (readonly fields, and choices outside the user's
        scope, stay as they are), in one transaction, with a history row saying it was a revert.
        """
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        current = self.get_object(request, unquote(object_id))
        if current is None:
            raise Http404
        version = get_object_or_404(
            self.model.history.filter(**{self.opts.pk.attname: current.pk}),
            history_id=int(version_id) if str(version_id).isdigit() else None,
        )
        form_class = self.get_form(request, current, change=True)
        if request.method == "POST":
            if not self.has_change_permission(request, current):
                raise PermissionDenied
            with transaction.atomic(using=router.db_for_write(self.model)):
                form = form_class(request.POST, request.FILES, instance=current)
                if form.is_valid():
                    return self.revert(request, form, version)
        elif self.has_view_or_change_permission(request, current):
            shown = version.instance
            shown._state.adding = False
            form = form_class(instance=shown)
        else:
            raise PermissionDenied
        return self.render_version(request, current, version, form, extra_context)

    def revert(self, request, form, version):
        reason = revert_reason(version)
        obj = self.save_form(request, form, change=True)
        obj._change_reason = reason
        self.save_model(request, obj, form, change=True)
        form.save_m2m()
        self.log_change(request, obj, reason)
        self.message_user(request, f"{obj}: {reason}.", messages.SUCCESS)
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(reverse("{}:{}_{}_change".format(*info), args=[obj.pk]))

    def render_version(self, request, current, version, form, extra_context):
        """The version in the change page's form; read-only without the change permission."""
        may_revert = self.has_change_permission(request, current)
        fieldsets = self.get_fieldsets(request, current)
        readonly = (
            self.get_readonly_fields(request, current)
            if may_revert
            else flatten_fieldsets(fieldsets)
        )
        admin_form = helpers.AdminForm(
            form,
            fieldsets,
            self.get_prepopulated_fields(request, current) if may_revert else {},
            readonly,
            model_admin=self,
        )
        moment = date_format(timezone.localtime(version.history_date), "j F Y H:i")
        title = _("Versie van %(moment)s terugzetten") if may_revert else _("Versie van %(moment)s")
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        context = {
            **self.admin_site.each_context(request),
            "title": title % {"moment": moment},
            "adminform": admin_form,
            "object_id": current.pk,
            "original": current,
            "is_popup": False,
            "media": self.media + admin_form.media,
            "errors": helpers.AdminErrorList(form, []),
            "app_label": self.opts.app_label,
            "original_opts": self.opts,
            "opts": self.opts,
            "changelist_url": reverse("{}:{}_{}_changelist".format(*info)),
            "change_url": reverse("{}:{}_{}_change".format(*info), args=[current.pk]),
            "history_url": reverse("{}:{}_{}_history".format(*info), args=[current.pk]),
            "change_history": False,
            "revert_disabled": not may_revert,
            "add": False,
            "change": True,
            "has_add_permission": False,
            "has_view_permission": True,
            "has_change_permission": may_revert,
            "has_delete_permission": False,
            "has_editable_inline_admin_formsets": False,
            "has_file_field": False,
            "has_absolute_url": False,
            "form_url": "",
            "save_as": False,
            "save_on_top": False,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_form_template, context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        hold_set_versions(obj)  # the sets are saved later, by another hook

    # log_addition and log_change are what the change form, the list's inline editing and
    # simple-history's revert all call once the object and its many-to-many sets are saved.
    def log_addition(self, request, obj, message):
        self.saved(request, obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self.saved(request, obj)
        return super().log_change(request, obj, message)

    def saved(self, request, obj) -> None:
        """The object, its many-to-many sets and its inlines are saved."""
        copy_sets_into_version(obj)

    def render_history_view(self, request, template, context, **kwargs):
        # Called once simple-history has checked the permission and found the object in scope.
        if template == self.object_history_template:
            context = {**context, **self.comparison(request, context["object"].pk)}
        return super().render_history_view(request, template, context, **kwargs)

    def comparison(self, request, object_id) -> dict:
        """ "Wat is er veranderd?" between two versions of this object: ?van=<id>&tot=<id>."""
        asked = [request.GET.get("van", ""), request.GET.get("tot", "")]
        if not any(asked):
            return {}
        ids = {int(value) for value in asked if value.isdigit()}
        versions = self.model.history.filter(
            **{self.model._meta.pk.attname: object_id}, history_id__in=ids
        )
        versions = sorted(versions, key=lambda version: (version.history_date, version.history_id))
        if len(ids) != 2 or len(versions) != 2:
            return {"comparison_error": _("Kies twee verschillende versies om te vergelijken.")}
        older, newer = versions
        return {
            "comparison": {
                "older": older,
                "newer": newer,
                "changes": readable_changes(newer, older),
            }
        }

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """As simple-history does it, with the many-to-many sets as names (one query per
        field for the whole page, not a few per row)."""
        records = list(historical_records)
        m2m_fields = tracked_m2m_fields(self.model)
        excluded = [field.name for field in self.model._meta.many_to_many]
        m2m = m2m_changes(records, m2m_fields)
        for newer, older in pairwise(records):
            delta = newer.diff_against(
                older, excluded_fields=excluded, foreign_keys_are_objs=foreign_keys_are_objs
            )
            helper = self.get_historical_record_context_helper(request, newer)
            delta = empty_foreign_keys_as_empty(delta)
            newer.history_delta_changes = helper.context_for_delta_changes(delta) + [
                {
                    "field": capfirst(self.model._meta.get_field(name).verbose_name),
                    "old": readable_value(old),
                    "new": readable_value(new),
                }
                for name, old, new in m2m[newer.history_id]
            ]


class VersionedModelForm(RevertibleModelForm):
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
