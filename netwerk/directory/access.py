"""Who may see and change what in the admin.

Administrators (superusers) everything; a regional coordinator the organisations whose service
area or locations lie in their regions (by the rule in netwerk.reference.geography.Region, with
the PC4 areas at the edges); an organisation editor their own organisations. Every object below an
organisation follows its organisation, with two differences: editors keep the organisation's
details, locations, contacts, places and availability, not its consultation lines or update links
(coordinators' work); and a coordinator also has the lines that serve their regions, whichever
organisation runs them, so that no line can be published in a region behind its coordinator's
back. Contacts "for coordinators only" are for those who may change their organisation.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from netwerk.directory.organisations import Organisation
from netwerk.reference.geography import PostcodeArea, Region


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


def keeps_the_map(user) -> bool:
    """Administrators and coordinators: who import, verify, hand out update links and read the
    network's statistics, and who sign in with a second factor."""
    return is_administrator(user) or is_coordinator(user)


def must_use_two_factor(user) -> bool:
    return settings.TWO_FACTOR_REQUIRED and keeps_the_map(user)


def two_factor_pending(user) -> bool:
    """Signed in with a password, but still owing the code their role requires
    (expertisekaart.two_factor); until then the user has no more than a professional's view.

    django-otp's middleware sets `otp_device` on the user of every request; a user object that
    has just been logged in by a password form does not have it yet, and owes the code too.
    """
    return must_use_two_factor(user) and getattr(user, "otp_device", None) is None


def coordinated_regions(user) -> QuerySet[Region]:
    return Region.objects.filter(coordinators=user)


def coordinated_postcode_areas(user) -> QuerySet[PostcodeArea]:
    return PostcodeArea.objects.in_regions(coordinated_regions(user))


def coordinated_organisations(user) -> QuerySet[Organisation]:
    """The organisations of the user's regions (all of them for administrators)."""
    return scope_of(user, "coordinated", coordinated_organisations_query)


def editable_organisations(user) -> QuerySet[Organisation]:
    """The organisations the user may change: all, their regions', their own, or none."""
    return scope_of(user, "editable", editable_organisations_query)


def scope_of(user, name: str, build) -> QuerySet[Organisation]:
    """A scope built once per user object, as the roles are (so once per request: the admin
    asks for it at every permission check of a page). What is kept is the unevaluated query,
    so every use still asks the database as it is at that moment."""
    if not hasattr(user, "_netwerk_scopes"):
        user._netwerk_scopes = {}
    kept = user._netwerk_scopes
    if name not in kept:
        kept[name] = build(user)
    return kept[name].all()


def coordinated_organisations_query(user) -> QuerySet[Organisation]:
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.in_regions(coordinated_regions(user))


def editable_organisations_query(user) -> QuerySet[Organisation]:
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    own = Organisation.objects.filter(editors=user).values("pk")
    in_regions = coordinated_organisations(user).values("pk")
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=in_regions))
