from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from netwerk.admin.history import VersionedHistoryAdmin
from netwerk.admin.publishing import PublishesChanges, PublishesReferenceChanges
from netwerk.admin.scoping import ReferenceDataAdmin
from netwerk.directory.access import is_administrator
from netwerk.directory.organisations import Organisation
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.reference.reference_lines import ReferenceLine


@admin.register(Municipality)
class MunicipalityAdmin(PublishesChanges, ReferenceDataAdmin):
    list_display = ["name", "code", "province_name"]
    list_filter = ["province_name"]
    search_fields = ["name", "code"]
    ordering = ["name"]

    def organisations_touched(self, objects) -> set[int]:
        # The search documents hold the municipalities of an organisation's locations.
        located = Organisation.objects.filter(locations__municipality__in=list(objects))
        return set(located.values_list("pk", flat=True))


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(PublishesReferenceChanges, ReferenceDataAdmin):
    list_display = ["pc4", "place_names", "municipality"]
    list_select_related = ["municipality"]
    list_filter = ["municipality__province_name"]
    search_fields = ["pc4", "place_names", "municipality__name"]
    autocomplete_fields = ["municipality"]


@admin.register(Region)
class RegionAdmin(PublishesReferenceChanges, ReferenceDataAdmin, VersionedHistoryAdmin):
    list_display = ["name", "slug", "municipality_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = [
        "municipalities",
        "extra_postcode_areas",
        "excluded_postcode_areas",
        "coordinators",
    ]

    def get_exclude(self, request, obj=None):
        # Who coordinates a region is account data: for administrators' eyes only.
        exclude = super().get_exclude(request, obj) or []
        return exclude if is_administrator(request.user) else [*exclude, "coordinators"]

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        return (
            fields if is_administrator(request.user) else [f for f in fields if f != "coordinators"]
        )

    def get_queryset(self, request):
        queryset = (
            super().get_queryset(request).annotate(_municipality_count=Count("municipalities"))
        )
        # An aggregate drops the default ordering, which autocomplete needs for paging.
        return queryset.order_by("name")

    @admin.display(description=_("gemeenten"), ordering="_municipality_count")
    def municipality_count(self, region):
        return region._municipality_count


@admin.register(ReferenceLine)
class ReferenceLineAdmin(PublishesReferenceChanges, ReferenceDataAdmin, VersionedHistoryAdmin):
    """The national numbers and the huisartsenposten the answer pages show (shipped lines are
    added by `load_reference_data` when missing; administrators keep them here)."""

    list_display = ["name", "number", "audience", "hours", "is_active", "order"]
    list_filter = ["audience", "is_active"]
    search_fields = ["name", "number", "municipalities__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["municipalities"]
    fields = [
        "name",
        "slug",
        "number",
        "audience",
        "when_to_call",
        "hours",
        "municipalities",
        "order",
        "is_active",
        "source",
    ]
