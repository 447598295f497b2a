"""The production path of the README, booted for real: gunicorn with gunicorn.conf.py and
production settings (DEBUG off) on PostgreSQL, with the caches and rate limits in Redis
(REDIS_URL, database 8 of the machine's Redis, under a key prefix of the test's own).

The demo network is committed in the PostgreSQL test database, which the server reads.
"""

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection

from netwerk.demo import demo_data_load
from netwerk.reference.loaders import reference_data_load
from tests.redis_servers import require_redis
from tests.test_deployment import PRODUCTION_ENV
from tests.test_security_headers import FAKE_TOKEN, Server

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_PRODUCTION_TEST_URL", "redis://127.0.0.1:6379/8")
PAGES = [
    "/",
    "/zoeken/?q=hospice",
    "/wie-bel-ik-nu/?postcode=3511",
    "/plek-zoeken/?postcode=3511&zorgsetting=hospice",
    "/privacy/",
    "/api/v1/services",
    "/en/",
]
ACCESS_FIELDS = {"time", "level", "name", "message", "method", "path", "status", "bytes"}
ACCESS_FIELDS |= {"duration_ms", "request_id"}

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


@pytest.fixture
def production(tmp_path):
    """gunicorn as the Dockerfile starts it, as the README's Production section configures it."""
    require_redis(REDIS_URL)
    reference_data_load()
    demo_data_load()
    prefix = f"test-{uuid.uuid4().hex}"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= PRODUCTION_ENV | {
        "DJANGO_SETTINGS_MODULE": "expertisekaart.settings",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": prefix,
    }
    environment.pop("DJANGO_LOG_JSON", None)  # production's default: JSON
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    server = Server(environment, tmp_path / "gunicorn.log")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        server.wait_until_up()
        server.redis_keys = lambda: list(client.scan_iter(f"{prefix}:*"))
        yield server
    finally:
        server.stop()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def log_lines(server) -> list[dict]:
    """Every line of the server's log, each a JSON object (a line that is not fails here)."""
    return [json.loads(line) for line in server.log.read_text().splitlines() if line.strip()]


def wait_for_access_line(server, request_id: str) -> None:
    """gunicorn writes the access line after the response."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = server.log.read_text().splitlines()
        if any("gunicorn.access" in line and request_id in line for line in lines):
            return
        time.sleep(0.1)


def test_the_pages_answer_with_their_caches_in_redis(production):
    for path in PAGES:
        status, headers, _body = production.get(path)
        assert status == 200, path
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"]), path
    _status, _headers, html = production.get("/zoeken/")
    organisation = re.search(r'href="(/organisaties/[^"/]+/)"', html).group(1)
    assert production.get(organisation)[0] == 200
    keys = production.redis_keys()
    assert any(b":netwerk:page:" in key for key in keys), "no page body was cached in Redis"
    assert any(b"rl:" in key for key in keys), "the API's rate limit did not count in Redis"


def test_the_log_is_json_with_request_ids_and_without_tokens_or_addresses(production):
    status, headers, _body = production.get(f"/plekken-bijwerken/{FAKE_TOKEN}/?postcode=3511")
    assert status == 404
    request_id = headers["X-Request-ID"]
    wait_for_access_line(production, request_id)
    text = production.log.read_text()
    assert FAKE_TOKEN not in text
    lines = log_lines(production)
    access = [line for line in lines if line.get("request_id") == request_id]
    not_found = [line for line in access if line["name"] == "django.request"]
    assert not_found[0]["message"] == "Not Found: /plekken-bijwerken/…/"
    [access_line] = [line for line in access if line["name"] == "gunicorn.access"]
    assert set(access_line) == ACCESS_FIELDS  # no address, user agent, referer or query
    assert access_line["path"] == "/plekken-bijwerken/…/"
    assert access_line["status"] == 404
