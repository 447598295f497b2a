"""The network's own work in the admin: the agenda and its registrations, collaboration
agreements and the knowledge library, scoped like everything else (netwerk.admin.scoping).

Events belong to their organiser: coordinators keep those of their regions' organisations,
an organisation's editors its own (organisers). Registrations follow their event; they come in
through the public form only, so the admin shows and removes them (a removal frees the place
for the waiting list) but neither adds nor edits them. Agreements are coordinators' work: a
coordinator keeps those with a partner in their regions. Knowledge items belong to the
organisation that published them; those of the network itself (no organisation) are kept by
coordinators.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from netwerk.admin.history import VersionedModelForm
from netwerk.admin.scoping import OrganisationScopedAdmin, ScopedAdmin, scoped_choices
from netwerk.admin.spreadsheets import SpreadsheetAdminMixin
from netwerk.directory.access import is_administrator, is_coordinator
from netwerk.directory.organisations import Organisation
from netwerk.network.agreements import Agreement
from netwerk.network.events import Event
from netwerk.network.knowledge import KnowledgeItem
from netwerk.network.registrations import (
    Registration,
    RegistrationStatus,
    registration_cancel,
)
from netwerk.network.spreadsheets import AgreementResource, EventResource


class NetworkWorkAdmin(OrganisationScopedAdmin):
    """Shown on the public pages, but in no organisation's search document: a change only
    moves the published data's version."""

    def organisations_touched(self, objects) -> set[int]:
        return set()


class EventForm(VersionedModelForm):
    class Meta:
        model = Event
        exclude = []


@admin.register(Event)
class EventAdmin(SpreadsheetAdminMixin, NetworkWorkAdmin):
    form = EventForm
    resource_classes = [EventResource]
    organisation_lookup = "organiser"
    list_display = ["title", "kind", "starts_at", "organiser", "registration_mode", "registered"]
    list_select_related = ["organiser"]
    list_filter = ["kind", "registration_mode", "professionals_only", "is_published"]
    search_fields = ["title", "description", "organiser__name", "venue", "city"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organiser", "location", "expertise"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "organiser", "is_published", "version"]}),
        (_("Wanneer"), {"fields": ["starts_at", "ends_at"]}),
        (_("Waar"), {"fields": ["location", "venue", "address", "postcode", "city", "is_online"]}),
        (
            _("Inhoud"),
            {
                "fields": [
                    "description",
                    "target_group",
                    "expertise",
                    "accreditation",
                    "professionals_only",
                ]
            },
        ),
        (_("Aanmelden"), {"fields": ["registration_mode", "registration_url", "capacity"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _registered=Count(
                    "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
                )
            )
        )

    @admin.display(description=_("aangemeld"), ordering="_registered")
    def registered(self, event):
        return event._registered


@admin.register(Registration)
class RegistrationAdmin(ScopedAdmin):
    organisation_lookup = "event__organiser"
    list_display = ["name", "email", "organisation_name", "event", "status", "created_at"]
    list_select_related = ["event"]
    list_filter = ["status"]
    search_fields = ["name", "email", "organisation_name", "event__title"]
    readonly_fields = ["event", "name", "email", "organisation_name", "status", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        registration_cancel(registration=obj, site_url=request.build_absolute_uri("/").rstrip("/"))

    def delete_queryset(self, request, queryset):
        site_url = request.build_absolute_uri("/").rstrip("/")
        # One at a time: each freed place goes to the next on its event's waiting list.
        for registration in queryset.order_by("-status", "created_at"):
            registration_cancel(registration=registration, site_url=site_url)


class AgreementForm(VersionedModelForm):
    """At least two partners, one of them the user's own to keep (the admin narrows the
    choices); partners outside the user's regions stay as they are."""

    offered_partners = None  # set per request by the admin; None: all

    class Meta:
        model = Agreement
        exclude = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("partners")
        if field is not None and self.instance.pk:
            current = self.instance.partners.values("pk")
            field.queryset = Organisation.objects.filter(
                Q(pk__in=field.queryset.values("pk")) | Q(pk__in=current)
            )

    def clean_partners(self):
        partners = self.cleaned_data["partners"]
        if len(partners) < 2:
            raise forms.ValidationError(_("Kies ten minste twee organisaties."))
        if (
            self.offered_partners is not None
            and not partners.filter(pk__in=self.offered_partners.values("pk")).exists()
        ):
            raise forms.ValidationError(_("Kies ten minste één organisatie uit uw eigen regio."))
        return partners


@admin.register(Agreement)
class AgreementAdmin(SpreadsheetAdminMixin, NetworkWorkAdmin):
    form = AgreementForm
    resource_classes = [AgreementResource]
    for_editors = False
    list_display = ["title", "kind", "partner_list", "starts_on", "review_on", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "description", "partners__name"]
    autocomplete_fields = ["partners"]
    date_hierarchy = "review_on"
    fields = [
        "title",
        "kind",
        "partners",
        "starts_on",
        "review_on",
        "description",
        "document_url",
        "is_published",
        "version",
    ]

    def scope(self, user) -> Q:
        with_partner = Agreement.partners.through.objects.filter(
            organisation__in=self.organisations_in_scope(user)
        )
        return Q(pk__in=with_partner.values("agreement"))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partners")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.offered_partners = scoped_choices(Organisation, request.user)
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "partners":
            offered = scoped_choices(Organisation, request.user)
            if offered is not None:
                kwargs["queryset"] = offered
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("partners"))
    def partner_list(self, agreement):
        return ", ".join(partner.name for partner in agreement.partners.all())


class KnowledgeItemForm(VersionedModelForm):
    class Meta:
        model = KnowledgeItem
        exclude = []


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(NetworkWorkAdmin):
    form = KnowledgeItemForm
    list_display = ["title", "kind", "organisation", "target_group", "professionals_only"]
    list_select_related = ["organisation"]
    list_filter = ["kind", "target_group", "professionals_only", "is_published", "expertise"]
    search_fields = ["title", "description", "organisation__name"]
    autocomplete_fields = ["organisation", "expertise"]
    fields = [
        "title",
        "kind",
        "url",
        "description",
        "organisation",
        "expertise",
        "target_group",
        "professionals_only",
        "is_published",
        "version",
    ]

    def scope(self, user) -> Q:
        own = super().scope(user)
        if is_coordinator(user):
            return own | Q(organisation__isnull=True)
        return own

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not (is_administrator(request.user) or is_coordinator(request.user)):
            # An editor's document belongs to one of their organisations.
            form.base_fields["organisation"].required = True
        return form
