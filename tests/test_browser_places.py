"""Places in a real browser on a phone: 'Mijn plekken', the update link and 'Plek zoeken'."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from netwerk.directory.organisations import Organisation
from netwerk.places.availability import AvailabilityChange
from netwerk.places.update_links import update_link_create, update_link_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-42"
HOSPICE = "hospice-de-lindeboom"


def assert_fits_a_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for button in page.locator(".ek-status-button").all()[:3]:
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 88


def test_editor_updates_a_place_in_one_tap_on_a_phone(site, phone, assert_accessible):
    hospice = Organisation.objects.get(slug=HOSPICE)
    editor = User.objects.create_user("hospice-redacteur", password=PASSWORD, is_staff=True)
    hospice.editors.add(editor)
    place = hospice.places.order_by("setting", "name", "pk").first()

    phone.goto(f"{site.url}/accounts/login/?next=/mijn-plekken/")
    phone.fill("#id_username", "hospice-redacteur")
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/mijn-plekken/")
    assert_fits_a_phone(phone)
    assert_accessible(phone)

    card = phone.locator(f"#plek-{place.pk}")
    card.get_by_label("Toelichting (niet verplicht)").fill("Morgen weer een kamer vrij")
    card.get_by_role("button", name="Vol", exact=True).click()
    phone.wait_for_load_state()

    assert "staat nu op “Vol”" in phone.locator(".ek-messages").inner_text()
    card = phone.locator(f"#plek-{place.pk}")
    assert card.locator(".ek-availability--full").inner_text() == "Vol"
    change = AvailabilityChange.objects.get(place=place)
    assert (change.new_availability, change.changed_by, change.note) == (
        "full",
        editor,
        "Morgen weer een kamer vrij",
    )
    assert_accessible(phone)


def test_a_team_updates_through_its_link_on_a_phone(site, phone, assert_accessible):
    cache.clear()
    hospice = Organisation.objects.get(slug=HOSPICE)
    link, token = update_link_create(organisation=hospice)
    place = hospice.places.order_by("setting", "name", "pk").first()

    phone.goto(f"{site.url}{update_link_path(token)}")
    assert hospice.name in phone.locator("h1").inner_text()
    assert_fits_a_phone(phone)
    assert_accessible(phone)

    phone.locator(f"#plek-{place.pk}").get_by_role("button", name="Op aanvraag").click()
    phone.wait_for_load_state()
    assert "staat nu op “Op aanvraag”" in phone.locator(".ek-messages").inner_text()
    assert AvailabilityChange.objects.get(place=place).link == link

    link.revoke()
    response = phone.goto(f"{site.url}{update_link_path(token)}")
    assert response.status == 404


def test_place_finder_on_a_phone_ranks_places_and_maps_them(site, phone, assert_accessible):
    phone.goto(f"{site.url}/")
    phone.locator(".ek-shortcuts").get_by_role("link", name="Plek zoeken").click()
    phone.wait_for_url("**/plek-zoeken/")
    phone.get_by_label("Hospice").check()
    phone.get_by_label("Beide").check()
    phone.get_by_label("Postcode (om op afstand te sorteren)").fill("3511 AB")
    phone.get_by_role("button", name="Zoek plekken").click()
    phone.wait_for_url("**/plek-zoeken/?*achtergrond=beide*")

    results = phone.locator(".ek-finder__result")
    assert results.count() >= 2
    first = results.first
    # What every card shares is said once above them (tests/test_browser_public_cards.py).
    reasons = phone.locator(".ek-finder__shared").inner_text() + first.inner_text()
    assert "Voor alle plekken hieronder:" in reasons or "Waarom deze plek:" in reasons
    assert first.locator("a.ek-call-button").get_attribute("href").startswith("tel:+31")
    layer = "document.getElementById('plekkenkaart').markerLayer"
    phone.wait_for_function(f"() => {layer} && {layer}.getLayers().length === {results.count()}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone)
