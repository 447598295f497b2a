from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from netwerk.admin.history import VersionedHistoryAdmin, VersionedModelForm
from netwerk.admin.places import PlaceInline, place_formset_save
from netwerk.admin.privacy import ForgetsDeletedContacts
from netwerk.admin.publishing import PublishesChanges
from netwerk.admin.scoping import OrganisationScopedAdmin, ReferenceDataAdmin, ScopedInline
from netwerk.admin.spreadsheets import SpreadsheetAdminMixin
from netwerk.admin.widgets import CoordinatesMapWidget
from netwerk.consultation.lines import ConsultationLine
from netwerk.coordination.error_reports import ErrorReport
from netwerk.coordination.spreadsheets import (
    ContactResource,
    LocationResource,
    OrganisationResource,
)
from netwerk.coordination.verification import (
    changes_since_verification,
    due_for_verification,
    organisations_verify,
    verification_cutoff,
)
from netwerk.directory.access import is_administrator, keeps_the_map
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.network.agreements import Agreement
from netwerk.places.places import Place
from netwerk.places.update_links import UpdateLink
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import PostcodeArea
from netwerk.search.publishing import changes_published

REVIEW_PAGE_SIZE = 50


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        exclude = []  # noqa: DJ006  (the admin's inlines choose the fields)
        widgets = {"latitude": CoordinatesMapWidget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        location = self.instance
        widget = self.fields["latitude"].widget if "latitude" in self.fields else None
        if (
            isinstance(widget, CoordinatesMapWidget)
            and location.postcode
            and location.latitude is None
        ):
            area = PostcodeArea.objects.filter(pc4=location.postcode[:4]).first()
            if area is not None:
                widget.centre = (area.latitude, area.longitude)


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


class ConsultationLineInline(ScopedInline, admin.TabularInline):
    model = ConsultationLine
    for_editors = False  # lines are the coordinators' work
    extra = 0
    fields = ["name", "phone", "purpose", "audience", "is_always_open", "is_active"]
    show_change_link = True


class StaleVerificationFilter(admin.SimpleListFilter):
    title = _("controle")
    parameter_name = "gecontroleerd"

    def lookups(self, request, model_admin):
        return [
            ("te-controleren", _("te controleren")),
            ("nooit", _("nooit gecontroleerd")),
            (
                "verouderd",
                _("langer dan %(months)s maanden geleden")
                % {"months": settings.VERIFICATION_MONTHS},
            ),
        ]

    def queryset(self, request, queryset):
        if self.value() == "te-controleren":
            return due_for_verification(queryset)
        if self.value() == "nooit":
            return queryset.filter(last_verified_on__isnull=True)
        if self.value() == "verouderd":
            return queryset.filter(last_verified_on__lt=verification_cutoff())
        return queryset


class OrganisationForm(VersionedModelForm):
    class Meta:
        model = Organisation
        exclude = []  # the admin's fieldsets choose the fields


@admin.register(Organisation)
class OrganisationAdmin(ForgetsDeletedContacts, SpreadsheetAdminMixin, OrganisationScopedAdmin):
    organisation_lookup = ""
    form = OrganisationForm
    resource_classes = [OrganisationResource]
    change_list_template = "admin/netwerk/organisation/change_list.html"
    change_form_template = "admin/netwerk/organisation/change_form.html"
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
        (None, {"fields": ["name", "slug", "kind", "description", "is_published", "version"]}),
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

    def get_deleted_objects(self, objs, request):
        # An organisation's update links and error reports go with it, though no one deletes
        # them on their own (links are revoked, reports closed).
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        goes_along = {UpdateLink._meta.verbose_name, ErrorReport._meta.verbose_name}
        return deleted, counts, perms_needed - goes_along, protected

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # Only administrators manage user accounts, so only they pick the editors.
        return readonly if is_administrator(request.user) else [*readonly, "editors"]

    def get_export_queryset(self, request):
        return (
            super()
            .get_export_queryset(request)
            .prefetch_related("locations", "service_area", "expertise")
        )

    def has_verify_permission(self, request) -> bool:
        return keeps_the_map(request.user)

    def render_change_form(self, request, context, *args, **kwargs):
        context["may_verify"] = self.has_verify_permission(request)
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if "_verify" in request.POST and self.has_verify_permission(request):
            obj.mark_verified(by=request.user)
        super().save_model(request, obj, form, change)

    def organisations_touched(self, objects) -> set[int]:
        return {organisation.pk for organisation in objects}

    def response_change(self, request, obj):
        if "_verify" in request.POST and self.has_verify_permission(request):
            self.message_user(
                request,
                _("%(name)s is opgeslagen en gemarkeerd als gecontroleerd.") % {"name": obj},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def get_urls(self):
        return [
            path(
                "te-controleren/",
                self.admin_site.admin_view(self.review_view),
                name="netwerk_organisation_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request):
        """'Te controleren': organisations not verified for a while, and what changed since."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        organisations = due_for_verification(
            self.get_queryset(request).select_related("last_verified_by")
        )
        page = Paginator(organisations, REVIEW_PAGE_SIZE).get_page(request.GET.get("p"))
        changes = changes_since_verification(page.object_list)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Te controleren"),
            "opts": self.opts,
            "page": page,
            "rows": [(organisation, changes[organisation.pk]) for organisation in page],
            "months": settings.VERIFICATION_MONTHS,
            "cutoff": verification_cutoff(),
            "agreements_due": self.agreements_due_for_review(request),
        }
        return TemplateResponse(request, "admin/netwerk/organisation/review.html", context)

    def agreements_due_for_review(self, request) -> list[Agreement]:
        """The agreements of the user's scope whose review date has passed."""
        agreement_admin = self.admin_site._registry[Agreement]
        if not agreement_admin.has_view_permission(request):
            return []
        return list(agreement_admin.get_queryset(request).due_for_review())

    def save_formset(self, request, form, formset, change):
        if formset.model is Place:
            place_formset_save(request, formset)
            return
        super().save_formset(request, form, formset, change)

    @admin.display(description=_("vestigingen"), ordering="_location_count")
    def location_count(self, organisation):
        return organisation._location_count

    @admin.action(description=_("Markeer als gecontroleerd"), permissions=["verify"])
    def mark_as_verified(self, request, queryset):
        count = organisations_verify(organisations=queryset, by=request.user)
        changes_published()  # the organisation page says when it was last verified
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
class LocationAdmin(SpreadsheetAdminMixin, OrganisationScopedAdmin):
    form = LocationForm
    resource_classes = [LocationResource]
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
class ContactAdmin(ForgetsDeletedContacts, SpreadsheetAdminMixin, OrganisationScopedAdmin):
    resource_classes = [ContactResource]
    list_display = ["name", "role", "organisation", "visibility", "consent_recorded_on"]
    list_select_related = ["organisation"]
    list_filter = ["visibility", "is_person", ("consent_recorded_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "role", "organisation__name", "email"]
    autocomplete_fields = ["organisation", "expertise"]


@admin.register(ExpertiseTag)
class ExpertiseTagAdmin(PublishesChanges, ReferenceDataAdmin, VersionedHistoryAdmin):
    list_display = ["name", "name_en", "category", "slug"]
    list_filter = ["category"]
    search_fields = ["name", "name_en", "synonyms", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def organisations_touched(self, objects) -> set[int]:
        # Names and synonyms are part of the search document of every organisation with the tag.
        tags = [tag.pk for tag in objects]
        return set(Organisation.objects.filter(expertise__in=tags).values_list("pk", flat=True))
