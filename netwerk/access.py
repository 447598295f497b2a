"""Who may see and change what in the admin.

Administrators (superusers) everything; a regional coordinator the organisations whose service
area or locations lie in their regions; an organisation editor their own organisations. Every
object below an organisation (locations, contacts, places, lines) follows its organisation.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from netwerk.geography import Municipality
from netwerk.organisations import Organisation


@dataclass(frozen=True)
class Roles:
    administrator: bool = False
    coordinator: bool = False
    editor: bool = False


def roles_of(user) -> Roles:
    """The user's roles, worked out once per user object (so once per request)."""
    if not (user.is_authenticated and user.is_active):
        return Roles()
    if not hasattr(user, "_netwerk_roles"):
        user._netwerk_roles = Roles(
            administrator=user.is_superuser,
            coordinator=user.is_staff and user.coordinated_regions.exists(),
            editor=user.edited_organisations.exists(),
        )
    return user._netwerk_roles


def is_administrator(user) -> bool:
    return roles_of(user).administrator


def is_coordinator(user) -> bool:
    return roles_of(user).coordinator


def is_editor(user) -> bool:
    return roles_of(user).editor


def coordinated_municipalities(user) -> QuerySet[Municipality]:
    return Municipality.objects.filter(regions__coordinators=user)


def editable_organisations(user) -> QuerySet[Organisation]:
    """The organisations the user may change: all, their regions', their own, or none."""
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    municipalities = coordinated_municipalities(user)
    in_scope = (
        Q(editors=user)
        | Q(service_area__in=municipalities)
        | Q(locations__municipality__in=municipalities)
    )
    return Organisation.objects.filter(pk__in=Organisation.objects.filter(in_scope).values("pk"))
