"""Login safety: brute-force protection on the admin and the site login, and strong passwords."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"
LOGINS = {"site": "/accounts/login/", "admin": "/beheer/login/"}


@pytest.fixture
def coordinator_account(db):
    return User.objects.create_user("coordinator", password=PASSWORD, is_staff=True)


def log_in(client, door, username, password):
    return client.post(LOGINS[door], {"username": username, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("door", LOGINS)
def test_after_five_wrong_passwords_even_the_right_one_is_refused(
    client, coordinator_account, door, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, door, "coordinator", "geraden").status_code == 200
    assert log_in(client, door, "coordinator", "geraden").status_code == 429
    response = log_in(client, door, "coordinator", PASSWORD)
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in response.content.decode()
    assert not is_logged_in(client)


@pytest.mark.parametrize("door", LOGINS)
def test_fewer_wrong_passwords_still_let_the_owner_in(client, coordinator_account, door, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, door, "coordinator", "geraden")
    assert log_in(client, door, "coordinator", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_starts_the_count_again(client, coordinator_account, settings):
    for _round in range(2):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            log_in(client, "site", "coordinator", "geraden")
        assert log_in(client, "site", "coordinator", PASSWORD).status_code == 302
        client.logout()


def test_a_flood_against_one_name_does_not_lock_out_another_user(
    client, coordinator_account, settings
):
    User.objects.create_user("collega", password=PASSWORD)
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 2):
        log_in(client, "site", "coordinator", "geraden")
    assert log_in(client, "site", "collega", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kort1", "te kort: gebruik ten minste 10 tekens"),
        ("password123", "te algemeen"),
        ("8236491057", "alleen cijfers"),
        ("coordinator-regio", "lijkt te veel op de gebruikersnaam"),
    ],
)
def test_weak_passwords_are_refused_with_a_dutch_reason(admin_client, password, reason):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "coordinator-regio",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not User.objects.filter(username="coordinator-regio").exists()
