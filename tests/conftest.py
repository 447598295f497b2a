"""Shared fixtures: reference data once per session, a small network, and the roles of DESIGN.md."""

from datetime import time

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from netwerk.consultation import Audience, ConsultationLine, Purpose, ScheduleRow
from netwerk.geography import Municipality, Region
from netwerk.locations import Location
from netwerk.organisations import Organisation, OrganisationKind
from netwerk.places import CareSetting, Place
from netwerk.reference_data import reference_data_load


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Municipalities and PC4 areas are reference data every test may rely on."""
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def utrecht(db) -> Municipality:
    return Municipality.objects.get(code="GM0344")


@pytest.fixture
def region(db, utrecht) -> Region:
    region = Region.objects.create(name="Regio Utrecht", slug="regio-utrecht")
    region.municipalities.add(utrecht)
    return region


@pytest.fixture
def hospice(db, utrecht) -> Organisation:
    organisation = Organisation.objects.create(
        name="Hospice De Linde", slug="hospice-de-linde", kind=OrganisationKind.HOSPICE
    )
    organisation.service_area.add(utrecht)
    location = Location.objects.create(
        organisation=organisation,
        street="Lindelaan",
        house_number="1",
        postcode="3511 AB",
        city="Utrecht",
    )
    Place.objects.create(
        organisation=organisation,
        location=location,
        setting=CareSetting.HOSPICE,
        capacity=4,
        availability="available",
        availability_updated_at=timezone.now(),
    )
    return organisation


@pytest.fixture
def office_hours_line(db, hospice) -> ConsultationLine:
    line = ConsultationLine.objects.create(
        organisation=hospice,
        name="Consultatie palliatieve zorg",
        phone="+31301234567",
        purpose=Purpose.CONSULTATION,
        audience=Audience.PUBLIC,
    )
    ScheduleRow.objects.bulk_create(
        ScheduleRow(line=line, weekday=day, opens_at=time(9), closes_at=time(17))
        for day in range(5)
    )
    return line


@pytest.fixture
def professional(db) -> User:
    return User.objects.create_user("zorgverlener", password="geheim-wachtwoord-1")


@pytest.fixture
def professional_client(client, professional):
    client.force_login(professional)
    return client


@pytest.fixture
def visitor_client(client):
    return client
