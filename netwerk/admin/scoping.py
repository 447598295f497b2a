"""Role-based access in the admin, on top of netwerk.directory.access.

Coordinators and organisation editors need no Django model permissions: their role decides.
Objects outside their scope do not exist for them — not in changelists, change pages, history,
versions, autocomplete, related-object popups or exports (all of which go through get_queryset)
— and a request for one answers 404 at every door. A model the role may not look at answers 403,
and so does a door the role lacks on an object it may see (an editor deleting their own
organisation). tests/test_doors.py holds the whole table.
"""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes import views as contenttype_views
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.utils.translation import gettext as _

from netwerk.admin.history import VersionedHistoryAdmin
from netwerk.admin.publishing import PublishesChanges
from netwerk.admin.widgets import ForgivingAutocompleteAdmin
from netwerk.consultation.lines import ConsultationLine
from netwerk.directory.access import (
    coordinated_organisations,
    editable_organisations,
    is_administrator,
    is_coordinator,
    is_editor,
)
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation


def has_role(user) -> bool:
    return is_coordinator(user) or is_editor(user)


class NotFoundOutsideScope:
    def get_object(self, request, object_id, from_field=None):
        """Django sends a missing object to the admin index with a message; for a role that
        may look at this model, an object outside its scope is a 404, indistinguishable from
        one that does not exist. A role without any door to the model keeps Django's 403."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self.has_view_or_change_permission(request):
            raise Http404
        return obj


class OffersWhatTheFieldAccepts:
    """Autocomplete answers with what the asking field's form would accept, no more.

    Django's autocomplete lists the whole (scoped) changelist of the target model; a field that
    offers fewer choices (a line's regions: only the coordinator's own) must not suggest the
    others.
    """

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        offered = self.choices_of_asking_field(request)
        if offered is not None:
            queryset = queryset.filter(pk__in=offered.values("pk"))
        return queryset, may_have_duplicates

    def choices_of_asking_field(self, request):
        match = request.resolver_match
        if match is None or match.url_name != "autocomplete":
            return None
        # Django's autocomplete view has checked these parameters before it searches.
        source = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        field = source._meta.get_field(request.GET["field_name"])
        source_admin = self.admin_site._registry[source]
        if not (
            source_admin.has_view_or_change_permission(request)
            or source_admin.has_add_permission(request)
        ):
            raise PermissionDenied
        make = (
            source_admin.formfield_for_manytomany
            if field.many_to_many
            else source_admin.formfield_for_foreignkey
        )
        formfield = make(field, request)
        return getattr(formfield, "queryset", None)


class ForgivingDatesChangeList(ChangeList):
    """Django answers made-up lookups with a redirect to the plain list; a date drill-down at
    the end of the calendar (`?updated_at__year=9999`) overflows instead of being one of them."""

    def get_filters(self, request):
        year = request.GET.get(f"{self.date_hierarchy}__year") if self.date_hierarchy else None
        # Years 1 and 9999 overflow once the day is turned into UTC for the query.
        if year is not None and not (year.isdigit() and 1 < int(year) < 9999):
            raise IncorrectLookupParameters(year)
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class ScopedAdmin(
    OffersWhatTheFieldAccepts, ForgivingAutocompleteAdmin, NotFoundOutsideScope, admin.ModelAdmin
):
    """For models that belong to an organisation; `organisation_lookup` is the path to it.

    Coordinators work on what belongs to the organisations of their regions; editors, where
    `for_editors` allows, on what belongs to their own organisations.
    """

    organisation_lookup = "organisation"
    for_editors = True
    editors_may_add = True
    editors_may_delete = True

    def has_role(self, user) -> bool:
        return is_coordinator(user) or (self.for_editors and is_editor(user))

    def get_changelist(self, request, **kwargs):
        return ForgivingDatesChangeList

    def organisations_in_scope(self, user):
        if self.for_editors:
            return editable_organisations(user)
        return coordinated_organisations(user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_administrator(request.user):
            return queryset
        if not self.has_role(request.user):
            return queryset.none()
        return queryset.filter(self.scope(request.user))

    def scope(self, user) -> Q:
        """The condition on this model's rows that the user (who has a role) may work on."""
        lookup = f"{self.organisation_lookup}__in" if self.organisation_lookup else "pk__in"
        return Q(**{lookup: self.organisations_in_scope(user)})

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self.has_role(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.in_scope(request, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or self.role_may(
            request.user, editors_too=self.editors_may_add
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or (
            self.role_may(request.user, editors_too=self.editors_may_delete)
            and self.in_scope(request, obj)
        )

    def role_may(self, user, *, editors_too: bool) -> bool:
        return is_coordinator(user) or (editors_too and self.has_role(user))

    def in_scope(self, request, obj) -> bool:
        """Asked once per object and request: the admin checks view, change and delete
        permission on the same object a dozen times while it builds one page."""
        if not self.has_role(request.user):
            return False
        if obj is None:
            return True
        answers = request.__dict__.setdefault("_netwerk_in_scope", {})
        key = (self.model._meta.label, obj.pk)
        if key not in answers:
            answers[key] = self.get_queryset(request).filter(pk=obj.pk).exists()
        return answers[key]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = scoped_choices(db_field.related_model, request.user)
        if scoped is not None:
            kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the newest historical record when an object is not in
        # the queryset (so that deleted objects keep their history); outside one's scope that
        # would reveal the object.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)


class OrganisationScopedAdmin(PublishesChanges, ScopedAdmin, VersionedHistoryAdmin):
    """A scoped model that the public pages show and that keeps its history
    (django-simple-history): the history page shows who changed what, and a version can be
    opened and saved again to revert to it, many-to-many sets included
    (netwerk.admin.history.VersionedHistoryAdmin)."""


class ScopedInlineFormSet(BaseInlineFormSet):
    """Refuses a row whose posted id is not one of the parent's own rows.

    Django treats an id it cannot find among the parent's rows as a new row, so a changed
    `places-0-id` would quietly copy another organisation's place into this one.
    """

    def clean(self):
        super().clean()
        pk_name = self.model._meta.pk.name
        for form in self.forms:
            posted = form.cleaned_data.get(pk_name) if form.cleaned_data else None
            if posted is not None and getattr(posted, "pk", posted) != form.instance.pk:
                raise forms.ValidationError(
                    _("Een van de regels hoort niet bij deze pagina. Laad de pagina opnieuw.")
                )


class ScopedInline(ForgivingAutocompleteAdmin):
    """Inlines on a scoped parent page: the role may edit what belongs to the parent."""

    formset = ScopedInlineFormSet
    for_editors = True

    def has_role(self, user) -> bool:
        return is_coordinator(user) or (self.for_editors and is_editor(user))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.has_role(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.has_role(request.user)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) or self.has_role(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or self.has_role(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = scoped_choices(db_field.related_model, request.user)
        if scoped is not None and "queryset" not in kwargs:
            kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReferenceDataAdmin(
    OffersWhatTheFieldAccepts, ForgivingAutocompleteAdmin, NotFoundOutsideScope, admin.ModelAdmin
):
    """Shared reference data: every role may look it up (autocomplete), administrators change it."""

    def has_module_permission(self, request):
        return super().has_module_permission(request) or has_role(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or has_role(request.user)


def scoped_choices(model, user):
    """The choices a role may pick for a foreign key to `model`; None means unrestricted."""
    if is_administrator(user):
        return None
    organisations = editable_organisations(user)
    if model is Organisation:
        return organisations
    if model is Location:
        return Location.objects.filter(organisation__in=organisations)
    if model is ConsultationLine:
        return ConsultationLine.objects.filter(organisation__in=organisations)
    return None


def view_on_site_for_administrators(request, content_type_id, object_id):
    """Django's admin "view on site" redirect, which would reveal the page address of objects
    outside a role's scope (unpublished organisations too), for administrators only."""
    if not is_administrator(request.user):
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)
