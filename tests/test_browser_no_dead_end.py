"""No dead end in a real browser (issue 14): a postcode outside the demo region (9711,
Groningen) on "Wie bel ik nu?", the search and "Plek zoeken" says so, names the network that
covers it and shows the numbers always there; inside (3511) "Wie bel ik nu?" starts with them.
At 390 px (and 1366 for "Wie bel ik nu?") nothing runs off the screen and axe finds nothing.
With SCREENSHOTS=1 the phone pages are saved to docs/screenshots/phone-outside-area.png and
phone-who-to-call-national-lines.png."""

import os
from pathlib import Path

import pytest

from netwerk.neighbours.networks import NeighbourNetwork
from netwerk.reference.geography import Municipality
from netwerk.search.publishing import changes_published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
OUTSIDE = {
    "wie-bel-ik-nu": "/wie-bel-ik-nu/?postcode=9711+AB",
    "zoeken": "/zoeken/?postcode=9711",
    "plek-zoeken": "/plek-zoeken/?achtergrond=beide&postcode=9711",
}


@pytest.fixture
def phone_390(browser):
    from tests.conftest import new_page

    page = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


@pytest.fixture
def laptop_1366(browser):
    from tests.conftest import new_page

    page = new_page(browser, viewport={"width": 1366, "height": 768})
    yield page
    page.context.close()


def groningen_is_covered():
    neighbour = NeighbourNetwork.objects.create(
        name="Netwerk Palliatieve Zorg Groningen (voorbeeld)",
        website="https://npz-groningen.example/",
    )
    neighbour.municipalities.add(Municipality.objects.get(name="Groningen"))
    changes_published()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("name", list(OUTSIDE))
def test_outside_our_area_every_answer_page_says_what_to_do_on_a_phone(
    site, phone_390, assert_accessible, name
):
    groningen_is_covered()
    phone = phone_390
    phone.goto(f"{site.url}{OUTSIDE[name]}")
    section = phone.locator(".ek-neighbours")
    assert section.get_by_role("heading", name="Deze postcode ligt buiten ons netwerkgebied")
    assert section.get_by_text("gemeente Groningen").is_visible()
    network = section.get_by_role("link", name="Netwerk Palliatieve Zorg Groningen (voorbeeld)")
    assert network.get_attribute("href") == "https://npz-groningen.example/"
    call_112 = section.locator("a[href='tel:112']")
    assert call_112.is_visible() and call_112.inner_text() == "Bel 112"
    assert section.locator("a[href='tel:08000113']").is_visible()
    assert section.locator("a[href='tel:0886051444']").count() == 0  # professionals only
    box = call_112.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 390
    assert fits(phone)
    if name == "wie-bel-ik-nu" and os.environ.get("SCREENSHOTS") == "1":
        section.scroll_into_view_if_needed()
        phone.screenshot(path=str(SCREENSHOTS / "phone-outside-area.png"))
    assert_accessible(phone)


def test_outside_our_area_on_a_laptop(site, laptop_1366, assert_accessible):
    desktop = laptop_1366
    desktop.goto(f"{site.url}{OUTSIDE['wie-bel-ik-nu']}")
    assert desktop.locator(".ek-neighbours a[href='tel:112']").is_visible()
    assert desktop.locator(".ek-always").count() == 0  # the numbers stand in the answer
    assert fits(desktop)
    assert_accessible(desktop)


def test_who_to_call_names_the_first_number_on_top_and_all_below_the_answer(
    site, phone_390, assert_accessible
):
    phone = phone_390
    phone.goto(f"{site.url}/wie-bel-ik-nu/?postcode=3511")
    top = phone.locator(".ek-call__emergency")
    assert top.inner_text() == "Direct levensgevaar: Bel 112."
    box = top.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["height"] <= 30  # one line, as before
    assert phone.get_by_text("Lijnen voor 3511 Utrecht, in ons netwerkgebied.").is_visible()
    always = phone.locator(".ek-always")
    assert always.get_by_role("heading", name="Altijd bereikbaar").is_visible()
    assert [a.inner_text() for a in always.locator("a").all()] == ["Bel 112", "Bel 0800-0113"]
    assert always.locator("a").first.bounding_box()["height"] >= 44
    # Below the lines of the network: the answer comes first.
    lines = phone.locator(".ek-lines").first.bounding_box()
    assert lines["y"] < always.bounding_box()["y"]
    assert fits(phone)
    if os.environ.get("SCREENSHOTS") == "1":
        always.scroll_into_view_if_needed()
        phone.evaluate("window.scrollBy(0, -420)")
        phone.screenshot(path=str(SCREENSHOTS / "phone-who-to-call-national-lines.png"))
    assert_accessible(phone)
