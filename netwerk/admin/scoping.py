"""Role-based access in the admin, on top of netwerk.access.

Coordinators and organisation editors need no Django model permissions: their role decides.
Objects outside their scope do not exist for them — not in changelists, change pages, history,
autocomplete, related-object popups or exports (all of which go through get_queryset) — and a
request for one answers 404.
"""

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.http import Http404

from netwerk.access import editable_organisations, is_administrator, is_coordinator, is_editor
from netwerk.admin.history import VersionedHistoryAdmin
from netwerk.admin.widgets import ForgivingAutocompleteAdmin
from netwerk.consultation import ConsultationLine
from netwerk.locations import Location
from netwerk.organisations import Organisation


def has_role(user) -> bool:
    return is_coordinator(user) or is_editor(user)


class NotFoundOutsideScope:
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the admin index for a missing object; outside one's scope, an
        # object must be indistinguishable from one that does not exist at all.
        raise Http404


class OrganisationScopedAdmin(
    ForgivingAutocompleteAdmin, NotFoundOutsideScope, VersionedHistoryAdmin
):
    """For models that belong to an organisation; `organisation_lookup` is the path to it.

    Every such model keeps its history (django-simple-history): the history page shows who
    changed what, and a version can be opened and saved again to revert to it, many-to-many
    sets included (netwerk.admin.history.VersionedHistoryAdmin).
    """

    organisation_lookup = "organisation"
    editors_may_add = True
    editors_may_delete = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_administrator(request.user):
            return queryset
        lookup = f"{self.organisation_lookup}__in" if self.organisation_lookup else "pk__in"
        return queryset.filter(**{lookup: editable_organisations(request.user)})

    def has_module_permission(self, request):
        return super().has_module_permission(request) or has_role(request.user)

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

    @staticmethod
    def role_may(user, *, editors_too: bool) -> bool:
        return is_coordinator(user) or (editors_too and is_editor(user))

    def in_scope(self, request, obj) -> bool:
        if not has_role(request.user):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = scoped_choices(db_field.related_model, request.user)
        if scoped is not None:
            kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # simple-history falls back to the newest historical record when an object is not in the
    # queryset (so that deleted objects keep their history); outside one's scope that would
    # reveal the object, so the history doors check the scope first.
    def history_view(self, request, object_id, extra_context=None):
        self.require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def require_in_scope(self, request, object_id) -> None:
        if is_administrator(request.user):
            return
        try:
            exists = self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError):
            exists = False
        if not exists:
            raise Http404


class ScopedInline(ForgivingAutocompleteAdmin):
    """Inlines on a scoped parent page: the role may edit what belongs to the parent."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or has_role(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or has_role(request.user)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) or has_role(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or has_role(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = scoped_choices(db_field.related_model, request.user)
        if scoped is not None and "queryset" not in kwargs:
            kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReferenceDataAdmin(ForgivingAutocompleteAdmin, NotFoundOutsideScope, admin.ModelAdmin):
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
