"""Every admin page renders for a superuser with a bounded number of queries."""

import pytest
from django.contrib import admin
from django.urls import reverse

from netwerk.consultation.holiday_choice import HolidayChoice
from netwerk.coordination.error_reports import ErrorReport
from netwerk.directory.organisations import Organisation
from netwerk.neighbours.networks import NeighbourNetwork
from netwerk.network.events import Event
from netwerk.network.registrations import Registration

pytestmark = pytest.mark.django_db

NETWERK_MODELS = [model for model in admin.site._registry if model._meta.app_label == "netwerk"]
MAX_QUERIES_CHANGELIST = 12
MAX_QUERIES_CHANGE = 40


@pytest.fixture
def demo(demo):
    # Reports come from visitors, not from the demo data.
    ErrorReport.objects.create(organisation=Organisation.objects.first(), message="Klopt niet.")
    # Registrations too, through the public form.
    Registration.objects.create(
        event=Event.objects.filter(registration_mode="hier").first(),
        name="Anna",
        email="anna@example.org",
        status="aangemeld",
    )


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_domain_model_is_in_the_admin():
    names = {model.__name__ for model in NETWERK_MODELS}
    assert names >= {
        "Region",
        "Municipality",
        "PostcodeArea",
        "Organisation",
        "Location",
        "Contact",
        "ExpertiseTag",
        "Place",
        "ConsultationLine",
    }


@pytest.mark.parametrize("model", NETWERK_MODELS, ids=lambda model: model.__name__)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, demo, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES_CHANGELIST):
        response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", NETWERK_MODELS, ids=lambda model: model.__name__)
def test_add_page_renders(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))
    # Registrations come from the public form only; nobody adds one in the admin.
    assert response.status_code == (403 if model is Registration else 200)


@pytest.mark.parametrize("model", NETWERK_MODELS, ids=lambda model: model.__name__)
def test_change_page_renders_with_bounded_queries(
    admin_client, demo, model, django_assert_max_num_queries
):
    if model is NeighbourNetwork:  # the demo registers no neighbours
        NeighbourNetwork.objects.create(name="Buren", api_url="https://buren.example/api/v1/")
    if model is HolidayChoice:  # the network's choice: a row once an administrator saved it
        HolidayChoice.objects.create()
    obj = model.objects.order_by("pk").last()
    with django_assert_max_num_queries(MAX_QUERIES_CHANGE):
        response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


def test_admin_speaks_dutch(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "Expertisekaart bijhouden" in response.content.decode()
    assert "Organisaties" in response.content.decode()


def test_organisation_page_edits_locations_places_contacts_and_lines_inline(admin_client, demo):
    organisation = Organisation.objects.get(slug="ggz-stichtse-oevers")
    response = admin_client.get(admin_url(Organisation, "change", organisation.pk))
    html = response.content.decode()
    for prefix in (
        "locations-TOTAL_FORMS",
        "places-TOTAL_FORMS",
        "contacts-TOTAL_FORMS",
        "consultation_lines-TOTAL_FORMS",
    ):
        assert prefix in html
    assert 'class="ek-coordinates-map"' in html


def test_location_saved_in_admin_without_coordinates_is_geocoded(admin_client, demo):
    organisation = Organisation.objects.get(slug="hospice-de-lindeboom")
    response = admin_client.post(
        admin_url(Organisation, "change", organisation.pk),
        change_form_data(organisation, extra_location={"postcode": "3584cx", "city": "Utrecht"}),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    location = organisation.locations.get(postcode="3584 CX")
    assert location.latitude is not None and location.municipality.code == "GM0344"


def change_form_data(organisation, extra_location):
    """The organisation's change form as the browser would post it, with one location added."""
    locations = list(organisation.locations.all())
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "description": organisation.description,
        "is_published": "on",
        "phone": str(organisation.phone.as_national),
        "email": organisation.email,
        "website": organisation.website,
        "service_area": [m.pk for m in organisation.service_area.all()],
        "expertise": [t.pk for t in organisation.expertise.all()],
    }
    for prefix, count in [("places", 0), ("contacts", 0), ("consultation_lines", 0)]:
        data |= {f"{prefix}-TOTAL_FORMS": count, f"{prefix}-INITIAL_FORMS": count}
    data |= {"locations-TOTAL_FORMS": len(locations) + 1, "locations-INITIAL_FORMS": len(locations)}
    for index, location in enumerate(locations):
        data |= {
            f"locations-{index}-id": location.pk,
            f"locations-{index}-organisation": organisation.pk,
            f"locations-{index}-postcode": location.postcode,
            f"locations-{index}-city": location.city,
            f"locations-{index}-street": location.street,
            f"locations-{index}-latitude": location.latitude,
            f"locations-{index}-longitude": location.longitude,
            f"locations-{index}-municipality": location.municipality_id,
        }
    new = len(locations)
    data |= {f"locations-{new}-{key}": value for key, value in extra_location.items()}
    data[f"locations-{new}-organisation"] = organisation.pk
    return data


def test_a_made_up_key_in_an_autocomplete_field_is_an_error_on_the_form_not_a_500(admin_client):
    response = admin_client.post(
        reverse("admin:netwerk_contact_add"),
        {"organisation": "abc", "expertise": ["xyz", "1.5"], "name": "Jan"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"organisation", "expertise"} <= set(errors)
