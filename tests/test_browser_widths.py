"""Every public page type fits the screen: no horizontal overflow from 360 to 1366 px."""

import pytest

from netwerk.directory.organisations import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [360, 390, 768, 1366]

PUBLIC_PAGES = [
    "/",
    "/zoeken/",
    "/zoeken/?q=verslaving",
    "/zoeken/?postcode=3511&afstand=10",
    "/organisaties/hospice-de-kapel/",
    "/wie-bel-ik-nu/",
    "/wie-bel-ik-nu/?postcode=3511",
    "/plek-zoeken/",
    "/agenda/",
    "/samenwerking/",
    "/kennisbank/",
    "/open-data/",
    "/privacy/",
    "/toegankelijkheid",
    "/en/",
]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
MAPS_DRAWN = "() => [...document.querySelectorAll('.ek-map')].every(m => m.dataset.markerCount)"


def long_contact_organisation() -> str:
    """The worst case the issue names: a long website, e-mail address and phone number."""
    organisation = Organisation.objects.get(slug="hospice-de-kapel")
    organisation.website = (
        "https://www.stichting-hospicezorg-en-palliatieve-ondersteuning-utrecht-oost.nl/"
        "over-ons/contact-en-bereikbaarheid"
    )
    organisation.email = "aanmeldingen.palliatievezorg.utrechtoost@stichtinghospicezorgnederland.nl"
    organisation.phone = "+31301234567"
    organisation.save()
    return f"/organisaties/{organisation.slug}/"


@pytest.mark.parametrize("width", WIDTHS)
def test_no_public_page_is_wider_than_the_screen(site, browser, width):
    from tests.conftest import new_page

    pages = [*PUBLIC_PAGES, long_contact_organisation()]
    page = new_page(
        browser,
        viewport={"width": width, "height": 800},
        is_mobile=width < 768,
        has_touch=width < 768,
    )
    try:
        too_wide = {}
        for path in pages:
            response = page.goto(f"{site.url}{path}")
            assert response.status < 400, path
            # What could still widen the page once loaded is the map's data; "networkidle"
            # would add half a second of silence per page for nothing.
            page.wait_for_function(MAPS_DRAWN)
            excess = page.evaluate(OVERFLOW)
            if excess > 0:
                too_wide[path] = excess
        assert too_wide == {}, f"pages wider than {width} px (by px): {too_wide}"
    finally:
        page.context.close()


VISIBLE_SKIP_LINKS = """() => [...document.querySelectorAll('.ek-skip-link')]
    .filter(link => link !== document.activeElement)
    .map(link => link.getBoundingClientRect())
    .filter(box => box.width > 1 && box.height > 1 && box.right > 0 && box.left < innerWidth)
    .length"""


@pytest.mark.parametrize("path", ["/zoeken/", "/organisaties/hospice-de-kapel/", "/"])
def test_skip_links_take_no_space_until_focused(site, phone, path):
    phone.goto(f"{site.url}{path}")
    assert phone.evaluate(VISIBLE_SKIP_LINKS) == 0
    phone.keyboard.press("Tab")
    focused = phone.evaluate(
        "() => document.activeElement.classList.contains('ek-skip-link') &&"
        " document.activeElement.getBoundingClientRect().width > 10"
    )
    assert focused
