"""The import preview of issue 12 in a real browser, at 1366 and 390 px: the columns that are
ignored, the changes in words, a row that resembles an organisation with its choice, a row
error that names the organisation and suggests a value. Screenshots: docs/screenshots/import-*.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.reference.loaders import expertise_tags_load, reference_data_load
from tests.conftest import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SHEET = (
    "Naam organisatie;Type;Adres;Nr.;Postcode;Woonplaats;Telefoonnummer;E-mailadres;Internet;"
    "Expertises;Fax\r\n"
    "Hospice De Linde;Hospice;Lindelaan;1;3511 AB;Utrecht;030 123 45 67;-;;EPA, NAH;\r\n"
    "Hospice de Lindeboom;hospice;Lindelaan;3;3511 AB;Utrecht;;;;;\r\n"
    "PaTz-groep Oost;PaTz;Biltstraat;10;3572 AA;Utrecht;06-12345678;patz@oost.nl;oost.nl;LVB;\r\n"
    "VPTZ Utrecht;Vrijwilligers (VPTZ);;;3512;Utrecht;;;;Demensie;030 999 99 99\r\n"
).encode("cp1252")


@pytest.fixture
def prepared(transactional_db, tmp_path):
    reference_data_load()
    expertise_tags_load()
    User.objects.create_superuser("beheerder", password=PASSWORD)
    hospice = Organisation.objects.create(
        name="Hospice De Linde", slug="hospice-de-linde", kind="hospice", email="info@linde.nl"
    )
    Location.objects.create(
        organisation=hospice,
        street="Lindelaan",
        house_number="1",
        postcode="3511 AB",
        city="Utrecht",
    )
    sheet = tmp_path / "sociale-kaart.csv"
    sheet.write_bytes(SHEET)
    return sheet


@pytest.mark.parametrize(("width", "name"), [(1366, "desktop"), (390, "phone")])
def test_the_import_preview_explains_every_row(live_server, browser, prepared, width, name):
    page = new_page(browser, viewport={"width": width, "height": 900})
    try:
        page.goto(f"{live_server.url}/beheer/login/")
        page.fill("#id_username", "beheerder")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/beheer/")
        page.goto(f"{live_server.url}/beheer/netwerk/organisation/import/")
        page.set_input_files("#id_import_file", str(prepared))
        page.select_option("#id_format", label="csv")
        page.click("#content form input[type=submit]")
        page.wait_for_selector(".ek-import-summary", timeout=60_000)

        text = page.inner_text("#content")
        assert "Deze kolom wordt genegeerd: Fax" in text
        assert "e-mail wordt leeggemaakt" in text
        assert "lijkt op een bestaande organisatie — bijwerken of nieuw?" in text
        assert "Bedoelt u Dementie?" in text
        assert page.locator("input[name='rij-2'][form='ek-confirm']").count() == 2
        page.screenshot(path=str(SCREENSHOTS / f"import-preview-{name}.png"), full_page=True)
    finally:
        page.context.close()
