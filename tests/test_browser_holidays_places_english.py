"""In a real browser at 390 px (issue 14): the holidays that count for a line on its
organisation page, the number of free places on the place cards and in the update link's one
field, and English tag names on the English search page. No horizontal overflow; axe finds
nothing. Screenshots: docs/screenshots/phone-line-holidays.png and phone-place-free-number.png
(with SCREENSHOTS=1)."""

import os
import re
from datetime import time
from pathlib import Path

import pytest

from netwerk.consultation.holiday_choice import HolidayChoice
from netwerk.consultation.lines import ConsultationLine, HolidayRule
from netwerk.places.places import Place
from netwerk.places.update_links import update_link_create, update_link_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTH = 390


def phone_page(browser):
    from tests.conftest import new_page

    return new_page(
        browser, viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )


def screenshot(page, name):
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_the_line_says_which_days_count_as_holidays(site, browser, assert_accessible):
    HolidayChoice.objects.create(closes_december_afternoons=True, afternoons_from=time(12))
    line = (
        ConsultationLine.objects.active()
        .filter(holiday_rule=HolidayRule.CLOSED, audience="public", is_always_open=False)
        .select_related("organisation")
        .first()
    )
    assert line is not None, "the demo has a public line that closes on holidays"
    page = phone_page(browser)
    try:
        page.goto(f"{site.url}{line.organisation.get_absolute_url()}")
        holidays = page.locator(".ek-line__holidays").first
        holidays.scroll_into_view_if_needed()
        text = holidays.inner_text()
        assert text.startswith("Gesloten op feestdagen: Nieuwjaarsdag, Pasen (beide dagen)")
        assert "Goede Vrijdag" not in text
        assert text.endswith("; 24 en 31 december vanaf 12:00")
        assert holidays.is_visible() and fits(page)
        assert_accessible(page)
        page.locator(
            ".ek-card", has=page.locator(".ek-line__holidays")
        ).first.scroll_into_view_if_needed()
        screenshot(page, "phone-line-holidays")
    finally:
        page.context.close()


def test_place_cards_show_the_number_of_free_places(site, browser, assert_accessible):
    page = phone_page(browser)
    try:
        page.goto(f"{site.url}/plek-zoeken/?achtergrond=beide&postcode=3511")
        free = page.locator(".ek-finder__result .ek-availability__free").first
        free.scroll_into_view_if_needed()
        assert re.fullmatch(r"· \d+ van \d+ plekken? vrij", free.inner_text().strip())
        assert free.is_visible() and fits(page)
        assert_accessible(page)
        card = page.locator(".ek-finder__result", has=page.locator(".ek-availability__free"))
        card.first.scroll_into_view_if_needed()
        screenshot(page, "phone-place-free-number")
    finally:
        page.context.close()


def test_the_update_link_takes_the_number_in_one_field(site, browser, assert_accessible):
    place = Place.objects.filter(capacity__gte=2).select_related("organisation").first()
    _link, token = update_link_create(organisation=place.organisation)
    page = phone_page(browser)
    try:
        page.goto(f"{site.url}{update_link_path(token)}")
        card = page.locator(f"#plek-{place.pk}")
        field = card.get_by_label("Vrije plekken (niet verplicht)")
        assert field.get_attribute("inputmode") == "numeric"
        field.fill("1")
        card.get_by_role("button", name="Beschikbaar").click()
        page.wait_for_load_state()
        assert "Vrije plekken: 1 van" in page.locator(".ek-messages").inner_text()
        assert fits(page)
        assert_accessible(page)
        field = page.locator(f"#plek-{place.pk}").get_by_label("Vrije plekken (niet verplicht)")
        field.fill(str(place.capacity + 1))
        page.locator(f"#plek-{place.pk}").get_by_role("button", name="Beschikbaar").click()
        page.wait_for_load_state()
        assert "Er zijn niet meer dan" in page.locator(".ek-error-summary").inner_text()
        assert_accessible(page)
    finally:
        page.context.close()
    place.refresh_from_db()
    assert place.free_places == 1


def test_english_pages_show_english_tag_names(site, browser, assert_accessible):
    page = phone_page(browser)
    try:
        page.goto(f"{site.url}/en/zoeken/?expertise=verslaving")
        tags = page.locator(".ek-result .ek-tag, .ek-tags .ek-tag").all_inner_texts()
        assert "Addiction" in tags and "Verslaving" not in tags
        assert fits(page)
        assert_accessible(page)
    finally:
        page.context.close()
