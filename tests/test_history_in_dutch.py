"""The history screens speak Dutch: list, version and revert, and the revert says what it did."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from tests.test_history import revert

pytestmark = pytest.mark.django_db

ENGLISH = ["Changed by", "Change reason", "Date/time", "Revert", "Object", "entries", "None"]


def words(response) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def test_the_history_list_and_a_version_are_in_dutch(coordinator_client, hospice):
    hospice.description = "Nieuwe beschrijving"
    hospice.save()
    history = coordinator_client.get(
        reverse("admin:netwerk_organisation_history", args=[hospice.pk])
    )
    text = words(history)
    assert not [word for word in ENGLISH if word in text]
    for dutch in ("Gewijzigd door", "Reden", "Datum/tijd"):
        assert dutch in text

    version = coordinator_client.get(
        reverse(
            "admin:netwerk_organisation_simple_history",
            args=[hospice.pk, hospice.history.last().history_id],
        )
    )
    assert "Terugzetten" in words(version)
    assert not [word for word in ENGLISH if word in words(version)]


def test_a_revert_is_logged_with_the_versions_date_and_author(
    coordinator_client, coordinator, hospice
):
    original = hospice.history.first()
    original.history_user = coordinator
    original.save()
    hospice.description = "Per ongeluk overschreven."
    hospice.save()
    revert(coordinator_client, hospice, original)
    reason = hospice.history.first().history_change_reason
    assert reason.startswith("Teruggezet naar de versie van ")
    assert reason.endswith(f" door {coordinator.get_full_name() or coordinator.get_username()}")


def history_page(client, organisation, **query):
    address = reverse("admin:netwerk_organisation_history", args=[organisation.pk])
    return client.get(address, query)


def test_what_changed_between_any_two_versions(coordinator_client, hospice):
    first = hospice.history.first()
    hospice.description = "Tweede versie"
    hospice.save()
    hospice.name = "Hospice De Linde Zeist"
    hospice.save()
    latest = hospice.history.first()

    page = history_page(coordinator_client, hospice, van=first.history_id, tot=latest.history_id)
    text = words(page)
    assert "Wat is er veranderd? Van de versie van " in text
    assert "Naam: Hospice De Linde → Hospice De Linde Zeist" in text
    assert "Omschrijving: (leeg) → Tweede versie" in text

    same_order = history_page(
        coordinator_client, hospice, van=latest.history_id, tot=first.history_id
    )
    assert page.context["comparison"]["changes"] == same_order.context["comparison"]["changes"]


@pytest.mark.parametrize(
    "query", [{"van": "x", "tot": "1"}, {"van": "1", "tot": "1"}, {"van": "999999", "tot": "1"}]
)
def test_a_strange_comparison_gets_a_dutch_answer(coordinator_client, hospice, query):
    page = history_page(coordinator_client, hospice, **query)
    assert page.status_code == 200
    assert "Kies twee verschillende versies om te vergelijken." in words(page)


def test_no_comparison_with_a_version_of_another_organisation(
    admin_client, hospice, amsterdam_organisation
):
    other = amsterdam_organisation.history.first()
    page = history_page(
        admin_client, hospice, van=other.history_id, tot=hospice.history.first().history_id
    )
    assert "comparison" not in page.context


def test_a_foreign_key_that_was_empty_reads_as_empty_and_then_by_name(
    coordinator_client, coordinator, hospice
):
    """simple-history calls an empty foreign key a deleted object "(pk=None)" in the list of
    versions. (The comparison leaves verification out: it is not a change of the data.)"""
    hospice.last_verified_by = coordinator
    hospice.save()
    newer, older = hospice.history.order_by("-history_id")[:2]
    compared = words(
        history_page(coordinator_client, hospice, van=older.history_id, tot=newer.history_id)
    )
    assert not [word for word in ("pk=None", "Verwijderd", "None") if word in compared]
    name = coordinator.get_username()
    assert f"Laatst gecontroleerd door: (leeg) &nbsp;&rarr;&nbsp;&nbsp;{name}" in compared
