"""Free places as a number (issue 14): optional, 0 to the capacity, 0 exactly when "vol";
updated through the update link in one field, kept in the history, shown on the place cards."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from netwerk.places.availability import AvailabilityChange, place_availability_update
from netwerk.places.places import Place
from netwerk.places.update_links import update_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(hospice):
    return hospice.places.get()  # capacity 4, available


def tap(client, token, place, status, free=""):
    return client.post(
        update_link_path(token),
        {
            "plek": place.pk,
            f"plek-{place.pk}-beschikbaarheid": status,
            f"plek-{place.pk}-vrije_plekken": free,
        },
    )


@pytest.mark.parametrize(
    ("status", "free", "message"),
    [
        ("available", 5, "Er zijn niet meer dan 4 plekken: kies 0 tot en met 4."),
        ("available", 0, "Bij 0 vrije plekken is de plek vol"),
    ],
)
def test_a_number_that_does_not_fit_is_refused_in_dutch(place, status, free, message):
    place.availability, place.free_places = status, free
    with pytest.raises(ValidationError) as refused:
        place.full_clean()
    assert message in " ".join(refused.value.message_dict["free_places"])


def test_the_number_is_optional_and_full_means_zero(place):
    place.free_places = None
    place.full_clean()
    place_availability_update(place=place, availability="full", free_places=3)
    place.refresh_from_db()
    assert place.free_places == 0
    place.free_places = 2
    place.save()
    place.refresh_from_db()
    assert place.free_places == 0
    place_availability_update(place=place, availability="on_request")
    place.refresh_from_db()
    assert place.free_places is None


def test_the_database_refuses_more_free_places_than_places(place):
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.filter(pk=place.pk).update(free_places=9)


def test_the_update_link_takes_the_number_in_one_field_and_keeps_it_in_the_history(
    client, update_link, place
):
    response = tap(client, update_link.token, place, "available", "2")
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.free_places == 2
    assert AvailabilityChange.objects.get(place=place).free_places == 2
    page = client.get(response["Location"]).content.decode()
    assert "Vrije plekken: 2 van 4." in page
    assert f'name="plek-{place.pk}-vrije_plekken"' in page


@pytest.mark.parametrize(
    ("free", "message"),
    [
        ("7", "Er zijn niet meer dan 4 plekken"),
        ("-1", "Het aantal vrije plekken kan niet negatief zijn."),
        ("twee", "Vul een heel getal in, bijvoorbeeld 2."),
        ("0", "Bij 0 vrije plekken is de plek vol"),
    ],
)
def test_the_update_link_says_in_dutch_what_is_wrong_with_the_number(
    client, update_link, place, free, message
):
    response = tap(client, update_link.token, place, "available", free)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AvailabilityChange.objects.filter(place=place).exists()


def test_place_cards_show_how_many_of_the_places_are_free(client, hospice, place):
    place_availability_update(place=place, availability="available", free_places=2)
    finder = client.get(
        reverse("netwerk:place_finder"), {"achtergrond": "psychiatrie", "postcode": "3511"}
    ).content.decode()
    assert "2 van 4 plekken vrij" in finder
    organisation = client.get(
        reverse("netwerk:organisation", kwargs={"slug": hospice.slug})
    ).content.decode()
    assert "2 van 4 plekken vrij" in organisation


def test_a_stale_number_is_not_shown(client, hospice, place):
    from datetime import timedelta

    from django.utils import timezone

    place_availability_update(
        place=place,
        availability="available",
        free_places=2,
        at=timezone.now() - timedelta(days=30),
    )
    organisation = client.get(
        reverse("netwerk:organisation", kwargs={"slug": hospice.slug})
    ).content.decode()
    assert "plekken vrij" not in organisation


def test_an_import_lowering_the_capacity_below_the_free_places_is_a_dutch_row_error(
    coordinator, place
):
    from netwerk.coordination.spreadsheets import PlaceResource, read_spreadsheet

    place_availability_update(place=place, availability="available", free_places=3)
    Place.objects.filter(pk=place.pk).update(name="Kamer 1")
    sheet = (
        b"Organisatiecode;Naam;Postcode vestiging;Zorgsetting;Aantal plekken\r\n"
        b"hospice-de-linde;Kamer 1;3511AB;Hospice;2\r\n"
    )
    result = PlaceResource().import_data(
        read_spreadsheet(sheet), dry_run=False, user=coordinator, rollback_on_validation_errors=True
    )
    assert [row.import_type for row in result.rows] == ["invalid"]
    assert "Er zijn niet meer dan 2 plekken" in str(result.rows[0].validation_error)
    place.refresh_from_db()
    assert (place.capacity, place.free_places) == (4, 3)
