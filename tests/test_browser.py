"""What needs a real browser: 'Wie bel ik nu?' on a phone, the maps, and axe-core on every page.

Runs headless Chromium from the system (see conftest). Instants are fixed through the page's own
`tijdstip` parameter, so the answers do not depend on when the suite runs.
"""

import pytest
from django.contrib.auth.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-42"


def log_in(page, site, username):
    User.objects.create_user(username, password=PASSWORD)
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def search_postcode(page, site, postcode, moment):
    page.goto(f"{site.url}/wie-bel-ik-nu/?tijdstip={moment}")
    page.fill("#id_postcode", postcode)
    page.get_by_role("button", name="Zoek", exact=True).click()
    page.wait_for_load_state()


def first_line(page):
    card = page.locator(".ek-line").first
    return card.locator(".ek-line__name").inner_text(), card.locator(".ek-call-button")


@pytest.mark.parametrize(
    ("moment", "expected_first", "expected_number"),
    [
        ("2026-11-24T10:00", "Crisisdienst GGZ", "tel:+31883001000"),
        ("2026-11-24T23:00", "Crisisdienst GGZ", "tel:+31883001000"),
        ("2026-11-29T14:00", "Crisisdienst GGZ", "tel:+31883001000"),
        ("2026-12-25T10:00", "Crisisdienst GGZ", "tel:+31883001000"),
    ],
    ids=["weekday-daytime", "weekday-night", "sunday", "christmas"],
)
def test_professional_on_a_phone_finds_the_line_to_call(
    site, phone, moment, expected_first, expected_number
):
    log_in(phone, site, "huisarts")
    search_postcode(phone, site, "3511 AB", moment)
    name, button = first_line(phone)
    assert name == expected_first
    assert button.get_attribute("href") == expected_number
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 260  # one thumb on a 360 px screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        ("2026-11-24T10:00", "open tot 17:00"),
        ("2026-11-24T23:00", "gesloten, gaat morgen om 08:30 open"),
        ("2026-11-29T14:00", "gesloten, gaat morgen om 08:30 open"),
        ("2026-12-25T10:00", "gesloten, gaat maandag om 08:30 open"),
    ],
    ids=["weekday-daytime", "weekday-night", "sunday", "christmas"],
)
def test_office_hours_line_state_and_the_line_to_call_instead(site, phone, moment, state):
    log_in(phone, site, "verpleegkundige")
    search_postcode(phone, site, "3511", moment)
    closed_lines = phone.locator("details.ek-closed__list > summary")
    if closed_lines.count():
        closed_lines.click()
    card = phone.locator(".ek-line", has_text="Consultatie palliatieve zorg (kantoortijd)")
    assert card.locator(".ek-status").first.inner_text() == state
    if state.startswith("gesloten"):
        # The line to call instead is named once above the folded closed lines.
        instead = phone.locator(".ek-escalation li", has_text="(kantoortijd)")
        assert "Consultatie palliatieve zorg (avond, nacht en weekend)" in instead.inner_text()
        assert instead.locator("a[href='tel:+31883001011']").is_visible()


def test_visitor_on_a_phone_sees_public_lines_and_the_login_hint(site, phone, assert_accessible):
    search_postcode(phone, site, "3511", "2026-11-24T23:00")
    name, button = first_line(phone)
    assert name == "Huisartsenpost (avond, nacht en weekend)"
    assert button.get_attribute("href") == "tel:+31883001050"
    assert phone.locator("text=Log in om ze te zien").is_visible()
    assert_accessible(phone)


def test_wrong_postcode_is_explained_on_the_page(site, phone, assert_accessible):
    search_postcode(phone, site, "1000 AA", "2026-11-24T10:00")
    assert phone.locator("[role=alert]").inner_text().count("Postcode 1000 kennen we niet") == 1
    assert_accessible(phone)


def test_page_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    search_postcode(page, site, "3511", "2026-11-24T10:00")
    assert page.locator(".ek-line").count() >= 2
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/organisaties/ggz-stichtse-oevers/",
        "/wie-bel-ik-nu/?postcode=3511",
        "/privacy/",
        "/toegankelijkheid",
        "/accounts/login/",
        "/en/",
        "/organisaties/bestaat-niet/",
    ],
)
def test_every_public_page_type_has_no_accessibility_violations(
    site, desktop, assert_accessible, path
):
    desktop.goto(f"{site.url}{path}")
    assert_accessible(desktop)


def test_home_map_clusters_a_marker_per_location_with_a_popup_to_the_organisation(site, desktop):
    desktop.goto(f"{site.url}/")
    layer = "document.getElementById('overzichtskaart').markerLayer"
    desktop.wait_for_function(f"() => {layer} && {layer}.getLayers().length === 42")
    desktop.evaluate(
        f"""() => new Promise(resolve => {{
            const name = "Hospice De Lindeboom";
            const marker = {layer}.getLayers().find(m => m.options.title === name);
            {layer}.zoomToShowLayer(marker, () => {{ marker.openPopup(); resolve(); }});
        }})"""
    )
    link = desktop.locator(".leaflet-popup a", has_text="Hospice De Lindeboom")
    # A DOM click: on a busy machine the map may still be settling under a pointer click.
    link.evaluate("a => a.click()")
    desktop.wait_for_url("**/organisaties/hospice-de-lindeboom/", wait_until="commit")
