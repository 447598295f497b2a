"""The agenda in a real browser: registering and cancelling on a phone, the waiting list, and
axe-core on the new public pages."""

import re

import pytest
from django.core import mail

from netwerk.network.events import Event
from netwerk.network.registrations import Registration, RegistrationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAINING = "scholing-psychiatrie-in-de-laatste-levensfase"


def register(page, site, name, email):
    page.goto(f"{site.url}/agenda/{TRAINING}/")
    page.get_by_label("Naam").fill(name)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Organisatie (niet verplicht)").fill("Hospice De Lindeboom")
    page.locator(".ek-registration button[type=submit]").click()
    page.wait_for_load_state()


def cancel_link(message) -> str:
    return re.search(r"https?://\S+/agenda/afmelden/\S+/", message.body).group(0)


def test_a_visitor_registers_on_a_phone_and_cancels_through_the_mailed_link(
    site, phone, assert_accessible
):
    mail.outbox.clear()
    phone.goto(f"{site.url}/agenda/")
    phone.get_by_role("link", name="Scholing psychiatrie in de laatste levensfase").click()
    assert_accessible(phone)
    register(phone, site, "Anna de Vries", "anna@example.org")
    assert "U bent aangemeld" in phone.locator(".ek-messages").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]

    phone.goto(cancel_link(message))
    assert "wilt u zich afmelden" in phone.locator("main").inner_text()
    assert_accessible(phone)
    phone.get_by_role("button", name="Ja, meld mij af").click()
    phone.wait_for_load_state()
    assert "U bent afgemeld" in phone.locator(".ek-messages").inner_text()
    assert not Registration.objects.exists()


def test_the_waiting_list_moves_up_when_someone_cancels(site, desktop):
    mail.outbox.clear()
    Event.objects.filter(slug=TRAINING).update(capacity=1)
    register(desktop, site, "Anna", "anna@example.org")
    assert desktop.get_by_role("button", name="Op de wachtlijst").is_visible()
    register(desktop, site, "Bram", "bram@example.org")
    assert "wachtlijst" in desktop.locator(".ek-messages").inner_text()
    desktop.goto(cancel_link(mail.outbox[0]))
    desktop.get_by_role("button", name="Ja, meld mij af").click()
    desktop.wait_for_load_state()
    assert Registration.objects.get().email == "bram@example.org"
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert mail.outbox[-1].to == ["bram@example.org"]
    assert "nog 0 vrij" in desktop.locator("main").inner_text()


def test_a_registration_with_mistakes_is_explained_on_the_page(site, phone, assert_accessible):
    register(phone, site, "", "geen-adres")
    summary = phone.locator(".ek-error-summary")
    assert "Vul uw naam in." in summary.inner_text()
    assert "Vul een geldig e-mailadres in." in summary.inner_text()
    assert_accessible(phone)


@pytest.mark.parametrize(
    "path",
    [
        "/agenda/",
        "/agenda/?maand=2026-13",
        f"/agenda/{TRAINING}/",
        "/agenda/regionaal-overleg-najaar/",
        "/samenwerking/",
        "/kennisbank/",
        "/kennisbank/?q=psychiatrie",
        "/organisaties/hospice-het-rozenhuis/",
    ],
)
def test_the_new_public_pages_have_no_accessibility_violations(
    site, desktop, assert_accessible, path
):
    desktop.goto(f"{site.url}{path}")
    assert_accessible(desktop)
