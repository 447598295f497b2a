"""The vocabulary's aliases: words coordinators add for a kind or an expertise tag.

The vocabulary is shared by every region, like the reference data: every role may look it up,
coordinators (who import the spreadsheets where the words come from) and administrators add,
change and remove aliases. A tag's aliases are part of the search documents of the
organisations with the tag, so a change is published.
"""

from django.contrib import admin

from netwerk.admin.history import VersionedHistoryAdmin
from netwerk.admin.publishing import PublishesChanges
from netwerk.admin.scoping import ReferenceDataAdmin
from netwerk.directory.access import keeps_the_map
from netwerk.directory.organisations import Organisation
from netwerk.directory.vocabulary import Alias


@admin.register(Alias)
class AliasAdmin(PublishesChanges, ReferenceDataAdmin, VersionedHistoryAdmin):
    list_display = ["text", "kind", "expertise"]
    list_select_related = ["expertise"]
    list_filter = ["kind", "expertise__category"]
    search_fields = ["text", "expertise__name"]
    autocomplete_fields = ["expertise"]
    fields = ["text", "kind", "expertise"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) or keeps_the_map(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or keeps_the_map(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or keeps_the_map(request.user)

    def organisations_touched(self, objects) -> set[int]:
        tags = [alias.expertise_id for alias in objects if alias.expertise_id]
        organisations = Organisation.objects.filter(expertise__in=tags)
        return set(organisations.values_list("pk", flat=True))
