"""A coordinator's day in the admin, in a real browser, on SQLite and on PostgreSQL (issue 13):
from the start page, verify an organisation, close an error report, fix a location on the map,
revert a change and read the availability chart.

With SCREENSHOTS=1 the history comparison is saved to docs/screenshots/ (the start page and the
location picker come from tests/test_browser_workspace.py).
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from netwerk.coordination.demo_figures import demo_past_load
from netwerk.coordination.error_reports import ErrorReport
from netwerk.directory.organisations import Organisation
from netwerk.reference.geography import Region
from tests.conftest import new_page
from tests.test_browser_coordinators import PASSWORD, admin_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.both_databases,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def save(page, name):
    if os.environ.get("SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / f"workspace-{name}.png"), full_page=True)


@pytest.fixture
def day(site):
    """The demo network with its past (error reports, a year of availability), and a
    coordinator of its region."""
    demo_past_load(force=True)
    coordinator = User.objects.create_user("coordinator", password=PASSWORD, is_staff=True)
    Region.objects.get().coordinators.add(coordinator)
    return site


def task_link(page, label: str):
    return page.locator("#vandaag-te-doen li", has_text=label).get_by_role("link")


@pytest.mark.long
def test_a_coordinators_day(day, browser):
    page = new_page(browser, viewport={"width": 1366, "height": 900})
    try:
        admin_login(page, day, "coordinator")
        start = page.url

        # Verify the first organisation due for it, from the start page's list.
        task_link(page, "Organisaties te controleren").click()
        first_row = page.locator("#result_list tbody tr").first
        name = first_row.locator("th a").inner_text()
        first_row.locator("input.action-select").check()
        page.select_option("select[name=action]", "mark_as_verified")
        page.get_by_role("button", name="Uitvoeren").click()
        expect(
            page.locator(".messagelist").get_by_text("gemarkeerd als gecontroleerd")
        ).to_be_visible()
        verified = Organisation.objects.get(name=name)
        assert verified.last_verified_on == timezone.localdate()

        # Close the newest open error report.
        page.goto(start)
        task_link(page, "Open foutmeldingen").click()
        page.locator("#result_list tbody tr th a").first.click()
        report_id = int(re.search(r"/(\d+)/change/", page.url).group(1))
        page.fill("#id_closing_note", "Nieuw nummer overgenomen van de website.")
        page.check("#id_close")
        page.click("input[name=_save]")
        expect(
            page.locator(".messagelist").get_by_text("De melding is afgehandeld")
        ).to_be_visible()
        assert not ErrorReport.objects.get(pk=report_id).is_open

        # Fix a location of that organisation on the map.
        location = verified.locations.order_by("pk").first()
        before = (location.latitude, location.longitude)
        page.goto(f"{day.url}/beheer/netwerk/location/{location.pk}/change/")
        box = page.locator(".ek-coordinates-map").bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)
        page.click("input[name=_save]")
        page.wait_for_url("**/location/")
        location.refresh_from_db()
        assert (location.latitude, location.longitude) != before
        assert location.position_source == ""  # placed by hand

        # Change the organisation's description, see the change, and revert it.
        change = f"{day.url}/beheer/netwerk/organisation/{verified.pk}/change/"
        page.goto(change)
        original = page.input_value("#id_description")
        page.fill("#id_description", "Een vergissing.")
        page.click("input[name=_save]")
        page.wait_for_url("**/organisation/")
        page.goto(f"{change.removesuffix('change/')}history/")
        page.get_by_role("button", name="Vergelijk de gekozen versies").click()
        difference = page.locator("#vergelijking")
        expect(difference.get_by_text("Een vergissing.")).to_be_visible()
        save(page, "history-diff-desktop")
        page.locator("#change-history tbody tr").nth(1).locator("th a, td a").first.click()
        page.get_by_role("button", name="Terugzetten").click()
        page.wait_for_url("**/organisation/**")
        verified.refresh_from_db()
        assert verified.description == original
        assert verified.history.first().history_change_reason.startswith(
            "Teruggezet naar de versie van"
        )

        # Read the availability chart of the region's places.
        page.goto(f"{day.url}/beheer/netwerk/place/beschikbaarheid-door-de-tijd/")
        chart = page.locator("svg.ek-chart").first
        expect(chart).to_be_visible()
        assert chart.locator("path, rect, polyline").count() > 0
        weeks = page.locator("table caption", has_text="Vrije plekken per week")
        assert weeks.locator("xpath=..").locator("tbody tr").count() >= 52
    finally:
        page.context.close()
