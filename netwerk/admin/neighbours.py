"""Neighbouring networks in the admin: coordinators register, change and switch off the HSDS
address of another network (network-level reference, the same for every coordinator);
administrators may also delete one. Editors and professionals have no door here. What a sync
copied is read-only: the neighbour's page says how much and how the last sync went."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from netwerk.admin.history import VersionedHistoryAdmin
from netwerk.admin.publishing import PublishesReferenceChanges
from netwerk.admin.scoping import NotFoundOutsideScope
from netwerk.directory.access import is_coordinator
from netwerk.neighbours.networks import NeighbourNetwork

SYNC_FIELDS = ["last_synced_at", "last_sync_outcome", "last_sync_message", "copies"]


@admin.register(NeighbourNetwork)
class NeighbourNetworkAdmin(PublishesReferenceChanges, NotFoundOutsideScope, VersionedHistoryAdmin):
    list_display = ["name", "api_url", "is_active", "last_synced_at", "last_sync_outcome"]
    list_filter = ["is_active", "last_sync_outcome"]
    search_fields = ["name", "api_url"]
    readonly_fields = SYNC_FIELDS
    autocomplete_fields = ["municipalities"]
    fieldsets = [
        (None, {"fields": ["name", "api_url", "website", "is_active"]}),
        (_("Werkgebied"), {"fields": ["municipalities"]}),
        (
            _("Laatste synchronisatie (python manage.py sync_neighbours)"),
            {"fields": SYNC_FIELDS},
        ),
    ]

    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or is_coordinator(request.user)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or is_coordinator(request.user)

    @admin.display(description=_("opgehaald"))
    def copies(self, neighbour):
        if neighbour.pk is None:
            return "–"
        return _("%(organisations)s organisaties, %(lines)s lijnen") % {
            "organisations": neighbour.organisations.count(),
            "lines": neighbour.lines.count(),
        }
