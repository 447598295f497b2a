"""Every change is kept with who made it; coordinators read it as a diff and revert to a version.

The history doors follow the same scope as the change pages, for coordinators and editors.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from netwerk.consultation import ConsultationLine
from netwerk.contacts import Contact
from netwerk.locations import Location
from netwerk.organisations import Organisation
from netwerk.places import Place

pytestmark = pytest.mark.django_db

SCOPED_MODELS = [Organisation, Location, Place, Contact, ConsultationLine]


def url(model, view, *args):
    return reverse(f"admin:netwerk_{model._meta.model_name}_{view}", args=args)


def object_of(model, organisation):
    if model is Organisation:
        return organisation
    if model is Contact and not organisation.contacts.exists():
        Contact.objects.create(organisation=organisation, name=f"Contact {organisation.name}")
    return model.objects.get(organisation=organisation)


def organisation_form_data(organisation, **changes):
    """The organisation page as the browser posts it (no inline rows changed)."""
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "description": organisation.description,
        "is_published": "on",
        "phone": organisation.phone.as_national if organisation.phone else "",
        "email": organisation.email,
        "website": organisation.website,
        "service_area": [m.pk for m in organisation.service_area.all()],
        "expertise": [t.pk for t in organisation.expertise.all()],
    }
    for prefix, related in [
        ("locations", organisation.locations),
        ("places", organisation.places),
        ("contacts", organisation.contacts),
        ("consultation_lines", organisation.consultation_lines),
    ]:
        rows = list(related.all())
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)}
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-organisation"] = organisation.pk
    # Inline rows unchanged: post their current values.
    for index, location in enumerate(organisation.locations.all()):
        for field in ("street", "house_number", "postcode", "city", "latitude", "longitude"):
            data[f"locations-{index}-{field}"] = getattr(location, field)
        data[f"locations-{index}-municipality"] = location.municipality_id
    for index, place in enumerate(organisation.places.all()):
        for field in ("name", "setting", "capacity", "availability"):
            data[f"places-{index}-{field}"] = getattr(place, field)
        data[f"places-{index}-location"] = place.location_id
    for index, line in enumerate(organisation.consultation_lines.all()):
        for field in ("name", "purpose", "audience"):
            data[f"consultation_lines-{index}-{field}"] = getattr(line, field)
        data[f"consultation_lines-{index}-phone"] = line.phone.as_national
        data[f"consultation_lines-{index}-is_active"] = "on"
    return data | changes


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture(params=["coordinator", "editor"])
def role_client(request, client, hospice, office_hours_line, amsterdam_organisation):
    client.force_login(request.getfixturevalue(request.param))
    return client


def test_a_change_in_the_admin_is_recorded_with_who_and_what(
    coordinator_client, coordinator, hospice
):
    response = coordinator_client.post(
        url(Organisation, "change", hospice.pk),
        organisation_form_data(hospice, name="Hospice De Linde (Utrecht)", phone="030 - 123 45 67"),
    )
    assert response.status_code == 302, response.context["errors"]
    latest = hospice.history.first()
    assert latest.history_user == coordinator
    delta = latest.diff_against(latest.prev_record)
    assert {"name", "phone"} <= set(delta.changed_fields)


def test_the_history_page_shows_a_readable_diff(coordinator_client, hospice):
    hospice.name = "Hospice De Linde Utrecht"
    hospice.save()
    html = coordinator_client.get(url(Organisation, "history", hospice.pk)).content.decode()
    assert "Hospice De Linde" in html and "Hospice De Linde Utrecht" in html
    assert "naam" in html.lower()


def test_a_coordinator_reverts_an_organisation_to_an_earlier_version(
    coordinator_client, coordinator, hospice
):
    original = hospice.history.first()
    hospice.name, hospice.description = "Verkeerde naam", "Per ongeluk overschreven."
    hospice.save()

    revert_url = reverse(
        "admin:netwerk_organisation_simple_history", args=[hospice.pk, original.history_id]
    )
    page = coordinator_client.get(revert_url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in (
            (field.html_name, field.value()) for field in form if field.value() is not None
        )
    }
    data["is_published"] = "on"
    data["service_area"] = [m.pk for m in hospice.service_area.all()]
    response = coordinator_client.post(revert_url, data)

    assert response.status_code == 302, page.context and response.context["errors"]
    hospice.refresh_from_db()
    assert (hospice.name, hospice.description) == ("Hospice De Linde", "")
    assert hospice.history.first().history_user == coordinator


def test_a_location_reverts_too(coordinator_client, hospice):
    location = hospice.locations.get()
    original = location.history.first()
    location.street = "Verkeerde straat"
    location.save()
    revert_url = reverse(
        "admin:netwerk_location_simple_history", args=[location.pk, original.history_id]
    )
    form = coordinator_client.get(revert_url).context["adminform"].form
    data = {f.html_name: f.value() for f in form if f.value() is not None}
    response = coordinator_client.post(revert_url, data)
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.street == "Lindelaan"


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_history_outside_scope_does_not_exist(role_client, amsterdam_organisation, model):
    other = object_of(model, amsterdam_organisation)
    version = other.history.first()
    for address in (
        url(model, "history", other.pk),
        reverse(
            f"admin:netwerk_{model._meta.model_name}_simple_history", args=[other.pk, version.pk]
        ),
    ):
        response = role_client.get(address)
        assert response.status_code == 404, address
        assert amsterdam_organisation.name not in response.content.decode()


def test_a_revert_outside_scope_is_refused(role_client, amsterdam_organisation):
    version = amsterdam_organisation.history.first()
    response = role_client.post(
        reverse(
            "admin:netwerk_organisation_simple_history",
            args=[amsterdam_organisation.pk, version.pk],
        ),
        {"name": "Gekaapt", "slug": "ggz-amstel", "kind": "ggz"},
    )
    assert response.status_code == 404
    amsterdam_organisation.refresh_from_db()
    assert amsterdam_organisation.name == "GGZ Amstel"


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_history_inside_scope_is_open(role_client, hospice, model):
    own = object_of(model, hospice)
    assert role_client.get(url(model, "history", own.pk)).status_code == 200
    version = own.history.first()
    address = reverse(
        f"admin:netwerk_{model._meta.model_name}_simple_history", args=[own.pk, version.pk]
    )
    assert role_client.get(address).status_code == 200


def test_history_page_queries_are_bounded(admin_client, hospice, django_assert_max_num_queries):
    for number in range(30):
        hospice.description = f"versie {number}"
        hospice.save()
    with django_assert_max_num_queries(30):
        response = admin_client.get(url(Organisation, "history", hospice.pk))
    assert response.status_code == 200


def test_a_user_without_a_role_sees_no_history(client, hospice):
    client.force_login(User.objects.create_user("buiten", password="x", is_staff=True))
    response = client.get(url(Organisation, "history", hospice.pk))
    assert response.status_code in (403, 404)
