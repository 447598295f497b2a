"""The agenda and agreements sheets: import by code, Dutch row errors, scope, and an export
that imports again unchanged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from netwerk.directory.organisations import Organisation
from netwerk.network.agreements import Agreement
from netwerk.network.events import Event

pytestmark = pytest.mark.django_db

CSV = "0"


def admin_url(model, view):
    return reverse(f"admin:netwerk_{model._meta.model_name}_{view}")


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def check(client, content: bytes, model):
    upload = SimpleUploadedFile("blad.csv", content)
    return client.post(
        admin_url(model, "import"), {"import_file": upload, "format": CSV, "resource": "0"}
    )


def import_file(client, content: bytes, model):
    response = check(client, content, model)
    assert response.status_code == 200
    form = response.context["confirm_form"]
    assert form is not None, response.content.decode()[:3000]
    return client.post(admin_url(model, "process_import"), form.initial)


def export(client, model):
    return client.post(admin_url(model, "export"), {"format": CSV, "resource": "0"})


EVENTS = csv_bytes(
    "Code;Titel;Soort;Begint op;Eindigt op;Organisatiecode;Plek;Adres;Postcode;Plaats;"
    "Expertise;Plaatsen;Aanmelden",
    "overleg-nov;Regionaal overleg;Regionaal overleg;17-11-2026 14:00;17-11-2026 16:00;"
    "hospice-de-linde;Rosendael;Rosendaellaan 1;3511ab;Utrecht;;40;Aanmelden op deze site",
)


def test_the_agenda_imports_by_code_and_its_export_imports_unchanged(admin_client, hospice):
    import_file(admin_client, EVENTS, Event)
    event = Event.objects.get(slug="overleg-nov")
    assert (event.kind, event.organiser, event.postcode, event.capacity) == (
        "regionaal-overleg",
        hospice,
        "3511 AB",
        40,
    )
    assert event.starts_at.isoformat() == "2026-11-17T13:00:00+00:00"  # 14:00 in Amsterdam
    exported = export(admin_client, Event).content
    assert dict(check(admin_client, exported, Event).context["result"].totals)["skip"] == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "x;X;Feest;17-11-2026 14:00;17-11-2026 16:00;hospice-de-linde;;Laan 1;;;;;",
            "geen bekende keuze",
        ),
        ("x;X;PaTz;morgen;17-11-2026 16:00;hospice-de-linde;;Laan 1;;;;;", "geen datum met tijd"),
        (
            "x;X;PaTz;17-11-2026 14:00;17-11-2026 12:00;hospice-de-linde;;Laan 1;;;;;",
            "eindigt na het begin",
        ),
        (
            "x;X;PaTz;17-11-2026 14:00;17-11-2026 16:00;hospice-de-linde;;;;;;;",
            "Kies een vestiging",
        ),
        (
            "x;X;PaTz;17-11-2026 14:00;17-11-2026 16:00;bestaat-niet;;Laan 1;;;;;",
            "Er is geen organisatie met code bestaat-niet",
        ),
    ],
)
def test_bad_agenda_rows_are_explained_in_dutch(admin_client, hospice, row, message):
    header = EVENTS.decode().split("\r\n")[0]
    response = check(admin_client, csv_bytes(header, row), Event)
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_a_coordinator_cannot_import_an_event_for_another_region(
    coordinator_client, hospice, amsterdam_organisation
):
    content = EVENTS.replace(b"hospice-de-linde", b"ggz-amstel")
    response = check(coordinator_client, content, Event)
    assert "Er is geen organisatie met code ggz-amstel" in response.content.decode()
    assert not Event.objects.exists()


AGREEMENTS = csv_bytes(
    "Titel;Soort;Partners;Ingangsdatum;Evaluatiedatum;Omschrijving",
    "Consultatie thuis;Consultatieafspraak;hospice-de-linde, thuiszorg-oost;1-3-2026;"
    "1-3-2027;De GGZ denkt mee.",
)


@pytest.fixture
def home_care(utrecht):
    organisation = Organisation.objects.create(
        name="Thuiszorg Oost", slug="thuiszorg-oost", kind="thuiszorg"
    )
    organisation.service_area.add(utrecht)
    return organisation


def test_agreements_import_with_their_partners_and_export_unchanged(
    coordinator_client, hospice, home_care
):
    import_file(coordinator_client, AGREEMENTS, Agreement)
    agreement = Agreement.objects.get()
    assert set(agreement.partners.all()) == {hospice, home_care}
    assert agreement.history.count() == 1  # one version, with its partners
    exported = export(coordinator_client, Agreement).content
    response = check(coordinator_client, exported, Agreement)
    assert dict(response.context["result"].totals)["skip"] == 1


def test_an_agreement_needs_two_partners_within_the_users_scope(
    coordinator_client, hospice, home_care, amsterdam_organisation
):
    one = AGREEMENTS.replace(b"hospice-de-linde, thuiszorg-oost", b"hospice-de-linde")
    assert (
        "ten minste twee organisaties" in check(coordinator_client, one, Agreement).content.decode()
    )
    elsewhere = AGREEMENTS.replace(b"thuiszorg-oost", b"ggz-amstel")
    page = check(coordinator_client, elsewhere, Agreement).content.decode()
    assert "Er is geen organisatie met code ggz-amstel" in page
    assert not Agreement.objects.exists()
