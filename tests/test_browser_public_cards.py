"""Cards and map in a real browser at 390 and 1366 px (issue 14): "Bel" buttons and route links
on the organisation page, place cards in "Plek zoeken" (a number of places, a neutral button for
a full place, shared reasons said once), map markers by kind with a legend and popups with phone
and availability, and "Mijn plekken" in the navigation for an editor. axe finds nothing. With
SCREENSHOTS=1: docs/screenshots/public-organisation-*.png and public-place-finder-*.png."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from netwerk.directory.organisations import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTHS = [390, 1366]
FINDER = "/plek-zoeken/?achtergrond=beide&postcode=3511&zorgsetting=hospice"
ORGANISATION = "/organisaties/hospice-de-kapel/"


def page_at(browser, width):
    from tests.conftest import new_page

    return new_page(
        browser,
        viewport={"width": width, "height": 900},
        is_mobile=width < 768,
        has_touch=width < 768,
    )


def screenshot(page, name, width):
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"public-{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_organisation_page_offers_bel_and_route_at_both_widths(
    site, browser, assert_accessible, width
):
    page = page_at(browser, width)
    try:
        page.goto(f"{site.url}{ORGANISATION}")
        call = page.locator(".ek-facts .ek-tel-button")
        assert call.inner_text().startswith("Bel ")
        assert call.get_attribute("href").startswith("tel:+31")
        assert call.bounding_box()["height"] >= 44
        route = page.locator(".ek-route-link").first
        assert route.is_visible()
        assert route.get_attribute("href").startswith(
            "https://www.openstreetmap.org/directions?to="
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.wait_for_function(
            "() => document.getElementById('organisatiekaart').dataset.markerCount"
        )
        assert page.locator("#organisatiekaart .ek-marker--hospice").count() >= 1
        assert_accessible(page)
        screenshot(page, "organisation", width)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_place_cards_tell_number_time_and_fit_once(site, browser, assert_accessible, width):
    page = page_at(browser, width)
    try:
        page.goto(f"{site.url}{FINDER}")
        cards = page.locator(".ek-finder__result")
        assert cards.count() >= 2
        shared = page.locator(".ek-finder__shared")
        assert shared.is_visible() and "Zorgsetting: Hospice" in shared.inner_text()
        for text in shared.locator("li").all_inner_texts():
            assert cards.filter(has_text=text).count() == 0, text
        green = page.evaluate(
            "getComputedStyle(document.querySelector('.ek-call-button:not(.ek-call-button--neutral)'))"
            ".backgroundColor"
        )
        full = page.locator(".ek-finder__result", has_text="Vol").locator(".ek-call-button")
        if full.count():
            neutral = full.first.evaluate("element => getComputedStyle(element).backgroundColor")
            assert neutral != green
            assert "ek-call-button--neutral" in full.first.get_attribute("class")
        # The number of places, or how many of them are free when the place says (issue 14).
        count = page.locator(".ek-finder__count, .ek-availability__free").first.inner_text()
        assert count.endswith(("plek", "plekken", "vrij"))
        assert page.locator(".ek-freshness time").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
        screenshot(page, "place-finder", width)
    finally:
        page.context.close()


LAYER = "document.getElementById('overzichtskaart').markerLayer"


def test_markers_differ_by_kind_and_popups_offer_phone_and_availability(site, desktop):
    desktop.set_viewport_size({"width": 1366, "height": 900})
    desktop.goto(f"{site.url}/")
    desktop.wait_for_function(f"() => {LAYER} && {LAYER}.getLayers().length > 0")
    groups = desktop.evaluate(
        f"() => [...new Set({LAYER}.getLayers().map(m => m.options.icon.options.className))]"
    )
    assert {"ek-marker ek-marker--hospice", "ek-marker ek-marker--instelling"} <= set(groups)
    legend = desktop.locator(".ek-map-legend")
    assert legend.is_visible() and legend.locator("li").count() == 5
    shapes = legend.locator(".ek-marker > span").evaluate_all(
        "spans => spans.map(s => getComputedStyle(s).borderRadius + getComputedStyle(s).transform"
        " + getComputedStyle(s).clipPath)"
    )
    assert len(set(shapes)) >= 4, shapes  # shape, not only colour, tells the kinds apart
    desktop.evaluate(
        f"""() => new Promise(resolve => {{
            const marker = {LAYER}.getLayers().find(m => m.options.title === "Hospice De Kapel");
            {LAYER}.zoomToShowLayer(marker, () => {{ marker.openPopup(); resolve(); }});
        }})"""
    )
    popup = desktop.locator(".leaflet-popup")
    call = popup.locator("a.ek-popup__call")
    assert call.inner_text().startswith("Bel ") and call.get_attribute("href").startswith("tel:")
    kapel = Organisation.objects.get(slug="hospice-de-kapel")
    if kapel.places.available().exists():
        assert popup.locator(".ek-popup__available").inner_text() == "Plek beschikbaar"


def test_an_editor_finds_mijn_plekken_in_the_navigation_on_a_phone(site, browser):
    user = User.objects.create_user("redacteur", password="een-lang-wachtwoord-42")
    Organisation.objects.get(slug="hospice-de-kapel").editors.add(user)
    page = page_at(browser, 390)
    try:
        page.goto(f"{site.url}/accounts/login/")
        page.fill("#id_username", "redacteur")
        page.fill("#id_password", "een-lang-wachtwoord-42")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{site.url}/")
        link = page.locator(".ek-nav").get_by_role("link", name="Mijn plekken")
        assert link.is_visible()
        link.click()
        page.wait_for_url("**/mijn-plekken/")
        assert page.locator(".ek-nav [aria-current=page]").inner_text() == "Mijn plekken"
    finally:
        page.context.close()
