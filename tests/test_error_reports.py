"""'Meld een fout': from the public organisation page to an open report in the admin and a mail.

Guarded without third-party services: honeypot, rate limit per address, size limits.
"""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

from netwerk.coordination.error_reports import ErrorReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator_with_email(coordinator):
    coordinator.email = "coordinator@regio-utrecht.example"
    coordinator.save()
    return coordinator


def report_url(organisation):
    return reverse("netwerk:error_report", kwargs={"slug": organisation.slug})


def send(client, organisation, **data):
    return client.post(report_url(organisation), {"message": "", "email": "", "website": ""} | data)


def test_every_organisation_page_has_the_form(client, hospice):
    html = client.get(hospice.get_absolute_url()).content.decode()
    assert "Meld een fout" in html
    assert f'action="{report_url(hospice)}"' in html


def test_a_report_lands_open_in_the_admin_and_is_mailed_to_the_region_coordinators(
    client, hospice, coordinator_with_email, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client, hospice, message="Het telefoonnummer is veranderd.", email="buur@example.org"
        )

    assert response.status_code == 302 and response["Location"] == hospice.get_absolute_url()
    report = ErrorReport.objects.get()
    assert (report.organisation, report.is_open, report.email) == (
        hospice,
        True,
        "buur@example.org",
    )
    assert [message.to for message in mailoutbox] == [["coordinator@regio-utrecht.example"]]
    assert "Het telefoonnummer is veranderd." in mailoutbox[0].body
    assert reverse("admin:netwerk_errorreport_change", args=[report.pk]) in mailoutbox[0].body
    assert "Dank u wel" in client.get(response["Location"]).content.decode()


def test_without_coordinators_the_network_address_hears_it(
    client, hospice, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, hospice, message="Adres klopt niet.")
    assert mailoutbox[0].to == [settings.NETWORK_CONTACT_EMAIL]


def test_an_empty_or_too_long_report_is_explained_and_nothing_is_kept(client, hospice):
    empty = send(client, hospice, message="")
    assert empty.status_code == 400
    assert "Beschrijf wat er niet klopt." in empty.content.decode()
    too_long = send(client, hospice, message="x" * 2001, email="geen-adres")
    html = too_long.content.decode()
    assert "hoogstens 2000 tekens" in html and "geldig e-mailadres" in html
    assert ErrorReport.objects.count() == 0


def test_a_filled_honeypot_is_thanked_but_kept_nowhere(client, hospice, mailoutbox):
    response = send(client, hospice, message="Koop nu!", website="http://spam.example")
    assert response.status_code == 302
    assert ErrorReport.objects.count() == 0 and mailoutbox == []


def test_the_rate_limit_stops_a_flood_from_one_address(client, hospice, settings):
    settings.ERROR_REPORT_RATE = "3/h"
    for number in range(3):
        assert send(client, hospice, message=f"Melding {number}").status_code == 302
    limited = send(client, hospice, message="Melding 4")
    assert limited.status_code == 429
    assert "Probeer het over een uur opnieuw" in limited.content.decode()
    assert ErrorReport.objects.count() == 3


def test_an_unpublished_or_unknown_organisation_has_no_report_form(client, hospice):
    hospice.is_published = False
    hospice.save()
    assert send(client, hospice, message="x").status_code == 404


def close_url(report):
    return reverse("admin:netwerk_errorreport_change", args=[report.pk])


def test_a_coordinator_closes_a_report_with_a_note(client, coordinator, hospice):
    report = ErrorReport.objects.create(organisation=hospice, message="Telefoon klopt niet")
    client.force_login(coordinator)
    refused = client.post(close_url(report), {"closing_note": "", "close": "on"})
    assert refused.status_code == 200
    assert "Beschrijf kort wat u met de melding hebt gedaan." in refused.content.decode()

    response = client.post(close_url(report), {"closing_note": "Nummer aangepast.", "close": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.is_open, report.closing_note, report.closed_by) == (
        False,
        "Nummer aangepast.",
        coordinator,
    )


def test_the_report_list_shows_open_reports_of_the_region_only(
    client, coordinator, hospice, amsterdam_organisation, django_assert_max_num_queries
):
    ours = ErrorReport.objects.create(organisation=hospice, message="Onze melding")
    ErrorReport.objects.create(organisation=amsterdam_organisation, message="Amsterdamse melding")
    closed = ErrorReport.objects.create(organisation=hospice, message="Oude melding")
    closed.close(by=coordinator, note="klaar")
    closed.save()
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("admin:netwerk_errorreport_changelist"))
    assert list(response.context["cl"].queryset) == [ours]
    other = ErrorReport.objects.get(organisation=amsterdam_organisation)
    assert client.get(close_url(other)).status_code == 404


def test_editors_and_outsiders_see_no_reports(client, editor, hospice):
    report = ErrorReport.objects.create(organisation=hospice, message="Over de redacteur")
    for user in (editor, User.objects.create_user("buiten", password="x", is_staff=True)):
        client.force_login(user)
        assert client.get(reverse("admin:netwerk_errorreport_changelist")).status_code == 403
        assert client.get(close_url(report)).status_code == 403


def test_a_coordinator_records_a_phoned_in_report_only_within_the_region(
    client, coordinator, hospice, amsterdam_organisation
):
    client.force_login(coordinator)
    add_url = reverse("admin:netwerk_errorreport_add")
    outside = client.post(add_url, {"organisation": amsterdam_organisation.pk, "message": "x"})
    assert outside.status_code == 200 and ErrorReport.objects.count() == 0
    inside = client.post(add_url, {"organisation": hospice.pk, "message": "Gebeld: adres oud."})
    assert inside.status_code == 302
    assert ErrorReport.objects.get().organisation == hospice


def test_a_report_about_an_organisation_in_an_extra_postcode_area_reaches_that_region(
    client,
    region_with_edges,
    organisation_at,
    coordinator_with_email,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    galecop = organisation_at("3437 AB", "Nieuwegein", "galecop")
    with django_capture_on_commit_callbacks(execute=True):
        send(client, galecop, message="Verhuisd.")
    assert [message.to for message in mailoutbox] == [["coordinator@regio-utrecht.example"]]


def test_a_report_about_an_organisation_in_an_excluded_postcode_area_does_not(
    client,
    region_with_edges,
    organisation_at,
    coordinator_with_email,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    uithof = organisation_at("3584 CX", "Utrecht", "uithof")
    with django_capture_on_commit_callbacks(execute=True):
        send(client, uithof, message="Verhuisd.")
    assert [message.to for message in mailoutbox] == [[settings.NETWORK_CONTACT_EMAIL]]
