"""Verification: a coordinator confirms the details; what is not confirmed for a while is listed.

The 'te controleren' page lists organisations not verified for VERIFICATION_MONTHS (default 6),
with what changed since their last verification; the public page shows the date.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerk.coordination.verification import changes_since_verification, due_for_verification
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality
from tests.test_history import organisation_form_data

pytestmark = pytest.mark.django_db

REVIEW_URL = reverse("admin:netwerk_organisation_review")


def organisation(name, utrecht, verified_on=None):
    created = Organisation.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        kind=OrganisationKind.HOME_CARE,
        last_verified_on=verified_on,
    )
    created.service_area.add(utrecht)
    return created


def test_the_action_records_date_and_coordinator_in_history(
    coordinator_client, coordinator, hospice
):
    response = coordinator_client.post(
        reverse("admin:netwerk_organisation_changelist"),
        {"action": "mark_as_verified", "_selected_action": [hospice.pk]},
    )
    assert response.status_code == 302
    hospice.refresh_from_db()
    assert (hospice.last_verified_on, hospice.last_verified_by) == (
        timezone.localdate(),
        coordinator,
    )
    assert hospice.history.first().history_user == coordinator


def test_the_button_saves_and_verifies(coordinator_client, coordinator, hospice):
    page = coordinator_client.get(reverse("admin:netwerk_organisation_change", args=[hospice.pk]))
    assert 'name="_verify"' in page.content.decode()
    version = page.context["adminform"].form["version"].value()
    response = coordinator_client.post(
        reverse("admin:netwerk_organisation_change", args=[hospice.pk]),
        organisation_form_data(hospice, version=version, _verify="1", description="Klopt."),
    )
    assert response.status_code == 302
    hospice.refresh_from_db()
    assert (hospice.description, hospice.last_verified_by) == ("Klopt.", coordinator)


def test_editors_neither_see_the_button_nor_can_verify(client, editor, hospice):
    client.force_login(editor)
    page = client.get(reverse("admin:netwerk_organisation_change", args=[hospice.pk]))
    assert 'name="_verify"' not in page.content.decode()
    client.post(
        reverse("admin:netwerk_organisation_changelist"),
        {"action": "mark_as_verified", "_selected_action": [hospice.pk]},
    )
    hospice.refresh_from_db()
    assert hospice.last_verified_on is None


def test_due_after_the_configured_number_of_months(settings, utrecht):
    today = date(2026, 6, 30)
    fresh = organisation("Vers", utrecht, date(2026, 1, 1))
    old = organisation("Oud", utrecht, date(2025, 12, 29))
    never = organisation("Nooit", utrecht)
    assert list(due_for_verification(Organisation.objects.all(), today)) == [never, old]
    settings.VERIFICATION_MONTHS = 12
    assert list(due_for_verification(Organisation.objects.all(), today)) == [never]
    assert fresh not in due_for_verification(Organisation.objects.all(), today)


def test_what_changed_since_the_last_verification(utrecht):
    verified = organisation("Thuiszorg Oost", utrecht, timezone.localdate() - timedelta(days=400))
    verified.phone = "+31301234567"
    verified.save()
    verified.description = "Nieuw"
    verified.save()
    changes = changes_since_verification([verified])[verified.pk]
    # created, its service area set, then two changes: all after the verification date
    assert changes.count == 4
    assert {"telefoonnummer", "omschrijving"} <= set(changes.field_list)


def test_a_changed_service_area_or_expertise_counts_as_a_change(utrecht):
    verified = organisation("Thuiszorg West", utrecht, timezone.localdate() - timedelta(days=400))
    before = changes_since_verification([verified])[verified.pk]
    verified.expertise.add(ExpertiseTag.objects.create(name="Verslaving", slug="verslaving"))
    verified.service_area.add(Municipality.objects.get(name="Zeist"))
    changes = changes_since_verification([verified])[verified.pk]
    assert changes.count == before.count + 2
    assert {"expertise", "werkgebied"} <= set(changes.field_list)


def test_the_review_page_lists_what_is_due_in_scope_with_changes(
    coordinator_client, utrecht, hospice, amsterdam_organisation, django_assert_max_num_queries
):
    for number in range(12):
        organisation(f"Thuiszorg {number}", utrecht, timezone.localdate() - timedelta(days=400))
    organisation("Net gecontroleerd", utrecht, timezone.localdate())
    with django_assert_max_num_queries(15):
        response = coordinator_client.get(REVIEW_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hospice De Linde" in html and "Thuiszorg 11" in html
    assert "Net gecontroleerd" not in html
    assert "GGZ Amstel" not in html  # outside the region
    assert "aangemaakt" in html


def test_the_review_page_is_linked_from_the_organisation_list(coordinator_client):
    html = coordinator_client.get(reverse("admin:netwerk_organisation_changelist")).content.decode()
    assert REVIEW_URL in html


def test_the_public_page_shows_the_verification_date(client, hospice):
    hospice.last_verified_on = date(2026, 3, 2)
    hospice.save()
    html = client.get(hospice.get_absolute_url()).content.decode()
    assert "2 maart 2026" in html


def test_an_editor_sees_only_their_own_organisation_to_check(client, editor, hospice, utrecht):
    organisation("Thuiszorg Elders", utrecht)
    client.force_login(editor)
    html = client.get(REVIEW_URL).content.decode()
    assert "Hospice De Linde" in html and "Thuiszorg Elders" not in html
