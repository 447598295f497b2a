"""No admin page is wider than a 1366 px laptop, for the administrator, a coordinator and an
editor, on the demo network.

Every page type of the admin is visited: the start page, the list of every model the role may
see, the change form of an object in the role's scope for every such model, the add form, the
history list, one version, the comparison of two versions, the import, export, review and
statistics pages. Tables too wide for the screen may scroll inside their own box (Django's
`.results`), the page itself may not.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from netwerk.directory.access import keeps_the_map
from netwerk.directory.organisations import Organisation
from netwerk.places.places import Place
from netwerk.reference.geography import Region
from tests.conftest import new_page
from tests.test_browser_coordinators import PASSWORD, admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
ROLES = ["administrator", "coordinator", "editor"]
# The models whose add, history, version and comparison pages are visited too: the widest forms.
WITH_EVERY_PAGE_TYPE = {Organisation, Place}


def make_user(role: str) -> User:
    if role == "administrator":
        return User.objects.create_superuser("beheerder", password=PASSWORD)
    user = User.objects.create_user(role, password=PASSWORD, is_staff=True)
    if role == "coordinator":
        Region.objects.order_by("pk").first().coordinators.add(user)
    else:
        Organisation.objects.filter(places__isnull=False).order_by("pk").first().editors.add(user)
    return user


def admin_pages(user: User) -> list[str]:
    """Every page type the role has, from the admin site itself."""
    request = RequestFactory().get("/beheer/")
    request.user = User.objects.get(pk=user.pk)  # a fresh user object: its roles, not cached
    pages = [reverse("admin:index")]
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda i: i[0].__name__):
        if not model_admin.has_view_or_change_permission(request):
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is not None:
            pages.append(reverse(f"{name}_change", args=[obj.pk]))
        if model not in WITH_EVERY_PAGE_TYPE:
            continue  # the other page types look the same for every model
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        if obj is not None:
            pages.extend(history_pages(name, obj))
        for extra, may_open in PAGES_WITH_THEIR_RIGHT:
            try:
                address = reverse(f"{name}_{extra}")
            except NoReverseMatch:
                continue
            if may_open(model_admin, request):
                pages.append(address)
    return pages


# Further pages of some models, with who may open them (as the model's admin decides).
PAGES_WITH_THEIR_RIGHT = [
    ("import", lambda model_admin, request: model_admin.has_import_permission(request)),
    ("export", lambda model_admin, request: model_admin.has_export_permission(request)),
    ("review", lambda model_admin, request: model_admin.has_view_permission(request)),
    ("statistics", lambda _model_admin, request: keeps_the_map(request.user)),
]


def history_pages(name: str, obj) -> list[str]:
    try:
        history = reverse(f"{name}_history", args=[obj.pk])
    except NoReverseMatch:
        return []
    pages = [history]
    records = getattr(obj, "history", None)
    versions = list(records.order_by("-history_id")[:2]) if records is not None else []
    if versions:
        pages.append(reverse(f"{name}_simple_history", args=[obj.pk, versions[-1].history_id]))
    if len(versions) == 2:
        pages.append(f"{history}?van={versions[1].history_id}&tot={versions[0].history_id}")
    return pages


def an_organisation_with_a_second_version() -> None:
    """Give the comparison page two versions to compare."""
    organisation = Organisation.objects.order_by("pk").first()
    organisation.description += " Bijgewerkt."
    organisation.save()


@pytest.mark.long
@pytest.mark.parametrize("role", ROLES)
def test_no_admin_page_is_wider_than_a_laptop(site, browser, role):
    an_organisation_with_a_second_version()
    user = make_user(role)
    pages = admin_pages(user)
    assert len(pages) > 10, pages  # the role has its pages, not a login or an empty admin
    page = new_page(browser, viewport={"width": 1366, "height": 900})
    try:
        admin_login(page, site, user.username)
        too_wide, failed = {}, {}
        for path in pages:
            response = page.goto(f"{site.url}{path}")
            if response.status >= 400:
                failed[path] = response.status
                continue
            excess = page.evaluate(OVERFLOW)
            if excess > 0:
                too_wide[path] = excess
        assert failed == {}, f"{role}: pages that did not open: {failed}"
        assert too_wide == {}, f"{role}: pages wider than 1366 px (by px): {too_wide}"
    finally:
        page.context.close()
