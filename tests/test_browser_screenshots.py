"""The screenshots of the five public page types (issue 14), for a reviewer who does not run the
site: docs/screenshots/phone-*.png at 390 px and desktop-*.png at 1366 px, made with

    SCREENSHOTS=1 pytest -n 0 tests/test_browser_screenshots.py

Each is the page from its top, at most 2,400 px long. Without SCREENSHOTS=1 these tests are
skipped (the pages' widths and accessibility are tested elsewhere)."""

import os
from pathlib import Path

import pytest

from tests.conftest import new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(os.environ.get("SCREENSHOTS") != "1", reason="SCREENSHOTS=1 makes them"),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PAGES = {
    "home": "/",
    "search": "/zoeken/?q=verslaving",
    "organisation": "/organisaties/hospice-de-kapel/",
    "who-to-call": "/wie-bel-ik-nu/?postcode=3511&tijdstip=2026-11-24T23:00",
    "place-finder": "/plek-zoeken/?zorgsetting=hospice&achtergrond=beide&postcode=3511",
}
MAPS_DRAWN = "() => [...document.querySelectorAll('.ek-map')].every(m => m.dataset.markerCount)"
LONGEST = 2400


@pytest.mark.parametrize(("label", "width"), [("phone", 390), ("desktop", 1366)])
def test_screenshots_of_the_public_pages(site, browser, label, width):
    phone = width < 768
    page = new_page(
        browser,
        viewport={"width": width, "height": 844 if phone else 768},
        is_mobile=phone,
        has_touch=phone,
    )
    try:
        for name, path in PAGES.items():
            page.goto(f"{site.url}{path}")
            page.wait_for_function(MAPS_DRAWN)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            height = min(page.evaluate("document.documentElement.scrollHeight"), LONGEST)
            page.screenshot(
                path=SCREENSHOTS / f"{label}-{name}.png",
                full_page=True,
                clip={"x": 0, "y": 0, "width": width, "height": height},
            )
    finally:
        page.context.close()
