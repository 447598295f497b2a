"""An organisation editor sees and changes only their own organisation — through every admin door.

The editor edits Hospice De Linde; GGZ Amstel (in Amsterdam) is someone else's. Whatever door
the editor tries — changelists, change and delete pages, add forms, autocomplete, popups, lookups,
actions, the index — GGZ Amstel is a 403 or 404, or simply absent; never data.
(History and exports are tested with issue 6, for both roles.)

The PostgreSQL pass of `make test` leaves this module out: the editor's row of the doors matrix
(tests/test_doors.py) walks the same doors and scope queries there.
"""

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from netwerk.consultation.lines import ConsultationLine
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.places.places import Place

pytestmark = [pytest.mark.django_db, pytest.mark.first_pass_proves]

SCOPED_MODELS = [Organisation, Location, Contact, Place]
COORDINATORS_WORK = {
    "ConsultationLine",
    "UpdateLink",
    "ErrorReport",
    "Agreement",
    "NeighbourNetwork",
}
OTHER_NAMES = ["GGZ Amstel", "Crisisdienst Amstel", "Amsterdam", "Geheime Contactpersoon"]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def object_of(model, organisation):
    if model is Organisation:
        return organisation
    return model.objects.get(organisation=organisation)


def assert_nothing_of_the_other(response):
    html = response.content.decode()
    for name in OTHER_NAMES:
        assert name not in html, f"{name!r} leaked through {response.request['PATH_INFO']}"


@pytest.fixture
def editor_client(client, editor, hospice, office_hours_line, amsterdam_organisation):
    Contact.objects.create(organisation=hospice, name="Zorgcoördinator", phone="+31301112233")
    Contact.objects.create(
        organisation=amsterdam_organisation, name="Geheime Contactpersoon", phone="+31204445566"
    )
    client.force_login(editor)
    return client


# --- Changelists, change and delete pages. --------------------------------------------------------


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_changelists_show_only_the_editors_own_organisation(editor_client, hospice, model):
    response = editor_client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [object_of(model, hospice)]
    assert_nothing_of_the_other(response)


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("view", ["change", "delete"])
def test_another_organisations_objects_answer_404(
    editor_client, amsterdam_organisation, model, view
):
    other = object_of(model, amsterdam_organisation)
    response = editor_client.get(url(model, view, other.pk))
    assert response.status_code == 404
    assert_nothing_of_the_other(response)
    popup = editor_client.get(url(model, view, other.pk), {"_popup": "1"})
    assert popup.status_code == 404


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_posting_to_another_organisations_object_changes_nothing(
    editor_client, amsterdam_organisation, model
):
    other = object_of(model, amsterdam_organisation)
    response = editor_client.post(url(model, "change", other.pk), {"name": "Gekaapt"})
    assert response.status_code == 404
    delete = editor_client.post(url(model, "delete", other.pk), {"post": "yes"})
    assert delete.status_code == 404
    assert model.objects.filter(pk=other.pk).exclude(name="Gekaapt").exists()


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_the_editors_own_objects_can_be_changed(editor_client, hospice, model):
    response = editor_client.get(url(model, "change", object_of(model, hospice).pk))
    assert response.status_code == 200
    assert_nothing_of_the_other(response)


# --- Add forms: the foreign keys offer only the editor's own objects. -----------------------------


ADD_FORM_FOREIGN_KEYS = [
    (Location, "organisation"),
    (Contact, "organisation"),
    (Place, "organisation"),
    (Place, "location"),
]


@pytest.mark.parametrize(
    ("model", "field"), ADD_FORM_FOREIGN_KEYS, ids=lambda v: getattr(v, "__name__", v)
)
def test_add_forms_offer_only_the_editors_own_objects(editor_client, hospice, model, field):
    response = editor_client.get(url(model, "add"))
    assert response.status_code == 200
    choices = response.context["adminform"].form.fields[field].queryset
    owners = {getattr(choice, "organisation", choice) for choice in choices}
    assert owners <= {hospice}
    assert_nothing_of_the_other(response)


def test_a_new_object_cannot_be_given_to_another_organisation(
    editor_client, amsterdam_organisation
):
    response = editor_client.post(
        url(Contact, "add"),
        {
            "organisation": amsterdam_organisation.pk,
            "name": "Binnengesmokkeld",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Contact.objects.filter(name="Binnengesmokkeld").exists()


def test_a_place_cannot_be_moved_to_another_organisations_location(
    editor_client, hospice, amsterdam_organisation
):
    place = hospice.places.get()
    response = editor_client.post(
        url(Place, "change", place.pk),
        {
            "organisation": hospice.pk,
            "location": amsterdam_organisation.locations.get().pk,
            "setting": "hospice",
            "capacity": 1,
            "availability": "available",
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    place.refresh_from_db()
    assert place.location.organisation == hospice


def test_editors_cannot_choose_the_editors(editor_client, hospice):
    response = editor_client.get(url(Organisation, "change", hospice.pk))
    assert "editors" not in response.context["adminform"].form.fields


# --- Autocomplete: every autocomplete field of every admin and inline. ----------------------------


def autocomplete_fields():
    fields = []
    for model, model_admin in admin.site._registry.items():
        for admin_class in [type(model_admin), *model_admin.inlines]:
            source = admin_class.model if hasattr(admin_class, "fk_name") else model
            for field in admin_class.autocomplete_fields:
                fields.append((source, field))
    return sorted(set(fields), key=lambda item: (item[0].__name__, item[1]))


AUTOCOMPLETE_FIELDS = autocomplete_fields()


def test_the_autocomplete_list_covers_the_scoped_foreign_keys():
    covered = {(model.__name__, field) for model, field in AUTOCOMPLETE_FIELDS}
    assert {
        ("Location", "organisation"),
        ("Place", "organisation"),
        ("Place", "location"),
        ("Organisation", "editors"),
    } <= covered


@pytest.mark.parametrize(
    ("model", "field"),
    AUTOCOMPLETE_FIELDS,
    ids=[f"{model.__name__}.{field}" for model, field in AUTOCOMPLETE_FIELDS],
)
@pytest.mark.parametrize("term", ["", "Amst"])
def test_autocomplete_never_offers_another_organisations_objects(
    editor_client, amsterdam_organisation, model, field, term
):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": term,
        },
    )
    remote = model._meta.get_field(field).related_model
    if remote is User or model.__name__ in COORDINATORS_WORK:
        # User accounts are the administrators' business; lines, update links, error
        # reports, collaboration agreements and neighbour networks the coordinators'.
        assert response.status_code == 403
        return
    assert response.status_code == 200
    results = json.loads(response.content)["results"]
    assert not [r for r in results if any(name in r["text"] for name in OTHER_NAMES[:2])]
    if remote in SCOPED_MODELS:
        others = {str(object_of(remote, amsterdam_organisation).pk)}
        assert not others & {result["id"] for result in results}


# --- Related-object popups, _to_field and lookups. ------------------------------------------------


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_related_object_popups_list_only_own_objects(editor_client, hospice, model):
    response = editor_client.get(url(model, "changelist"), {"_popup": "1", "_to_field": "id"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [object_of(model, hospice)]
    assert_nothing_of_the_other(response)


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_a_to_field_that_no_relation_uses_is_refused(editor_client, model):
    response = editor_client.get(url(model, "changelist"), {"_popup": "1", "_to_field": "name"})
    assert response.status_code == 400


def test_filtering_on_another_organisation_shows_nothing(editor_client, amsterdam_organisation):
    for model in [Location, Contact, Place]:
        response = editor_client.get(
            url(model, "changelist"), {"organisation__id__exact": amsterdam_organisation.pk}
        )
        assert response.status_code == 200
        assert list(response.context["cl"].queryset) == []
        assert_nothing_of_the_other(response)


@pytest.mark.parametrize(
    "lookup",
    [
        "organisation__editors__password__startswith",
        "organisation__editors__username",
        "location__organisation__editors__email__contains",
    ],
)
def test_lookups_through_user_accounts_are_refused(editor_client, lookup):
    response = editor_client.get(url(Place, "changelist"), {lookup: "a"})
    assert response.status_code == 400


# --- Actions. -------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Location, Contact, Place, ConsultationLine])
def test_delete_action_on_another_organisations_objects_deletes_nothing(
    editor_client, amsterdam_organisation, model
):
    other = object_of(model, amsterdam_organisation)
    editor_client.post(
        url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert model.objects.filter(pk=other.pk).exists()


def test_verify_action_on_another_organisation_changes_nothing(
    editor_client, amsterdam_organisation
):
    editor_client.post(
        url(Organisation, "changelist"),
        {"action": "mark_as_verified", "_selected_action": [amsterdam_organisation.pk]},
    )
    amsterdam_organisation.refresh_from_db()
    assert amsterdam_organisation.last_verified_on is None


# --- The admin index and app lists. ---------------------------------------------------------------


def test_the_index_shows_the_editors_models_and_nothing_of_accounts_or_links(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    models = {
        model["object_name"] for app in response.context["app_list"] for model in app["models"]
    }
    assert {"Organisation", "Location", "Contact", "Place"} <= models
    assert not {"User", "Group", "UpdateLink", "ConsultationLine"} & models
    assert editor_client.get(reverse("admin:app_list", args=["auth"])).status_code == 404


def test_editors_cannot_open_user_accounts(editor_client, coordinator):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    response = editor_client.get(reverse("admin:auth_user_change", args=[coordinator.pk]))
    assert response.status_code == 403
