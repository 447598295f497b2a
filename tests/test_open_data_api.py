"""The open data API (/api/v1/): HSDS 3.0, only what is public, validated, fast and polite.

- Every endpoint's output validates against the HSDS 3.0 schema in tests/data/hsds/ (written
  from the specification, stricter than it: no field HSDS does not define).
- Nothing non-public is reachable: a network full of marked secrets (professional-only and
  inactive lines, contacts for professionals or coordinators, a person without consent, an
  unpublished organisation, editors and verifiers) is crawled through every list page and every
  detail, signed in or not, and no secret, no id of a hidden object, appears; every field path
  that any response holds is declared below.
- Filters (`search`, `taxonomy_term_id`, `postcode`, `modified_after`, `organization_id`, paging)
  work, and a bad value is a 400 with a Dutch message, never a 500.
- ETag and If-None-Match, gzip, CORS for GET, a rate limit per address, and a number of queries per
  page that does not grow with the directory.
"""

import gzip
import json
import os
import re
import subprocess
import sys
import uuid
from datetime import UTC, time, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_openapi

from netwerk.consultation.lines import (
    Audience,
    ConsultationLine,
    HolidayRule,
    Purpose,
    ScheduleException,
    ScheduleRow,
)
from netwerk.directory.contacts import Contact, Visibility
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.open_data.vocabularies import derived_id
from netwerk.places.places import CareSetting, Place
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, Region
from netwerk.search.documents import organisations_search_refresh
from netwerk.search.publishing import changes_published

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "data/hsds/hsds-3.0.schema.json").read_text())
LISTS = {
    "/api/v1/organizations": "organization",
    "/api/v1/services": "service",
    "/api/v1/service_at_locations": "service_at_location",
    "/api/v1/taxonomies": "taxonomy",
    "/api/v1/taxonomy_terms": "taxonomy_term",
}
DETAILS = {
    "/api/v1/organizations": "/api/v1/organizations/{id}",
    "/api/v1/services": "/api/v1/services/{id}",
    "/api/v1/taxonomies": "/api/v1/taxonomies/{id}",
    "/api/v1/taxonomy_terms": "/api/v1/taxonomy_terms/{id}",
}
SECRET = "GEHEIM"


# --- Validation against the HSDS 3.0 schema ------------------------------------------------------

format_checker = FormatChecker()


@format_checker.checks("uri")
def is_uri(value) -> bool:  # jsonschema checks "uri" only with an extra package: do it here
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://[^\s/]+", value))


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        {**SCHEMA, "$ref": f"#/$defs/{name}"}, format_checker=format_checker
    )


def assert_valid(data, name: str) -> None:
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def assert_valid_page(data, item: str) -> None:
    assert_valid(data, "page")
    for content in data["contents"]:
        assert_valid(content, item)


def get_json(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def crawl(client) -> dict[str, object]:
    """Every page of every list and every detail named in them: {url: parsed body}."""
    seen = {"/api/v1/": get_json(client, "/api/v1/")}
    for path, detail in ((p, DETAILS.get(p)) for p in LISTS):
        page = 1
        while True:
            url = f"{path}?per_page=200&page={page}"
            data = get_json(client, path, per_page=200, page=page)
            seen[url] = data
            for item in data["contents"] if detail else []:
                seen[detail.format(id=item["id"])] = get_json(client, detail.format(id=item["id"]))
            if data["last_page"]:
                break
            page += 1
    return seen


# --- A network with secrets ----------------------------------------------------------------------


@pytest.fixture
def expertise(db) -> ExpertiseTag:
    return ExpertiseTag.objects.create(
        name="Psychiatrie in de laatste levensfase",
        slug="psychiatrie-laatste-fase",
        category="psychiatry",
    )


@pytest.fixture
def network(hospice, office_hours_line, expertise, region):
    """The hospice with what may be published, and beside it what may not (marked GEHEIM)."""
    editor = User.objects.create_user("GEHEIM-redacteur", email="GEHEIM-redacteur@example.org")
    hospice.editors.add(editor)
    hospice.expertise.add(expertise)
    hospice.description = "Hospice in Utrecht."
    hospice.email = "info@hospice-de-linde.example.org"
    hospice.phone = "+31301112233"
    hospice.mark_verified(by=editor)
    hospice.save()
    place = hospice.places.get()
    place.availability_updated_by = editor
    place.availability_note = "Vanaf maandag weer een plek"
    place.save()
    Contact.objects.create(
        organisation=hospice, name="Zorgcoördinator", is_person=False,
        visibility=Visibility.PUBLIC, phone="+31302223344", email="zorg@linde.example.org",
    )  # fmt: skip
    Contact.objects.create(
        organisation=hospice, name="Dr. A. de Vries", is_person=True, role="Arts",
        visibility=Visibility.PUBLIC, consent_recorded_on=timezone.localdate(),
        consent_note="GEHEIM-toestemmingsnotitie", email="a.devries@example.org",
    )  # fmt: skip
    Contact.objects.create(
        organisation=hospice, name="GEHEIM persoon zonder toestemming", is_person=True,
        visibility=Visibility.PUBLIC, phone="+31612345001", email="GEHEIM-1@example.org",
    )  # fmt: skip
    Contact.objects.create(
        organisation=hospice, name="GEHEIM professioneel contact", is_person=False,
        visibility=Visibility.PROFESSIONALS, phone="+31612345002", email="GEHEIM-2@example.org",
    )  # fmt: skip
    Contact.objects.create(
        organisation=hospice, name="GEHEIM coördinatorcontact", is_person=False,
        visibility=Visibility.COORDINATORS, phone="+31612345003", email="GEHEIM-3@example.org",
    )  # fmt: skip
    professional_line = ConsultationLine.objects.create(
        organisation=hospice, name="GEHEIM lijn voor professionals", phone="+31612345004",
        purpose=Purpose.CONSULTATION, audience=Audience.PROFESSIONALS, notes="GEHEIM notitie",
    )  # fmt: skip
    ConsultationLine.objects.create(
        organisation=hospice, name="GEHEIM inactieve lijn", phone="+31612345005",
        purpose=Purpose.CRISIS, audience=Audience.PUBLIC, is_active=False,
    )  # fmt: skip
    office_hours_line.escalates_to = professional_line
    office_hours_line.holiday_rule = HolidayRule.CLOSED
    office_hours_line.notes = "Vraag naar de dienstdoende arts."
    office_hours_line.save()
    office_hours_line.regions.add(region)
    office_hours_line.expertise.add(expertise)
    ScheduleException.objects.create(
        line=office_hours_line,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=4),
        reason="Teamdag",
    )
    hidden = Organisation.objects.create(
        name="GEHEIM ongepubliceerde organisatie", slug="geheim", kind=OrganisationKind.HOSPICE,
        is_published=False, phone="+31612345006",
    )  # fmt: skip
    hidden_location = Location.objects.create(
        organisation=hidden, street="GEHEIM-straat", postcode="3511 AB", city="Utrecht"
    )
    Place.objects.create(organisation=hidden, location=hidden_location, setting=CareSetting.HOSPICE)
    ConsultationLine.objects.create(
        organisation=hidden, name="GEHEIM lijn van een verborgen organisatie",
        phone="+31612345007", purpose=Purpose.CRISIS, audience=Audience.PUBLIC,
    )  # fmt: skip
    Contact.objects.create(
        organisation=hidden, name="GEHEIM openbaar contact verborgen", is_person=False,
        visibility=Visibility.PUBLIC,
    )  # fmt: skip
    return hospice


def hidden_ids() -> set[str]:
    """The ids of everything that must not be published: named GEHEIM, or of an organisation
    that is."""
    ids = set()
    for model in (Contact, ConsultationLine, Organisation, Location, Place):
        for obj in model.objects.all():
            own = getattr(obj, "name", "") + getattr(obj, "street", "")
            organisation = obj if model is Organisation else obj.organisation
            if SECRET in own or SECRET in organisation.name:
                ids.add(str(obj.uuid))
    return ids


SECRET_NUMBERS = [f"+3161234500{n}" for n in range(1, 8)]


def assert_nothing_secret(bodies: dict) -> None:
    text = json.dumps(bodies, ensure_ascii=False)
    assert SECRET not in text.upper()
    for number in SECRET_NUMBERS:
        assert number not in text
    for hidden in hidden_ids():
        assert hidden not in text


# --- Every field that is published, declared -----------------------------------------------------

# The path of every field any response may hold ("[]" for the items of a list), with what it
# comes from. A new field fails test_every_published_field_is_declared until it is declared here.
PUBLISHED_FIELDS = {
    # / (metadata)
    "version", "profile", "openapi_url", "description", "publisher.name", "publisher.email",
    "publisher.website",
    # paginated envelope
    "total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
    "contents[]",
    # organisation: name, description, e-mail, website, page, phone; kind and expertise
    "id", "name", "email", "website", "uri",
    "phones[].id", "phones[].organization_id", "phones[].number", "phones[].type",
    # contacts: only Contact.objects.visible_to(None)
    "contacts[].id", "contacts[].organization_id", "contacts[].name", "contacts[].title",
    "contacts[].email", "contacts[].phones[].id", "contacts[].phones[].contact_id",
    "contacts[].phones[].number", "contacts[].phones[].type",
    # locations: address, coordinates, phone, notes
    "locations[].id", "locations[].location_type", "locations[].organization_id",
    "locations[].name", "locations[].description", "locations[].latitude", "locations[].longitude",
    "locations[].addresses[].id", "locations[].addresses[].location_id",
    "locations[].addresses[].address_1", "locations[].addresses[].city",
    "locations[].addresses[].region", "locations[].addresses[].state_province",
    "locations[].addresses[].postal_code", "locations[].addresses[].country",
    "locations[].addresses[].address_type",
    # attributes: a term of a published taxonomy, with a value
    "attributes[].id", "attributes[].link_id", "attributes[].link_type", "attributes[].link_entity",
    "attributes[].taxonomy_term_id", "attributes[].value",
    "attributes[].taxonomy_term.id", "attributes[].taxonomy_term.code",
    "attributes[].taxonomy_term.name", "attributes[].taxonomy_term.description",
    "attributes[].taxonomy_term.parent_id", "attributes[].taxonomy_term.taxonomy",
    "attributes[].taxonomy_term.taxonomy_id", "attributes[].taxonomy_term.language",
    # services: places and public lines
    "organization_id", "url", "status", "eligibility_description", "application_process",
    "assured_date", "alert",
    "phones[].service_id", "phones[].description", "phones[].location_id",
    "schedules[].id", "schedules[].service_id", "schedules[].freq", "schedules[].wkst",
    "schedules[].byday", "schedules[].opens_at", "schedules[].closes_at",
    "schedules[].description", "schedules[].notes", "schedules[].valid_from",
    "schedules[].valid_to", "schedules[].dtstart",
    "service_areas[].id", "service_areas[].service_id", "service_areas[].name",
    "service_areas[].description",
    "service_at_locations[].id", "service_at_locations[].service_id",
    "service_at_locations[].location_id",
    "organization.id", "organization.name", "organization.description", "organization.email",
    "organization.website", "organization.uri",
    # a service at its location (the list's items, and the location nested in them)
    "service_id", "location_id", "location_type", "latitude", "longitude",
    "addresses[].id", "addresses[].location_id", "addresses[].address_1", "addresses[].city",
    "addresses[].region", "addresses[].state_province", "addresses[].postal_code",
    "addresses[].country", "addresses[].address_type",
    # an organisation's services (empty when it has none)
    "services",
    # taxonomy terms
    "code", "parent_id", "taxonomy", "taxonomy_id", "language",
    "taxonomy_detail.id", "taxonomy_detail.name", "taxonomy_detail.description",
}  # fmt: skip
# Nested objects repeat fields declared above at another place.
REPEATED = ("contents[].", "services[].", "service_at_locations[].location.", "location.")


def field_paths(data, prefix="") -> set[str]:
    if isinstance(data, dict):
        paths = set()
        for key, value in data.items():
            paths |= field_paths(value, f"{prefix}{key}.") or {f"{prefix}{key}"}
        return paths
    if isinstance(data, list):
        paths = set()
        for item in data:
            paths |= field_paths(item, f"{prefix[:-1]}[].") or {f"{prefix[:-1]}[]"}
        return paths
    return set()


def undeclared(paths: set[str]) -> set[str]:
    left = set()
    for path in paths:
        while path.startswith(REPEATED):
            path = path.removeprefix(next(p for p in REPEATED if path.startswith(p)))
        for prefix in REPEATED:  # a nested service's own nested location
            path = path.replace(prefix, "") if path.startswith("service_at_locations[].") else path
        if path not in PUBLISHED_FIELDS and f"{path}" not in {"contents[]"}:
            left.add(path)
    return left


# --- The tests -----------------------------------------------------------------------------------


def test_every_endpoint_validates_against_hsds_3(client, network, demo):
    bodies = crawl(client)
    assert_valid(bodies["/api/v1/"], "api_root")
    for url, data in bodies.items():
        path = url.split("?")[0]
        if path in LISTS:
            assert_valid_page(data, LISTS[path])
        elif url != "/api/v1/":
            kind = next(
                LISTS[list_path] for list_path in DETAILS if path.startswith(list_path + "/")
            )
            assert_valid(data, kind)
    services = [item for url, data in bodies.items() if url.startswith("/api/v1/services?")
                for item in data["contents"]]  # fmt: skip
    assert len(services) == Place.objects.filter(organisation__is_published=True).count() + (
        ConsultationLine.objects.active().filter(audience="public").count()
    )


def test_nothing_non_public_is_reachable(client, network, coordinator):
    bodies = crawl(client)
    assert_nothing_secret(bodies)
    # The open data is the same for everyone: a coordinator signed in sees no more.
    client.force_login(coordinator)
    assert crawl(client) == bodies


def test_every_published_field_is_declared(client, network, demo):
    paths = set().union(*(field_paths(data) for data in crawl(client).values()))
    assert sorted(undeclared(paths)) == []


def test_hidden_objects_answer_404(client, network):
    for line in ConsultationLine.objects.exclude(audience="public", is_active=True):
        assert client.get(f"/api/v1/services/{line.uuid}").status_code == 404
    hidden = Organisation.objects.get(is_published=False)
    response = client.get(f"/api/v1/organizations/{hidden.uuid}")
    assert response.status_code == 404
    assert response.json() == {"error": "Niet gevonden.", "status": 404}
    assert client.get(f"/api/v1/services/{hidden.places.get().uuid}").status_code == 404
    assert client.get("/api/v1/services/niet-een-uuid").status_code == 404
    assert client.get(f"/api/v1/taxonomy_terms/{uuid.uuid4()}").status_code == 404


def test_contacts_as_the_organisation_page_shows_them(client, network):
    data = get_json(client, f"/api/v1/organizations/{network.uuid}")
    names = {contact["name"] for contact in data["contacts"]}
    assert names == {"Zorgcoördinator", "Dr. A. de Vries"}
    coordinator = next(c for c in data["contacts"] if c["name"] == "Zorgcoördinator")
    assert coordinator["phones"][0]["number"] == "+31302223344"
    assert [s["name"] for s in data["services"]] == ["Consultatie palliatieve zorg", "Hospice"]


def test_a_place_is_a_service_at_its_location_with_terms_and_fresh_availability(client, network):
    place = network.places.get()
    data = get_json(client, f"/api/v1/services/{place.uuid}")
    by_type = {}
    for item in data["attributes"]:
        by_type.setdefault(item["link_type"], []).append(item)
    assert by_type["setting"][0]["taxonomy_term"]["code"] == "hospice"
    assert by_type["availability"][0]["taxonomy_term"]["code"] == "available"
    assert {a["taxonomy_term"]["code"]: a["value"] for a in by_type["acceptance"]} == {
        "epa": "consult", "middelengebruik": "consult", "opiaatvervanging": "consult",
        "een-op-een-begeleiding": "consult", "roken": "consult",
    }  # fmt: skip
    assert data["alert"].startswith("Beschikbaar (bijgewerkt ")
    assert "Vanaf maandag weer een plek" in data["alert"]
    location = data["service_at_locations"][0]
    assert location["location_id"] == str(place.location.uuid)
    assert data["organization"]["id"] == str(network.uuid)
    assert {area["name"] for area in data["service_areas"]} == {"Utrecht"}

    # Older than the setting's freshness period: unknown, and the note goes with it.
    Place.objects.filter(pk=place.pk).update(
        availability_updated_at=timezone.now() - timedelta(days=30)
    )
    cache.clear()  # update() writes no history; the cached answer lives at most five minutes
    data = get_json(client, f"/api/v1/services/{place.uuid}")
    availability = next(a for a in data["attributes"] if a["link_type"] == "availability")
    assert availability["taxonomy_term"]["code"] == "onbekend"
    assert data["alert"].startswith("Beschikbaarheid onbekend (laatst bijgewerkt ")
    assert "Vanaf maandag" not in data["alert"]


def test_a_line_is_a_service_with_rrule_schedules_holidays_and_exceptions(client, network):
    line = ConsultationLine.objects.get(name="Consultatie palliatieve zorg")
    data = get_json(client, f"/api/v1/services/{line.uuid}")
    weekly = [s for s in data["schedules"] if "freq" in s]
    assert [(s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in weekly] == [
        ("WEEKLY", day, "09:00", "17:00") for day in ("MO", "TU", "WE", "TH", "FR")
    ]
    assert all("Gesloten op feestdagen." in s["notes"] for s in weekly)
    holidays = [s for s in data["schedules"] if s.get("description", "").startswith("Gesloten: ")]
    assert holidays and all(s["valid_from"] == s["valid_to"] for s in holidays)
    assert any("eerste kerstdag" in s["description"].lower() for s in holidays)
    (exception,) = [s for s in data["schedules"] if s.get("notes") == "Teamdag"]
    assert exception["id"] == str(line.exceptions.get().uuid)
    assert data["phones"][0]["number"] == "+31301234567"
    # It escalates to a line for professionals: that is not named.
    assert data["phones"][0]["description"] == "Vraag naar de dienstdoende arts."
    assert {a["name"] for a in data["service_areas"]} == {"Regio Utrecht"}
    codes = {a["taxonomy_term"]["code"] for a in data["attributes"]}
    assert codes == {"consultation", "psychiatrie-laatste-fase"}


def test_an_always_open_line_and_a_public_escalation(client, network):
    crisis = ConsultationLine.objects.create(
        organisation=network, name="Crisisdienst", phone="+31303334455",
        purpose=Purpose.CRISIS, audience=Audience.PUBLIC, is_always_open=True,
    )  # fmt: skip
    line = ConsultationLine.objects.get(name="Consultatie palliatieve zorg")
    line.escalates_to = crisis
    line.save()
    data = get_json(client, f"/api/v1/services/{crisis.uuid}")
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in data["schedules"]] == [
        ("MO,TU,WE,TH,FR,SA,SU", "00:00", "00:00")
    ]
    data = get_json(client, f"/api/v1/services/{line.uuid}")
    assert f"Crisisdienst, +31303334455 (id {crisis.uuid})" in data["phones"][0]["description"]


def test_expertise_is_a_taxonomy_with_the_tags_own_ids(client, network, expertise):
    taxonomies = get_json(client, "/api/v1/taxonomies")["contents"]
    names = [taxonomy["name"] for taxonomy in taxonomies]
    assert names[0] == "Expertise" and "Zorgsetting" in names
    expertise_id = taxonomies[0]["id"]
    terms = get_json(client, "/api/v1/taxonomy_terms", taxonomy_id=expertise_id, per_page=200)
    by_code = {term["code"]: term for term in terms["contents"]}
    assert by_code["psychiatrie-laatste-fase"]["id"] == str(expertise.uuid)
    assert by_code["psychiatrie-laatste-fase"]["parent_id"] == by_code["categorie-psychiatry"]["id"]
    term = get_json(client, f"/api/v1/taxonomy_terms/{expertise.uuid}")
    assert term["taxonomy_detail"]["name"] == "Expertise"
    # The fixed vocabularies have the same ids in every installation.
    hospice = next(
        t for t in get_json(client, "/api/v1/taxonomy_terms", search="hospice")["contents"]
        if t["taxonomy"] == "Zorgsetting"
    )  # fmt: skip
    assert hospice["id"] == derived_id("term", "zorgsetting", "hospice")


# --- Filters -------------------------------------------------------------------------------------


def names(client, path, **params) -> list[str]:
    return [item["name"] for item in get_json(client, path, **params)["contents"]]


def test_search(client, network, amsterdam_organisation):
    organisations_search_refresh()
    assert names(client, "/api/v1/organizations", search="linde") == ["Hospice De Linde"]
    assert names(client, "/api/v1/organizations", search="qqqzzzxx") == []
    assert "Consultatie palliatieve zorg" in names(client, "/api/v1/services", search="linde")


def test_taxonomy_term_filter(client, network, expertise, amsterdam_organisation):
    assert names(client, "/api/v1/organizations", taxonomy_term_id=expertise.uuid) == [
        "Hospice De Linde"
    ]
    setting = derived_id("term", "zorgsetting", "hospice")
    assert names(client, "/api/v1/services", taxonomy_term_id=setting) == ["Hospice"]
    purpose = derived_id("term", "doel", "consultation")
    assert names(client, "/api/v1/services", taxonomy_term_id=purpose) == [
        "Consultatie palliatieve zorg"
    ]
    assert names(client, "/api/v1/organizations", taxonomy_term_id=uuid.uuid4()) == []


def test_postcode_filter(client, network, amsterdam_organisation):
    assert names(client, "/api/v1/organizations", postcode="3511 AB") == ["Hospice De Linde"]
    assert names(client, "/api/v1/organizations", postcode="1012") == [amsterdam_organisation.name]
    assert names(client, "/api/v1/services", postcode="1012") == ["Instelling"]


def test_modified_after_filter(client, network):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert names(client, "/api/v1/organizations", modified_after=yesterday) == ["Hospice De Linde"]
    assert len(names(client, "/api/v1/services", modified_after=yesterday)) == 2
    later = (timezone.now() + timedelta(hours=1)).astimezone(UTC).isoformat()
    assert names(client, "/api/v1/organizations", modified_after=later) == []
    assert names(client, "/api/v1/services", modified_after=later) == []
    # A change to a line's schedule is a change to the line.
    line = ConsultationLine.objects.get(name="Consultatie palliatieve zorg")
    moment = timezone.now()
    ScheduleRow.objects.create(line=line, weekday=5, opens_at=time(10), closes_at=time(12))
    with_change = names(client, "/api/v1/services", modified_after=moment.isoformat())
    assert with_change == ["Consultatie palliatieve zorg"]


def test_paging(client, network, demo):
    total = get_json(client, "/api/v1/organizations")["total_items"]
    first = get_json(client, "/api/v1/organizations", per_page=2)
    assert (first["size"], first["page_number"], first["first_page"], first["last_page"]) == (
        2, 1, True, False,
    )  # fmt: skip
    assert first["total_pages"] == -(-total // 2)
    last = get_json(client, "/api/v1/organizations", per_page=2, page=first["total_pages"])
    assert last["last_page"] and not last["first_page"]
    beyond = get_json(client, "/api/v1/organizations", per_page=2, page=first["total_pages"] + 1)
    assert beyond["contents"] == [] and beyond["size"] == 0 and not beyond["empty"]
    everything = [
        item["id"]
        for page in range(1, first["total_pages"] + 1)
        for item in get_json(client, "/api/v1/organizations", per_page=2, page=page)["contents"]
    ]
    assert len(everything) == len(set(everything)) == total
    empty = get_json(client, "/api/v1/organizations", search="qqqzzzxx")
    assert empty["empty"] and empty["total_items"] == 0 and empty["total_pages"] == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "0"}, "page moet een geheel getal van 1 tot en met"),
        ({"page": "twee"}, "page moet een geheel getal"),
        ({"per_page": "1000"}, "per_page moet een geheel getal van 1 tot en met 200"),
        ({"taxonomy_term_id": "psychiatrie"}, "taxonomy_term_id moet een UUID zijn"),
        ({"organization_id": "12"}, "organization_id moet een UUID zijn"),
        ({"postcode": "abc"}, "geen geldige Nederlandse postcode"),
        ({"postcode": "1000 AA"}, "postcode 1000 is onbekend"),
        ({"region": "atlantis"}, "region: regio atlantis bestaat niet"),
        ({"modified_after": "gisteren"}, "modified_after moet een datum of tijdstip zijn"),
        ({"modified_after": "2026-02-30"}, "modified_after moet een datum of tijdstip zijn"),
        ({"modified_after": "0001-01-01"}, "modified_after moet een datum of tijdstip zijn"),
        ({"search": "x" * 201}, "search mag hoogstens 200 tekens lang zijn"),
    ],
)
def test_bad_parameters_are_a_dutch_400(client, hospice, params, message):
    for path in ("/api/v1/organizations", "/api/v1/services", "/api/v1/service_at_locations"):
        response = client.get(path, params)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert message in response.json()["error"]
        assert response["Access-Control-Allow-Origin"] == "*"


# --- Fast and polite -----------------------------------------------------------------------------


def test_etag_and_if_none_match(client, hospice):
    response = client.get("/api/v1/organizations")
    etag = response["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/api/v1/organizations", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    hospice.name = "Hospice De Eik"
    hospice.save()
    changes_published(organisation_ids=[hospice.pk])  # the write path moves the version
    changed = client.get("/api/v1/organizations", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Hospice De Eik" in changed.content.decode()


def test_gzip_cors_and_caching_headers(client, hospice):
    response = client.get("/api/v1/services", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["total_items"] == 1
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    preflight = client.options("/api/v1/services", HTTP_ORIGIN="https://buren.example.org")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    refused = client.post("/api/v1/services", {})
    assert refused.status_code == 405 and "alleen gelezen" in refused.json()["error"]


def test_rate_limit_per_address(client, hospice, settings):
    settings.OPEN_DATA_API_RATE = "3/m"
    statuses = [client.get("/api/v1/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/organizations")
    assert limited.status_code == 429 and "Te veel verzoeken" in limited.json()["error"]
    other = client.get("/api/v1/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def add_organisations(count: int, start: int, utrecht: Municipality, tag: ExpertiseTag) -> None:
    for n in range(start, start + count):
        organisation = Organisation.objects.create(
            name=f"Organisatie {n:03}", slug=f"organisatie-{n}", kind=OrganisationKind.HOSPICE,
            phone="+31301234000",
        )  # fmt: skip
        organisation.expertise.add(tag)
        organisation.service_area.add(utrecht)
        location = Location.objects.create(
            organisation=organisation, postcode="3511 AB", city="Utrecht", phone="+31301234001"
        )
        Place.objects.create(organisation=organisation, location=location, setting="hospice")
        Contact.objects.create(organisation=organisation, name="Balie", is_person=False,
                               visibility=Visibility.PUBLIC)  # fmt: skip
        line = ConsultationLine.objects.create(
            organisation=organisation, name=f"Lijn {n}", phone="+31301234002",
            purpose=Purpose.CONSULTATION, audience=Audience.PUBLIC,
        )  # fmt: skip
        line.regions.add(*Region.objects.all())
        line.municipalities.add(utrecht)
        line.expertise.add(tag)
        ScheduleRow.objects.create(line=line, weekday=0, opens_at=time(9), closes_at=time(17))
        ScheduleException.objects.create(
            line=line, starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=2),
        )  # fmt: skip


ENDPOINT_QUERIES = {
    "/api/v1/organizations": 8,
    "/api/v1/services": 16,
    "/api/v1/service_at_locations": 7,
    "/api/v1/taxonomies": 4,
    "/api/v1/taxonomy_terms": 4,
}


@pytest.mark.parametrize("path", list(ENDPOINT_QUERIES))
def test_queries_per_page_do_not_grow(
    client, path, utrecht, region, expertise, django_assert_max_num_queries
):
    def count(**params) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, {"per_page": 20, **params}).status_code == 200
        return len(queries)

    add_organisations(3, 0, utrecht, expertise)
    few = count()
    add_organisations(25, 3, utrecht, expertise)
    assert count() == few
    with django_assert_max_num_queries(ENDPOINT_QUERIES[path]):
        client.get(path, {"per_page": 20, "page": 2})
    # Asked again while the data stays the same: from the cache.
    with django_assert_max_num_queries(1):
        client.get(path, {"per_page": 20, "page": 2})
    cache.clear()
    with django_assert_max_num_queries(ENDPOINT_QUERIES[path] + 6):
        client.get(path, {"per_page": 20, "search": "organisatie", "postcode": "3511",
                          "taxonomy_term_id": str(expertise.uuid),
                          "modified_after": "2020-01-01"})  # fmt: skip


def test_detail_queries_are_bounded(client, network, django_assert_max_num_queries):
    line = ConsultationLine.objects.get(name="Consultatie palliatieve zorg")
    # 16, +1 for the network's holidays (issue 14), read once per response when a line needs it.
    with django_assert_max_num_queries(17):
        client.get(f"/api/v1/organizations/{network.uuid}")
    with django_assert_max_num_queries(12):
        client.get(f"/api/v1/services/{line.uuid}")


# --- OpenAPI -------------------------------------------------------------------------------------


def test_openapi_description_is_valid_and_covers_every_endpoint(client, hospice):
    document = get_json(client, "/api/v1/openapi.json")
    validate_openapi(document)
    assert set(document["paths"]) >= {
        "/", "/organizations", "/organizations/{id}", "/services", "/services/{id}",
        "/service_at_locations", "/taxonomies", "/taxonomy_terms",
    }  # fmt: skip
    assert document["info"]["license"]["name"] == "CC BY 4.0"
    root = get_json(client, "/api/v1/")
    assert root["version"] == "3.0"
    assert root["openapi_url"] == "http://testserver/api/v1/openapi.json"


def test_the_api_speaks_dutch_whatever_the_browser_asks(client, hospice):
    dutch = client.get("/api/v1/taxonomies").content
    english = client.get("/api/v1/taxonomies", HTTP_ACCEPT_LANGUAGE="en").content
    assert dutch == english
    assert "Zorgsetting" in dutch.decode()


MIGRATION_CHECK = """
import django, os
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

call_command("migrate", "netwerk", "0008", verbosity=0)
state = MigrationExecutor(connection).loader.project_state(("netwerk", "0008_backfill_m2m_history"))
Organisation = state.apps.get_model("netwerk", "Organisation")
History = state.apps.get_model("netwerk", "HistoricalOrganisation")
for n in range(3):
    o = Organisation.objects.create(name=f"O{n}", slug=f"o{n}", kind="hospice")
    History.objects.create(id=o.pk, name=o.name, slug=o.slug, kind="hospice", history_type="+",
                           history_date=o.created_at, created_at=o.created_at,
                           updated_at=o.updated_at, is_published=True)
History.objects.create(id=999, name="weg", slug="weg", kind="hospice", history_type="-",
                       history_date=o.created_at, created_at=o.created_at,
                       updated_at=o.updated_at, is_published=True)
call_command("migrate", "netwerk", "0011_open_data_uuids", verbosity=0)
from netwerk.directory.organisations import Organisation
uuids = dict(Organisation.objects.values_list("pk", "uuid"))
history = list(Organisation.history.values_list("id", "uuid"))
assert len(set(uuids.values())) == 3 and None not in uuids.values(), uuids
assert all(value == uuids[pk] for pk, value in history if pk in uuids), history
assert [value for pk, value in history if pk == 999][0] not in uuids.values()
print("ok")
"""


def test_uuid_migration_gives_every_existing_row_its_own_uuid(tmp_path):
    """Migration 0011 on a database with rows: the three steps (nullable, filled, unique) give
    each row its own UUID and its history rows the same one; a deleted object's rows a new one."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'migrate.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "expertisekaart.settings", "DJANGO_DEBUG": "1"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", MIGRATION_CHECK], env=env, capture_output=True, text=True,
        cwd=Path(__file__).parent.parent, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"
