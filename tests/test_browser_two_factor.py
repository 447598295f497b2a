"""Two-factor sign-in in a real browser: a coordinator sets up an authenticator app by typing the
key shown on the page, signs out, and signs in again with a new code.

The codes are computed here from that key, as the app on a phone computes them. With
SCREENSHOTS=1 the enrolment and code pages are saved to docs/screenshots/ at 390 and 1366 px.
"""

import os
import time
from base64 import b32decode
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django_otp.oath import TOTP

from netwerk.reference.geography import Region
from tests.conftest import WCAG_TAGS, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1366}


@pytest.fixture
def coordinator_account(transactional_db, settings) -> User:
    settings.TWO_FACTOR_REQUIRED = True
    user = User.objects.create_user("coordinator", password=PASSWORD, is_staff=True)
    Region.objects.create(name="Regio Utrecht", slug="regio-utrecht").coordinators.add(user)
    return user


@pytest.fixture
def wide(browser):
    page = new_page(browser, viewport={"width": WIDTHS["desktop"], "height": 900})
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def assert_axe_clean():
    """axe-core finds no WCAG 2.2 A/AA violation (the admin pages have no map to wait for)."""
    axe = Axe()

    def check(page):
        page.wait_for_load_state("networkidle")
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert result.violations_count == 0, f"{page.url}\n{result.generate_report()}"

    return check


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows for the key typed from the page."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + steps_ahead * totp.step
    return f"{totp.token():06d}"


def screenshots(page, name: str) -> None:
    if os.environ.get("SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"two-factor-{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def sign_in_with_password(page, live_server) -> None:
    page.goto(f"{live_server.url}/beheer/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_a_coordinator_sets_up_the_app_and_signs_in_with_a_code(
    live_server, wide, coordinator_account, assert_axe_clean
):
    page = wide
    sign_in_with_password(page, live_server)
    page.wait_for_url("**/beheer/tweestapsverificatie/instellen/?next=%2Fbeheer%2F")
    assert page.locator("h1").inner_text() == "Tweestapsverificatie instellen"
    assert page.locator(".ek-qr svg").is_visible()
    assert_axe_clean(page)
    screenshots(page, "enrol")

    # No admin page before the app is confirmed.
    page.goto(f"{live_server.url}/beheer/netwerk/organisation/")
    page.wait_for_url("**/beheer/tweestapsverificatie/instellen/**")

    secret = page.locator("#two-factor-secret").inner_text()
    first_code = app_code(secret)
    page.fill("#id_code", first_code)
    page.click("input[type=submit]")
    page.wait_for_url("**/beheer/netwerk/organisation/")
    page.goto(f"{live_server.url}/beheer/")
    assert page.locator("h1").first.is_visible()

    page.locator("#logout-form button").click()
    page.wait_for_url(f"{live_server.url}/")

    sign_in_with_password(page, live_server)
    page.wait_for_url("**/beheer/tweestapsverificatie/?next=%2Fbeheer%2F")
    assert page.locator("h1").inner_text() == "Voer de code uit uw authenticator-app in"
    assert_axe_clean(page)
    screenshots(page, "code")

    # The code that set up the app has been used; the app's next one lets the coordinator in.
    page.fill("#id_code", first_code)
    page.click("input[type=submit]")
    assert "Deze code klopt niet." in page.locator(".errorlist").inner_text()
    assert_axe_clean(page)
    screenshots(page, "code-wrong")
    # After one wrong code the next try waits a second (django-otp's back-off).
    page.wait_for_timeout(1_100)
    page.fill("#id_code", app_code(secret, steps_ahead=1))
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/beheer/")
    assert page.locator("#content h1").inner_text() == "Expertisekaart bijhouden"
