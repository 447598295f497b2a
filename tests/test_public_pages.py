"""The public shell, the home page and the organisation page."""

import pytest
from django.urls import reverse

from netwerk.consultation.lines import Audience
from netwerk.demo import demo_data_load
from netwerk.directory.contacts import Contact, Visibility

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_every_public_page_has_the_shared_shell(client, hospice):
    for url in ["/", hospice.get_absolute_url(), "/privacy/", "/toegankelijkheid"]:
        html = html_of(client.get(url))
        assert '<html lang="nl">' in html
        assert 'href="#inhoud"' in html and 'id="inhoud"' in html
        assert "© GeoNames (CC BY 4.0)" in html and "CBS Gebiedsindelingen 2025" in html
        assert 'href="/toegankelijkheid"' in html and 'href="/privacy/"' in html
        assert 'name="language" value="en"' in html


def test_english_version_lives_under_en(client, hospice):
    html = html_of(client.get("/en/"))
    assert '<html lang="en">' in html


def test_home_shows_the_demo_region(client, django_assert_max_num_queries):
    demo_data_load()
    with django_assert_max_num_queries(6):
        html = html_of(client.get("/"))
    assert "41 organisaties in de regio" in html
    assert "Demoregio Utrecht e.o." in html
    assert 'data-geojson-url="/zoeken/kaart.geojson"' in html


def test_home_without_any_organisation_says_so(client):
    html = html_of(client.get("/"))
    assert "Er zijn nog geen organisaties gepubliceerd." in html


def test_unpublished_organisation_answers_404(client, hospice):
    hospice.is_published = False
    hospice.save()
    assert client.get(hospice.get_absolute_url()).status_code == 404


def test_organisation_page_shows_address_phone_and_places(client, hospice):
    hospice.phone = "+31301234567"
    hospice.save()
    html = html_of(client.get(hospice.get_absolute_url()))
    assert "Lindelaan 1, 3511 AB Utrecht" in html
    assert 'href="tel:+31301234567"' in html and "030 123 4567" in html
    assert "Beschikbaar" in html and "bijgewerkt" in html


def test_contacts_are_shown_as_visibility_and_consent_allow(client, professional, hospice):
    Contact.objects.create(
        organisation=hospice,
        name="Anne Openbaar",
        visibility=Visibility.PUBLIC,
        consent_recorded_on="2026-01-01",
    )
    Contact.objects.create(
        organisation=hospice, name="Bram Zonder Toestemming", visibility=Visibility.PUBLIC
    )
    Contact.objects.create(
        organisation=hospice,
        name="Carla Professioneel",
        visibility=Visibility.PROFESSIONALS,
        consent_recorded_on="2026-01-01",
    )
    Contact.objects.create(
        organisation=hospice,
        name="Dirk Coördinator",
        visibility=Visibility.COORDINATORS,
        consent_recorded_on="2026-01-01",
    )

    visitor_html = html_of(client.get(hospice.get_absolute_url()))
    assert "Anne Openbaar" in visitor_html
    assert "Bram Zonder Toestemming" not in visitor_html
    assert "Carla Professioneel" not in visitor_html
    assert "Dirk Coördinator" not in visitor_html

    client.force_login(professional)
    professional_html = html_of(client.get(hospice.get_absolute_url()))
    assert "Carla Professioneel" in professional_html
    assert "Bram Zonder Toestemming" not in professional_html
    assert "Dirk Coördinator" not in professional_html


def test_contacts_for_coordinators_reach_only_those_who_may_change_the_organisation(
    client, hospice, coordinator, coordinator_b, editor, admin_user
):
    Contact.objects.create(
        organisation=hospice,
        name="Dirk Coördinator",
        visibility=Visibility.COORDINATORS,
        consent_recorded_on="2026-01-01",
    )
    for user, sees in (
        (coordinator, True),
        (editor, True),
        (admin_user, True),
        (coordinator_b, False),  # another region's coordinator: the admin answers 404 too
    ):
        client.force_login(user)
        html = html_of(client.get(hospice.get_absolute_url()))
        assert ("Dirk Coördinator" in html) is sees, user.username


def test_contacts_for_coordinators_wait_for_the_second_factor(
    client, hospice, coordinator, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    Contact.objects.create(
        organisation=hospice,
        name="Dirk Coördinator",
        visibility=Visibility.COORDINATORS,
        consent_recorded_on="2026-01-01",
    )
    client.force_login(coordinator)  # a password only: the code is still owed
    assert "Dirk Coördinator" not in html_of(client.get(hospice.get_absolute_url()))


def test_professional_lines_are_hidden_from_visitors_with_a_hint(
    client, professional, office_hours_line
):
    office_hours_line.audience = Audience.PROFESSIONALS
    office_hours_line.save()
    url = office_hours_line.organisation.get_absolute_url()
    visitor_html = html_of(client.get(url))
    assert office_hours_line.name not in visitor_html
    assert "Professionals zien na het inloggen meer lijnen." in visitor_html
    client.force_login(professional)
    assert office_hours_line.name in html_of(client.get(url))


def test_organisation_page_queries_do_not_grow_with_its_size(client, django_assert_max_num_queries):
    demo_data_load()
    # 9 for the organisation itself, 5 for the network's work: its agreements and their
    # partners, its documents and their expertise, its coming events.
    with django_assert_max_num_queries(14):
        html_of(client.get(reverse("netwerk:organisation", kwargs={"slug": "ggz-stichtse-oevers"})))
    with django_assert_max_num_queries(14):
        html_of(
            client.get(
                reverse(
                    "netwerk:organisation",
                    kwargs={"slug": "consultatieteam-palliatieve-zorg-regio-utrecht"},
                )
            )
        )


def test_theme_follows_the_network_brand_colour(client, settings):
    settings.NETWORK_BRAND_COLOUR = "#8a1538"
    assert "--ek-brand: #8a1538;" in client.get("/thema.css").content.decode()
    settings.NETWORK_BRAND_COLOUR = "red; } body { display: none"
    assert "--ek-brand: #00567a;" in client.get("/thema.css").content.decode()


def test_pages_send_a_content_security_policy_without_inline_scripts(client, hospice):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_english_pages_speak_english(client, office_hours_line):
    html = html_of(client.get("/en/wie-bel-ik-nu/", {"tijdstip": "2026-11-24T10:00"}))
    assert "Who do I call now?" in html
    assert "open until 17:00" in html
    assert "Wie bel ik nu?" not in html
