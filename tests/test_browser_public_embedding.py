"""The search page embedded in another website (issue 14): a page served from another origin (a
second tiny HTTP server on another port) frames /zoeken/?embed=1; a visitor searches, opens an
organisation and comes back, and the frame never shows the full site. Framing is allowed by CSP
frame-ancestors for that origin alone, without X-Frame-Options."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_site(site):
    """http://127.0.0.1:<port>/ : the network's own website, with the map in an iframe."""
    page = (
        "<!doctype html><html lang='nl'><head><title>Netwerk</title></head><body>"
        "<h1>Onze sociale kaart</h1>"
        f"<iframe title='Sociale kaart' src='{site.url}/zoeken/?embed=1' "
        "style='width:390px;height:1400px;border:0'></iframe></body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def framing_allowed_for(settings):
    def allow(origin):
        policy = {**settings.CONTENT_SECURITY_POLICY}
        policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "frame-ancestors": ["'self'", origin]}
        settings.CONTENT_SECURITY_POLICY = policy

    return allow


def embedded_frame(page):
    frame = page.frame_locator("iframe")
    return frame, next(f for f in page.frames if f != page.main_frame)


def test_a_visitor_searches_and_clicks_through_inside_the_frame(
    other_site, browser, framing_allowed_for
):
    from tests.conftest import new_page

    framing_allowed_for(other_site)
    page = new_page(browser, viewport={"width": 430, "height": 900})
    try:
        response_headers = []
        page.on("response", lambda r: response_headers.append((r.url, r.headers)))
        page.goto(other_site)
        frame, inner = embedded_frame(page)
        frame.locator("#id_q").fill("hospice")
        frame.locator("#zoekformulier button[type=submit]").first.click()
        inner.wait_for_url("**/zoeken/?*q=hospice*")
        assert "embed=1" in inner.url
        assert frame.locator(".ek-header").count() == 0
        frame.locator(".ek-result__name a").first.click()
        inner.wait_for_url("**/organisaties/**")
        assert "embed=1" in inner.url
        assert frame.locator("h1").inner_text()
        assert frame.locator(".ek-header").count() == 0
        assert page.url.startswith(other_site)  # the visitor never left the network's site
        framed = [headers for url, headers in response_headers if "/organisaties/" in url]
        assert framed and "x-frame-options" not in framed[-1]
        assert other_site in framed[-1]["content-security-policy"]
        # Leaving the frame is explicit: links outside the embeddable pages open on top.
        inner.evaluate("() => history.back()")
        inner.wait_for_url("**/zoeken/?*")
        csv = frame.locator(".ek-search__exports a").first
        assert csv.get_attribute("target") == "_top"
    finally:
        page.context.close()


def test_without_the_origin_in_frame_ancestors_the_frame_stays_empty(other_site, browser):
    from tests.conftest import new_page

    page = new_page(browser, viewport={"width": 430, "height": 900})
    try:
        page.goto(other_site)
        page.wait_for_timeout(500)
        inner = next(f for f in page.frames if f != page.main_frame)
        assert inner.locator("#id_q").count() == 0  # blocked by frame-ancestors 'self'
    finally:
        page.context.close()
