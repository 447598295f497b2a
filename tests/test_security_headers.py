"""Security headers as production sends them: gunicorn with gunicorn.conf.py and production
settings (DEBUG off, HTTPS behind a proxy), on a migrated SQLite copy with the demo data.

And, in process, the rule that keeps professionals' pages out of shared caches.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from tests.test_deployment import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parent.parent
HOST = "expertisekaart.example.org"
FRAME_ANCESTORS = "'self' https://www.netwerk.example.org"
PUBLIC_PAGES = ["/", "/zoeken/", "/wie-bel-ik-nu/", "/plek-zoeken/", "/privacy/", "/en/"]
SIGN_IN_PAGES = ["/beheer/login/", "/accounts/login/"]
FAKE_TOKEN = "Xq3v9-Secret_Token-0123456789abcdefghijklmnop"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A gunicorn process started as the Dockerfile starts it, on a loopback port."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.log = log
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "1"]
        self.process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def get(self, path: str, *, https: bool = True):
        """(status, headers, body) of a GET, as a request through the TLS-terminating proxy."""
        headers = {"Host": HOST} | ({"X-Forwarded-Proto": "https"} if https else {})
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        try:
            with OPENER.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.log.read_text()}")
            try:
                if self.get("/healthz", https=False)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def production(tmp_path_factory, demo_sqlite_file):
    folder = tmp_path_factory.mktemp("production")
    shutil.copyfile(demo_sqlite_file, folder / "db.sqlite3")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= PRODUCTION_ENV | {
        "DJANGO_SETTINGS_MODULE": "expertisekaart.settings",
        "DJANGO_FRAME_ANCESTORS": FRAME_ANCESTORS,
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        # The plain log lines; the JSON ones are tested in tests/test_production_path.py.
        "DJANGO_LOG_JSON": "0",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    server = Server(environment, folder / "gunicorn.log")
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def organisation_page(production) -> str:
    _status, _headers, html = production.get("/zoeken/")
    return re.search(r'href="(/organisaties/[^"/]+/)"', html).group(1)


def directives(csp: str) -> dict[str, str]:
    return {
        name: value
        for part in csp.split(";")
        if part.strip()
        for name, _space, value in [part.strip().partition(" ")]
    }


def assert_security_headers(headers, frame_ancestors: str) -> None:
    policy = directives(headers["Content-Security-Policy"])
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-inline" not in policy["style-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert policy["frame-ancestors"] == frame_ancestors
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] is None


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_send_the_security_headers(production, path):
    status, headers, _html = production.get(path)
    assert status == 200
    assert_security_headers(headers, frame_ancestors=FRAME_ANCESTORS)


def test_the_organisation_page_sends_the_security_headers(production, organisation_page):
    status, headers, _html = production.get(organisation_page)
    assert status == 200
    assert_security_headers(headers, frame_ancestors=FRAME_ANCESTORS)


@pytest.mark.parametrize("path", SIGN_IN_PAGES)
def test_the_admin_and_sign_in_pages_may_never_be_framed(production, path):
    status, headers, _html = production.get(path)
    assert status == 200
    assert_security_headers(headers, frame_ancestors="'none'")


def test_an_unknown_page_answers_404_with_the_security_headers(production):
    status, headers, _html = production.get("/bestaat-niet/")
    assert status == 404
    assert_security_headers(headers, frame_ancestors=FRAME_ANCESTORS)


def test_plain_http_is_redirected_to_https_except_the_health_check(production):
    status, headers, _html = production.get("/zoeken/", https=False)
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/zoeken/"
    status, _headers, body = production.get("/healthz", https=False)
    assert (status, body) == (200, "ok\n")


def test_the_logs_never_show_an_update_link_token(production):
    status, _headers, _html = production.get(f"/plekken-bijwerken/{FAKE_TOKEN}/")
    assert status == 404
    production.get(f"/en/plekken-bijwerken/{FAKE_TOKEN}/?x=1")
    deadline = time.monotonic() + 10
    while (
        time.monotonic() < deadline and "/en/plekken-bijwerken/…/" not in production.log.read_text()
    ):
        time.sleep(0.1)  # gunicorn writes the access line after the response
    log = production.log.read_text()
    assert '"GET /plekken-bijwerken/…/ HTTP/1.1" 404' in log
    assert "Not Found: /plekken-bijwerken/…/" in log
    assert FAKE_TOKEN not in log


# --- Professionals' pages stay out of shared caches (in process) ---------------------------------


@pytest.fixture
def pages(office_hours_line, hospice):
    return [
        reverse("netwerk:home"),
        reverse("netwerk:search"),
        reverse("netwerk:who_to_call"),
        reverse("netwerk:organisation", args=[hospice.slug]),
        reverse("netwerk:place_finder"),
    ]


def cache_directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.split("=")[0].strip() for part in header.split(",") if part.strip()}


def test_every_page_for_a_signed_in_professional_is_private(professional_client, pages):
    for path in pages:
        response = professional_client.get(path)
        assert response.status_code == 200, path
        assert "private" in cache_directives(response), path
        assert "Cookie" in response["Vary"], path


def test_a_visitors_page_varies_on_the_cookie_and_is_never_marked_public(client, pages):
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "public" not in cache_directives(response), path
        assert "Cookie" in response["Vary"], path


@pytest.mark.django_db
def test_the_theme_stylesheet_is_the_same_for_everyone_and_stays_public(professional_client):
    response = professional_client.get(reverse("netwerk:theme_css"))
    assert "public" in cache_directives(response)
    assert "private" not in cache_directives(response)


TEMPLATE_FOLDERS = [ROOT / "templates", ROOT / "netwerk" / "templates"]


def test_no_template_has_a_style_the_content_security_policy_would_block():
    """style-src 'self' blocks <style> elements and style="" attributes in the page: a browser
    would draw such a page unstyled in production (styles belong in static/)."""
    inline = re.compile(r"<style[\s>]|\sstyle=[\"']")
    offending = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in TEMPLATE_FOLDERS
        for path in sorted(folder.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if inline.search(line)
    ]
    assert offending == []
