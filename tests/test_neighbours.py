"""Neighbours: another network's HSDS API read by `manage.py sync_neighbours`, all or nothing,
and shown where a question lands outside our own area.

The neighbour is a second instance of this application: its pages are made by OUR OWN API
(`/api/v1/`, Django's test client on the demo network), then served by a real HTTP server in a
thread — the one outside service these tests fake. Our own instance is then another network
(Regio Amsterdam), so the demo's Utrecht lies outside it.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from netwerk.demo import demo_data_load
from netwerk.directory.organisations import Organisation
from netwerk.neighbours.networks import (
    NeighbourLine,
    NeighbourNetwork,
    NeighbourOrganisation,
    SyncOutcome,
)
from netwerk.neighbours.sync import sync_neighbour
from netwerk.reference.geography import Municipality, Region
from netwerk.search.data_version import published_version

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "hsds" / "hsds-3.0.schema.json").read_text("utf-8")
)
PAGE_SIZE = 10  # smaller than the 200 the sync asks for: the neighbour decides, we follow
LISTS = ("organizations", "services")
_captured: dict[tuple[str, int], bytes] = {}


def validator(definition: str) -> Draft202012Validator:
    schema = {"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema, format_checker=FormatChecker())


def capture_demo_api(client) -> dict[tuple[str, int], bytes]:
    """Every page of the demo network's /organizations and /services, as our API writes them;
    made once per process (the demo is loaded for it and removed again)."""
    if not _captured:
        demo_data_load()
        for name in LISTS:
            page = 1
            while True:
                response = client.get(f"/api/v1/{name}", {"page": page, "per_page": PAGE_SIZE})
                assert response.status_code == 200, response.content
                _captured[(name, page)] = response.content
                if response.json()["last_page"]:
                    break
                page += 1
    # Our own instance is another network: the demo's organisations and region are theirs.
    Organisation.objects.all().delete()
    Region.objects.all().delete()
    return dict(_captured)


def contents(pages, name) -> list[dict]:
    return [
        item
        for (list_name, _page), body in sorted(pages.items())
        if list_name == name
        for item in json.loads(body)["contents"]
    ]


class NeighbourServer:
    """A neighbour's API over real HTTP: `routes[(list, page)]` is the body of that page;
    `faults[(list, page)]` makes that page answer otherwise: (status, body, seconds to wait)."""

    def __init__(self, routes):
        self.routes = routes
        self.faults: dict[tuple[str, int], tuple[int, bytes, float]] = {}
        self.requested: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requested.append(self.path)
                parts = urlsplit(self.path)
                name = parts.path.removeprefix("/api/v1/")
                page = int(parse_qs(parts.query).get("page", ["1"])[0])
                status, body, wait = server.faults.get(
                    (name, page), (200, server.routes.get((name, page)), 0)
                )
                if body is None:
                    status, body = 404, b'{"error": "Niet gevonden."}'
                time.sleep(wait)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the sync gave up waiting
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/v1/"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def pages(client):
    return capture_demo_api(client)


@pytest.fixture
def server(pages, settings):
    settings.NEIGHBOUR_HTTPS_ONLY = False  # the test server speaks plain HTTP on 127.0.0.1
    settings.NEIGHBOUR_TIMEOUT_SECONDS = 10  # a busy test machine is slow, not broken
    server = NeighbourServer(pages)
    yield server
    server.close()


@pytest.fixture
def neighbour(server) -> NeighbourNetwork:
    return NeighbourNetwork.objects.create(name="Netwerk Utrecht (buren)", api_url=server.url)


@pytest.fixture
def our_network(region_b):
    """We are Regio Amsterdam; the neighbour's demo lies around Utrecht."""
    return region_b


def copies(neighbour) -> list[tuple]:
    return [
        *NeighbourOrganisation.objects.filter(neighbour=neighbour)
        .order_by("source_id")
        .values_list("pk", "source_id", "name", "phone", "postcode", "fetched_at"),
        *NeighbourLine.objects.filter(neighbour=neighbour)
        .order_by("source_id")
        .values_list("pk", "source_id", "name", "phone", "organisation_id", "fetched_at"),
        *NeighbourLine.municipalities.through.objects.filter(neighbourline__neighbour=neighbour)
        .order_by("pk")
        .values_list("neighbourline_id", "municipality_id"),
    ]


# --- The round trip ----------------------------------------------------------------------------


def test_the_served_pages_are_hsds(pages):
    """What the neighbour serves is our API's output, which is HSDS 3.0."""
    for (name, _page), body in pages.items():
        data = json.loads(body)
        validator("page").validate(data)
        item = validator("organization" if name == "organizations" else "service")
        for obj in data["contents"]:
            item.validate(obj)
    assert len({page for name, page in pages if name == "services"}) > 1  # pages to follow


def test_a_sync_round_trips_between_two_instances(pages, server, neighbour, our_network):
    version = published_version()
    history_rows = neighbour.history.count()

    call_command("sync_neighbours", stdout=(out := _Output()))

    organisations = contents(pages, "organizations")
    services = contents(pages, "services")
    phoned = [s for s in services if s.get("phones") and s["status"] == "active"]
    assert NeighbourOrganisation.objects.filter(neighbour=neighbour).count() == len(organisations)
    assert NeighbourLine.objects.filter(neighbour=neighbour).count() == len(phoned) > 0
    assert {str(o.source_id) for o in NeighbourOrganisation.objects.all()} == {
        o["id"] for o in organisations
    }
    # Every page of both lists was read, following the neighbour's own page size.
    for name, page in pages:
        assert any(f"/api/v1/{name}?page={page}&" in path for path in server.requested)

    # What an organisation and a line carry over: name, phone, place, source and date.
    sample = next(o for o in organisations if o.get("phones") and o.get("locations"))
    stored = NeighbourOrganisation.objects.get(source_id=sample["id"])
    address = sample["locations"][0]["addresses"][0]
    assert stored.name == sample["name"]
    assert stored.phone.as_e164 == sample["phones"][0]["number"]
    assert stored.postcode == address["postal_code"]
    assert address["region"] in {m.name for m in stored.municipalities.all()}
    assert stored.neighbour == neighbour and stored.fetched_at is not None
    line_data = phoned[0]
    line = NeighbourLine.objects.get(source_id=line_data["id"])
    assert line.phone.as_e164 == line_data["phones"][0]["number"]
    assert str(line.organisation.source_id) == line_data["organization_id"]
    assert line.municipalities.exists()  # its organisation's addresses at least

    neighbour.refresh_from_db()
    assert neighbour.last_sync_outcome == SyncOutcome.SUCCEEDED
    assert neighbour.last_sync_message == (
        f"{len(organisations)} organisaties en {len(phoned)} lijnen opgehaald."
    )
    assert "organisaties en" in out.text
    assert published_version() > version  # cached search pages show the new copies
    assert neighbour.history.count() == history_rows  # a sync is no change of the registration

    # A second sync replaces the copies rather than adding to them.
    assert sync_neighbour(neighbour).succeeded
    assert NeighbourOrganisation.objects.count() == len(organisations)


def test_what_the_neighbour_dropped_goes_on_the_next_sync(pages, server, neighbour):
    assert sync_neighbour(neighbour).succeeded
    page = json.loads(pages[("organizations", 1)])
    gone = page["contents"].pop()
    page["size"] -= 1
    for key in list(server.routes):
        if key[0] == "organizations":
            data = json.loads(server.routes[key])
            data["total_items"] -= 1
            server.routes[key] = json.dumps(page if key[1] == 1 else data).encode()
    assert sync_neighbour(neighbour).succeeded
    assert not NeighbourOrganisation.objects.filter(source_id=gone["id"]).exists()


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


# --- All or nothing ----------------------------------------------------------------------------


def broken(pages, change) -> bytes:
    data = json.loads(pages[("services", 2)])
    change(data)
    return json.dumps(data).encode()


FAULTS = {
    "timeout": (
        lambda pages: (200, pages[("services", 2)], 4),
        "antwoordde niet binnen 2 seconden",
    ),
    "http 500": (lambda pages: (500, b"{}", 0), "antwoordde met HTTP-status 500"),
    "redirect": (lambda pages: (301, b"", 0), "antwoordde met HTTP-status 301"),
    "not json": (lambda pages: (200, b"<html>Onderhoud</html>", 0), "gaf geen geldige JSON"),
    "no envelope": (
        lambda pages: (200, b"[]", 0),
        "geen object met total_items, contents enzovoort",
    ),
    "wrong page": (
        lambda pages: (200, broken(pages, lambda d: d.update(page_number=5)), 0),
        "page_number is 5, gevraagd was 2",
    ),
    "service without name": (
        lambda pages: (200, broken(pages, lambda d: d["contents"][0].pop("name")), 0),
        "'name' ontbreekt of is geen tekst",
    ),
    "id not a uuid": (
        lambda pages: (200, broken(pages, lambda d: d["contents"][0].update(id="42")), 0),
        "'id' is geen UUID",
    ),
    "unknown status": (
        lambda pages: (200, broken(pages, lambda d: d["contents"][0].update(status="open")), 0),
        "'status' moet een van",
    ),
    "phone not a number": (
        lambda pages: (
            200,
            broken(pages, lambda d: d["contents"][0].update(phones=[{"id": "x", "number": "bel"}])),
            0,
        ),
        "bel is geen geldig telefoonnummer",
    ),
    "too many pages": (
        lambda pages: (200, broken(pages, lambda d: d.update(total_pages=1000)), 0),
        "heeft 1000 pagina's; meer dan 100 worden niet gelezen",
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_failed_sync_changes_nothing_and_says_why_in_dutch(
    pages, server, neighbour, fault, capsys, settings
):
    """The second page of /services fails after everything before it was read: the copies of
    the last good sync stay exactly as they were; the neighbour records the Dutch reason."""
    assert sync_neighbour(neighbour).succeeded
    before = copies(neighbour)
    version = published_version()
    make, message = FAULTS[fault]
    if fault == "timeout":
        settings.NEIGHBOUR_TIMEOUT_SECONDS = 2
    server.faults[("services", 2)] = make(pages)

    with pytest.raises(CommandError, match="1 van 1 buurnetwerken mislukt"):
        call_command("sync_neighbours")

    assert copies(neighbour) == before
    assert published_version() == version
    neighbour.refresh_from_db()
    assert neighbour.last_sync_outcome == SyncOutcome.FAILED
    assert message in neighbour.last_sync_message
    assert f"{server.url}services?page=2" in neighbour.last_sync_message
    printed = capsys.readouterr().err
    assert message in printed and "Er is niets veranderd." in printed


def test_a_page_too_large_is_refused(pages, server, neighbour, settings):
    settings.NEIGHBOUR_MAX_PAGE_BYTES = 1000
    outcome = sync_neighbour(neighbour)
    assert not outcome.succeeded
    assert "gaf een antwoord groter dan 1000 bytes" in outcome.message
    assert not NeighbourOrganisation.objects.exists()


def test_an_unreachable_neighbour(settings):
    settings.NEIGHBOUR_HTTPS_ONLY = False
    neighbour = NeighbourNetwork.objects.create(name="Weg", api_url="http://127.0.0.1:9/api/v1/")
    outcome = sync_neighbour(neighbour)
    assert not outcome.succeeded and "is niet bereikbaar" in outcome.message


def test_only_https_when_required(settings):
    settings.NEIGHBOUR_HTTPS_ONLY = True
    neighbour = NeighbourNetwork.objects.create(name="Plat", api_url="http://buren.example/api/v1/")
    outcome = sync_neighbour(neighbour)
    assert outcome.message == (
        "http://buren.example/api/v1/ begint niet met https://; alleen https is toegestaan."
    )


def test_inactive_neighbours_are_not_read(pages, server, neighbour):
    neighbour.is_active = False
    neighbour.save()
    call_command("sync_neighbours", stdout=(out := _Output()))
    assert server.requested == []
    assert out.text == "Er zijn geen actieve buurnetwerken.\n"


# --- Shown only outside our area ---------------------------------------------------------------


@pytest.fixture
def synced(server, neighbour, our_network):
    assert sync_neighbour(neighbour).succeeded
    return neighbour


HEADING = "Deze postcode ligt buiten ons netwerkgebied"


def in_utrecht():
    utrecht = Municipality.objects.get(code="GM0344")
    return (
        NeighbourOrganisation.objects.filter(municipalities=utrecht).order_by("name").first(),
        NeighbourLine.objects.filter(municipalities=utrecht).order_by("name").first(),
    )


@pytest.mark.parametrize("page_name", ["netwerk:who_to_call", "netwerk:search"])
def test_a_postcode_outside_our_regions_shows_what_the_neighbours_know(client, synced, page_name):
    organisation, line = in_utrecht()
    html = client.get(reverse(page_name), {"postcode": "3511 AB"}).content.decode()
    assert HEADING in html
    assert "Deze postcode ligt in de gemeente Utrecht, buiten de regio's van ons netwerk." in html
    assert organisation.name in html and line.name in html
    assert line.phone.as_national in html
    date = timezone.localdate(synced.organisations.first().fetched_at)
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]  # fmt: skip
    assert (
        f"Bron: Netwerk Utrecht (buren), opgehaald op {date.day} {months[date.month - 1]} "
        f"{date.year}"
    ) in html


@pytest.mark.parametrize("page_name", ["netwerk:who_to_call", "netwerk:search"])
def test_a_postcode_inside_our_regions_or_none_shows_no_neighbours(client, synced, page_name):
    organisation, _line = in_utrecht()
    for query in ({"postcode": "1011 AB"}, {}):
        html = client.get(reverse(page_name), query).content.decode()
        assert HEADING not in html and organisation.name not in html


def test_an_inactive_neighbour_is_not_shown(client, synced):
    organisation, _line = in_utrecht()
    synced.is_active = False
    synced.save()
    html = client.get(reverse("netwerk:who_to_call"), {"postcode": "3511"}).content.decode()
    assert HEADING in html and organisation.name not in html
    assert "Onze buren kennen in Utrecht (nog) geen organisaties of lijnen." in html


def test_outside_our_area_without_neighbours_says_so(client, our_network):
    html = client.get(reverse("netwerk:search"), {"postcode": "3511"}).content.decode()
    assert HEADING in html
    assert "Onze buren kennen in Utrecht (nog) geen organisaties of lijnen." in html


def test_the_section_in_english(client, synced):
    html = client.get("/en" + reverse("netwerk:who_to_call"), {"postcode": "3511"}).content
    assert "This postcode lies outside our network's area" in html.decode()


def test_the_section_costs_a_fixed_number_of_queries(client, synced, django_assert_max_num_queries):
    url = reverse("netwerk:who_to_call")
    # 12, +6 for the usage counter's first question of an hour (tests/test_who_to_call.py),
    # +2 outside our area (issue 14): the network that covers it, the numbers always there.
    with django_assert_max_num_queries(20):
        client.get(url, {"postcode": "3511"})
    NeighbourOrganisation.objects.update(name="Nog een naam")  # more rows cost no more queries
    with django_assert_max_num_queries(20):
        client.get(url, {"postcode": "3511"})


# --- The admin ---------------------------------------------------------------------------------


def test_a_coordinator_registers_a_neighbour_and_its_history_keeps_it(coordinator_client, settings):
    settings.NEIGHBOUR_HTTPS_ONLY = True
    add = reverse("admin:netwerk_neighbournetwork_add")
    refused = coordinator_client.post(
        add, {"name": "Buren", "api_url": "http://buren.example/api/v1", "is_active": "on"}
    )
    assert "Het adres moet met https:// beginnen." in refused.content.decode()
    response = coordinator_client.post(
        add, {"name": "Buren", "api_url": "https://buren.example/api/v1", "is_active": "on"}
    )
    assert response.status_code == 302
    neighbour = NeighbourNetwork.objects.get()
    assert neighbour.api_url == "https://buren.example/api/v1/"
    assert neighbour.history.get().history_user.username == "coordinator"
