"""The coverage map in a real browser: the choropleth draws the network's municipalities with
gaps in their own colour, a click leads to the table row, and axe finds nothing."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.mark.both_databases
def test_the_coverage_map_draws_gaps_and_is_accessible(site, desktop, assert_accessible):
    desktop.set_viewport_size({"width": 1366, "height": 900})
    desktop.goto(f"{site.url}/expertise-in-de-regio/?zorgsetting=hospice")
    assert_accessible(desktop)
    features = int(desktop.locator("#dekkingskaart").get_attribute("data-feature-count"))
    rows = desktop.locator("#dekking-tabel tbody tr[id^=gemeente-]").count()
    assert features > 0 and features <= rows
    gaps = desktop.locator("#dekking-tabel .ek-gap-row").count()
    assert gaps > 0, "the demo network should have municipalities without a hospice"
    gap_paths = desktop.locator("#dekkingskaart path[stroke-dasharray]").count()
    assert gap_paths > 0
    if SCREENSHOTS.exists():
        desktop.locator("#dekkingskaart").scroll_into_view_if_needed()
        desktop.screenshot(path=str(SCREENSHOTS / "coverage-1366.png"))


def test_the_coverage_page_fits_a_phone(site, phone, assert_accessible):
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{site.url}/expertise-in-de-regio/")
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    if SCREENSHOTS.exists():
        phone.screenshot(path=str(SCREENSHOTS / "coverage-390.png"))
