"""The coordinator's workspace in a real browser: the start page.

With SCREENSHOTS=1 the pages are saved to docs/screenshots/workspace-*.png.
"""

import os
from pathlib import Path

import pytest

from netwerk.reference.loaders import reference_data_load
from tests.conftest import new_page
from tests.test_browser_coordinators import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1366}


def save(page, name):
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"workspace-{name}.png"), full_page=True)


@pytest.fixture
def reference_data(transactional_db):
    reference_data_load()


def test_the_start_page_fits_a_phone_and_a_laptop(
    live_server, browser, reference_data, hospice, coordinator
):
    page = new_page(browser, viewport={"width": 1366, "height": 900})
    try:
        admin_login(page, live_server, "coordinator")
        assert page.get_by_role("heading", name="Vandaag te doen").is_visible()
        for label, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, label
            save(page, f"start-{label}")
    finally:
        page.context.close()
