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
