"""`make bench`: server time of the public pages on a large network, on SQLite and PostgreSQL.

Seeds 10,000 organisations (20,000 locations, 50,000 contacts, places, expertise, consultation
lines with schedules) and, for the "cost does not grow with size" target, the same data set
scaled down to 100 organisations, each into its own bench database (never db.sqlite3 or the test
databases):

    SQLite      bench.sqlite3 (10,000) and bench.sqlite3.small (100) in the project folder
    PostgreSQL  expertisekaart_bench and expertisekaart_bench_small on the server of BENCH_PG_URL
                (default postgres://postgres@127.0.0.1:5432/expertisekaart_bench); skipped with a
                message when no server answers

Every page is requested in-process through Django's test client and the project's whole
middleware stack (production settings: DEBUG off, manifest static files, https), timed with
time.perf_counter after warm-up requests; queries are counted with CaptureQueriesContext in a
separate, untimed request. A minimal view (`HttpResponse("ok")`) behind the same middleware is the
floor the pages are compared with. Each database and size runs in its own process.

    python scripts/bench.py [--database sqlite|postgres|both] [--repeat N] [--keep]
                            [--write docs/benchmarks.md]
"""

import argparse
import gzip
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from postgres_ready import (
    connection_params,
    ensure_database,
)  # scripts/ is on the path when run as a script

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/expertisekaart_bench"
SEED = 20250101
# Bump when the generated data changes, so that --keep does not reuse an older data set.
DATA_VERSION = 1

# Organisations per size; everything else is proportional (2 locations, 5 contacts each).
SIZES = {"small": 100, "large": 10_000}
LOCATIONS_PER_ORGANISATION = 2
CONTACTS_PER_ORGANISATION = 5
LINES_PER_100_ORGANISATIONS = 3
BATCH = 2000

SEARCH_PAGES = ["search_text", "search_typo", "search_filters", "search_distance"]
COLD = "_cold"  # the same page with the cache emptied before every request
PAGE_LABELS = {
    "minimal": "minimal view (`HttpResponse('ok')`)",
    "home": "home `/`",
    "search_text": "search text `?q=hospice`",
    "search_typo": "search typo `?q=verslavng`",
    "search_filters": "search filters `?soort=hospice&zorgsetting=hospice&beschikbaar=true`",
    "search_distance": "search distance `?postcode=3511&afstand=25`",
    "search_text_cold": "search text, cache empty (rendered anew)",
    "search_typo_cold": "search typo, cache empty",
    "search_filters_cold": "search filters, cache empty",
    "search_distance_cold": "search distance, cache empty",
    "geojson_first": "GeoJSON all, first request (cache empty: the stored map, gzip)",
    "geojson_build": "GeoJSON all, first request after a data change (builds the map)",
    "geojson_cached": "GeoJSON all, repeated (from cache, gzip)",
    "geojson_304": "GeoJSON all, repeated with If-None-Match",
    "organisation": "organisation page",
    "static_page": "static page `/privacy/` (template floor, no query)",
    "export_csv": "CSV export of all `/zoeken/export.csv`",
}
GZIP_TARGET_BYTES = 1_000_000


# =================================================================================================
# The parent: one child process per database and size, then the report.
# =================================================================================================


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="reuse seeded bench databases")
    parser.add_argument("--write", metavar="PATH", help="write the results as Markdown")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: "<database>:<size>"
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--static-root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child_main(args)

    started = time.perf_counter()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    static_root = tempfile.mkdtemp(prefix="expertisekaart-bench-static-")
    results: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    try:
        for database in databases:
            urls = database_urls(database)
            if database == "postgres":
                problem = postgres_problem(urls["large"])
                if problem:
                    skipped[database] = problem
                    print(f"\nSKIPPED: PostgreSQL, because {problem}", flush=True)
                    continue
            results[database] = {}
            for size in SIZES:
                results[database][size] = run_child(args, database, size, urls[size], static_root)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    command = "python scripts/bench.py " + " ".join(sys.argv[1:])
    report = Report(results, skipped, args.repeat, command.strip())
    print(report.console(), flush=True)
    if args.write:
        path = Path(args.write)
        if not path.is_absolute():
            path = BASE_DIR / path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report.markdown(), encoding="utf-8")
        print(f"Written to {path.relative_to(BASE_DIR)}")
    print(f"Whole run: {time.perf_counter() - started:.0f} s")
    return 0


def database_urls(database: str) -> dict[str, str]:
    if database == "sqlite":
        return {
            "large": f"sqlite:///{BASE_DIR / 'bench.sqlite3'}",
            "small": f"sqlite:///{BASE_DIR / 'bench.sqlite3.small'}",
        }
    url = os.environ.get("BENCH_PG_URL") or DEFAULT_PG_URL
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "expertisekaart_bench"
    if name in {"expertisekaart", "postgres", "template0", "template1"} or name.startswith("test_"):
        raise SystemExit(f"BENCH_PG_URL names database {name!r}; the bench drops it. Refusing.")
    return {
        "large": urlunsplit(parts._replace(path=f"/{name}")),
        "small": urlunsplit(parts._replace(path=f"/{name}_small")),
    }


def postgres_problem(url: str) -> str | None:
    """None when the server of `url` answers; otherwise why not."""
    import psycopg

    _name, params = connection_params(url)
    try:
        with psycopg.connect(dbname="postgres", **params) as connection:
            connection.execute("SELECT 1")
    except psycopg.OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        return f"no PostgreSQL server answers at {params['host']}:{params['port']} ({first_line})"
    return None


def run_child(args, database: str, size: str, url: str, static_root: str) -> dict:
    print(f"\n=== {database}, {SIZES[size]:,} organisations ===", flush=True)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    command = [
        sys.executable,
        __file__,
        f"--child={database}:{size}",
        f"--url={url}",
        f"--out={out}",
        f"--static-root={static_root}",
        f"--repeat={args.repeat}",
    ] + (["--keep"] if args.keep else [])
    try:
        completed = subprocess.run(command, env=child_environment(url), check=False)
        if completed.returncode != 0:
            raise SystemExit(f"The {database} run ({size}) failed (exit {completed.returncode}).")
        return json.loads(Path(out).read_text(encoding="utf-8"))
    finally:
        Path(out).unlink(missing_ok=True)


def child_environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "expertisekaart.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": url,
            "DJANGO_LOG_LEVEL": "ERROR",
            "PYTHONHASHSEED": "0",
        }
    )
    # The bench measures the in-process cache (the default without Redis).
    env.pop("REDIS_URL", None)
    return env


# =================================================================================================
# The child: reset or reuse the database, seed, measure, write JSON.
# =================================================================================================


def child_main(args) -> int:
    database, size = args.child.split(":")
    started = time.perf_counter()
    sys.path.insert(0, str(BASE_DIR))
    if not args.keep:
        reset_database(database, args.url)
    elif database == "postgres":
        ensure_database(args.url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    install_bench_urlconf()
    override_settings(ROOT_URLCONF="bench_urls", STATIC_ROOT=args.static_root).enable()
    if not (Path(args.static_root) / "staticfiles.json").exists():
        progress("collectstatic (manifest static files, as in production)")
        call_command("collectstatic", interactive=False, verbosity=0)

    from django.db import connection

    progress("migrate")
    call_command("migrate", interactive=False, verbosity=0)
    from netwerk.reference.loaders import reference_data_load

    loaded = reference_data_load()
    progress(
        f"reference data: {loaded.municipalities} municipalities, "
        f"{loaded.postcode_areas} PC4 areas" + (" (already there)" if loaded.skipped else "")
    )
    spec = {"version": DATA_VERSION, "seed": SEED, "organisations": SIZES[size]}
    seeding = {}
    if args.keep and marker_read() == spec:
        progress("--keep: reusing the seeded data set")
    else:
        if args.keep:
            progress("--keep: no matching data set; flushing and seeding")
            call_command("flush", interactive=False, verbosity=0)
            reference_data_load()
        seeding = seed(SIZES[size], random.Random(SEED))
        marker_write(spec)
    if connection.vendor == "postgresql":
        progress("VACUUM ANALYZE (what autovacuum does after a bulk load)")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    result = {
        "database": database,
        "size": size,
        "organisations": SIZES[size],
        "vendor": connection.vendor,
        "server_version": server_version(connection),
        "counts": counts(),
        "seeding": seeding,
        "missing_tables": missing_tables(),
        "load_before": os.getloadavg(),
        "pages": measure(args.repeat),
        "load_after": os.getloadavg(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


def progress(message: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {message}", flush=True)


def reset_database(database: str, url: str) -> None:
    """A fresh, empty database: the bench never measures yesterday's schema."""
    if database == "sqlite":
        path = Path(urlsplit(url).path)
        if path.parent.resolve() != BASE_DIR or not path.name.startswith("bench.sqlite3"):
            raise SystemExit(f"Refusing to delete {path}: not a bench database.")
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name, params = connection_params(url)
    with psycopg.connect(dbname="postgres", **params) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- the minimal view and the URLconf around it ---------------------------------------------------


def minimal_view(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def install_bench_urlconf() -> None:
    """ROOT_URLCONF for the bench: the project's own patterns plus the minimal view."""
    import types

    from django.urls import path

    from expertisekaart import urls as project_urls

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("__bench_minimal/", minimal_view), *project_urls.urlpatterns]
    sys.modules["bench_urls"] = module


# --- a marker of the seeded data set (for --keep) -------------------------------------------------


def marker_read() -> dict | None:
    from django.db import DatabaseError, connection, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT spec FROM bench_marker")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return json.loads(row[0]) if row else None


def marker_write(spec: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_marker (spec TEXT NOT NULL)")
        cursor.execute("DELETE FROM bench_marker")
        cursor.execute("INSERT INTO bench_marker (spec) VALUES (%s)", [json.dumps(spec)])


def server_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0].split()[0]
        cursor.execute("SELECT sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


def counts() -> dict[str, int]:
    from netwerk.consultation.lines import ConsultationLine, ScheduleRow
    from netwerk.directory.contacts import Contact
    from netwerk.directory.locations import Location
    from netwerk.directory.organisations import Organisation
    from netwerk.places.places import Place

    return {
        "organisations": Organisation.objects.count(),
        "locations": Location.objects.count(),
        "contacts": Contact.objects.count(),
        "places": Place.objects.count(),
        "expertise links": Organisation.expertise.through.objects.count(),
        "consultation lines": ConsultationLine.objects.count(),
        "schedule rows": ScheduleRow.objects.count(),
    }


def missing_tables() -> list[str]:
    """Tables of installed models that the migrations did not create (migrations not made yet)."""
    from django.apps import apps
    from django.db import connection

    existing = set(connection.introspection.table_names())
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and model._meta.db_table not in existing
    )


# =================================================================================================
# Seeding: bulk_create in batches (no simple-history signals), deterministic, from reference data.
# =================================================================================================

NAMES = [
    "De Lindeboom",
    "Het Rozenhuis",
    "De Vlinder",
    "De Kapel",
    "De Heuvelrug",
    "De Waterlelie",
    "De Brug",
    "De Overloop",
    "De Haven",
    "Bosrand",
    "De Linde",
    "Het Anker",
    "De Horst",
    "Het Baken",
    "De Eik",
    "Zonnehuis",
    "De Wending",
    "De Bron",
    "Het Kompas",
    "De Regenboog",
    "Het Lichtpunt",
    "De Vier Jaargetijden",
    "Sint Jozef",
    "De Kastanjehof",
]
# Kind: (weight, name patterns, extra-location weight, place settings).
KINDS = {
    "hospice": (10, ["Hospice {n}", "Bijna Thuis Huis {n}", "Hospice {t}"], 0.3, ["hospice"]),
    "ggz": (
        12,
        ["GGZ {t}", "FACT-team {t}", "Kliniek {n}", "Ambulante GGZ {t}"],
        2.0,
        ["instelling", "thuis"],
    ),
    "verslavingszorg": (7, ["Verslavingszorg {t}", "Herstelhuis {n}"], 1.5, ["instelling"]),
    "thuiszorg": (18, ["Thuiszorg {t}", "Buurtzorgteam {t}", "Wijkverpleging {t}"], 1.0, ["thuis"]),
    "huisarts": (20, ["Huisartsenpraktijk {n}", "PaTz-groep {t}", "Huisartsenpost {t}"], 0.5, []),
    "ziekenhuis": (3, ["Ziekenhuis {t}", "Ziekenhuis {n}"], 2.5, []),
    "verpleeghuis": (10, ["Verpleeghuis {n}", "Zorgcentrum {n}"], 1.0, ["instelling", "hospice"]),
    "consultatieteam": (3, ["Consultatieteam Palliatieve Zorg {t}"], 0.5, []),
    "vptz": (6, ["VPTZ {t}"], 0.3, ["thuis"]),
    "ggd": (2, ["GGD {t}"], 1.0, []),
    "opvang": (5, ["Nachtopvang {n}", "Maatschappelijke Opvang {t}"], 1.0, ["instelling"]),
    "overig": (4, ["Centrum voor Levensvragen {t}", "Stichting {n}"], 0.5, []),
}
# Kinds whose organisations run consultation and crisis lines.
LINE_KINDS = ["consultatieteam", "ggz", "verslavingszorg", "huisarts", "ziekenhuis", "ggd"]
STREETS = [
    "Lindelaan",
    "Kerkstraat",
    "Dorpsweg",
    "Parkweg",
    "Stationsplein",
    "Molenweg",
    "Beukenlaan",
    "Wilhelminastraat",
    "Julianalaan",
    "Schoolstraat",
    "Hoofdstraat",
    "Nieuweweg",
]
FIRST_NAMES = [
    "Anne",
    "Sander",
    "Fatima",
    "Joost",
    "Esther",
    "Mehmet",
    "Lotte",
    "Ruben",
    "Ingrid",
    "Daan",
    "Noor",
    "Bram",
    "Yara",
    "Pieter",
    "Sanne",
    "Karim",
]
LAST_NAMES = [
    "de Wit",
    "Bakker",
    "el Idrissi",
    "van Leeuwen",
    "Smits",
    "Yilmaz",
    "Vermeer",
    "Kok",
    "Dijkstra",
    "Hendriks",
    "de Jong",
    "Jansen",
    "Visser",
    "Mulder",
]
ROLES = [
    "Aandachtsvelder palliatieve zorg",
    "Verpleegkundig specialist",
    "Coördinator zorg",
    "Psychiater",
    "Verslavingsarts",
    "Huisarts",
    "Geestelijk verzorger",
    "Maatschappelijk werker",
]
EXTRA_SENTENCES = [
    "Bereikbaar voor overleg met huisartsen en wijkteams.",
    "Ervaring met mensen met een psychiatrische aandoening in de laatste levensfase.",
    "Samenwerking met het consultatieteam palliatieve zorg in de regio.",
    "Ook voor naasten en mantelzorgers.",
    "Aandacht voor zingeving, rouw en verlies.",
    "Met vrijwilligers die waken en ondersteunen.",
]
LETTERS = "ABCDEFGHJKLMNPRTVXZ"


def seed(organisation_count: int, rng: random.Random) -> dict:
    """Create the bench network; returns the seconds each step took."""
    from django.db import transaction

    from netwerk.search.documents import organisations_search_refresh

    timings = {}
    started = time.perf_counter()
    with transaction.atomic():
        created = Seeder(organisation_count, rng).run()
    timings["bulk_create"] = round(time.perf_counter() - started, 1)
    progress(f"seeded {created} in {timings['bulk_create']} s")
    started = time.perf_counter()
    refreshed = organisations_search_refresh()
    timings["search_refresh"] = round(time.perf_counter() - started, 1)
    progress(
        f"organisations_search_refresh(): {refreshed:,} documents in {timings['search_refresh']} s"
    )
    return timings


class Seeder:
    def __init__(self, organisation_count: int, rng: random.Random):
        self.n = organisation_count
        self.rng = rng
        self.now = datetime.now(UTC)

    def run(self) -> str:
        from netwerk.reference.geography import Municipality, PostcodeArea

        self.municipalities = list(Municipality.objects.order_by("code"))
        self.areas = list(PostcodeArea.objects.order_by("pc4"))
        self.areas_by_municipality: dict[int, list] = {}
        self.areas_by_province: dict[str, list] = {}
        province_of = {m.pk: m.province_name for m in self.municipalities}
        for area in self.areas:
            self.areas_by_municipality.setdefault(area.municipality_id, []).append(area)
            self.areas_by_province.setdefault(province_of[area.municipality_id], []).append(area)
        self.province_of = province_of

        self.tags = self.seed_tags()
        self.regions = self.seed_regions()
        organisations = self.seed_organisations()
        locations = self.seed_locations(organisations)
        places = self.seed_places(organisations, locations)
        contacts = self.seed_contacts(organisations)
        lines = self.seed_lines(organisations)
        return (
            f"{len(organisations):,} organisations, {len(locations):,} locations, "
            f"{contacts:,} contacts, {places:,} places, {lines:,} consultation lines"
        )

    # --- reference-like data ---

    def seed_tags(self):
        from django.utils.text import slugify

        from netwerk.demo import TAGS
        from netwerk.reference.expertise import ExpertiseTag

        ExpertiseTag.objects.bulk_create(
            [
                ExpertiseTag(name=name, slug=slugify(name), category=category, synonyms=synonyms)
                for name, category, synonyms in TAGS
            ],
            ignore_conflicts=True,
        )
        return list(ExpertiseTag.objects.order_by("slug"))

    def seed_regions(self):
        from django.utils.text import slugify

        from netwerk.reference.geography import Region

        provinces = sorted({m.province_name for m in self.municipalities})
        Region.objects.bulk_create(
            [Region(name=f"Netwerk {p}", slug=f"netwerk-{slugify(p)}") for p in provinces]
        )
        regions = {r.name.removeprefix("Netwerk "): r for r in Region.objects.all()}
        Region.municipalities.through.objects.bulk_create(
            [
                Region.municipalities.through(
                    region_id=regions[m.province_name].pk, municipality_id=m.pk
                )
                for m in self.municipalities
            ]
        )
        progress(f"{len(self.tags)} expertise tags, {len(regions)} regions")
        return regions

    # --- organisations with expertise and service area ---

    def seed_organisations(self):
        from django.utils.text import slugify

        from netwerk.demo import ORGANISATIONS
        from netwerk.directory.organisations import Organisation

        rng = self.rng
        descriptions: dict[str, list[str]] = {}
        tag_pool: dict[str, set[str]] = {}
        for spec in ORGANISATIONS:
            descriptions.setdefault(str(spec.kind), []).append(spec.description)
            tag_pool.setdefault(str(spec.kind), set()).update(spec.tags)
        tags_by_name = {tag.name: tag for tag in self.tags}
        kinds = list(KINDS)
        weights = [KINDS[kind][0] for kind in kinds]
        today = self.now.date()

        organisations = []
        self.home_area = {}
        for index in range(self.n):
            kind = rng.choices(kinds, weights)[0]
            area = rng.choice(self.areas)
            town = area.place_names.split("|")[0]
            name = rng.choice(KINDS[kind][1]).format(n=rng.choice(NAMES), t=town)
            slug = f"{slugify(name)}-{index + 1}"
            description = rng.choice(descriptions.get(kind, descriptions["overig"]))
            if rng.random() < 0.6:
                description += " " + rng.choice(EXTRA_SENTENCES)
            organisation = Organisation(
                name=name,
                slug=slug,
                kind=kind,
                description=description,
                website=f"https://{slug}.example.org",
                email=f"info@{slug}.example.org",
                phone=f"+3188{3000000 + index:07d}",
                is_published=rng.random() < 0.97,
                last_verified_on=None
                if rng.random() < 0.1
                else today - timedelta(days=rng.randrange(400)),
            )
            organisations.append(organisation)
            self.home_area[slug] = area
        Organisation.objects.bulk_create(organisations, batch_size=BATCH)
        if organisations[0].pk is None:  # a backend that does not return ids
            ids = dict(Organisation.objects.values_list("slug", "pk"))
            for organisation in organisations:
                organisation.pk = ids[organisation.slug]

        expertise, service = [], []
        ExpertiseLink = Organisation.expertise.through
        ServiceLink = Organisation.service_area.through
        for organisation in organisations:
            pool = sorted(tag_pool.get(organisation.kind, ())) or [t.name for t in self.tags]
            chosen = set(rng.sample(pool, min(len(pool), rng.randint(1, 4))))
            if rng.random() < 0.2:
                chosen.add(rng.choice(self.tags).name)
            organisation.tag_ids = sorted(tags_by_name[name].pk for name in chosen)
            expertise += [
                ExpertiseLink(organisation_id=organisation.pk, expertisetag_id=tag_id)
                for tag_id in organisation.tag_ids
            ]
            area = self.home_area[organisation.slug]
            served = {area.municipality_id}
            province = self.areas_by_province[self.province_of[area.municipality_id]]
            for _ in range(rng.choice([0, 0, 1, 2])):
                served.add(rng.choice(province).municipality_id)
            service += [
                ServiceLink(organisation_id=organisation.pk, municipality_id=municipality_id)
                for municipality_id in sorted(served)
            ]
        ExpertiseLink.objects.bulk_create(expertise, batch_size=BATCH)
        ServiceLink.objects.bulk_create(service, batch_size=BATCH)
        progress(
            f"{len(organisations):,} organisations, {len(expertise):,} expertise links, "
            f"{len(service):,} service-area links"
        )
        return organisations

    # --- locations ---

    def seed_locations(self, organisations):
        from netwerk.directory.locations import Location

        rng = self.rng
        total = self.n * LOCATIONS_PER_ORGANISATION
        extra_weights = [KINDS[o.kind][2] for o in organisations]
        owners = list(organisations) + rng.choices(organisations, extra_weights, k=total - self.n)
        locations = []
        for number, organisation in enumerate(owners):
            home = self.home_area[organisation.slug]
            if number < self.n:
                area = home
            elif rng.random() < 0.6:
                area = rng.choice(self.areas_by_municipality[home.municipality_id])
            else:
                area = rng.choice(self.areas_by_province[self.province_of[home.municipality_id]])
            town = area.place_names.split("|")[0]
            letters = rng.choice(LETTERS) + rng.choice(LETTERS)
            locations.append(
                Location(
                    organisation_id=organisation.pk,
                    name="" if number < self.n or rng.random() < 0.5 else f"Locatie {town}",
                    street=rng.choice(STREETS),
                    house_number=str(rng.randint(1, 250)),
                    postcode=f"{area.pc4} {letters}",
                    city=town,
                    municipality_id=area.municipality_id,
                    # Location.save() would take the PC4 centroid; spread the markers a little.
                    latitude=round(area.latitude + rng.uniform(-0.008, 0.008), 6),
                    longitude=round(area.longitude + rng.uniform(-0.012, 0.012), 6),
                    phone="" if rng.random() < 0.6 else f"+3130{2000000 + number:07d}",
                )
            )
        Location.objects.bulk_create(locations, batch_size=BATCH)
        if locations[0].pk is None:
            for location, pk in zip(
                locations, Location.objects.order_by("pk").values_list("pk", flat=True), strict=True
            ):
                location.pk = pk
        progress(f"{len(locations):,} locations")
        return locations

    # --- places ---

    def seed_places(self, organisations, locations) -> int:
        from netwerk.places.places import Place

        rng = self.rng
        first_location = {}
        for location in locations:
            first_location.setdefault(location.organisation_id, location)
        places = []
        acceptance = ["yes", "consult", "no"]
        for organisation in organisations:
            settings = KINDS[organisation.kind][3]
            if not settings or rng.random() < 0.3:
                continue
            for setting in settings[: rng.randint(1, len(settings))]:
                for _ in range(1 if rng.random() < 0.8 else 2):
                    places.append(
                        Place(
                            organisation_id=organisation.pk,
                            location_id=first_location[organisation.pk].pk,
                            setting=setting,
                            capacity=rng.randint(1, 8),
                            accepts_severe_mental_illness=rng.choice(acceptance),
                            accepts_active_substance_use=rng.choice(acceptance),
                            accepts_opioid_substitution=rng.choice(acceptance),
                            accepts_one_to_one_supervision=rng.choice(acceptance),
                            allows_smoking=rng.choice(acceptance),
                            availability=rng.choice(
                                ["available", "available", "full", "on_request"]
                            ),
                            # Up to 14 days old: about half is fresher than the 7-day default.
                            availability_updated_at=self.now
                            - timedelta(minutes=rng.randrange(14 * 24 * 60)),
                        )
                    )
        Place.objects.bulk_create(places, batch_size=BATCH)
        progress(f"{len(places):,} places")
        return len(places)

    # --- contacts ---

    def seed_contacts(self, organisations):
        from django.utils.text import slugify

        from netwerk.directory.contacts import Contact

        rng = self.rng
        total = self.n * CONTACTS_PER_ORGANISATION
        owners = list(organisations) + rng.choices(organisations, k=total - self.n)
        contacts = []
        today = self.now.date()
        for number, organisation in enumerate(owners):
            is_person = rng.random() < 0.8
            name = (
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                if is_person
                else rng.choice(["Dienstdoende arts", "Centrale", "Secretariaat", "Triage"])
            )
            consent = is_person and rng.random() < 0.7
            contacts.append(
                Contact(
                    organisation_id=organisation.pk,
                    name=name,
                    is_person=is_person,
                    role=rng.choice(ROLES),
                    phone=f"+3188{4000000 + number:07d}",
                    email=f"{slugify(name)}@{organisation.slug}.example.org" if is_person else "",
                    visibility=rng.choices(["public", "professionals", "coordinators"], [4, 5, 1])[
                        0
                    ],
                    consent_recorded_on=today - timedelta(days=rng.randrange(700))
                    if consent
                    else None,
                    consent_note="Schriftelijke toestemming (bench)" if consent else "",
                )
            )
            if len(contacts) == BATCH * 5:
                Contact.objects.bulk_create(contacts, batch_size=BATCH)
                contacts = []
        Contact.objects.bulk_create(contacts, batch_size=BATCH)
        progress(f"{total:,} contacts")
        return total

    # --- consultation lines with schedules ---

    def seed_lines(self, organisations) -> int:
        from netwerk.consultation.lines import ConsultationLine, ScheduleException, ScheduleRow
        from netwerk.demo import LINES

        rng = self.rng
        count = max(3, self.n * LINES_PER_100_ORGANISATIONS // 100)
        candidates = [o for o in organisations if o.kind in LINE_KINDS and o.is_published]
        owners = rng.sample(candidates, min(count, len(candidates)))
        lines, schedules = [], []
        for number, organisation in enumerate(owners):
            _org, name, purpose, audience, _phone, always, rule, rows, notes, _next = rng.choice(
                LINES
            )
            lines.append(
                ConsultationLine(
                    organisation_id=organisation.pk,
                    name=name,
                    phone=f"+3188{5000000 + number:07d}",
                    purpose=purpose,
                    audience=audience,
                    is_always_open=always,
                    holiday_rule=rule,
                    notes=notes,
                    is_active=rng.random() < 0.95,
                )
            )
            schedules.append(rows)
        ConsultationLine.objects.bulk_create(lines, batch_size=BATCH)
        if lines and lines[0].pk is None:
            ids = ConsultationLine.objects.order_by("pk").values_list("pk", flat=True)
            for line, pk in zip(lines, ids, strict=True):
                line.pk = pk
        ScheduleRow.objects.bulk_create(
            [
                ScheduleRow(line_id=line.pk, weekday=day, opens_at=opens, closes_at=closes)
                for line, rows in zip(lines, schedules, strict=True)
                for day, opens, closes in rows
            ],
            batch_size=BATCH,
        )
        christmas = datetime(self.now.year, 12, 24, 17, 0, tzinfo=UTC)
        ScheduleException.objects.bulk_create(
            [
                ScheduleException(
                    line_id=line.pk,
                    starts_at=christmas,
                    ends_at=christmas + timedelta(hours=40),
                    is_open=False,
                    reason="Kerst",
                )
                for line in lines
                if rng.random() < 0.2
            ]
        )
        region_of = {
            o.pk: self.regions[self.province_of[self.home_area[o.slug].municipality_id]]
            for o in owners
        }
        ConsultationLine.regions.through.objects.bulk_create(
            [
                ConsultationLine.regions.through(
                    consultationline_id=line.pk, region_id=region_of[line.organisation_id].pk
                )
                for line in lines
            ]
        )
        tag_ids = {o.pk: o.tag_ids for o in owners}
        ConsultationLine.expertise.through.objects.bulk_create(
            [
                ConsultationLine.expertise.through(consultationline_id=line.pk, expertisetag_id=t)
                for line in lines
                for t in tag_ids[line.organisation_id]
            ]
        )
        # Lines outside office hours escalate to another line of their network.
        by_region: dict[int, list] = {}
        for line in lines:
            by_region.setdefault(region_of[line.organisation_id].pk, []).append(line)
        escalating = []
        for line in lines:
            others = [o for o in by_region[region_of[line.organisation_id].pk] if o.pk != line.pk]
            if others and not line.is_always_open and rng.random() < 0.5:
                line.escalates_to_id = rng.choice(others).pk
                escalating.append(line)
        ConsultationLine.objects.bulk_update(escalating, ["escalates_to"], batch_size=500)
        progress(f"{len(lines)} consultation lines with schedules")
        return len(lines)


# =================================================================================================
# Measuring
# =================================================================================================


def measure(repeat: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from netwerk.search.map_data import MapSnapshot

    client = Client()
    slug = showcase_slug()
    progress(f"measuring ({repeat} timed requests per page after warm-up); organisation: {slug}")
    pages = {
        "minimal": ("/__bench_minimal/", {}),
        "home": ("/", {}),
        "search_text": ("/zoeken/?q=hospice", {}),
        "search_typo": ("/zoeken/?q=verslavng", {}),
        "search_filters": ("/zoeken/?soort=hospice&zorgsetting=hospice&beschikbaar=true", {}),
        "search_distance": ("/zoeken/?postcode=3511&afstand=25", {}),
        "search_text_cold": ("/zoeken/?q=hospice", {}),
        "search_typo_cold": ("/zoeken/?q=verslavng", {}),
        "search_filters_cold": ("/zoeken/?soort=hospice&zorgsetting=hospice&beschikbaar=true", {}),
        "search_distance_cold": ("/zoeken/?postcode=3511&afstand=25", {}),
        "geojson_build": ("/zoeken/kaart.geojson", {"HTTP_ACCEPT_ENCODING": "gzip"}),
        "geojson_first": ("/zoeken/kaart.geojson", {"HTTP_ACCEPT_ENCODING": "gzip"}),
        "geojson_cached": ("/zoeken/kaart.geojson", {"HTTP_ACCEPT_ENCODING": "gzip"}),
        "geojson_304": ("/zoeken/kaart.geojson", {"HTTP_ACCEPT_ENCODING": "gzip"}),
        "organisation": (f"/organisaties/{slug}/", {}),
        "export_csv": ("/zoeken/export.csv", {}),
        "static_page": ("/privacy/", {}),
    }
    # The floor is timed many times; the CSV of every location is slow, so it gets fewer.
    repeats = {"minimal": max(200, repeat), "export_csv": min(repeat, 5)}
    warmups = {"minimal": 50, "export_csv": 1}

    def forget_the_map():
        MapSnapshot.objects.all().delete()
        cache.clear()

    results = {}
    for name, (url, headers) in pages.items():
        before = cache.clear if name == "geojson_first" or name.endswith(COLD) else None
        if name == "geojson_build":
            before = forget_the_map
        if name == "geojson_304":
            first = client.get(url, secure=True, **headers)
            headers = {**headers, "HTTP_IF_NONE_MATCH": first.get("ETag", '"none"')}

        def request(url=url, headers=headers):
            return client.get(url, secure=True, **headers)

        try:
            for _ in range(warmups.get(name, 3)):
                if before:
                    before()
                response = request()
            times = []
            for _ in range(repeats.get(name, repeat)):
                if before:
                    before()
                start = time.perf_counter()
                response = request()
                times.append(time.perf_counter() - start)
            if before:
                before()
            with CaptureQueriesContext(connection) as queries:
                response = request()
        except Exception as error:  # reported per page, e.g. a table not migrated yet
            message = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
            progress(f"{name}: FAILED {message}")
            results[name] = {"url": url, "error": message}
            continue
        results[name] = page_result(url, response, times, queries, name)
        r = results[name]
        progress(
            f"{name:16} {r['status']} median {r['median_ms']:8.2f} ms  p95 {r['p95_ms']:8.2f} ms  "
            f"{r['queries']:3} queries  {r['bytes']:>10,} bytes"
            + (f"  ({r['matches']:,} matches)" if r.get("matches") is not None else "")
        )
        if r["slowest_query_ms"] > 5:
            progress(
                f"    slowest query {r['slowest_query_ms']:.1f} ms: {r['slowest_query'][:300]}"
            )
    return results


def showcase_slug() -> str:
    """A published organisation with much to show: locations, contacts and consultation lines."""
    from django.db.models import Count, Exists, OuterRef

    from netwerk.consultation.lines import ConsultationLine
    from netwerk.directory.organisations import Organisation

    organisation = (
        Organisation.objects.published()
        .filter(Exists(ConsultationLine.objects.filter(organisation=OuterRef("pk"))))
        .annotate(n=Count("locations", distinct=True), c=Count("contacts", distinct=True))
        .order_by("-n", "-c", "pk")
        .values_list("slug", flat=True)
        .first()
    )
    return organisation or Organisation.objects.published().values_list("slug", flat=True)[0]


def page_result(url, response, times, queries, name) -> dict:
    content = response.content
    raw = gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
    result = {
        "url": url,
        "status": response.status_code,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": percentile(times, 95) * 1000,
        "min_ms": min(times) * 1000,
        "samples": len(times),
        "queries": len(queries.captured_queries),
        "bytes": len(raw),
        "gzip_bytes": len(content)
        if response.get("Content-Encoding") == "gzip"
        else len(gzip.compress(raw, 6)),
        "served_gzip": response.get("Content-Encoding") == "gzip",
        "slowest_query_ms": float(slowest["time"]) * 1000 if slowest else 0.0,
        "slowest_query": slowest["sql"] if slowest else "",
    }
    if name.removesuffix(COLD) in SEARCH_PAGES:
        result["matches"] = search_matches(url)
    if name.startswith("geojson") and response.status_code == 200:
        result["features"] = len(json.loads(raw)["features"])
    return result


def search_matches(url: str) -> int:
    from django.http import QueryDict

    from netwerk.directory.organisations import Organisation
    from netwerk.search.filters import OrganisationFilterSet

    query = QueryDict(url.partition("?")[2])
    return OrganisationFilterSet(query, queryset=Organisation.objects.published()).qs.count()


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


# =================================================================================================
# Report: console and Markdown
# =================================================================================================


class Report:
    def __init__(self, results: dict, skipped: dict, repeat: int, command: str):
        self.results = results
        self.skipped = skipped
        self.repeat = repeat
        self.command = command
        self.checks = {database: self.targets(database) for database in results}

    def page(self, database, size, name) -> dict:
        return self.results[database][size]["pages"].get(name, {})

    def floor(self, database, size) -> float | None:
        return self.page(database, size, "minimal").get("median_ms")

    def targets(self, database) -> list[tuple[bool | None, str]]:
        checks = []

        def ok(page):
            return page and "error" not in page

        for name in SEARCH_PAGES + [page + COLD for page in SEARCH_PAGES]:
            small, large = self.page(database, "small", name), self.page(database, "large", name)
            if not (ok(small) and ok(large)):
                checks.append(
                    (None, f"{name}: not measured ({large.get('error') or small.get('error')})")
                )
                continue
            ratio = large["median_ms"] / small["median_ms"]
            checks.append(
                (
                    ratio <= 2,
                    f"{name}: 10,000 orgs {large['median_ms']:.1f} ms vs 100 orgs "
                    f"{small['median_ms']:.1f} ms = {ratio:.1f}x (target <= 2x)",
                )
            )
        floor = self.floor(database, "large")
        for name in SEARCH_PAGES:
            large = self.page(database, "large", name)
            if not ok(large) or not floor:
                continue
            ratio = large["median_ms"] / floor
            checks.append(
                (
                    ratio <= 10,
                    f"{name}: {large['median_ms']:.1f} ms = {ratio:.0f}x the minimal view "
                    f"({floor:.2f} ms) at 10,000 orgs (target <= 10x)",
                )
            )
        first = self.page(database, "large", "geojson_first")
        if ok(first) and floor:
            ratio = first["median_ms"] / floor
            checks.append(
                (
                    ratio <= 100,
                    f"GeoJSON of all {first.get('features', 0):,} locations, first request: "
                    f"{first['median_ms']:.0f} ms = {ratio:.0f}x the minimal view (target <= 100x)",
                )
            )
            checks.append(
                (
                    first["gzip_bytes"] < GZIP_TARGET_BYTES,
                    f"GeoJSON of all, gzipped: {first['gzip_bytes']:,} bytes "
                    f"(uncompressed {first['bytes']:,}; target < 1,000,000)",
                )
            )
        else:
            checks.append((None, f"GeoJSON: not measured ({first.get('error')})"))
        cached, etag = (
            self.page(database, "large", "geojson_cached"),
            self.page(database, "large", "geojson_304"),
        )
        if ok(etag):
            checks.append(
                (
                    etag["status"] == 304,
                    f"repeated GeoJSON with If-None-Match: {etag['status']} in "
                    f"{etag['median_ms']:.1f} ms, {etag['queries']} queries; without it from the "
                    f"cache: {cached.get('median_ms', 0):.1f} ms, {cached.get('queries')} queries",
                )
            )
        # Prefetches of an empty set are skipped: the 2 schedule queries run only when a result
        # on the page has a consultation line, so a page may differ by that much, not more.
        grown, differs = [], []
        for name in PAGE_LABELS:
            small, large = self.page(database, "small", name), self.page(database, "large", name)
            if ok(small) and ok(large) and small["queries"] != large["queries"]:
                text = f"{name} {small['queries']} -> {large['queries']}"
                (grown if large["queries"] > small["queries"] + 2 else differs).append(text)
        checks.append(
            (
                not grown,
                "query count does not grow with the network (100 -> 10,000 organisations)"
                + (f"; grows for {', '.join(grown)}" if grown else "")
                + (
                    f"; differs only by the schedule prefetches for {', '.join(differs)}"
                    if differs
                    else ""
                ),
            )
        )
        return checks

    # --- console ---

    def console(self) -> str:
        lines = ["", "=" * 100, "Results", "=" * 100]
        for database, sizes in self.results.items():
            lines.append(f"\n{database} ({sizes['large']['server_version']})")
            lines += self.table(database, markdown=False)
            lines.append("")
            for passed, text in self.checks[database]:
                lines.append(f"  {verdict(passed)}  {text}")
            missing = sizes["large"]["missing_tables"]
            if missing:
                lines.append(f"  note: tables not migrated yet: {', '.join(missing)}")
        for database, why in self.skipped.items():
            lines.append(f"\nSKIPPED: {database}, because {why}")
        return "\n".join(lines)

    def table(self, database, *, markdown: bool) -> list[str]:
        header = [
            "page",
            "median 100",
            "median 10k",
            "p95 10k",
            "10k/100",
            "x minimal",
            "queries 100/10k",
            "bytes 10k",
            "gzip 10k",
        ]
        rows = []
        floor = self.floor(database, "large")
        for name, label in PAGE_LABELS.items():
            small, large = self.page(database, "small", name), self.page(database, "large", name)
            if "error" in large or "error" in small or not large or not small:
                error = large.get("error") or small.get("error") or "not measured"
                rows.append([label if markdown else name, f"failed: {error}"] + [""] * 7)
                continue
            rows.append(
                [
                    label if markdown else name,
                    f"{small['median_ms']:.2f} ms",
                    f"{large['median_ms']:.2f} ms",
                    f"{large['p95_ms']:.2f} ms",
                    f"{large['median_ms'] / small['median_ms']:.2f}",
                    f"{large['median_ms'] / floor:.1f}" if floor else "",
                    f"{small['queries']} / {large['queries']}",
                    f"{large['bytes']:,}",
                    f"{large['gzip_bytes']:,}" + ("" if large["served_gzip"] else "*"),
                ]
            )
        if markdown:
            return [
                "| " + " | ".join(header) + " |",
                "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
                *("| " + " | ".join(row) + " |" for row in rows),
            ]
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        return [
            "  "
            + "  ".join(
                str(cell).rjust(w) if i else str(cell).ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in [header, *rows]
        ]

    # --- Markdown ---

    def markdown(self) -> str:
        any_result = next(iter(self.results.values()), None)
        import django

        out = [
            "# Benchmarks",
            "",
            "Generated by `make bench` (`scripts/bench.py`); do not edit by hand. Re-run with:",
            "",
            "```sh",
            "make bench",
            f"# which runs: .venv/bin/{self.command}",
            "# quicker re-measure on the already seeded databases:",
            "# .venv/bin/python scripts/bench.py --keep --write docs/benchmarks.md",
            "```",
            "",
            "## Method",
            "",
            "- **Data.** A separate database per size, never `db.sqlite3` or the test databases: "
            "SQLite `bench.sqlite3` / `bench.sqlite3.small`, PostgreSQL `expertisekaart_bench` / "
            "`expertisekaart_bench_small` (server from `BENCH_PG_URL`). After the reference data "
            "(CBS municipalities, PC4 centroids), a deterministic generator (`random.Random`, "
            f"seed {SEED}) bulk-creates organisations of every kind spread over all PC4 areas of "
            "the Netherlands, with 2 locations, 5 contacts, 1-4 expertise tags and a service area "
            "each on average, places for hospices/institutions/home care (availability up to 14 "
            "days old), 3 consultation lines with schedules per 100 organisations, and one "
            "network region per province; then `organisations_search_refresh()` builds the "
            "search documents (and on PostgreSQL the tsvector) once. PostgreSQL gets a "
            "`VACUUM ANALYZE` afterwards, as autovacuum would do. Sizes: 100 and 10,000 "
            "organisations.",
            "- **Timing.** Each page is requested in-process with Django's test client through "
            "the project's full middleware stack with production settings (DEBUG off, "
            "https, manifest static files, in-process cache), and timed with "
            "`time.perf_counter()` around the request: 3 warm-up requests, then "
            f"{self.repeat} timed ones (200 for the minimal view). Median and 95th percentile "
            "(nearest rank). The queries are counted with `CaptureQueriesContext` in one extra, "
            "untimed request. Each database and size runs in its own process.",
            '- **Floor.** The minimal view is `HttpResponse("ok")`, mounted by the bench\'s own '
            "URLconf (the project's patterns plus `__bench_minimal/`) behind the same middleware; "
            "\"x minimal\" is a page's median divided by the minimal view's median at 10,000 "
            "organisations, in the same process.",
            "- **Caches.** A search page's body is cached per question, language and role until "
            "the data changes (a new history row) or a consultation line on it opens or closes; "
            "the plain rows measure that, as visitors asking the same question get it. The rows "
            '"cache empty" empty the cache before every timed request: the first visitor of a '
            "question. The growth target is checked on both. The data version itself (one "
            "query) is remembered by a process for a second, so requests in quick succession, "
            "as here, need no query at all; one more than a second after the last costs that "
            "query (about 0.4 ms on PostgreSQL, 0.05 ms on SQLite).",
            "- **GeoJSON.** The whole map is built once per version of the data and stored in "
            'the database (`MapSnapshot`). "first request" empties the cache before every timed '
            'request, as a new server process would find it, and gets the stored map; "after a '
            'data change" also deletes the stored map, so it builds the whole map each time; '
            '"repeated" is served from the cache; with '
            "`If-None-Match` the ETag answers 304. Requests send `Accept-Encoding: gzip`; the "
            'view compresses, so "gzip" is the size on the wire. For HTML pages, "gzip" '
            "(marked *) is what a compressing proxy would send; the app itself sends them "
            "uncompressed.",
            "- **Static page.** `/privacy/` renders the base layout without a query: the floor "
            "of any page built from the site's templates.",
            "- **Targets** (issue 3) are checked by the script; the issue measures them on "
            "PostgreSQL, SQLite is shown for comparison.",
            "",
            "## Machine",
            "",
            f"- {os.cpu_count()} cores ({cpu_model()}), {memory_gb()} GB memory, "
            f"{platform.system()} {platform.release()}",
            f"- Python {platform.python_version()}, Django {django.get_version()}",
        ]
        for database, sizes in self.results.items():
            out.append(f"- {database}: {sizes['large']['server_version']}")
        out.append(f"- Run on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
        for database, sizes in self.results.items():
            large = sizes["large"]
            out += ["", f"## {large['server_version']}", ""]
            c = large["counts"]
            seeded = large.get("seeding") or {}
            out.append(
                "Data at 10,000: "
                + ", ".join(f"{value:,} {key}" for key, value in c.items())
                + (
                    f". Seeding took {seeded['bulk_create']} s, the search refresh "
                    f"{seeded['search_refresh']} s."
                    if seeded
                    else " (reused with --keep)."
                )
            )
            loads = [
                f"{sizes[size]['load_before'][0]:.1f} -> {sizes[size]['load_after'][0]:.1f}"
                for size in SIZES
            ]
            out.append(
                f"1-minute load average while measuring (100 / 10,000): {loads[0]} / {loads[1]} "
                f"on {os.cpu_count()} cores; other work on the machine shows up as noise."
            )
            out.append("")
            out += self.table(database, markdown=True)
            out += ["", "Targets:", ""]
            for passed, text in self.checks[database]:
                out.append(f"- **{verdict(passed)}** {text}")
            if large["missing_tables"]:
                out += [
                    "",
                    "Note: these tables were not migrated yet when this was run (their "
                    "migrations were still to be generated): "
                    + ", ".join(f"`{t}`" for t in large["missing_tables"])
                    + ".",
                ]
        for database, why in self.skipped.items():
            out += ["", f"## {database}", "", f"SKIPPED: {why}."]
        if any_result is None:
            out += ["", "No database was measured."]
        return "\n".join(out) + "\n"


def verdict(passed: bool | None) -> str:
    return {True: "PASS", False: "FAIL", None: "N/A "}[passed]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def memory_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return str(round(int(line.split()[1]) / 1024 / 1024))
    except OSError:
        pass
    return "?"


if __name__ == "__main__":
    sys.exit(main())
