"""The sociale kaart in a real browser: filters drive the URL, list and map agree, back works."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP = "document.getElementById('zoekkaart')"


def wait_for_map(page):
    page.wait_for_function(f"() => {MAP}.dataset.markerCount !== undefined")


def list_names(page) -> set[str]:
    return set(page.locator(".ek-result__name a").all_inner_texts())


def map_names(page) -> set[str]:
    return set(page.evaluate(f"{MAP}.markerLayer.getLayers().map(m => m.options.title)"))


def test_a_filter_applies_at_once_updates_the_url_and_map_and_list_agree(site, desktop):
    desktop.goto(f"{site.url}/zoeken/")
    wait_for_map(desktop)
    desktop.locator(".ek-search__filters summary").click()
    desktop.get_by_label("Hospice", exact=True).first.check()  # in place: search-panel.js
    desktop.wait_for_url("**/zoeken/?soort=hospice**")
    desktop.wait_for_function(
        f"() => ({MAP}.dataset.shownUrl || '').includes('soort=hospice') && "
        f"{MAP}.dataset.shownUrl === {MAP}.dataset.geojsonUrl"
    )
    assert list_names(desktop) == map_names(desktop)
    assert len(list_names(desktop)) == 7


def test_back_button_restores_the_previous_search(site, desktop):
    desktop.goto(f"{site.url}/zoeken/?q=verslaving")
    wait_for_map(desktop)
    before = list_names(desktop)
    desktop.fill("#id_postcode", "3511")
    desktop.fill("#id_afstand", "5")
    desktop.get_by_role("button", name="Zoeken", exact=True).click()
    desktop.wait_for_url("**afstand=5**")
    desktop.wait_for_function(
        f"() => document.querySelectorAll('.ek-result').length < {len(before)}"
    )
    assert list_names(desktop) < before
    desktop.go_back()
    desktop.wait_for_url("**/zoeken/?q=verslaving")
    desktop.wait_for_function(
        f"() => document.querySelectorAll('.ek-result').length === {len(before)}"
    )
    assert list_names(desktop) == before


def test_marker_popup_leads_to_the_organisation(site, desktop):
    desktop.goto(f"{site.url}/zoeken/?q=kapel")
    wait_for_map(desktop)
    desktop.evaluate(
        f"""() => new Promise(resolve => {{
            const marker = {MAP}.markerLayer.getLayers()[0];
            {MAP}.markerLayer.zoomToShowLayer(marker, () => {{ marker.openPopup(); resolve(); }});
        }})"""
    )
    desktop.locator(".leaflet-popup a", has_text="Hospice De Kapel").click()
    desktop.wait_for_url("**/organisaties/hospice-de-kapel/", wait_until="commit")


def test_search_on_a_phone_is_usable_and_accessible(site, phone, assert_accessible):
    phone.goto(f"{site.url}/")
    phone.fill("#home-q", "hospice")
    phone.fill("#home-postcode", "3511")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Zoeken", exact=True).click()
    assert "q=hospice" in phone.url and "postcode=3511" in phone.url
    assert phone.locator(".ek-result").count() > 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    wait_for_map(phone)
    assert_accessible(phone)


def test_search_page_is_accessible_with_errors_shown(site, desktop, assert_accessible):
    desktop.goto(f"{site.url}/zoeken/?postcode=1000&afstand=-3&soort=hospice&pagina=x")
    assert desktop.locator("[role=alert]").is_visible()
    wait_for_map(desktop)
    assert_accessible(desktop)


def test_search_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.url}/zoeken/?q=hospice&sortering=naam")
    assert page.locator(".ek-result").count() >= 5
    context.close()


def test_print_turns_a_search_into_a_paper_social_map(site, desktop):
    desktop.goto(f"{site.url}/zoeken/?q=hospice")
    desktop.emulate_media(media="print")
    assert desktop.locator(".ek-result").first.is_visible()
    assert not desktop.locator("#zoekkaart").is_visible()
    assert not desktop.locator(".ek-header").is_visible()
    assert not desktop.locator("#zoekformulier").is_visible()
