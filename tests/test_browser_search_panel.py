"""The search's filter panel on a phone (issue 14): a ticked filter applies without a page load,
the scroll position stays, the URL follows, the back button brings the previous question back,
the filter button counts the results, a sticky switch leads between list and map. With
SCREENSHOTS=1 the pages are saved to docs/screenshots/search-*.png."""

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP = "document.getElementById('zoekkaart')"
SCREENSHOTS = "docs/screenshots"


def screenshot(page, name: str) -> None:
    if os.environ.get("SCREENSHOTS") == "1":
        page.screenshot(path=f"{SCREENSHOTS}/{name}")


@pytest.fixture
def phone390(browser):
    page = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


@pytest.fixture
def laptop(browser):
    page = new_page(browser, viewport={"width": 1366, "height": 768})
    yield page
    page.context.close()


def list_names(page) -> set[str]:
    return set(page.locator(".ek-result__name a").all_inner_texts())


def map_names(page) -> set[str]:
    return set(page.evaluate(f"{MAP}.markerLayer.getLayers().map(m => m.options.title)"))


def wait_for_map_of(page, words: str):
    """Until the map shows the markers of the latest result, whose data URL holds `words`."""
    page.wait_for_function(
        f"""() => {MAP}.dataset.shownUrl === {MAP}.dataset.geojsonUrl
            && {MAP}.dataset.shownUrl.includes('{words}')"""
    )


def test_a_ticked_filter_changes_the_results_without_a_page_load(site, phone390):
    page = phone390
    page.goto(f"{site.url}/zoeken/")
    page.wait_for_function(f"() => {MAP}.dataset.markerCount !== undefined")
    page.evaluate("window.sameDocument = true")
    assert page.locator(".ek-search__show").text_content() == "Toon 41 resultaten"
    assert not page.locator(".ek-search__filters").evaluate("d => d.open")  # results first
    page.locator(".ek-search__filters summary").click()
    hospice = page.get_by_label("Hospice", exact=True).first
    page.evaluate("window.scrollBy(0, 250)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    hospice.check()
    page.wait_for_function("() => document.querySelectorAll('.ek-result').length === 7")
    assert page.evaluate("window.sameDocument") is True
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert "soort=hospice" in page.url
    assert abs(page.evaluate("window.scrollY") - scrolled) < 2
    button = page.locator(".ek-search__show")
    assert button.inner_text() == "Toon 7 resultaten"
    box = button.bounding_box()  # at hand at the foot of the screen while the panel is open
    assert box["y"] > 0 and box["y"] + box["height"] <= 844
    assert page.locator("#resultaten-titel").inner_text() == "7 organisaties gevonden"
    wait_for_map_of(page, "soort=hospice")
    assert list_names(page) == map_names(page)
    screenshot(page, "search-panel-390.png")

    page.locator(".ek-search__show").click()  # "Toon 7 resultaten": to the results
    page.wait_for_function("() => document.activeElement.id === 'resultaten-titel'")
    assert not page.locator(".ek-search__filters").evaluate("d => d.open")

    page.go_back()
    page.wait_for_function("() => document.querySelectorAll('.ek-result').length === 20")
    assert page.url.endswith("/zoeken/")
    assert page.evaluate("window.sameDocument") is True
    assert not page.get_by_label("Hospice", exact=True).first.is_checked()
    assert page.locator("#resultaten-titel").inner_text() == "41 organisaties gevonden"


def test_the_open_panel_has_no_small_targets_wherever_it_is_scrolled(
    site, phone390, assert_accessible
):
    """The sticky "Toon N resultaten" and the list/map switch slide over the checkboxes and the
    results: at no scroll position may a target show as a sliver beside them (axe target-size,
    WCAG 2.5.8), and no checkbox is squeezed by a label of two lines."""
    page = phone390
    page.goto(f"{site.url}/zoeken/")
    page.locator(".ek-search__filters summary").click()
    assert_accessible(page)
    sizes = page.locator(".ek-fieldset input[type=checkbox]").evaluate_all(
        "boxes => boxes.map(b => [b.offsetWidth, b.offsetHeight])"
    )
    assert len(sizes) > 20 and min(min(size) for size in sizes) >= 24
    axe = Axe()
    panel = page.locator(".ek-search__filters").bounding_box()
    end = (
        panel["y"] + panel["height"] + 844
    )  # the panel's foot and the first results under the switch
    checked = 0
    for y in range(0, int(end), 79):
        page.evaluate(f"window.scrollTo(0, {y})")
        result = axe.run(
            page,
            context={"include": [[".ek-search"]], "exclude": [[".leaflet-marker-pane"]]},
            options={"runOnly": ["target-size"]},
        )
        assert result.violations_count == 0, f"scrolled to {y} px\n{result.generate_report()}"
        checked += 1
    assert checked > 20


def test_a_chip_and_the_next_page_apply_in_place_too(site, phone390):
    page = phone390
    page.goto(f"{site.url}/zoeken/?soort=hospice&soort=ggz")
    page.evaluate("window.sameDocument = true")
    page.get_by_role("link", name="Soort organisatie: Hospice (filter verwijderen)").click()
    page.wait_for_url("**/zoeken/?soort=ggz")
    page.wait_for_function("() => !document.querySelector('.ek-chips a[href*=hospice]')")
    assert not page.get_by_label("Hospice", exact=True).first.is_checked()
    page.goto(f"{site.url}/zoeken/")
    page.evaluate("window.sameDocument = true")
    page.get_by_role("link", name="Volgende").click()
    page.wait_for_url("**/zoeken/?pagina=2")
    page.wait_for_function("() => document.activeElement.id === 'resultaten-titel'")
    assert page.evaluate("window.sameDocument") is True


def test_the_text_search_applies_in_place_and_a_strange_question_gets_its_message(site, phone390):
    page = phone390
    page.goto(f"{site.url}/zoeken/")
    page.evaluate("window.sameDocument = true")
    page.fill("#id_postcode", "1000")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.wait_for_selector("[role=alert]")
    assert "Postcode 1000 kennen we niet." in page.locator("[role=alert]").inner_text()
    assert page.evaluate("window.sameDocument") is True
    page.fill("#id_postcode", "")
    page.fill("#id_q", "verslaving")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.wait_for_url("**/zoeken/?q=verslaving&sortering=**")
    page.wait_for_function("() => !document.querySelector('[role=alert]')")


def test_the_list_map_switch_stays_in_view_on_a_phone_and_is_gone_on_a_laptop(
    site, phone390, laptop, assert_accessible
):
    phone390.goto(f"{site.url}/zoeken/?q=zorg")
    switch = phone390.locator(".ek-search__switch")
    phone390.mouse.wheel(0, 2500)
    phone390.wait_for_function("() => window.scrollY > 1500")
    # Stuck at the top; its margin above the links lies past the screen's edge.
    assert 0 <= switch.get_by_role("link", name="Lijst").bounding_box()["y"] <= 12
    switch.get_by_role("link", name="Kaart").click()
    phone390.wait_for_function(
        "() => Math.abs(document.getElementById('zoekkaart').getBoundingClientRect().top) < 200"
    )
    first_result = phone390.locator(".ek-result").first
    phone390.evaluate("window.scrollTo(0, 0)")
    assert first_result.bounding_box()["y"] < 844  # the results start on the first screen
    assert phone390.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone390)
    screenshot(phone390, "search-phone-390.png")

    laptop.goto(f"{site.url}/zoeken/?q=zorg")
    assert not laptop.locator(".ek-search__switch").is_visible()
    laptop.locator(".ek-search__filters summary").click()
    laptop.get_by_label("Thuiszorg", exact=True).first.check()
    laptop.wait_for_url("**soort=thuiszorg**")
    wait_for_map_of(laptop, "soort=thuiszorg")
    assert list_names(laptop) == map_names(laptop)
    assert_accessible(laptop)
    screenshot(laptop, "search-panel-1366.png")


# --- The first answer on the first screen (issue 14) --------------------------------------------


def test_who_to_call_lands_on_the_answer_after_a_search_on_a_phone(site, phone390):
    page = phone390
    page.goto(f"{site.url}/wie-bel-ik-nu/")
    page.fill("#id_postcode", "3511")
    page.get_by_role("button", name="Zoek", exact=True).click()
    page.wait_for_url("**/wie-bel-ik-nu/?*postcode=3511*#antwoord")
    first_line = page.locator(".ek-lines .ek-line").first.bounding_box()
    assert 0 <= first_line["y"] < 844 - 100  # its name and its call button in view
    page.locator(".ek-topics a").first.click()
    page.wait_for_url("**#antwoord")
    assert 0 <= page.locator("#antwoord").bounding_box()["y"] < 50
    screenshot(page, "search-who-to-call-answer-390.png")


def test_place_finder_lands_on_the_first_place_after_a_search_on_a_phone(site, phone390):
    page = phone390
    page.goto(f"{site.url}/plek-zoeken/")
    page.get_by_label("Hospice").check()
    page.get_by_label("Beide").check()
    page.get_by_role("button", name="Zoek plekken").click()
    page.wait_for_url("**/plek-zoeken/?*#resultaten")
    first = page.locator(".ek-finder__result").first.bounding_box()
    assert 0 <= first["y"] < 844 - 150
    screenshot(page, "search-place-finder-answer-390.png")


def test_the_header_takes_at_most_a_fifth_of_a_phone_screen_signed_in_or_not(site, phone390):
    from django.contrib.auth.models import User

    from netwerk.directory.organisations import Organisation

    page = phone390
    page.goto(f"{site.url}/wie-bel-ik-nu/")
    assert page.locator(".ek-header").bounding_box()["height"] <= 0.2 * 844
    editor = User.objects.create_user("redacteur-kop", password="lang-genoeg-wachtwoord-1")
    Organisation.objects.get(slug="hospice-de-kapel").editors.add(editor)
    page.goto(f"{site.url}/accounts/login/?next=/plek-zoeken/")
    page.fill("#id_username", "redacteur-kop")
    page.fill("#id_password", "lang-genoeg-wachtwoord-1")
    page.click("main button[type=submit]")
    page.wait_for_url("**/plek-zoeken/")
    assert page.get_by_role("link", name="Mijn plekken").count() == 1
    assert page.locator(".ek-header").bounding_box()["height"] <= 0.2 * 844
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_header_takes_two_rows_at_most_on_a_tablet_signed_in_or_not(site, browser):
    """At 768 px the brand shares its row with the language switch and sign-in, and the
    navigation takes one row (it was 196 px for an editor: the navigation wrapped to a third)."""
    from django.contrib.auth.models import User

    from netwerk.directory.organisations import Organisation

    page = new_page(browser, viewport={"width": 768, "height": 1024})
    page.goto(f"{site.url}/wie-bel-ik-nu/")
    assert page.locator(".ek-header").bounding_box()["height"] <= 120
    editor = User.objects.create_user("redacteur-tablet", password="lang-genoeg-wachtwoord-1")
    Organisation.objects.get(slug="hospice-de-kapel").editors.add(editor)
    page.goto(f"{site.url}/accounts/login/?next=/plek-zoeken/")
    page.fill("#id_username", "redacteur-tablet")
    page.fill("#id_password", "lang-genoeg-wachtwoord-1")
    page.click("main button[type=submit]")
    page.wait_for_url("**/plek-zoeken/")
    for path in ("/plek-zoeken/", "/en/plek-zoeken/"):
        page.goto(f"{site.url}{path}")
        assert page.get_by_role("link", name=re.compile("Mijn plekken|My places")).count() == 1
        header = page.locator(".ek-header").bounding_box()
        assert header["height"] <= 120, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 768
        brand = page.locator(".ek-brand").bounding_box()
        tools = page.locator(".ek-header__tools").bounding_box()
        assert tools["y"] < brand["y"] + brand["height"]  # beside the brand, not a row of its own
    page.context.close()
