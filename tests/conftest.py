"""Shared fixtures: reference data once per session, a small network, and the roles of DESIGN.md."""

import fcntl
import os
import re
import shutil
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone, translation
from playwright.sync_api import sync_playwright

from netwerk.consultation.lines import Audience, ConsultationLine, Purpose, ScheduleRow
from netwerk.demo import demo_data_load
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.places.places import CareSetting, Place
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.reference.loaders import reference_data_load
from netwerk.search.data_version import published_data_changed

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--second-pass",
        action="store_true",
        help="the PostgreSQL pass of `make test` after the SQLite one: leave out the tests whose "
        "outcome cannot depend on the database (no database at all, or the pages' JavaScript "
        "in a browser), which the first pass ran",
    )


def pytest_collection_modifyitems(config, items):
    """Behaviour only PostgreSQL has (marked `postgres_only`) belongs to the PostgreSQL run of
    `make test`; the SQLite run leaves it out rather than skipping it. The second pass leaves
    out what the first already proved (see `--second-pass`)."""
    if connection.vendor == "postgresql":
        kept = [item for item in items if not proved_by_first_pass(config, item)]
    else:
        kept = [item for item in items if not item.get_closest_marker("postgres_only")]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    # The longest tests go first within pytest-django's order (tests in a transaction, then
    # transactional ones, which empty the database, then the rest), so that no test process is
    # left running one alone at the end.
    items[:] = sorted(
        kept, key=lambda item: (django_order(item), not item.get_closest_marker("long"))
    )


def django_order(item) -> int:
    """pytest-django's place for a test: 0 in a rolled-back transaction, 1 transactional, 2 no
    database."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return 1
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames):
        return 1
    return 0 if marker or "db" in item.fixturenames else 2


def proved_by_first_pass(config, item) -> bool:
    if not config.getoption("second_pass") or item.get_closest_marker("postgres_only"):
        return False
    if item.get_closest_marker("both_databases"):
        return False
    if item.get_closest_marker("browser") or item.get_closest_marker("first_pass_proves"):
        return True
    uses_database = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
        item.fixturenames
    )
    return not uses_database


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Every test starts in Dutch: a request to /en/ leaves English active in the thread, which
    would otherwise make the next test's reverse() produce /en/ addresses."""
    translation.activate("nl")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: rate-limit counters and cached pages of another
    test's data (rolled back with the version they were cached under) must not leak into it."""
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Municipalities and PC4 areas are reference data every test may rely on."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            # Created by migration 0002 too; repeated here for runs with --no-migrations.
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        reference_data_load()


@pytest.fixture(scope="session")
def demo_sqlite_file(tmp_path_factory) -> Path:
    """A SQLite database made as `make setup` makes it (migrations, reference data, demo data),
    built once per run and shared by the test processes, for tests that run the site or its
    commands in another process. `sqlite_copy_of_the_demo` gives a test its own copy."""
    # Every xdist worker's temporary folder lies in the run's folder; without xdist, use ours.
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    database = shared / "demo.sqlite3"
    with open(shared / "demo.sqlite3.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database.exists():
            building = shared / "demo-building.sqlite3"
            environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
            environment |= {"DATABASE_URL": f"sqlite:///{building}", "DJANGO_DEBUG": "1"}
            for command in (["migrate", "--no-input", "-v", "0"], ["load_reference_data"]):
                run_manage(command, environment)
            run_manage(["load_demo_data"], environment)
            building.rename(database)
    return database


def run_manage(command: list[str], environment: dict[str, str]) -> None:
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=root,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture
def sqlite_copy_of_the_demo(demo_sqlite_file, tmp_path) -> Path:
    copy = tmp_path / "site.sqlite3"
    shutil.copyfile(demo_sqlite_file, copy)
    return copy


@pytest.fixture
def utrecht(db) -> Municipality:
    return Municipality.objects.get(code="GM0344")


@pytest.fixture
def region(db, utrecht) -> Region:
    region = Region.objects.create(name="Regio Utrecht", slug="regio-utrecht")
    region.municipalities.add(utrecht)
    return region


@pytest.fixture
def hospice(db, utrecht) -> Organisation:
    organisation = Organisation.objects.create(
        name="Hospice De Linde", slug="hospice-de-linde", kind=OrganisationKind.HOSPICE
    )
    organisation.service_area.add(utrecht)
    location = Location.objects.create(
        organisation=organisation,
        street="Lindelaan",
        house_number="1",
        postcode="3511 AB",
        city="Utrecht",
    )
    Place.objects.create(
        organisation=organisation,
        location=location,
        setting=CareSetting.HOSPICE,
        capacity=4,
        availability="available",
        availability_updated_at=timezone.now(),
    )
    return organisation


@pytest.fixture
def office_hours_line(db, hospice) -> ConsultationLine:
    line = ConsultationLine.objects.create(
        organisation=hospice,
        name="Consultatie palliatieve zorg",
        phone="+31301234567",
        purpose=Purpose.CONSULTATION,
        audience=Audience.PUBLIC,
    )
    ScheduleRow.objects.bulk_create(
        ScheduleRow(line=line, weekday=day, opens_at=time(9), closes_at=time(17))
        for day in range(5)
    )
    return line


@pytest.fixture
def professional(db) -> User:
    return User.objects.create_user("zorgverlener", password="geheim-wachtwoord-1")


@pytest.fixture
def professional_client(client, professional):
    client.force_login(professional)
    return client


@pytest.fixture
def demo(db):
    """The fictional demo network of `make run` (regions, organisations, places, lines, with
    their history and search documents). The first test of a process that asks for it on an
    empty network loads it with the loader and keeps the rows it wrote; later ones get exactly
    those rows copied in, a fraction of the time. A test that made rows of its own first gets
    the loader (copied ids could clash with its rows). The loader itself is tested in
    tests/test_reference_and_demo_data.py."""
    global _demo_rows
    models = demo_models()
    if any(model.objects.exists() for model in models):
        demo_data_load()
    elif _demo_rows is None:
        demo_data_load()
        _demo_rows = [(model, rows_of(model)) for model in models]
    else:
        copy_in(_demo_rows)
        published_data_changed()


_demo_rows: list[tuple[type, list[dict]]] | None = None
# Loaded for every test by django_db_setup, or made by the migrations; the demo leaves them alone.
UNTOUCHED_BY_THE_DEMO = {"Municipality", "PostcodeArea", "PublishedChangeCount"}


def demo_models() -> list[type]:
    models = apps.get_app_config("netwerk").get_models(include_auto_created=True)
    return [
        model
        for model in models
        if model._meta.managed
        and not model._meta.proxy
        and model.__name__ not in UNTOUCHED_BY_THE_DEMO
    ]


def rows_of(model) -> list[dict]:
    return list(model.objects.values(*[field.attname for field in model._meta.concrete_fields]))


def copy_in(rows: list[tuple[type, list[dict]]]) -> None:
    for model, values in rows:
        model.objects.bulk_create([model(**row) for row in values])
    if connection.vendor == "postgresql":  # rows came with their ids; the sequences follow
        sql = connection.ops.sequence_reset_sql(no_style(), [model for model, _values in rows])
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


@pytest.fixture
def visitor_client(client):
    return client


# --- Browser tests: real headless Chromium from the system, driven by Playwright. ---------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI may not skip browser tests.")
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
    # themselves are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server):
    """The live server with reference and demo data. Transactional tests start empty (the one
    before was flushed), so the first of a process loads both with their loaders and keeps the
    rows; later ones get those rows copied in, in one transaction."""
    global _site_rows
    if _site_rows is None or Municipality.objects.exists():
        reference_data_load()
        demo_data_load()
        if _site_rows is None:
            models = [Municipality, PostcodeArea, *demo_models()]
            _site_rows = [(model, rows_of(model)) for model in models]
    else:
        with transaction.atomic():
            copy_in(_site_rows)
            published_data_changed()
    return live_server


_site_rows: list[tuple[type, list[dict]]] | None = None


def new_page(browser, **context_options):
    context = browser.new_context(
        locale="nl-NL", timezone_id="Europe/Amsterdam", reduced_motion="reduce", **context_options
    )
    # No tile requests leave the machine; the map works without its background.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    # Generous: two test processes and PostgreSQL share two cores in CI.
    context.set_default_timeout(30_000)
    return context.new_page()


@pytest.fixture
def phone(browser):
    page = new_page(browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


@pytest.fixture
def desktop(browser):
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def assert_accessible():
    """Check that axe-core finds no WCAG 2.2 A/AA violation on a page.

    One exception, from WCAG 2.5.8 itself ("Equivalent"): map markers may sit closer together
    than 24 px, because the result list beside every map offers the same links as large targets.
    """
    axe = Axe()
    everything = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    all_but_markers = {"exclude": [[".leaflet-marker-pane"]]}

    def check(page):
        page.wait_for_load_state("networkidle")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.ek-map')].every(m => m.dataset.markerCount)"
        )
        results = [
            axe.run(page, options=everything | {"rules": {"target-size": {"enabled": False}}}),
            axe.run(page, context=all_but_markers, options={"runOnly": ["target-size"]}),
        ]
        for result in results:
            assert result.violations_count == 0, f"{page.url}\n{result.generate_report()}"

    return check


# --- Roles in the admin. ------------------------------------------------------------------------


@pytest.fixture
def amsterdam_organisation(db) -> Organisation:
    """An organisation outside the Utrecht region, with everything below it."""
    organisation = Organisation.objects.create(
        name="GGZ Amstel", slug="ggz-amstel", kind=OrganisationKind.MENTAL_HEALTH
    )
    location = Location.objects.create(
        organisation=organisation, postcode="1011 AB", city="Amsterdam"
    )
    Place.objects.create(
        organisation=organisation, location=location, setting=CareSetting.INSTITUTION
    )
    ConsultationLine.objects.create(
        organisation=organisation,
        name="Crisisdienst Amstel",
        phone="+31201234567",
        purpose="crisis",
    )
    return organisation


@pytest.fixture
def region_with_edges(region):
    """Regio Utrecht without Utrecht's 3584, with Nieuwegein's 3437."""
    region.excluded_postcode_areas.add(PostcodeArea.objects.get(pc4="3584"))
    region.extra_postcode_areas.add(PostcodeArea.objects.get(pc4="3437"))
    return region


@pytest.fixture
def coordinator(db, region) -> User:
    user = User.objects.create_user("coordinator", password="geheim-wachtwoord-1", is_staff=True)
    region.coordinators.add(user)
    return user


@pytest.fixture
def editor(db, hospice) -> User:
    user = User.objects.create_user("redacteur", password="geheim-wachtwoord-1", is_staff=True)
    hospice.editors.add(user)
    return user


@pytest.fixture
def region_b(db) -> Region:
    """A second region, Amsterdam, where amsterdam_organisation works."""
    region = Region.objects.create(name="Regio Amsterdam", slug="regio-amsterdam")
    region.municipalities.add(Municipality.objects.get(code="GM0363"))
    return region


@pytest.fixture
def coordinator_b(db, region_b) -> User:
    user = User.objects.create_user("coordinator-b", password="geheim-wachtwoord-1", is_staff=True)
    region_b.coordinators.add(user)
    return user


@pytest.fixture
def staff_without_role(db) -> User:
    """A staff account that coordinates no region and edits no organisation."""
    return User.objects.create_user("stagiair", password="geheim-wachtwoord-1", is_staff=True)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def client_as(request, client, hospice, office_hours_line, amsterdam_organisation):
    """The test client signed in as a role named by its fixture ("coordinator", "editor", …),
    with an organisation inside region Utrecht and one outside it."""

    def login(role):
        client.force_login(request.getfixturevalue(role))
        return client

    return login


# --- Places: update links and rate limits (issue 5). ---------------------------------------------


@pytest.fixture
def update_link(db, hospice):
    """An active update link for the hospice, with its token (which only the team knows)."""
    from netwerk.places.update_links import update_link_create

    link, token = update_link_create(organisation=hospice)
    link.token = token
    return link


@pytest.fixture
def organisation_at(db):
    """Makes a home-care organisation with one location at a postcode."""

    def make(postcode: str, city: str, slug: str) -> Organisation:
        organisation = Organisation.objects.create(
            name=f"Thuiszorg {slug}", slug=slug, kind="thuiszorg"
        )
        Location.objects.create(organisation=organisation, postcode=postcode, city=city)
        return organisation

    return make
