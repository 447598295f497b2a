"""Places, their availability history and the update links of teams without accounts."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from netwerk.admin import availability_chart
from netwerk.admin.scoping import OrganisationScopedAdmin, ScopedAdmin, ScopedInline, has_role
from netwerk.admin.spreadsheets import SpreadsheetAdminMixin
from netwerk.coordination.spreadsheets import PlaceResource
from netwerk.directory.locations import Location
from netwerk.places.availability import AvailabilityChange, place_availability_update
from netwerk.places.places import AVAILABILITY_FIELDS, Place
from netwerk.places.update_links import UpdateLink, update_link_path, update_link_renew

# --- Every availability write in the admin goes through the service. ------------------------------


def availability_changed(form) -> bool:
    return form.instance.pk is None or bool(AVAILABILITY_FIELDS & set(form.changed_data))


def place_form_availability_save(form, user) -> None:
    """Route a place form's availability through the service (before the form saves the rest)."""
    if availability_changed(form):
        place = form.instance
        place_availability_update(
            place=place,
            availability=place.availability,
            free_places=place.free_places,
            note=place.availability_note,
            expected_on=place.availability_expected_on,
            by=user,
        )


def place_formset_save(request, formset) -> None:
    """Save the organisation page's place inline, availability through the service."""
    for form in formset.forms:
        if not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        if form.instance.pk is None:
            # On an organisation's add page the organisation was saved after the form was built.
            setattr(form.instance, formset.fk.name, formset.instance)
        place_form_availability_save(form, request.user)
    formset.save()


class PlaceInline(ScopedInline, admin.TabularInline):
    model = Place
    extra = 0
    fields = [
        "location",
        "name",
        "setting",
        "capacity",
        "availability",
        "free_places",
        "availability_updated_at",
    ]
    readonly_fields = ["availability_updated_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "location":
            organisation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Location.objects.filter(organisation_id=organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Places. --------------------------------------------------------------------------------------


class FreshnessFilter(admin.SimpleListFilter):
    title = _("actualiteit")
    parameter_name = "actueel"

    def lookups(self, request, model_admin):
        return [
            ("verouderd", _("verouderd of nooit bijgewerkt")),
            ("actueel", _("actueel")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "verouderd":
            return queryset.stale()
        if self.value() == "actueel":
            return queryset.fresh()
        return queryset


class AvailabilityChangeInline(admin.TabularInline):
    """The place's availability history: read-only, newest first."""

    model = AvailabilityChange
    extra = 0
    can_delete = False
    fields = [
        "changed_at",
        "old_availability",
        "new_availability",
        "free_places",
        "note",
        "expected_on",
        "source",
    ]
    readonly_fields = fields
    verbose_name_plural = _("geschiedenis van de beschikbaarheid")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or has_role(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("door"))
    def source(self, change):
        return change.source


@admin.register(Place)
class PlaceAdmin(SpreadsheetAdminMixin, OrganisationScopedAdmin):
    resource_classes = [PlaceResource]
    list_display = [
        "__str__",
        "organisation",
        "setting",
        "capacity",
        "availability",
        "free_places",
        "is_fresh",
        "availability_updated_at",
        "phone_to_call",
    ]
    list_select_related = ["organisation", "location__organisation"]
    list_filter = [FreshnessFilter, "setting", "availability"]
    search_fields = ["name", "organisation__name", "location__city"]
    autocomplete_fields = ["organisation", "location"]
    readonly_fields = ["availability_updated_at", "availability_updated_by"]
    inlines = [AvailabilityChangeInline]
    change_list_template = "admin/netwerk/place/change_list.html"

    def save_model(self, request, obj, form, change):
        place_form_availability_save(form, request.user)
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and (warning := obj.staleness_warning()):
            messages.warning(request, warning)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("actueel"), boolean=True)
    def is_fresh(self, place):
        return not place.is_stale()

    @admin.display(description=_("te bellen"))
    def phone_to_call(self, place):
        phone = place.organisation.phone or place.location.phone
        if not phone:
            return "–"
        return format_html('<a href="tel:{}">{}</a>', phone.as_e164, phone.as_national)

    def get_urls(self):
        statistics = [
            path(
                "beschikbaarheid-door-de-tijd/",
                self.admin_site.admin_view(self.statistics_view),
                name="netwerk_place_statistics",
            ),
            path(
                "beschikbaarheid-door-de-tijd/beschikbaarheid-per-week.csv",
                self.admin_site.admin_view(self.statistics_csv_view),
                name="netwerk_place_statistics_csv",
            ),
        ]
        return [*statistics, *super().get_urls()]

    def statistics_view(self, request):
        """Free places per week over the last year (netwerk.admin.availability_chart)."""
        return availability_chart.chart_view(self, request)

    def statistics_csv_view(self, request):
        return availability_chart.csv_view(self, request)


# --- Update links. --------------------------------------------------------------------------------


class LinkStateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("actief", _("actief")),
            ("verloopt-binnenkort", _("verloopt binnenkort")),
            ("verlopen", _("verlopen")),
            ("ingetrokken", _("ingetrokken")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "actief":
            return queryset.active()
        if self.value() == "verloopt-binnenkort":
            return queryset.expiring_soon()
        if self.value() == "verlopen":
            return queryset.expired()
        if self.value() == "ingetrokken":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(UpdateLink)
class UpdateLinkAdmin(ScopedAdmin):
    """Coordinators hand out, revoke and renew links; editors have no business here.

    A link keeps no versions of its own: its history page is Django's log of admin actions.
    """

    for_editors = False
    list_display = [
        "organisation",
        "is_active",
        "created_at",
        "expires_at",
        "created_by",
        "last_used_at",
        "uses",
    ]
    list_select_related = ["organisation", "created_by"]
    list_filter = [LinkStateFilter]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]
    actions = ["revoke", "renew"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_uses=Count("availability_changes"))

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "organisation",
            "created_at",
            "expires_at",
            "created_by",
            "revoked_at",
            "last_used_at",
        ]

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the history keeps pointing at the link

    def save_model(self, request, obj, form, change):
        if change:
            return
        token = obj.issue_token()
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        self.message_user(request, link_message(request, obj.organisation, token), messages.SUCCESS)

    @admin.display(description=_("actief"), boolean=True)
    def is_active(self, link):
        return link.is_active

    @admin.display(description=_("verloopt op"), ordering="created_at")
    def expires_at(self, link):
        return link.expires_at

    @admin.display(description=_("updates"), ordering="_uses")
    def uses(self, link):
        return link._uses

    @admin.action(description=_("Trek de gekozen links in"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d link ingetrokken.", "%(count)d links ingetrokken.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Vernieuw: trek in en maak een nieuwe link per organisatie"),
        permissions=["change"],
    )
    def renew(self, request, queryset):
        organisations = {link.organisation for link in queryset.select_related("organisation")}
        for organisation in sorted(organisations, key=lambda o: o.name):
            _link, token = update_link_renew(organisation=organisation, by=request.user)
            self.message_user(request, link_message(request, organisation, token), messages.SUCCESS)


def link_message(request, organisation, token: str):
    url = request.build_absolute_uri(update_link_path(token))
    return format_html(
        '{} <a href="{}">{}</a> {}',
        _("Nieuwe bijwerklink voor %(organisation)s:") % {"organisation": organisation.name},
        url,
        url,
        _("Kopieer hem nu: de link wordt niet opgeslagen en hierna niet meer getoond."),
    )
