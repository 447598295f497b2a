"""Every door of the admin, for every role: the role × door matrix.

The doors are not listed by hand: they are read from the admin site itself — every ModelAdmin
registered on it, every URL it serves (changelist, add, change, delete, history, each version,
import and its confirmation, export, templates, custom pages), every action it offers and every
autocomplete field. Each is tried by each role, on an object inside and one outside the role's
scope, with GET and POST, and the answer is compared with one declared table (`ALLOWED`: role →
model → actions). A new ModelAdmin, a new admin URL, a new action or an autocomplete field on a
new model fails here until it is declared.

The rule the table is read with:
- a visitor who is not staff is sent to the admin login;
- a model the role may not even look at answers 403 at every door (and changes nothing);
- an object outside the role's scope answers 404 at every door — exactly as an object that does
  not exist;
- a door the role does not have on an object it may see answers 403 (and changes nothing);
- otherwise the door opens, and a posted change, revert or delete takes effect.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.forms import MultiWidget
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from netwerk.consultation.holiday_choice import HolidayChoice
from netwerk.consultation.lines import ConsultationLine
from netwerk.coordination.error_reports import ErrorReport
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.directory.vocabulary import Alias
from netwerk.neighbours.networks import NeighbourNetwork
from netwerk.network.agreements import Agreement
from netwerk.network.events import Event
from netwerk.network.knowledge import KnowledgeItem
from netwerk.network.registrations import Registration
from netwerk.places.places import Place
from netwerk.places.update_links import UpdateLink, update_link_create
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.reference.reference_lines import ReferenceLine

pytestmark = pytest.mark.django_db

# --- The declared table. ---

EVERYTHING = {"view", "add", "change", "delete", "import", "export", "verify", "statistics"}
LOOK_UP = {"view"}
IN_REGION = {"view", "add", "change", "delete", "import", "export"}

ALLOWED: dict[str, dict[type, set[str]]] = {
    "administrator": {
        **{model: EVERYTHING for model in admin.site._registry},
        UpdateLink: EVERYTHING - {"delete"},  # revoked, never deleted: history points at it
        Registration: EVERYTHING - {"add", "change"},  # they come from the public form only
        HolidayChoice: EVERYTHING - {"add", "delete"},  # one row, made at the first save
    },
    "coordinator_a": {
        Organisation: IN_REGION | {"verify"},
        Location: IN_REGION,
        Contact: IN_REGION,
        Place: IN_REGION | {"statistics"},
        ConsultationLine: IN_REGION,
        UpdateLink: {"view", "add", "change"},
        ErrorReport: {"view", "add", "change"},
        Event: IN_REGION,
        Registration: {"view", "delete"},
        Agreement: IN_REGION,
        KnowledgeItem: IN_REGION,
        # Network-level reference, the same for every coordinator; deleting is for
        # administrators (switching a neighbour off hides it).
        NeighbourNetwork: {"view", "add", "change"},
        Region: LOOK_UP,
        Municipality: LOOK_UP,
        PostcodeArea: LOOK_UP,
        ExpertiseTag: LOOK_UP,
        ReferenceLine: LOOK_UP,  # 112, 113, huisartsenposten: administrators keep them
        Alias: {"view", "add", "change", "delete"},  # the words of the import vocabulary
    },
    "editor": {
        Organisation: {"view", "change", "export"},
        Location: {"view", "add", "change", "delete", "export"},
        Contact: {"view", "add", "change", "delete", "export"},
        # Their own places' availability over time (netwerk.admin.availability_chart).
        Place: {"view", "add", "change", "delete", "export", "statistics"},
        Event: {"view", "add", "change", "delete", "export"},  # organisers: their own
        Registration: {"view", "delete"},
        KnowledgeItem: {"view", "add", "change", "delete"},
        Region: LOOK_UP,
        Municipality: LOOK_UP,
        PostcodeArea: LOOK_UP,
        ExpertiseTag: LOOK_UP,
        ReferenceLine: LOOK_UP,
        Alias: LOOK_UP,
    },
    "professional": {},
    "staff_without_role": {},
}
ALLOWED["coordinator_b"] = ALLOWED["coordinator_a"]
ROLES = list(ALLOWED)

# What each role's scope holds, for the models that have one; the others are shared reference
# data (or accounts), the same for everyone who may see them.
SCOPED = {
    Organisation,
    Location,
    Contact,
    Place,
    ConsultationLine,
    UpdateLink,
    ErrorReport,
    Event,
    Registration,
    Agreement,
    KnowledgeItem,
}
SCOPE = {
    "administrator": {"a", "b"},
    "coordinator_a": {"a"},
    "coordinator_b": {"b"},
    "editor": {"a"},
    "professional": set(),
    "staff_without_role": set(),
}

# Every kind of admin URL, by the end of its name: the action needed to GET it and to POST to
# it (None: the method is not served), and whether it is about one object. The admin's pages
# answer a POST as a GET unless they take a form.
DOORS = {
    "changelist": ("view", "actions", False),
    "add": ("add", "add", False),
    "change": ("view", "change", True),
    "delete": ("delete", "delete", True),
    "history": ("view", "view", True),
    "simple_history": ("view", "change", True),  # one version; posting it reverts
    "password_change": ("change", "change", True),
    "import": ("import", "import", False),
    "process_import": (None, "import", False),
    "import_template": ("import", "import", False),
    "import_rejected": ("import", "import", False),  # a partial import's rejected rows
    "export": ("export", "export", False),
    "review": ("view", "view", False),
    "statistics": ("statistics", "statistics", False),
    "statistics_csv": ("statistics", "statistics", False),
    "object": ("redirect", "redirect", True),  # <id>/ redirects to the change page, which decides
}

# The action an admin action needs.
ACTIONS = {
    "delete_selected": "delete",
    "mark_as_verified": "verify",
    "revoke": "change",
    "renew": "change",
}

# A text field per model that a posted change or revert alters, to see whether it took effect.
CHANGED_FIELD = {
    Organisation: "description",
    Location: "notes",
    Contact: "role",
    Place: "name",
    ConsultationLine: "notes",
    UpdateLink: None,  # nothing to change once issued
    ErrorReport: "closing_note",
    Event: "description",
    Registration: None,  # nobody edits one
    Agreement: "description",
    KnowledgeItem: "description",
    NeighbourNetwork: "name",
    Region: "name",
    Municipality: "name",
    PostcodeArea: "place_names",
    ExpertiseTag: "description",
    ReferenceLine: "when_to_call",
    Alias: "text",
    HolidayChoice: None,  # only ticks and a time
    User: "first_name",
    Group: "name",
}


# --- The world: two regions, an organisation in each with everything below it, six roles. ---


@pytest.fixture
def world(
    hospice,
    office_hours_line,
    amsterdam_organisation,
    region,
    region_b,
    admin_user,
    coordinator,
    coordinator_b,
    editor,
    professional,
    staff_without_role,
):
    sides = {}
    for side, organisation in (("a", hospice), ("b", amsterdam_organisation)):
        link, _token = update_link_create(organisation=organisation)
        event = Event.objects.create(
            title=f"Scholing {side}",
            slug=f"scholing-{side}",
            kind="scholing",
            organiser=organisation,
            location=organisation.locations.get(),
            starts_at=timezone.now() + timedelta(days=7),
            ends_at=timezone.now() + timedelta(days=7, hours=2),
            registration_mode="hier",
        )
        partner = Organisation.objects.create(
            name=f"Thuiszorg {side}", slug=f"thuiszorg-{side}", kind="thuiszorg"
        )
        partner.service_area.add(organisation.service_area.first() or municipality_of(side))
        agreement = Agreement.objects.create(
            title=f"Afspraak {side}",
            kind="consultatie",
            starts_on=timezone.localdate(),
            description=f"Consultatie {side}.",
        )
        agreement.partners.set([organisation, partner])
        sides[side] = {
            Organisation: organisation,
            Location: organisation.locations.get(),
            Place: organisation.places.get(),
            ConsultationLine: organisation.consultation_lines.get(),
            Contact: Contact.objects.create(
                organisation=organisation, name=f"Dienstdoende arts {side}", role="arts"
            ),
            UpdateLink: link,
            ErrorReport: ErrorReport.objects.create(
                organisation=organisation, message=f"Het adres klopt niet ({side})."
            ),
            Event: event,
            Registration: Registration.objects.create(
                event=event,
                name=f"Deelnemer {side}",
                email=f"{side}@example.org",
                status="aangemeld",
            ),
            Agreement: agreement,
            KnowledgeItem: KnowledgeItem.objects.create(
                title=f"Handreiking {side}",
                kind="handreiking",
                url=f"https://example.org/{side}",
                organisation=organisation,
            ),
            Region: region if side == "a" else region_b,
            Municipality: Municipality.objects.get(code="GM0344" if side == "a" else "GM0363"),
            PostcodeArea: PostcodeArea.objects.get(pc4="3511" if side == "a" else "1011"),
            ExpertiseTag: ExpertiseTag.objects.create(
                name=f"Expertise {side}", slug=f"expertise-{side}", category="palliative"
            ),
            Alias: Alias.objects.create(text=f"Woord {side}", kind="hospice"),
            ReferenceLine: ReferenceLine.objects.create(
                slug=f"nummer-{side}",
                name=f"Nummer {side}",
                number="0800-0113",
                when_to_call=f"Wanneer {side}",
            ),
            User: User.objects.create_user(f"account-{side}", is_staff=True),
            Group: Group.objects.create(name=f"Groep {side}"),
            NeighbourNetwork: NeighbourNetwork.objects.create(
                name=f"Buren {side}", api_url=f"https://buren-{side}.example/api/v1/"
            ),
            HolidayChoice: HolidayChoice.objects.create(good_friday=side == "b"),
        }
    users = {
        "administrator": admin_user,
        "coordinator_a": coordinator,
        "coordinator_b": coordinator_b,
        "editor": editor,
        "professional": professional,
        "staff_without_role": staff_without_role,
    }
    return World(sides=sides, users=users)


def municipality_of(side: str) -> Municipality:
    return Municipality.objects.get(code="GM0344" if side == "a" else "GM0363")


@dataclass
class World:
    sides: dict[str, dict[type, object]]
    users: dict[str, User]

    def may(self, role: str, model: type, action: str) -> bool:
        return action in ALLOWED[role].get(model, set())

    def sees(self, role: str, model: type, side: str) -> bool:
        return model not in SCOPED or side in SCOPE[role]


# --- Expected answers. ---

LOGIN, FORBIDDEN, NOT_FOUND, OPEN, NOT_SERVED = "login", 403, 404, "open", 405


def expected(world, role, model, action, side=None):
    if role == "professional":
        return LOGIN
    if action is None:
        return NOT_SERVED
    if action == "redirect":
        return OPEN
    if action == "actions":  # the changelist takes posted actions from those who may view it
        action = "view"
    if not world.may(role, model, "view"):
        return FORBIDDEN
    if side is not None and not world.sees(role, model, side):
        return NOT_FOUND
    if not world.may(role, model, action):
        return FORBIDDEN
    return OPEN


def answer(response) -> object:
    if response.status_code == 302 and response["Location"].startswith("/beheer/login/"):
        return LOGIN
    if response.status_code in (403, 404, 405):
        return response.status_code
    assert response.status_code in (200, 302), response.status_code
    return OPEN


# --- Doors read from the admin site. ---


def model_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0].__name__)


def door_kind(model, pattern) -> str:
    if pattern.name is None:
        return "object"
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    assert pattern.name.startswith(prefix), pattern.name
    return pattern.name.removeprefix(prefix)


def doors_of(model, model_admin):
    """(kind, pattern) for every URL the ModelAdmin serves."""
    return [(door_kind(model, pattern), pattern) for pattern in model_admin.urls]


def address(model, kind, pattern, obj=None) -> str:
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    if kind == "object":
        return reverse(f"{info}_changelist") + f"{obj.pk}/"
    if kind == "simple_history":
        return reverse(f"admin:{pattern.name}", args=[obj.pk, obj.history.first().history_id])
    if kind == "import_template":
        return reverse(f"admin:{pattern.name}", kwargs={"extension": "csv"})
    if kind == "import_rejected":
        return reverse(f"admin:{pattern.name}", kwargs={"name": "0" * 32})
    if obj is not None:
        return reverse(f"admin:{pattern.name}", args=[obj.pk])
    return reverse(f"admin:{pattern.name}")


def all_actions(model_admin, administrator) -> list[str]:
    request = RequestFactory().get("/beheer/")
    request.user = administrator
    return list(model_admin.get_actions(request))


def autocomplete_fields(model_admin, administrator) -> list[tuple[type, str]]:
    """(source model, field) for the autocomplete fields of the admin and its inlines."""
    request = RequestFactory().get("/beheer/")
    request.user = administrator
    fields = [(model_admin.model, name) for name in model_admin.get_autocomplete_fields(request)]
    for inline in model_admin.get_inline_instances(request):
        fields += [(inline.model, name) for name in inline.get_autocomplete_fields(request)]
    return fields


def test_every_door_is_declared(world):
    """The table knows every registered model, every kind of URL and every action."""
    administrator = world.users["administrator"]
    for model, model_admin in model_admins():
        assert model in ALLOWED["administrator"], f"{model.__name__} is not in the table"
        assert model in CHANGED_FIELD, f"{model.__name__} has no field to change in CHANGED_FIELD"
        for kind, pattern in doors_of(model, model_admin):
            assert kind in DOORS, f"{pattern.name}: a new kind of admin URL, declare it in DOORS"
        for action in all_actions(model_admin, administrator):
            assert action in ACTIONS, f"{model.__name__}: declare the action {action!r}"


# --- Trying the doors. ---


def browser_data(response) -> dict:
    """What a browser would post back from an admin form page, inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets") or []:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            widget = field.field.widget
            if isinstance(widget, MultiWidget):  # a date and a time, say
                parts = value if isinstance(value, list) else widget.decompress(value)
                for suffix, part in zip(widget.widgets_names, parts, strict=True):
                    data[field.html_name + suffix] = part
            elif isinstance(value, list):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = value
    return data


def state_of(obj):
    return type(obj).objects.filter(pk=obj.pk).values().first()


def posted_change(world, client, model, kind, pattern, obj):
    """The form as the administrator sees it, with one text field altered."""
    administrator = world.users["administrator"]
    client.force_login(administrator)
    page = client.get(address(model, kind, pattern, obj))
    data = browser_data(page)
    field = CHANGED_FIELD[model]
    if field:
        data[field] = f"{data.get(field, '')} gewijzigd".strip()
    return data


def try_door(world, client, role, model, kind, pattern, method, side):
    get_action, post_action, _about_one = DOORS[kind]
    action = get_action if method == "GET" else post_action
    obj = world.sides[side][model] if side else None
    url = address(model, kind, pattern, obj)
    want = expected(world, role, model, action, side)

    data = None
    if method == "POST":
        data = (
            posted_change(world, client, model, kind, pattern, obj)
            if kind in ("change", "simple_history") and CHANGED_FIELD[model]
            else {"post": "yes"}
        )
    before = state_of(obj) if obj is not None else None
    client.force_login(world.users[role])
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data)
        after = state_of(obj) if obj is not None else None
        transaction.set_rollback(True)

    where = f"{role} {method} {url} ({side or 'no object'})"
    assert answer(response) == want, f"{where}: {response.status_code}, expected {want}"
    if method == "POST" and obj is not None:
        if want == OPEN:
            assert_took_effect(kind, model, response, before, after, where)
        else:
            assert after == before, f"{where} changed {type(obj).__name__}"


def refused_as_protected(response) -> bool:
    """Django's answer to a delete of an object that others depend on (a municipality with
    locations): a page that says so."""
    return response.status_code == 200 and bool(response.context.get("protected"))


def assert_took_effect(kind, model, response, before, after, where):
    if kind == "delete":
        assert after is None or refused_as_protected(response), f"{where} did not delete"
    elif kind in ("change", "simple_history") and CHANGED_FIELD[model]:
        assert response.status_code == 302, (
            f"{where}: {response.context and response.context.get('errors')}"
        )
        field = CHANGED_FIELD[model]
        assert after[field] != before[field], f"{where} did not save"


# Roles whose answers the PostgreSQL pass need not repeat: a professional is sent to the login
# at every door and a staff account without a role refused at every one, before any query of a
# scope; coordinator B walks the same code and queries as coordinator A, in another region.
SAME_ON_EVERY_DATABASE = {"professional", "staff_without_role", "coordinator_b"}


def role_params(combinations, name):
    """pytest params of (role, ...) tuples, the roles above marked for the first pass only."""
    return [
        pytest.param(
            *combination,
            id=name(*combination),
            marks=[pytest.mark.first_pass_proves]
            if combination[0] in SAME_ON_EVERY_DATABASE
            else [],
        )
        for combination in combinations
    ]


PAIRS = role_params(
    [(role, model) for role in ROLES for model, _admin in model_admins()],
    lambda role, model: f"{role}-{model.__name__}",
)


@pytest.mark.parametrize(("role", "model"), PAIRS)
def test_every_door_answers_as_declared(world, client, role, model):
    model_admin = admin.site._registry[model]
    for kind, pattern in doors_of(model, model_admin):
        _get, _post, about_one = DOORS[kind]
        sides = ("a", "b") if about_one else (None,)
        for side in sides:
            for method in ("GET", "POST"):
                if kind == "changelist" and method == "POST":
                    continue  # actions, below
                try_door(world, client, role, model, kind, pattern, method, side)


@pytest.mark.parametrize(("role", "model"), PAIRS)
def test_every_action_answers_as_declared(world, client, role, model):
    model_admin = admin.site._registry[model]
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for action in all_actions(model_admin, world.users["administrator"]):
        for side in ("a", "b"):
            obj = world.sides[side][model]
            want = expected(world, role, model, ACTIONS[action], side)
            before = state_of(obj)
            client.force_login(world.users[role])
            with transaction.atomic():
                response = client.post(
                    changelist, {"action": action, "_selected_action": [obj.pk], "post": "yes"}
                )
                after = state_of(obj)
                transaction.set_rollback(True)
            where = f"{role}: action {action} on {model.__name__} {side}"
            if want == OPEN:
                assert response.status_code in (200, 302), where
                assert after != before or refused_as_protected(response), f"{where}: no effect"
            else:
                assert after == before, f"{where} changed it"
                if want in (LOGIN, FORBIDDEN) and not world.may(role, model, "view"):
                    assert answer(response) == want, where


AUTOCOMPLETE = sorted(
    {
        (role, source, field)
        for role in ROLES
        for model, model_admin in admin.site._registry.items()
        for source, field in [(model_admin.model, name) for name in model_admin.autocomplete_fields]
        + [
            (inline.model, name)
            for inline in model_admin.inlines
            for name in inline.autocomplete_fields
        ]
    },
    key=lambda item: (item[0], item[1].__name__, item[2]),
)


@pytest.mark.parametrize(
    ("role", "source", "field"),
    role_params(AUTOCOMPLETE, lambda role, source, field: f"{role}-{source.__name__}.{field}"),
)
def test_every_autocomplete_answers_as_declared(world, client, role, source, field):
    """Open to whoever may view both the asking model and the one looked up; the answer holds
    only what that role may pick."""
    remote = source._meta.get_field(field).related_model
    client.force_login(world.users[role])
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": source._meta.app_label,
            "model_name": source._meta.model_name,
            "field_name": field,
            "term": "",
        },
    )
    may_ask = world.may(role, source, "view") or world.may(role, source, "add")
    want = (
        expected(world, role, remote, "view") if may_ask else expected(world, role, source, "view")
    )
    assert answer(response) == want, f"{role}: {source.__name__}.{field}"
    if want == OPEN and remote in world.sides["a"]:
        ids = {result["id"] for result in response.json()["results"]}
        for side in ("a", "b"):
            if not world.sees(role, remote, side):
                assert str(world.sides[side][remote].pk) not in ids, f"{role} sees {side}"


# --- The admin site's own doors. ---

SITE_DOORS = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",  # above
    "jsi18n",
    "view_on_site",
    "app_list",
    "two_factor_code",  # the sign-in's second step (tests/test_two_factor.py)
    "two_factor_enrol",
    # The indicators (tests/test_indicators.py; below for every role).
    "indicators",
    "indicators_csv",
    "indicators_xlsx",
    "indicators_year_report",
}


def test_the_site_doors_are_declared():
    names = {getattr(pattern, "name", None) for pattern in admin.site.get_urls()} - {None}
    assert names <= SITE_DOORS, f"declare {names - SITE_DOORS}"


@pytest.mark.parametrize("role", ROLES)
def test_view_on_site_is_for_administrators_only(world, client, role):
    organisation = world.sides["b"][Organisation]
    client.force_login(world.users[role])
    content_type = ContentType.objects.get_for_model(Organisation).pk
    response = client.get(f"/beheer/r/{content_type}/{organisation.pk}/")
    want = {"administrator": OPEN, "professional": LOGIN}.get(role, NOT_FOUND)
    assert answer(response) == want


@pytest.mark.parametrize("role", ROLES)
def test_the_accounts_app_is_for_administrators_only(world, client, role):
    client.force_login(world.users[role])
    response = client.get(reverse("admin:app_list", args=["auth"]))
    want = {"administrator": 200, "professional": 302}.get(role, 404)
    assert response.status_code == want


INDICATOR_DOORS = ["indicators", "indicators_csv", "indicators_xlsx", "indicators_year_report"]


@pytest.mark.parametrize("role", ROLES)
def test_the_indicators_are_for_coordinators_and_administrators(world, client, role):
    client.force_login(world.users[role])
    for name in INDICATOR_DOORS:
        args = [str(timezone.localdate().year)] if name == "indicators_year_report" else []
        response = client.get(reverse(f"admin:{name}", args=args))
        want = {
            "administrator": OPEN,
            "coordinator_a": OPEN,
            "coordinator_b": OPEN,
            "professional": LOGIN,
        }.get(role, FORBIDDEN)
        assert answer(response) == want, f"{role} {name}"
