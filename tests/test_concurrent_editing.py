"""Two coordinators on the same organisation: the second save never silently undoes the first.

Optimistic locking: the form carries the version it was opened on; a save over a newer version
is refused with what the other person changed, and the refused form keeps what was typed.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.test_history import organisation_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db, region) -> User:
    user = User.objects.create_user("collega", password="geheim-wachtwoord-1", is_staff=True)
    region.coordinators.add(user)
    return user


def change_url(organisation):
    return reverse("admin:netwerk_organisation_change", args=[organisation.pk])


def open_form(client, organisation) -> str:
    """Open the change page and return the version the form carries."""
    response = client.get(change_url(organisation))
    assert response.status_code == 200
    version = response.context["adminform"].form["version"].value()
    assert version
    return version


def test_the_second_save_from_an_older_version_is_refused_with_the_differences(
    client, coordinator, colleague, hospice
):
    client.force_login(coordinator)
    seen_by_coordinator = open_form(client, hospice)
    client.force_login(colleague)
    seen_by_colleague = open_form(client, hospice)
    assert seen_by_coordinator == seen_by_colleague

    first = client.post(
        change_url(hospice),
        organisation_form_data(hospice, phone="030 - 123 45 67", version=seen_by_colleague),
    )
    assert first.status_code == 302

    client.force_login(coordinator)
    second = client.post(
        change_url(hospice),
        organisation_form_data(hospice, name="Hospice De Lindeboom", version=seen_by_coordinator),
    )

    assert second.status_code == 200
    errors = " ".join(second.context["adminform"].form.non_field_errors())
    assert "Niet opgeslagen: collega heeft deze organisatie gewijzigd" in errors
    assert "telefoonnummer: (leeg) → 030 123 4567" in errors
    assert 'value="Hospice De Lindeboom"' in second.content.decode()  # what was typed stays
    hospice.refresh_from_db()
    assert hospice.name == "Hospice De Linde"
    assert hospice.phone.as_e164 == "+31301234567"


def test_a_save_after_opening_the_page_again_goes_through(client, coordinator, colleague, hospice):
    client.force_login(colleague)
    client.post(
        change_url(hospice),
        organisation_form_data(
            hospice, phone="030 - 123 45 67", version=open_form(client, hospice)
        ),
    )
    client.force_login(coordinator)
    hospice.refresh_from_db()
    response = client.post(
        change_url(hospice),
        organisation_form_data(
            hospice, name="Hospice De Lindeboom", version=open_form(client, hospice)
        ),
    )
    assert response.status_code == 302
    hospice.refresh_from_db()
    assert (hospice.name, hospice.phone.as_e164) == ("Hospice De Lindeboom", "+31301234567")


def test_saving_twice_in_a_row_from_the_same_page_is_refused_the_second_time(
    client, coordinator, hospice
):
    client.force_login(coordinator)
    version = open_form(client, hospice)
    assert (
        client.post(
            change_url(hospice), organisation_form_data(hospice, version=version)
        ).status_code
        == 302
    )
    again = client.post(
        change_url(hospice), organisation_form_data(hospice, name="X", version=version)
    )
    assert again.status_code == 200
    hospice.refresh_from_db()
    assert hospice.name == "Hospice De Linde"
