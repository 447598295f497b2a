"""Collaboration agreements: on each partner's page, the network view, the review list, and
the admin's rules for partners."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.network.agreements import Agreement, AgreementKind, partnership_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_care(utrecht):
    organisation = Organisation.objects.create(
        name="Thuiszorg Oost", slug="thuiszorg-oost", kind=OrganisationKind.HOME_CARE
    )
    organisation.service_area.add(utrecht)
    return organisation


def agreement_between(*partners, kind=AgreementKind.CONSULTATION, review_in=None, **fields):
    today = timezone.localdate()
    agreement = Agreement.objects.create(
        title=fields.pop("title", "Consultatie"),
        kind=kind,
        starts_on=today - timedelta(days=100),
        review_on=today + timedelta(days=review_in) if review_in is not None else None,
        description=fields.pop("description", "De GGZ denkt mee."),
        **fields,
    )
    agreement.partners.set(partners)
    return agreement


def test_each_partner_page_shows_samenwerking_met_the_others(
    client, hospice, home_care, amsterdam_organisation
):
    agreement_between(hospice, home_care, amsterdam_organisation, title="Drie partners")
    page = client.get(hospice.get_absolute_url()).content.decode()
    assert "Samenwerking met" in page
    assert "GGZ Amstel</a> en <a" in page and "Thuiszorg Oost" in page
    assert ">Hospice De Linde</a>" not in page.split("Samenwerking met", 1)[1].split("</li>")[0]
    other = client.get(home_care.get_absolute_url()).content.decode()
    assert "Hospice De Linde" in other.split("Samenwerking met", 1)[1]


def test_unpublished_agreements_and_partners_stay_off_the_pages(client, hospice, home_care):
    agreement_between(hospice, home_care, is_published=False)
    assert "Samenwerking met" not in client.get(hospice.get_absolute_url()).content.decode()
    agreement_between(hospice, home_care, title="Gepubliceerd")
    home_care.is_published = False
    home_care.save()
    assert "Samenwerking met" not in client.get(hospice.get_absolute_url()).content.decode()
    response = client.get(reverse("netwerk:agreements"))
    assert response.context["count"] == 0


def test_the_network_view_lists_agreements_by_kind_and_a_matrix_by_kind_of_organisation(
    client, hospice, home_care, amsterdam_organisation
):
    agreement_between(hospice, home_care, title="Consultatie thuis")
    agreement_between(hospice, amsterdam_organisation, kind=AgreementKind.ADMISSION, title="Opname")
    response = client.get(reverse("netwerk:agreements"))
    assert response.status_code == 200
    groups = {label: [a.title for a in items] for label, items in response.context["groups"]}
    assert groups == {"Consultatieafspraak": ["Consultatie thuis"], "Opname-afspraak": ["Opname"]}
    matrix = response.context["matrix"]
    labels = [label for _kind, label in matrix["kinds"]]
    assert labels == ["GGZ-instelling", "Hospice", "Thuiszorg"]
    rows = dict(matrix["rows"])
    assert rows["Hospice"] == [1, 0, 1]
    assert rows["GGZ-instelling"] == [0, 1, 0]
    page = response.content.decode()
    assert '<th scope="row">Hospice</th>' in page
    assert '<th scope="col">Thuiszorg</th>' in page


def test_the_matrix_counts_an_agreement_once_per_pair_of_kinds(hospice, home_care, utrecht):
    second_hospice = Organisation.objects.create(
        name="Hospice Twee", slug="hospice-twee", kind=OrganisationKind.HOSPICE
    )
    agreement_between(hospice, second_hospice, home_care)
    matrix = partnership_matrix(Agreement.objects.all())
    rows = dict(matrix["rows"])
    assert rows["Hospice"] == [1, 1]  # hospice × hospice once, hospice × home care once
    assert rows["Thuiszorg"] == [1, 0]


def test_the_network_view_takes_a_fixed_number_of_queries(
    client, hospice, home_care, django_assert_max_num_queries
):
    for index in range(10):
        agreement_between(hospice, home_care, title=f"Afspraak {index}")
    with django_assert_max_num_queries(4):
        assert client.get(reverse("netwerk:agreements")).status_code == 200


def test_the_organisation_page_takes_a_fixed_number_of_queries_with_agreements(
    client, hospice, home_care, django_assert_num_queries
):
    agreement_between(hospice, home_care)
    client.get(hospice.get_absolute_url())  # warm the per-process caches
    with django_assert_num_queries(12) as captured:
        client.get(hospice.get_absolute_url())
    count = len(captured.captured_queries)
    for index in range(5):
        agreement_between(hospice, home_care, title=f"Afspraak {index}")
    with django_assert_num_queries(count):
        client.get(hospice.get_absolute_url())


def test_agreements_past_their_review_date_are_on_the_coordinators_review_list(
    client, coordinator, hospice, home_care, amsterdam_organisation
):
    agreement_between(hospice, home_care, title="Verlopen", review_in=-1)
    agreement_between(hospice, home_care, title="Nog goed", review_in=30)
    agreement_between(amsterdam_organisation, home_care, title="Amsterdam verlopen", review_in=-5)
    client.force_login(coordinator)
    response = client.get(reverse("admin:netwerk_organisation_review"))
    due = [a.title for a in response.context["agreements_due"]]
    # Amsterdam's agreement has a partner in Utrecht (the home care), so it is the
    # coordinator's too; the one not yet due is not listed.
    assert due == ["Amsterdam verlopen", "Verlopen"]
    assert "Samenwerkingsafspraken voorbij hun evaluatiedatum" in response.content.decode()


def test_a_coordinator_does_not_see_agreements_outside_their_regions(
    client, coordinator, amsterdam_organisation
):
    other = Organisation.objects.create(name="Amstel Thuis", slug="amstel-thuis", kind="thuiszorg")
    agreement_between(amsterdam_organisation, other, title="Elders", review_in=-3)
    client.force_login(coordinator)
    response = client.get(reverse("admin:netwerk_organisation_review"))
    assert response.context["agreements_due"] == []


def admin_form(agreement_partners, **fields):
    today = timezone.localdate()
    return {
        "title": "Nieuwe afspraak",
        "kind": "consultatie",
        "partners": [p.pk for p in agreement_partners],
        "starts_on": today.isoformat(),
        "description": "Samen.",
        "is_published": "on",
        **fields,
    }


def test_an_agreement_needs_two_partners(client, coordinator, hospice):
    client.force_login(coordinator)
    response = client.post(reverse("admin:netwerk_agreement_add"), admin_form([hospice]))
    assert response.status_code == 200
    assert "Kies ten minste twee organisaties." in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_coordinator_may_not_pick_partners_outside_their_regions(
    client, coordinator, hospice, amsterdam_organisation
):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:netwerk_agreement_add"), admin_form([hospice, amsterdam_organisation])
    )
    assert response.status_code == 200
    assert not Agreement.objects.exists()


def test_partners_outside_the_coordinators_regions_stay_on_a_save(
    client, coordinator, hospice, home_care, amsterdam_organisation
):
    agreement = agreement_between(hospice, amsterdam_organisation)
    client.force_login(coordinator)
    url = reverse("admin:netwerk_agreement_change", args=[agreement.pk])
    page = client.get(url)
    version = page.context["adminform"].form["version"].value()
    response = client.post(
        url,
        admin_form(
            [hospice, home_care, amsterdam_organisation], title="Consultatie", version=version
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(agreement.partners.all()) == {hospice, home_care, amsterdam_organisation}
    assert agreement.history.count() >= 2
