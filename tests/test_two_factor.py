"""Two-factor sign-in at /beheer/: administrators and coordinators give a code from an
authenticator app after their password; editors and professionals keep their password alone.

Through the real client, with codes computed here as the app computes them (django-otp's TOTP).
"""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from expertisekaart.two_factor import AdminSite
from netwerk.directory.organisations import Organisation
from tests.test_deployment import PRODUCTION_ENV, run_python

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-1"
ENROL = "/beheer/tweestapsverificatie/instellen/"
CODE = "/beheer/tweestapsverificatie/"
ORGANISATIONS = "/beheer/netwerk/organisation/"
WRONG_CODE_MESSAGE = "Deze code klopt niet."
WAIT_MESSAGE = "Er is te vaak een verkeerde code ingevuld."


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def administrator(db) -> User:
    return User.objects.create_superuser("beheerder", password=PASSWORD)


def admin_login(client, username: str, next_url: str = "/beheer/"):
    """The admin login form as a browser sends it (with its hidden `next`)."""
    return client.post(
        f"/beheer/login/?next={next_url}",
        {"username": username, "password": PASSWORD, "next": next_url},
    )


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    valid = {app_code(device, steps) for steps in (-2, -1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def let_the_wait_pass(device: TOTPDevice) -> None:
    """As if the back-off after the last wrong code were over."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(days=1)
    )


def confirmed_device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)


def enrolled(client, user: User) -> TOTPDevice:
    """Signs in with the password and sets up the app, as a new coordinator does."""
    admin_login(client, user.username)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(ENROL, {"code": app_code(device)})
    assert response.status_code == 302, response.content.decode()
    return device


def reaches_organisations(client) -> bool:
    return client.get(ORGANISATIONS).status_code == 200


# --- Coordinators: enrolment after the password, then the code at every sign-in. ---------------


def test_after_the_password_a_coordinator_without_an_app_is_sent_to_enrolment(
    client, coordinator, two_factor_on
):
    response = admin_login(client, "coordinator")
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Fbeheer%2F"


def test_until_the_app_is_confirmed_a_coordinator_gets_no_admin_page(
    client, coordinator, hospice, two_factor_on
):
    admin_login(client, "coordinator")
    for url in [
        "/beheer/",
        ORGANISATIONS,
        f"{ORGANISATIONS}{hospice.pk}/change/",
        f"{ORGANISATIONS}{hospice.pk}/history/",
        "/beheer/netwerk/",
        "/beheer/auth/user/",
        "/beheer/jsi18n/",
        "/beheer/autocomplete/?app_label=netwerk&model_name=organisation&field_name=parent",
        "/beheer/password_change/",
        "/beheer/login/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL), url
    response = client.post(f"{ORGANISATIONS}{hospice.pk}/change/", {"name": "Overgenomen"})
    assert response["Location"].startswith(ENROL)
    hospice.refresh_from_db()
    assert hospice.name == "Hospice De Linde"


def test_the_enrolment_page_shows_a_qr_code_and_the_key_to_type(client, coordinator, two_factor_on):
    admin_login(client, "coordinator")
    response = client.get(ENROL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tweestapsverificatie instellen" in page
    # An inline SVG, no image request and no inline style (the CSP allows neither).
    assert 'role="img" aria-label="QR-code om in de authenticator-app te scannen"><path' in page
    assert "style=" not in page
    assert "<img" not in page
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    secret = response.context["secret"]
    assert len(secret.replace(" ", "")) == 32
    assert secret in page
    # Opening the page again shows the same key: a code scanned first stays valid.
    assert client.get(ENROL).context["secret"] == secret
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1
    assert device.config_url.startswith("otpauth://totp/Expertisekaart%3Acoordinator?secret=")


def test_enrolment_refuses_a_wrong_code_in_dutch_and_accepts_the_right_one(
    client, coordinator, two_factor_on
):
    admin_login(client, "coordinator")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=coordinator)

    response = client.post(f"{ENROL}?next=%2Fbeheer%2F", {"code": wrong_code(device)})
    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not reaches_organisations(client)

    response = client.post(f"{ENROL}?next=%2Fbeheer%2F", {"code": "12 34"})
    assert "Vul de code van 6 cijfers in die de app nu toont." in response.content.decode()

    let_the_wait_pass(device)
    response = client.post(f"{ENROL}?next=%2Fbeheer%2F", {"code": app_code(device)}, follow=True)
    assert response.redirect_chain == [("/beheer/", 302)]
    assert "Tweestapsverificatie is ingesteld." in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert reaches_organisations(client)


def test_the_next_sign_in_asks_for_the_code(client, coordinator, two_factor_on):
    device = enrolled(client, coordinator)
    client.post("/beheer/logout/")

    response = admin_login(client, "coordinator", next_url=ORGANISATIONS)
    assert response["Location"] == f"{CODE}?next=%2Fbeheer%2Fnetwerk%2Forganisation%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Voer de code uit uw authenticator-app in" in page
    assert "Expertisekaart" in page
    assert not reaches_organisations(client)

    response = client.post(response["Location"], {"code": wrong_code(device)})
    assert WRONG_CODE_MESSAGE in response.content.decode()
    assert not reaches_organisations(client)

    let_the_wait_pass(device)
    response = client.post(
        f"{CODE}?next=%2Fbeheer%2Fnetwerk%2Forganisation%2F", {"code": app_code(device, 1)}
    )
    assert response["Location"] == ORGANISATIONS
    assert reaches_organisations(client)


def test_a_code_is_accepted_only_once(client, coordinator, two_factor_on):
    device = enrolled(client, coordinator)
    used = TOTPDevice.objects.get(pk=device.pk).last_t
    client.post("/beheer/logout/")
    admin_login(client, "coordinator")
    totp = TOTP(device.bin_key)
    totp.time = used * device.step
    response = client.post(CODE, {"code": f"{totp.token():06d}"})
    assert WRONG_CODE_MESSAGE in response.content.decode()
    assert not reaches_organisations(client)


def test_after_five_wrong_codes_even_the_right_code_is_refused_for_a_while(
    client, coordinator, two_factor_on
):
    device = confirmed_device_for(coordinator)
    admin_login(client, "coordinator")
    for _attempt in range(5):
        let_the_wait_pass(device)
        response = client.post(CODE, {"code": wrong_code(device)})
        assert WRONG_CODE_MESSAGE in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 5

    response = client.post(CODE, {"code": app_code(device)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Er is te vaak een verkeerde code ingevuld. Probeer het over 16 seconden opnieuw." in (
        page
    )
    assert not reaches_organisations(client)

    let_the_wait_pass(device)
    assert client.post(CODE, {"code": app_code(device)}).status_code == 302
    assert reaches_organisations(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_throttling_of_codes_is_on(settings):
    assert settings.OTP_TOTP_THROTTLE_FACTOR > 0


def test_signing_in_at_the_site_login_does_not_skip_the_code(client, coordinator, two_factor_on):
    confirmed_device_for(coordinator)
    client.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD})
    response = client.get(ORGANISATIONS)
    assert response["Location"] == f"{CODE}?next=%2Fbeheer%2Fnetwerk%2Forganisation%2F"


def test_a_coordinator_owing_the_code_can_sign_out(client, coordinator, two_factor_on):
    admin_login(client, "coordinator")
    response = client.post("/beheer/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_steps_need_a_password_sign_in_first(client, coordinator, two_factor_on):
    for url in (ENROL, CODE):
        response = client.get(url)
        assert response["Location"].startswith("/beheer/login/?next="), url
    assert not TOTPDevice.objects.exists()


def test_after_the_code_an_address_elsewhere_is_not_followed(client, coordinator, two_factor_on):
    admin_login(client, "coordinator")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=coordinator)
    response = client.post(f"{ENROL}?next=https://example.com/", {"code": app_code(device)})
    assert response["Location"] == "/beheer/"


# --- Administrators are treated as coordinators. -------------------------------------------------


def test_an_administrator_must_use_the_app_too(client, administrator, two_factor_on):
    response = admin_login(client, "beheerder")
    assert response["Location"].startswith(ENROL)
    assert client.get("/beheer/auth/user/")["Location"].startswith(ENROL)
    enrolled(client, administrator)
    assert client.get("/beheer/auth/user/").status_code == 200


def test_view_on_site_waits_for_the_code_too(client, administrator, hospice, two_factor_on):
    content_type = ContentType.objects.get_for_model(Organisation)
    admin_login(client, "beheerder")
    response = client.get(f"/beheer/r/{content_type.pk}/{hospice.pk}/")
    assert response["Location"].startswith(ENROL)


# --- Editors and professionals keep their password alone. --------------------------------------


def test_an_editor_signs_in_with_the_password_alone(client, editor, two_factor_on):
    response = admin_login(client, "redacteur")
    assert response["Location"] == "/beheer/"
    assert reaches_organisations(client)
    assert not TOTPDevice.objects.exists()


def test_a_professional_signs_in_with_the_password_alone(client, professional, two_factor_on):
    response = client.post("/accounts/login/", {"username": "zorgverlener", "password": PASSWORD})
    assert response["Location"] == "/"
    assert "Afmelden" in client.get("/").content.decode()
    assert not TOTPDevice.objects.exists()


# --- The setting. --------------------------------------------------------------------------------


def test_with_the_setting_off_a_password_is_enough_for_everyone(client, coordinator, settings):
    settings.TWO_FACTOR_REQUIRED = False
    confirmed_device_for(coordinator)
    response = admin_login(client, "coordinator")
    assert response["Location"] == "/beheer/"
    assert reaches_organisations(client)
    assert client.get(ENROL)["Location"] == "/beheer/"


@pytest.mark.parametrize(
    ("environment", "required"),
    [
        (PRODUCTION_ENV, "True"),
        ({**PRODUCTION_ENV, "DJANGO_TWO_FACTOR": "0"}, "False"),
        ({"DJANGO_DEBUG": "1"}, "False"),
        ({"DJANGO_DEBUG": "1", "DJANGO_TWO_FACTOR": "1"}, "True"),
    ],
)
def test_two_factor_is_on_in_production_by_default(environment, required):
    result = run_python(
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.TWO_FACTOR_REQUIRED)",
        **environment,
    )
    assert result.stdout.strip() == required, result.stderr


# --- The admin site and resetting a lost app. ----------------------------------------------------


def test_the_admin_site_is_the_one_everything_registers_into():
    assert isinstance(admin.site, AdminSite)
    assert Organisation in admin.site._registry
    # Administrators reset an app with the command below, not in the admin.
    assert TOTPDevice not in admin.site._registry


def test_reset_two_factor_removes_the_app_and_the_next_sign_in_enrols_again(
    client, coordinator, two_factor_on
):
    enrolled(client, coordinator)
    assert reaches_organisations(client)
    output = StringIO()
    call_command("reset_two_factor", "coordinator", stdout=output)
    assert "Two-factor sign-in of coordinator reset" in output.getvalue()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    # A session verified with the removed app is verified no longer.
    assert client.get(ORGANISATIONS)["Location"].startswith(ENROL)


def test_reset_two_factor_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'niemand'"):
        call_command("reset_two_factor", "niemand")
