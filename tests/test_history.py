"""Every change is kept with who made it; coordinators read it as a diff and revert to a version.

The history doors follow the same scope as the change pages, for coordinators and editors.
"""

import importlib

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from netwerk.consultation.lines import ConsultationLine
from netwerk.coordination.history import version_written_by_last_save
from netwerk.coordination.verification import organisations_verify
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.places.places import Place
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, Region
from netwerk.search.documents import search

pytestmark = pytest.mark.django_db

SCOPED_MODELS = [Organisation, Location, Place, Contact, ConsultationLine]
# Consultation lines are the coordinators' work: editors have no door to them at all.
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


def as_the_browser_posts(form) -> dict:
    """The values a form shows, as the browser would submit them unchanged."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


def revert(client, obj, record):
    """Open a version on the admin's revert page and save it as shown."""
    address = reverse(
        f"admin:netwerk_{obj._meta.model_name}_simple_history", args=[obj.pk, record.history_id]
    )
    page = client.get(address)
    assert page.status_code == 200
    response = client.post(address, as_the_browser_posts(page.context["adminform"].form))
    assert response.status_code == 302, response.context and response.context["errors"]
    return page


def names(records) -> list[str]:
    return sorted(str(record) for record in records)


@pytest.fixture
def zeist(db) -> Municipality:
    return Municipality.objects.get(code="GM0355")


@pytest.fixture
def addiction(db) -> ExpertiseTag:
    return ExpertiseTag.objects.create(name="Verslaving", slug="verslaving", category="addiction")


@pytest.fixture
def dementia(db) -> ExpertiseTag:
    return ExpertiseTag.objects.create(name="Dementie", slug="dementie", category="somatic")


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


@pytest.mark.parametrize(("role", "model"), ROLES_AND_MODELS, ids=IDS)
def test_history_outside_scope_does_not_exist(client_as, amsterdam_organisation, role, model):
    role_client = client_as(role)
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


@pytest.mark.parametrize(("role", "model"), ROLES_AND_MODELS, ids=IDS)
def test_history_inside_scope_is_open(client_as, hospice, role, model):
    role_client = client_as(role)
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
    assert response.status_code == 403


def test_a_change_to_only_the_service_area_is_one_version_holding_the_new_set(
    coordinator_client, coordinator, hospice, zeist
):
    versions_before = hospice.history.count()
    response = coordinator_client.post(
        url(Organisation, "change", hospice.pk),
        organisation_form_data(hospice, service_area=[hospice.service_area.get().pk, zeist.pk]),
    )
    assert response.status_code == 302, response.context["errors"]
    assert hospice.history.count() == versions_before + 1
    latest = hospice.history.first()
    assert latest.history_user == coordinator
    assert names(row.municipality for row in latest.service_area.all()) == ["Utrecht", "Zeist"]


def test_the_history_page_names_the_municipalities_and_tags_that_changed(
    coordinator_client, hospice, zeist, addiction
):
    coordinator_client.post(
        url(Organisation, "change", hospice.pk),
        organisation_form_data(
            hospice,
            service_area=[hospice.service_area.get().pk, zeist.pk],
            expertise=[addiction.pk],
        ),
    )
    page = coordinator_client.get(url(Organisation, "history", hospice.pk))
    changes = {
        change["field"]: (change["old"], change["new"])
        for change in page.context["page_obj"][0].history_delta_changes
    }
    assert changes["Werkgebied"] == ("Utrecht", "Utrecht, Zeist")
    assert changes["Expertise"] == ("(leeg)", "Verslaving")
    html = page.content.decode()
    assert "Utrecht, Zeist" in html and "Verslaving" in html


def test_a_revert_restores_the_service_area_and_expertise_and_the_search_follows(
    coordinator_client, coordinator, hospice, zeist, addiction, dementia
):
    hospice.expertise.add(addiction)
    original = hospice.history.first()
    coordinator_client.post(
        url(Organisation, "change", hospice.pk),
        organisation_form_data(hospice, service_area=[zeist.pk], expertise=[dementia.pk]),
    )
    assert search(Organisation.objects.all(), "dementie").get() == hospice

    page = revert(coordinator_client, hospice, original)

    initial = page.context["adminform"].form.initial
    assert (initial["service_area"], initial["expertise"]) == (
        [hospice.service_area.model.objects.get(code="GM0344").pk],
        [addiction.pk],
    )
    assert names(hospice.service_area.all()) == ["Utrecht"]
    assert names(hospice.expertise.all()) == ["Verslaving"]
    assert search(Organisation.objects.all(), "verslaving").get() == hospice
    assert not search(Organisation.objects.all(), "dementie").exists()
    reverted = hospice.history.first()
    assert reverted.history_user == coordinator
    assert names(row.expertisetag for row in reverted.expertise.all()) == ["Verslaving"]


def test_a_revert_leaves_the_editors_alone(admin_client, hospice, editor):
    """Who may edit is access, not content: reverting details neither grants nor revokes it."""
    before_the_editor = hospice.history.last()
    revert(admin_client, hospice, before_the_editor)
    assert list(hospice.editors.all()) == [editor]


def test_a_verified_version_keeps_the_service_area(coordinator_client, coordinator, hospice):
    organisations_verify(organisations=[hospice], by=coordinator)
    verified = hospice.history.first()
    assert verified.history_change_reason == "gecontroleerd"
    assert names(row.municipality for row in verified.service_area.all()) == ["Utrecht"]

    hospice.service_area.clear()
    revert(coordinator_client, hospice, verified)
    assert names(hospice.service_area.all()) == ["Utrecht"]


def test_a_consultation_line_reverts_its_regions_and_municipalities(
    coordinator_client, office_hours_line, region, zeist
):
    line = office_hours_line
    line.regions.add(region)
    original = line.history.first()
    line.regions.clear()
    line.municipalities.add(zeist)

    revert(coordinator_client, line, original)

    assert list(line.regions.all()) == [region]
    assert list(line.municipalities.all()) == []
    assert [row.region for row in line.history.first().regions.all()] == [region]


def test_a_contact_reverts_its_expertise(coordinator_client, hospice, addiction, dementia):
    contact = Contact.objects.create(organisation=hospice, name="Dienstdoende psychiater")
    contact.expertise.add(addiction)
    original = contact.history.first()
    contact.expertise.set([dementia])

    revert(coordinator_client, contact, original)

    assert list(contact.expertise.all()) == [addiction]


def test_the_conflict_message_names_the_municipalities_the_other_coordinator_chose(
    client, coordinator, hospice, zeist
):
    client.force_login(coordinator)
    opened = client.get(url(Organisation, "change", hospice.pk)).context["adminform"].form
    version = opened.initial["version"]
    other = User.objects.create_user("collega", is_staff=True)
    Region.objects.get(slug="regio-utrecht").coordinators.add(other)
    colleague = Client()
    colleague.force_login(other)
    colleague.post(
        url(Organisation, "change", hospice.pk),
        organisation_form_data(hospice, service_area=[zeist.pk]),
    )
    response = client.post(
        url(Organisation, "change", hospice.pk),
        organisation_form_data(hospice, description="Mijn wijziging", version=version),
    )
    assert response.status_code == 200
    assert "werkgebied: Utrecht → Zeist" in response.content.decode()


def test_a_region_saved_in_the_admin_is_one_version_holding_its_areas(admin_client, region, zeist):
    versions_before = region.history.count()
    response = admin_client.post(
        url(Region, "change", region.pk),
        {
            "name": region.name,
            "slug": region.slug,
            "description": "",
            "municipalities": [m.pk for m in region.municipalities.all()] + [zeist.pk],
            "extra_postcode_areas": [],
            "excluded_postcode_areas": [],
            "coordinators": [],
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert region.history.count() == versions_before + 1
    kept = region.history.first().municipalities.all()
    assert "Zeist" in names(row.municipality for row in kept)


def test_versions_from_before_the_sets_were_tracked_get_the_current_sets(region, utrecht):
    """Migration 0008: a revert to such a version then keeps the sets instead of emptying them."""
    from django.apps import apps

    backfill = importlib.import_module("netwerk.migrations.0008_backfill_m2m_history")
    kept = apps.get_model("netwerk", "HistoricalRegion_municipalities")
    kept.objects.filter(history__id=region.pk).delete()  # as before tracking began
    records = list(region.history.values_list("history_id", "id"))

    backfill.copy_field(apps, Region, "Region", "municipalities", records)

    for record in region.history.all():
        assert [row.municipality for row in record.municipalities.all()] == [utrecht]


def test_the_sets_are_copied_into_the_version_this_save_wrote_not_a_newer_one(hospice):
    hospice.description = "Mijn wijziging"
    hospice.save()
    mine = hospice.history.first()
    theirs = hospice.history.first()
    theirs.history_id = None
    theirs.save()  # a colleague's save of the same organisation, a moment later
    assert hospice.history.first() == theirs
    assert version_written_by_last_save(hospice) == mine


# --- A revert is a change: the change permission, the scope, and a row that says so. ---


def version_address(obj, record) -> str:
    name = f"admin:netwerk_{obj._meta.model_name}_simple_history"
    return reverse(name, args=[obj.pk, record.history_id])


def test_a_coordinator_cannot_widen_their_region_through_a_revert(
    coordinator_client, region, zeist
):
    """Regions are the administrators' to change; a version page may be read, not posted."""
    version = region.history.first()
    page = coordinator_client.get(version_address(region, version))
    assert page.status_code == 200
    assert "Terugzetten" not in page.content.decode()
    response = coordinator_client.post(
        version_address(region, version),
        {"name": region.name, "slug": region.slug, "municipalities": [zeist.pk]},
    )
    assert response.status_code == 403
    assert zeist not in region.municipalities.all()


def test_an_editor_cannot_rename_a_region_or_rewrite_a_tag_through_a_revert(
    client, editor, region, addiction
):
    client.force_login(editor)
    for obj, data in (
        (region, {"name": "Gekaapt", "slug": region.slug}),
        (addiction, {"name": "Verslaving", "slug": "verslaving", "synonyms": "gekaapt"}),
    ):
        response = client.post(version_address(obj, obj.history.first()), data)
        assert response.status_code == 403
    region.refresh_from_db()
    addiction.refresh_from_db()
    assert region.name == "Regio Utrecht" and "gekaapt" not in addiction.synonyms


def test_a_revert_says_it_was_one_in_the_history_and_the_log(
    coordinator_client, coordinator, hospice
):
    original = hospice.history.first()
    hospice.description = "Later geschreven"
    hospice.save()

    revert(coordinator_client, hospice, original)

    latest = hospice.history.first()
    assert latest.history_change_reason.startswith("Teruggezet naar de versie van ")
    assert latest.history_user == coordinator
    log = LogEntry.objects.filter(object_id=str(hospice.pk)).latest("action_time")
    assert log.get_change_message().startswith("Teruggezet naar de versie van ")


def test_a_revert_leaves_what_the_form_does_not_offer_as_it_is(
    coordinator_client, coordinator, hospice
):
    """A revert to a version from before a verification does not undo the verification."""
    before_verification = hospice.history.first()
    organisations_verify(organisations=[hospice], by=coordinator)
    hospice.refresh_from_db()
    verified_on = hospice.last_verified_on

    revert(coordinator_client, hospice, before_verification)

    hospice.refresh_from_db()
    assert hospice.last_verified_on == verified_on
    assert hospice.last_verified_by == coordinator


def test_a_version_of_another_object_is_not_found(coordinator_client, hospice, office_hours_line):
    other_version = Organisation.objects.create(name="Ander", slug="ander").history.first()
    address = reverse(
        "admin:netwerk_organisation_simple_history", args=[hospice.pk, other_version.history_id]
    )
    assert coordinator_client.get(address).status_code == 404
    bad = reverse("admin:netwerk_organisation_simple_history", args=[hospice.pk, "abc"])
    assert coordinator_client.get(bad).status_code == 404
