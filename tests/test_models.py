"""The domain model refuses bad data with a clear (Dutch) message and geocodes locations."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from netwerk.consultation.lines import ConsultationLine, ScheduleException
from netwerk.directory.contacts import Contact, Visibility
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.places.places import Place
from netwerk.reference.geography import Municipality, PostcodeArea, normalise_postcode

pytestmark = pytest.mark.django_db


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("3511AB", "3511 AB"), ("3511 ab", "3511 AB"), (" 3511  AB ", "3511 AB"), ("3511", "3511")],
)
def test_postcodes_are_stored_in_one_spelling(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["0123 AB", "351 AB", "3511 A", "3511 SS", "ABCD", ""])
def test_invalid_postcodes_are_refused_in_dutch(typed):
    with pytest.raises(ValidationError) as error:
        normalise_postcode(typed)
    assert "geen geldige Nederlandse postcode" in str(error.value)


def test_location_without_coordinates_gets_them_from_its_pc4_centroid(hospice):
    location = Location.objects.create(
        organisation=hospice, postcode="3584 CX", city="Utrecht", street="Heidelberglaan"
    )
    area = PostcodeArea.objects.get(pc4="3584")
    assert (location.latitude, location.longitude) == (area.latitude, area.longitude)
    assert location.municipality.code == "GM0344"


def test_location_keeps_coordinates_that_were_given(hospice):
    location = Location.objects.create(
        organisation=hospice, postcode="3584 CX", city="Utrecht", latitude=52.08, longitude=5.17
    )
    assert (location.latitude, location.longitude) == (52.08, 5.17)


def test_location_with_unknown_postcode_is_refused_by_validation(hospice):
    location = Location(organisation=hospice, postcode="1000 AA", city="Nergens")
    with pytest.raises(ValidationError) as error:
        location.full_clean()
    assert error.value.message_dict["postcode"] == ["Postcode 1000 is onbekend."]


def test_coordinates_out_of_range_are_refused_by_the_database(hospice):
    refused_by_database(
        lambda: Location.objects.create(
            organisation=hospice, postcode="3511", city="Utrecht", latitude=91, longitude=5
        )
    )
    refused_by_database(
        lambda: Location.objects.create(
            organisation=hospice, postcode="3511", city="Utrecht", latitude=52, longitude=181
        )
    )


def test_coordinates_come_in_pairs(hospice):
    location = Location(organisation=hospice, postcode="9999 ZZ", city="X", latitude=52.0)
    with pytest.raises(ValidationError) as error:
        location.full_clean()
    assert "Vul zowel breedte- als lengtegraad in" in str(error.value)


def test_negative_capacity_is_refused(hospice):
    place = hospice.places.get()
    place.capacity = -1
    refused_by_database(place.save)


def test_place_must_be_at_a_location_of_its_own_organisation(hospice, utrecht):
    other = Organisation.objects.create(name="Ander", slug="ander", kind="ggz")
    place = Place(organisation=other, location=hospice.locations.get(), setting="hospice")
    with pytest.raises(ValidationError) as error:
        place.full_clean()
    assert error.value.message_dict["location"] == ["Kies een vestiging van deze organisatie."]


def test_slugs_and_codes_are_unique(hospice):
    refused_by_database(
        lambda: Organisation.objects.create(name="Kopie", slug=hospice.slug, kind="hospice")
    )
    refused_by_database(
        lambda: Municipality.objects.create(
            code="GM0344",
            name="Dubbel",
            province_code="PV26",
            province_name="Utrecht",
            latitude=52,
            longitude=5,
        )
    )
    refused_by_database(
        lambda: PostcodeArea.objects.create(
            pc4="3511", latitude=52, longitude=5, municipality=Municipality.objects.first()
        )
    )


def test_unique_slug_error_reads_in_dutch(hospice):
    organisation = Organisation(name="Kopie", slug=hospice.slug, kind="hospice")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["slug"] == ["Er bestaat al een Organisatie met eenzelfde Slug."]


def test_phone_numbers_are_stored_as_e164_and_shown_in_dutch_format(hospice):
    hospice.phone = "030 - 123 45 67"
    hospice.full_clean()
    hospice.save()
    hospice.refresh_from_db()
    assert hospice.phone.as_e164 == "+31301234567"
    assert hospice.phone.as_national == "030 123 4567"


def test_invalid_phone_number_is_refused_in_dutch(hospice):
    hospice.phone = "12345"
    with pytest.raises(ValidationError) as error:
        hospice.full_clean()
    assert "telefoonnummer" in str(error.value.message_dict["phone"]).lower()


def test_exception_must_end_after_it_starts(office_hours_line):
    from django.utils import timezone

    now = timezone.now()
    refused_by_database(
        lambda: ScheduleException.objects.create(line=office_hours_line, starts_at=now, ends_at=now)
    )


def test_a_line_cannot_escalate_to_itself(office_hours_line):
    office_hours_line.escalates_to = office_hours_line
    refused_by_database(office_hours_line.save)


def test_named_person_is_hidden_until_consent_is_recorded(hospice, professional):
    Contact.objects.create(organisation=hospice, name="Anne de Wit", visibility=Visibility.PUBLIC)
    Contact.objects.create(
        organisation=hospice,
        name="Dienstdoende arts",
        is_person=False,
        visibility=Visibility.PUBLIC,
    )
    visible = Contact.objects.visible_to(professional)
    assert [contact.name for contact in visible] == ["Dienstdoende arts"]


def test_every_model_has_a_readable_name_and_url():
    organisation = Organisation(name="Hospice X", slug="hospice-x", kind="hospice")
    assert str(organisation) == "Hospice X"
    assert organisation.get_absolute_url() == "/organisaties/hospice-x/"
    line = ConsultationLine(organisation=organisation, name="Lijn")
    assert str(line) == "Lijn (Hospice X)"
