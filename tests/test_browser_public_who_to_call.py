"""'Wie bel ik nu?' at night on a 390 px phone and a 1366 px laptop (issue 14): the open lines in
the first screen, the closed ones folded with one line to call instead, the weekly hours one tap
away, quick choices as links; axe finds nothing with every disclosure open. The moment is fixed
through the page's `tijdstip` parameter. With SCREENSHOTS=1 the page is saved to
docs/screenshots/public-who-to-call-*.png."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "een-lang-wachtwoord-42"
NIGHT = "/wie-bel-ik-nu/?postcode=3511&tijdstip=2026-11-24T23:00"
BEFORE_CLOSING = "/wie-bel-ik-nu/?postcode=3511&tijdstip=2026-11-24T16:40"


def log_in(page, site):
    User.objects.create_user("huisarts", password=PASSWORD)
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", "huisarts")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def phone_390(browser):
    from tests.conftest import new_page

    page = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


def test_at_night_the_open_lines_fill_the_first_screen_and_the_closed_ones_fold(
    site, phone_390, assert_accessible
):
    phone = phone_390
    log_in(phone, site)
    phone.goto(f"{site.url}{NIGHT}")
    first_call = phone.locator(".ek-lines .ek-call-button").first
    assert first_call.inner_text().startswith("Bel 088 300 1000")
    # The name of the first line to call is in the first screen (the header of a signed-in
    # user takes three rows on a phone; its button follows right below).
    name = phone.locator(".ek-lines .ek-line__name").first.bounding_box()
    assert name["y"] + name["height"] <= 844
    fold = phone.locator("details.ek-closed__list")
    summary = fold.locator("> summary")
    assert summary.inner_text() == "Gesloten op dat moment (4)"
    assert not fold.locator(".ek-line").first.is_visible()
    # One block names each line to call instead once, with its button.
    instead = phone.locator(".ek-escalation")
    assert instead.locator("a[href='tel:+31883001000']").count() == 1
    assert instead.locator("a[href='tel:+31883001000']").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    summary.click()
    assert fold.locator(".ek-line").count() == 4
    assert fold.locator(".ek-line").first.is_visible()
    assert fold.locator(".ek-escalation").count() == 0
    hours = phone.locator(
        ".ek-line", has_text="Consultatie palliatieve zorg (avond, nacht en weekend)"
    ).locator("details.ek-line__details")
    assert not hours.get_by_text("maandag t/m vrijdag").is_visible()
    hours.locator("summary").click()
    assert hours.get_by_text("maandag t/m vrijdag").is_visible()
    assert hours.get_by_text("Gegevens gecontroleerd op").is_visible()
    for details in phone.locator("details").all():
        details.evaluate("element => { element.open = true; }")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)


def test_a_line_closing_soon_says_so_and_a_quick_choice_is_one_tap(site, phone_390):
    phone = phone_390
    log_in(phone, site)
    phone.goto(f"{site.url}{BEFORE_CLOSING}")
    card = phone.locator(".ek-line", has_text="(kantoortijd)")
    assert card.locator(".ek-status__soon").inner_text() == "sluit over 20 min"
    assert card.locator(".ek-status__soon").is_visible()
    phone.locator(".ek-topics").get_by_role("link", name="Verslaving").click()
    phone.wait_for_load_state()
    assert "onderwerp=verslaving" in phone.url and "postcode=3511" in phone.url
    current = phone.locator(".ek-topics [aria-current=page]")
    assert current.inner_text() == "Verslaving"
    names = phone.locator(".ek-line__name").all_inner_texts()
    assert "Consultatielijn verslavingsarts" in names
    assert "GGZ-consult voor huisartsen" not in names
    box = current.bounding_box()
    assert box["height"] >= 44


@pytest.mark.parametrize("width", [390, 1366])
def test_screenshots_of_the_night(site, browser, assert_accessible, width):
    from tests.conftest import new_page

    page = new_page(browser, viewport={"width": width, "height": 900}, is_mobile=width < 768)
    try:
        log_in(page, site)
        page.goto(f"{site.url}{NIGHT}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 1366:  # on a laptop the first button is in the first screen
            button = page.locator(".ek-lines .ek-call-button").first.bounding_box()
            assert button["y"] + button["height"] <= 900
        assert_accessible(page)
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            path = SCREENSHOTS / f"public-who-to-call-{width}.png"
            page.screenshot(path=path, full_page=True)
    finally:
        page.context.close()
