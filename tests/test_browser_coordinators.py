"""What coordinators do in a real browser: two sessions on one organisation, the import preview,
and a visitor's error report.

Headless Chromium from the system (see conftest); the live server starts from an empty database,
so each test loads the reference data it needs.
"""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from netwerk.coordination.error_reports import ErrorReport
from netwerk.directory.organisations import Organisation
from netwerk.reference.loaders import reference_data_load
from tests.conftest import new_page
from tests.test_import_export import REFERENCE, REFERENCE_COUNT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"


@pytest.fixture
def reference_data(transactional_db):
    reference_data_load()


IMPORT_TIMEOUT_MS = 90_000


def admin_login(page, live_server, username):
    page.goto(f"{live_server.url}/beheer/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/beheer/")


@pytest.mark.long
def test_two_coordinators_on_one_organisation_never_lose_a_change(
    live_server, browser, reference_data, hospice, coordinator, region
):
    colleague = User.objects.create_user("collega", password=PASSWORD, is_staff=True)
    region.coordinators.add(colleague)
    change_url = f"{live_server.url}/beheer/netwerk/organisation/{hospice.pk}/change/"
    first, second = new_page(browser), new_page(browser)
    try:
        admin_login(first, live_server, "coordinator")
        admin_login(second, live_server, "collega")
        first.goto(change_url)
        second.goto(change_url)

        first.fill("#id_phone", "030 - 123 45 67")
        first.click("input[name=_save]")
        first.wait_for_url("**/organisation/")

        second.fill("#id_name", "Hospice De Lindeboom")
        second.click("input[name=_save]")
        errors = second.locator(".errorlist.nonfield").inner_text()
        assert "Niet opgeslagen: coordinator heeft deze organisatie gewijzigd" in errors
        assert "telefoonnummer: (leeg) → 030 123 4567" in errors
        assert second.input_value("#id_name") == "Hospice De Lindeboom"
        hospice.refresh_from_db()
        assert (hospice.name, hospice.phone.as_e164) == ("Hospice De Linde", "+31301234567")

        second.goto(change_url)
        second.fill("#id_name", "Hospice De Lindeboom")
        second.click("input[name=_save]")
        second.wait_for_url("**/organisation/")
        hospice.refresh_from_db()
        assert (hospice.name, hospice.phone.as_e164) == ("Hospice De Lindeboom", "+31301234567")
    finally:
        first.context.close()
        second.context.close()


def test_import_preview_then_confirm_in_the_browser(live_server, desktop, reference_data):
    User.objects.create_superuser("beheerder", password=PASSWORD)
    admin_login(desktop, live_server, "beheerder")
    import_url = f"{live_server.url}/beheer/netwerk/organisation/import/"

    # The progress indication appears as soon as the form is sent (and a second send is held).
    desktop.goto(import_url)
    progress = desktop.locator(".ek-import-progress")
    assert progress.is_hidden()
    desktop.evaluate(
        "document.querySelector('#content form').dispatchEvent("
        "new Event('submit', {bubbles: true, cancelable: true}))"
    )
    assert progress.is_visible()

    desktop.goto(import_url)
    desktop.set_default_timeout(IMPORT_TIMEOUT_MS)
    desktop.set_input_files("#id_import_file", str(REFERENCE))
    desktop.select_option("#id_format", label="csv")
    # Checking and importing 320 rows take seconds, more so on a busy CI machine.
    with desktop.expect_navigation(timeout=IMPORT_TIMEOUT_MS):
        desktop.click("input[type=submit][value='Bestand controleren']")
    summary = desktop.locator(".ek-import-summary").inner_text()
    assert summary == f"{REFERENCE_COUNT} nieuw, 0 gewijzigd, 0 ongewijzigd, 0 met fouten."
    assert desktop.locator("table.import-preview tbody tr").count() == REFERENCE_COUNT
    assert Organisation.objects.count() == 0

    with desktop.expect_navigation(timeout=IMPORT_TIMEOUT_MS):
        desktop.click("input[name=confirm]")
    desktop.wait_for_url("**/netwerk/organisation/")
    assert f"Import klaar: {REFERENCE_COUNT} nieuw" in desktop.locator(".messagelist").inner_text()
    assert Organisation.objects.count() == REFERENCE_COUNT


def test_a_visitor_reports_an_error_from_a_phone(
    live_server, phone, reference_data, hospice, assert_accessible
):
    cache.clear()
    phone.goto(f"{live_server.url}{hospice.get_absolute_url()}")
    phone.get_by_text("Meld een fout").click()
    assert_accessible(phone)
    phone.get_by_role("button", name="Verstuur melding").click()
    assert "Beschrijf wat er niet klopt." in phone.locator(".ek-error").inner_text()
    assert_accessible(phone)

    phone.fill("#id_message", "Het telefoonnummer is veranderd.")
    phone.get_by_role("button", name="Verstuur melding").click()
    phone.wait_for_url(f"**{hospice.get_absolute_url()}")
    assert "Dank u wel" in phone.locator(".ek-messages").inner_text()
    assert ErrorReport.objects.get().message == "Het telefoonnummer is veranderd."
