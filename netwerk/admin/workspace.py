"""The start page at /beheer/: the coordinator's work first, the list of tables last.

Every count comes from the model admin's own `get_queryset`, so it is scoped by role exactly as
the list it links to (netwerk.admin.scoping); the queries are in netwerk.coordination.workspace.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from netwerk.consultation.lines import ConsultationLine
from netwerk.coordination import workspace
from netwerk.coordination.error_reports import ErrorReport
from netwerk.directory.access import is_administrator, is_coordinator, keeps_the_map
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.places.places import Place
from netwerk.places.update_links import UpdateLink
from netwerk.reference.geography import Municipality, PostcodeArea

# Reference data and accounts: one "Instellingen" section, for administrators only.
SETTINGS_MODELS = {Municipality, PostcodeArea, UpdateLink, get_user_model(), Group}

# For the names in "Recente wijzigingen": the relations each model's name is made of.
NAMED_BY = {
    Organisation: [],
    Location: ["organisation"],
    Place: ["location__organisation"],
    ConsultationLine: ["organisation"],
}


def changelist(model, **filters) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def workspace_context(site, request) -> dict:
    def scoped(model):
        model_admin = site._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            return None
        return model_admin.get_queryset(request)

    return {
        "to_do": to_do(scoped),
        "recent_changes": recent_changes(request, scoped),
        "shortcuts": shortcuts(site, request),
        "own_organisations": own_organisations(request, scoped),
    }


def app_list_with_settings(request, apps: list[dict]) -> list[dict]:
    """The sidebar's and start page's lists: the settings in one section, for administrators."""
    names = {model._meta.object_name for model in SETTINGS_MODELS}
    settings = [model for app in apps for model in app["models"] if model["object_name"] in names]
    apps = [
        {**app, "models": [model for model in app["models"] if model["object_name"] not in names]}
        for app in apps
    ]
    apps = [app for app in apps if app["models"]]
    if settings and is_administrator(request.user):
        apps.append(
            {
                "name": _("Instellingen"),
                "app_label": "instellingen",
                "app_url": reverse("admin:index") + "#instellingen",
                "has_module_perms": True,
                "models": sorted(settings, key=lambda model: model["name"]),
            }
        )
    return apps


def to_do(scoped) -> list[dict]:
    """Each panel row: what, how many, and the filtered list that shows them."""
    tasks = [
        (
            Organisation,
            _("Organisaties te controleren"),
            workspace.organisations_to_verify,
            {"gecontroleerd": "te-controleren"},
        ),
        (ErrorReport, _("Open foutmeldingen"), workspace.open_error_reports, {"status": "open"}),
        (
            Place,
            _("Plekken met verouderde beschikbaarheid"),
            workspace.places_with_stale_availability,
            {"actueel": "verouderd"},
        ),
        (
            UpdateLink,
            _("Bijwerklinks die binnenkort verlopen"),
            workspace.update_links_expiring_soon,
            {"status": "verloopt-binnenkort"},
        ),
        (
            ConsultationLine,
            _("Lijnen zonder openingstijden"),
            workspace.lines_without_schedule,
            {"rooster": "geen"},
        ),
    ]
    rows = []
    for model, label, count, filters in tasks:
        queryset = scoped(model)
        if queryset is not None:
            rows.append(
                {"label": label, "count": count(queryset), "url": changelist(model, **filters)}
            )
    return rows


def recent_changes(request, scoped) -> list[dict]:
    querysets = [
        (queryset, related)
        for model, related in NAMED_BY.items()
        if (queryset := scoped(model)) is not None
    ]
    kinds = {"+": _("toegevoegd"), "~": _("gewijzigd"), "-": _("verwijderd")}
    return [
        {
            "at": change.at,
            "who": change.who or _("import of systeem"),
            "what": change.what,
            "kind": kinds.get(change.kind, change.kind),
            "model": change.model._meta.verbose_name,
            "reason": change.reason,
            "url": reverse(
                f"admin:netwerk_{change.model._meta.model_name}_change", args=[change.object_id]
            ),
        }
        for change in workspace.recent_changes_by_others(querysets, request.user)
    ]


def shortcuts(site, request) -> list[dict]:
    organisations = site._registry[Organisation]
    places = site._registry[Place]
    links = []
    if organisations.has_add_permission(request):
        links.append((_("Nieuwe organisatie"), reverse("admin:netwerk_organisation_add")))
    if organisations.has_import_permission(request):
        links.append((_("Importeren"), reverse("admin:netwerk_organisation_import")))
    if organisations.has_export_permission(request):
        links.append((_("Exporteren"), reverse("admin:netwerk_organisation_export")))
    if places.has_view_or_change_permission(request):
        links.append((_("Plek bijwerken"), changelist(Place, actueel="verouderd")))
    if keeps_the_map(request.user):
        links.append((_("Indicatoren"), reverse("admin:indicators")))
    return [{"label": label, "url": url} for label, url in links]


def own_organisations(request, scoped) -> list[dict]:
    """For an editor (no coordinator): their own organisations, each with a link to its page
    and to its places."""
    if is_administrator(request.user) or is_coordinator(request.user):
        return []
    organisations = scoped(Organisation)
    if organisations is None:
        return []
    return [
        {
            "name": organisation.name,
            "url": reverse("admin:netwerk_organisation_change", args=[organisation.pk]),
            "places_url": changelist(Place, organisation__id__exact=organisation.pk),
        }
        for organisation in organisations.order_by("name")[:20]
    ]
