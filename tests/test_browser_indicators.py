"""The availability chart, the indicators and the yearly report in a real Chromium: they fit a
phone and a laptop, pass axe, and the report prints on A4 with its headings.

With SCREENSHOTS=1 the pages are saved to docs/screenshots/indicators-*.png.
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from netwerk.coordination.demo_figures import demo_past_load
from tests.conftest import new_page
from tests.test_browser_coordinators import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTHS = {"390": 390, "1366": 1366}


def save(page, name):
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"indicators-{name}.png"))


@pytest.fixture
def administrator_page(site, browser):
    demo_past_load()
    User.objects.create_superuser("beheerder", "beheer@example.org", PASSWORD)
    page = new_page(browser, viewport={"width": 1366, "height": 1400})
    page.goto(f"{site.url}/beheer/login/")
    page.fill("#id_username", "beheerder")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site.url}/beheer/")
    yield page
    page.context.close()


def wide(page) -> list[str]:
    """The elements that reach past the window, to say what overflows."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id)"""
    )


def fits(page) -> bool:
    return not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


@pytest.mark.long
def test_the_chart_and_the_indicators_fit_a_phone_and_a_laptop(
    site, administrator_page, assert_accessible
):
    page = administrator_page
    for path, name in [
        ("/beheer/netwerk/place/beschikbaarheid-door-de-tijd/", "chart"),
        ("/beheer/indicatoren/", "page"),
    ]:
        page.set_viewport_size({"width": 1366, "height": 1400})
        page.goto(f"{site.url}{path}")
        assert page.locator("svg.ek-chart").first.is_visible()
        assert_accessible(page)
        for label, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 1400})
            assert fits(page), f"{path} overflows at {width} px: {wide(page)}"
            save(page, f"{name}-{label}")


def test_the_yearly_report_prints_on_a4_with_its_headings(site, administrator_page):
    page = administrator_page
    year = timezone.localdate().year
    page.goto(f"{site.url}/beheer/indicatoren/jaarverslag/{year}/")
    page.emulate_media(media="print")
    headings = page.locator("h1:visible, h2:visible").all_inner_texts()
    assert headings[:3] == [f"Jaarverslag {year}", "Aanbod per gemeente", "Organisaties per soort"]
    assert "Consultatielijnen: bereikbaarheid buiten kantooruren" in headings
    assert not page.locator("#header").is_visible()  # the admin's chrome stays off paper
    if os.environ.get("SCREENSHOTS") == "1":
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.screenshot(path=str(SCREENSHOTS / "indicators-report-print.png"))
    pdf = page.pdf(format="A4", print_background=True, outline=True, tagged=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    # The cover with the map, then every indicator from a page of its own; tables may run on.
    assert 8 <= pages <= 20, pages
    outline = outline_titles(pdf)
    assert f"Jaarverslag {year}" in outline and "Gebruik van de site" in outline


def outline_titles(pdf: bytes) -> list[str]:
    """The bookmarks Chromium writes for the headings (`outline=True`): /Title strings, as
    UTF-16 hex or plain literals."""
    titles = []
    for hexed in re.findall(rb"/Title\s*<([0-9A-Fa-f]+)>", pdf):
        raw = bytes.fromhex(hexed.decode())
        titles.append(
            raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
        )
    titles += [literal.decode("latin-1") for literal in re.findall(rb"/Title\s*\(([^)]*)\)", pdf)]
    return titles
