from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from netwerk.access import is_administrator
from netwerk.admin.scoping import OrganisationScopedAdmin, ReferenceDataAdmin, ScopedInline
from netwerk.admin.widgets import CoordinatesMapWidget
from netwerk.consultation import ConsultationLine
from netwerk.contacts import Contact
from netwerk.expertise import ExpertiseTag
from netwerk.locations import Location
from netwerk.organisations import Organisation
from netwerk.places import AVAILABILITY_FIELDS, Place


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        exclude = []  # noqa: DJ006  (the admin's inlines choose the fields)
        widgets = {"latitude": CoordinatesMapWidget()}


class LocationInline(ScopedInline, admin.StackedInline):
    model = Location
    form = LocationForm
    extra = 0
    autocomplete_fields = ["municipality"]
    fields = [
        "name",
        ("street", "house_number"),
        ("postcode", "city"),
        "municipality",
        "latitude",
        "longitude",
        "phone",
        "notes",
    ]


class ContactInline(ScopedInline, admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "is_person", "role", "phone", "email", "visibility", "consent_recorded_on"]


class PlaceInline(ScopedInline, admin.TabularInline):
    model = Place
    extra = 0
    fields = ["location", "name", "setting", "capacity", "availability", "availability_updated_at"]
    readonly_fields = ["availability_updated_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "location":
            organisation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Location.objects.filter(organisation_id=organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ConsultationLineInline(ScopedInline, admin.TabularInline):
    model = ConsultationLine
    extra = 0
    fields = ["name", "phone", "purpose", "audience", "is_always_open", "is_active"]
    show_change_link = True


class StaleVerificationFilter(admin.SimpleListFilter):
    title = _("controle")
    parameter_name = "gecontroleerd"

    def lookups(self, request, model_admin):
        return [("nooit", _("nooit gecontroleerd")), ("verouderd", _("langer dan 6 maanden"))]

    def queryset(self, request, queryset):
        if self.value() == "nooit":
            return queryset.filter(last_verified_on__isnull=True)
        if self.value() == "verouderd":
            cutoff = timezone.localdate() - timezone.timedelta(days=183)
            return queryset.filter(last_verified_on__lt=cutoff)
        return queryset


def stamp_availability_if_changed(form, user) -> None:
    if not form.instance.pk or AVAILABILITY_FIELDS & set(form.changed_data):
        form.instance.mark_availability_updated(by=user)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_lookup = ""
    editors_may_add = False
    editors_may_delete = False
    list_display = [
        "name",
        "kind",
        "location_count",
        "is_published",
        "last_verified_on",
        "updated_at",
    ]
    list_filter = ["kind", "is_published", StaleVerificationFilter, "expertise"]
    search_fields = ["name", "description", "locations__city", "locations__postcode"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["service_area", "expertise", "editors"]
    readonly_fields = ["last_verified_on", "last_verified_by", "created_at", "updated_at"]
    inlines = [LocationInline, PlaceInline, ContactInline, ConsultationLineInline]
    actions = ["mark_as_verified"]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "is_published"]}),
        (_("Contact"), {"fields": ["phone", "email", "website"]}),
        (_("Werkgebied en expertise"), {"fields": ["service_area", "expertise", "editors"]}),
        (
            _("Controle"),
            {"fields": ["last_verified_on", "last_verified_by", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(_location_count=Count("locations")).order_by("name")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # Only administrators manage user accounts, so only they pick the editors.
        return readonly if is_administrator(request.user) else [*readonly, "editors"]

    def save_formset(self, request, form, formset, change):
        if formset.model is Place:
            for place_form in formset.forms:
                if place_form.has_changed():
                    stamp_availability_if_changed(place_form, request.user)
        super().save_formset(request, form, formset, change)

    @admin.display(description=_("vestigingen"), ordering="_location_count")
    def location_count(self, organisation):
        return organisation._location_count

    @admin.action(description=_("Markeer als gecontroleerd"))
    def mark_as_verified(self, request, queryset):
        count = queryset.update(
            last_verified_on=timezone.localdate(), last_verified_by=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d organisatie gemarkeerd als gecontroleerd.",
                "%(count)d organisaties gemarkeerd als gecontroleerd.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Location)
class LocationAdmin(OrganisationScopedAdmin):
    form = LocationForm
    list_display = [
        "__str__",
        "organisation",
        "postcode",
        "city",
        "municipality",
        "has_coordinates",
    ]
    list_select_related = ["organisation", "municipality"]
    list_filter = ["municipality__province_name", "organisation__kind"]
    search_fields = ["name", "organisation__name", "street", "postcode", "city"]
    autocomplete_fields = ["organisation", "municipality"]

    @admin.display(description=_("op de kaart"), boolean=True)
    def has_coordinates(self, location):
        return location.has_coordinates


@admin.register(Contact)
class ContactAdmin(OrganisationScopedAdmin):
    list_display = ["name", "role", "organisation", "visibility", "consent_recorded_on"]
    list_select_related = ["organisation"]
    list_filter = ["visibility", "is_person", ("consent_recorded_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "role", "organisation__name", "email"]
    autocomplete_fields = ["organisation", "expertise"]


@admin.register(Place)
class PlaceAdmin(OrganisationScopedAdmin):
    list_display = [
        "__str__",
        "organisation",
        "setting",
        "capacity",
        "availability",
        "availability_updated_at",
    ]
    list_select_related = ["organisation", "location__organisation"]
    list_filter = ["setting", "availability"]
    search_fields = ["name", "organisation__name", "location__city"]
    autocomplete_fields = ["organisation", "location"]
    readonly_fields = ["availability_updated_at", "availability_updated_by"]

    def save_model(self, request, obj, form, change):
        stamp_availability_if_changed(form, request.user)
        super().save_model(request, obj, form, change)


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(ReferenceDataAdmin):
    list_display = ["name", "category", "slug"]
    list_filter = ["category"]
    search_fields = ["name", "synonyms", "description"]
    prepopulated_fields = {"slug": ["name"]}
