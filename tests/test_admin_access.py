"""Coordinators see their region, editors their own organisations; everything else is a 404."""

import json

import pytest
from django.urls import reverse

from netwerk.consultation.lines import ConsultationLine
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.places.places import Place
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from tests.test_doors import browser_data

pytestmark = pytest.mark.django_db

SCOPED_MODELS = [Organisation, Location, Place, ConsultationLine]
# Consultation lines are the coordinators' work; editors have no door to them (test_doors.py).
ROLES_AND_MODELS = [
    (role, model)
    for role in ("coordinator", "editor")
    for model in SCOPED_MODELS
    if (role, model) != ("editor", ConsultationLine)
]
IDS = [f"{role}-{model.__name__}" for role, model in ROLES_AND_MODELS]


def url(model, view, *args):
    return reverse(f"admin:netwerk_{model._meta.model_name}_{view}", args=args)


def object_of(model, organisation):
    if model is Organisation:
        return organisation
    return model.objects.get(organisation=organisation)


@pytest.fixture(params=["coordinator", "editor"])
def role_client(request, client, hospice, office_hours_line, amsterdam_organisation):
    client.force_login(request.getfixturevalue(request.param))
    return client


@pytest.mark.parametrize(("role", "model"), ROLES_AND_MODELS, ids=IDS)
def test_changelist_shows_only_what_is_in_scope(
    client_as, hospice, amsterdam_organisation, role, model
):
    response = client_as(role).get(url(model, "changelist"))
    assert response.status_code == 200
    shown = list(response.context["cl"].queryset)
    assert object_of(model, hospice) in shown
    assert object_of(model, amsterdam_organisation) not in shown


@pytest.mark.parametrize(("role", "model"), ROLES_AND_MODELS, ids=IDS)
@pytest.mark.parametrize("view", ["change", "history"])
def test_objects_outside_scope_answer_404(client_as, amsterdam_organisation, role, model, view):
    other = object_of(model, amsterdam_organisation)
    response = client_as(role).get(url(model, view, other.pk))
    assert response.status_code == 404
    assert amsterdam_organisation.name not in response.content.decode()


@pytest.mark.parametrize(("role", "model"), ROLES_AND_MODELS, ids=IDS)
def test_objects_in_scope_can_be_changed(client_as, hospice, role, model):
    response = client_as(role).get(url(model, "change", object_of(model, hospice).pk))
    assert response.status_code == 200


def test_autocomplete_offers_only_organisations_in_scope(
    role_client, hospice, amsterdam_organisation
):
    response = role_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "netwerk", "model_name": "place", "field_name": "organisation", "term": ""},
    )
    names = [result["text"] for result in json.loads(response.content)["results"]]
    assert names == [hospice.name]


def test_foreign_key_choices_are_limited_to_scope(client_as, hospice, amsterdam_organisation):
    response = client_as("coordinator").get(url(ConsultationLine, "add"))
    escalation_choices = list(response.context["adminform"].form.fields["escalates_to"].queryset)
    assert all(line.organisation == hospice for line in escalation_choices)


def test_posting_an_object_outside_scope_is_refused(role_client, amsterdam_organisation):
    other = Location.objects.get(organisation=amsterdam_organisation)
    response = role_client.post(url(Location, "change", other.pk), {"city": "Gekaapt"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.city == "Amsterdam"


def test_editor_cannot_add_or_delete_organisations(client, editor, hospice):
    client.force_login(editor)
    assert client.get(url(Organisation, "add")).status_code == 403
    assert client.get(url(Organisation, "delete", hospice.pk)).status_code == 403


def test_coordinator_sees_an_organisation_through_its_locations_too(client, coordinator, region):
    elsewhere = Organisation.objects.create(
        name="Thuiszorg Mobiel", slug="thuiszorg-mobiel", kind="thuiszorg"
    )
    Location.objects.create(organisation=elsewhere, postcode="3584 CX", city="Utrecht")
    client.force_login(coordinator)
    assert client.get(url(Organisation, "change", elsewhere.pk)).status_code == 200


def test_staff_without_a_role_sees_nothing(client, django_user_model, hospice):
    user = django_user_model.objects.create_user("stagiair", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(url(Organisation, "changelist")).status_code == 403
    assert client.get(url(Organisation, "change", hospice.pk)).status_code == 403


def test_view_on_site_redirect_is_for_administrators_only(
    client, editor, admin_user, amsterdam_organisation
):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Organisation)
    path = f"/beheer/r/{content_type.pk}/{amsterdam_organisation.pk}/"
    client.force_login(editor)
    assert client.get(path).status_code == 404
    client.force_login(admin_user)
    assert client.get(path)["Location"].endswith(amsterdam_organisation.get_absolute_url())


# --- Region edges: a region's extra and excluded PC4 areas decide a coordinator's scope. --------


@pytest.fixture
def coordinator_client(client, coordinator, region_with_edges):
    client.force_login(coordinator)
    return client


@pytest.fixture
def excluded(organisation_at) -> Organisation:
    return organisation_at("3584 CX", "Utrecht", "uithof")


@pytest.fixture
def extra(organisation_at) -> Organisation:
    return organisation_at("3437 AB", "Nieuwegein", "galecop")


def shown_by_every_door(client, organisation) -> dict[str, bool]:
    """Whether the organisation is in the changelist, its change page, the autocomplete and
    the export."""
    changelist = client.get(url(Organisation, "changelist"))
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "netwerk", "model_name": "place", "field_name": "organisation", "term": ""},
    )
    export = client.post(url(Organisation, "export"), {"format": "0", "resource": "0"})
    return {
        "changelist": organisation in changelist.context["cl"].queryset,
        "change": client.get(url(Organisation, "change", organisation.pk)).status_code == 200,
        "autocomplete": organisation.name
        in [result["text"] for result in json.loads(autocomplete.content)["results"]],
        "export": organisation.slug in export.content.decode("utf-8"),
    }


EVERY_DOOR = {"changelist": True, "change": True, "autocomplete": True, "export": True}
NO_DOOR = dict.fromkeys(EVERY_DOOR, False)


def test_an_organisation_only_in_an_excluded_postcode_area_is_outside_the_region(
    coordinator_client, excluded
):
    assert shown_by_every_door(coordinator_client, excluded) == NO_DOOR
    assert coordinator_client.get(url(Organisation, "change", excluded.pk)).status_code == 404


def test_an_organisation_in_an_extra_postcode_area_of_a_neighbour_is_inside_the_region(
    coordinator_client, extra
):
    assert shown_by_every_door(coordinator_client, extra) == EVERY_DOOR


def test_the_rest_of_the_neighbouring_municipality_stays_outside(
    organisation_at, coordinator_client
):
    centre = organisation_at("3431 AA", "Nieuwegein", "nieuwegein-centrum")
    assert shown_by_every_door(coordinator_client, centre) == NO_DOOR


def test_a_location_in_the_region_brings_in_an_organisation_with_another_location_excluded(
    coordinator_client, excluded
):
    Location.objects.create(organisation=excluded, postcode="3511 AB", city="Utrecht")
    assert shown_by_every_door(coordinator_client, excluded) == EVERY_DOOR


def test_a_service_area_reaches_the_region_through_any_of_its_areas_in_it(
    organisation_at, coordinator_client, region_with_edges, excluded
):
    """A service area is whole municipalities: serving Utrecht reaches the region even from an
    excluded area, and serving Nieuwegein reaches it through the extra area."""
    excluded.service_area.add(Municipality.objects.get(code="GM0344"))
    nieuwegein_wide = organisation_at("3431 AA", "Nieuwegein", "nieuwegein-breed")
    nieuwegein_wide.service_area.add(Municipality.objects.get(code="GM0356"))
    assert shown_by_every_door(coordinator_client, excluded) == EVERY_DOOR
    assert shown_by_every_door(coordinator_client, nieuwegein_wide) == EVERY_DOOR


def test_a_service_area_of_only_excluded_areas_does_not_reach_the_region(
    organisation_at, coordinator_client, region_with_edges
):
    bunnik = Municipality.objects.get(code="GM0312")
    region_with_edges.municipalities.add(bunnik)
    region_with_edges.excluded_postcode_areas.add(*bunnik.postcode_areas.all())
    serving_bunnik = organisation_at("3431 AA", "Nieuwegein", "bunnik-thuis")
    serving_bunnik.service_area.add(bunnik)
    assert shown_by_every_door(coordinator_client, serving_bunnik) == NO_DOOR


def test_a_second_region_that_includes_the_excluded_area_opens_it(
    coordinator_client, coordinator, excluded
):
    """Each region's exclusions apply to that region only."""
    utrecht_oost = Region.objects.create(name="Utrecht Oost", slug="utrecht-oost")
    utrecht_oost.extra_postcode_areas.add(PostcodeArea.objects.get(pc4="3584"))
    utrecht_oost.coordinators.add(coordinator)
    assert shown_by_every_door(coordinator_client, excluded) == EVERY_DOOR


def test_the_region_filter_of_the_search_follows_the_same_edges(
    client, region_with_edges, excluded, extra, hospice
):
    response = client.get(reverse("netwerk:search"), {"regio": region_with_edges.slug})
    shown = {o.slug for o in response.context["page"].paginator.object_list}
    assert {hospice.slug, extra.slug} <= shown
    assert excluded.slug not in shown


def test_a_row_of_another_organisation_posted_on_ones_own_page_is_refused(
    client_as, hospice, amsterdam_organisation
):
    """A changed `places-0-id` must not copy another region's place into one's own organisation."""
    client = client_as("coordinator")
    page = client.get(url(Organisation, "change", hospice.pk))
    data = browser_data(page)
    theirs = Place.objects.get(organisation=amsterdam_organisation)
    data["places-0-id"] = theirs.pk
    data["places-0-name"] = "Gekaapt"
    places_before = Place.objects.count()

    response = client.post(url(Organisation, "change", hospice.pk), data)

    assert response.status_code == 200
    assert "hoort niet bij deze pagina" in response.content.decode()
    assert Place.objects.count() == places_before
    theirs.refresh_from_db()
    assert theirs.name != "Gekaapt" and theirs.organisation == amsterdam_organisation


@pytest.mark.parametrize(
    "drill_down",
    [
        {"updated_at__year": "9999"},
        {"updated_at__year": "9999", "updated_at__month": "12", "updated_at__day": "31"},
        {"updated_at__year": "1", "updated_at__month": "1", "updated_at__day": "1"},
        {"updated_at__year": "2026", "updated_at__month": "13"},
    ],
)
def test_a_date_drill_down_off_the_calendar_returns_to_the_plain_list(admin_client, drill_down):
    response = admin_client.get(url(Organisation, "changelist"), drill_down)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
    assert admin_client.get(response["Location"]).status_code == 200
