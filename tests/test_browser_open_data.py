"""/open-data/ in a real browser: no accessibility violations, readable at 390 and 1366 px, with
its downloads offered. With SCREENSHOTS=1 the page is saved to docs/screenshots/ at both widths."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1366}


def test_open_data_page_is_accessible_and_offers_the_downloads(
    site, desktop, assert_accessible, settings, tmp_path
):
    settings.OPEN_DATA_EXPORT_DIR = tmp_path
    call_command("export_open_data", stdout=StringIO())
    desktop.goto(f"{site.url}/open-data/")
    assert desktop.get_by_role("heading", name="Open data", level=1).is_visible()
    assert desktop.get_by_role("link", name="tabellen (ZIP)").count() == 1
    assert_accessible(desktop)
    for label, width in WIDTHS.items():
        desktop.set_viewport_size({"width": width, "height": 900})
        # Nothing wider than the screen: the curl examples scroll inside their own box.
        overflow = desktop.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, label
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            desktop.screenshot(path=SCREENSHOTS / f"open-data-{label}.png", full_page=True)
