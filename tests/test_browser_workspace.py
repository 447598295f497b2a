"""The coordinator's workspace in a real browser: the start page and the location picker.

With SCREENSHOTS=1 the pages are saved to docs/screenshots/workspace-*.png.
"""

import os
from pathlib import Path

import pytest

from netwerk.directory.locations import Location
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


def test_a_click_on_the_map_sets_the_coordinates_and_they_are_saved(
    live_server, browser, reference_data, hospice, coordinator
):
    location = hospice.locations.get()
    Location.objects.filter(pk=location.pk).update(latitude=52.09, longitude=5.12)
    page = new_page(browser, viewport={"width": 1366, "height": 900})
    try:
        admin_login(page, live_server, "coordinator")
        page.goto(f"{live_server.url}/beheer/netwerk/location/{location.pk}/change/")
        map_box = page.locator(".ek-coordinates-map").bounding_box()
        field_box = page.locator("#id_latitude").bounding_box()
        assert map_box["height"] >= 300 and map_box["width"] >= 300
        assert field_box["height"] < 60
        # Beside the field, not under it.
        assert map_box["x"] > field_box["x"] + field_box["width"]
        save(page, "location-picker-desktop")

        page.mouse.click(
            map_box["x"] + map_box["width"] * 0.8, map_box["y"] + map_box["height"] * 0.2
        )
        latitude = float(page.input_value("#id_latitude"))
        longitude = float(page.input_value("#id_longitude"))
        assert latitude > 52.09 and longitude > 5.12  # north-east of the marker in the middle

        marker = page.locator(".leaflet-marker-icon")
        before = marker.bounding_box()
        page.fill("#id_latitude", "52.08")
        page.fill("#id_longitude", "5.11")
        page.press("#id_longitude", "Tab")
        assert marker.bounding_box() != before  # typing moves the marker

        map_box = page.locator(".ek-coordinates-map").bounding_box()  # the page may have scrolled
        page.mouse.click(
            map_box["x"] + map_box["width"] * 0.2, map_box["y"] + map_box["height"] * 0.8
        )
        expected = float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))
        page.click("input[name=_save]")
        page.wait_for_url("**/location/")
    finally:
        page.context.close()
    location.refresh_from_db()
    assert (location.latitude, location.longitude) == pytest.approx(expected, abs=1e-6)
    assert location.latitude < 52.08  # the second click, south-west of the typed position
    assert location.position_source == ""  # placed by hand
