"""The embeddable mode (issue 14): `?embed=1` survives every form and link of an embedded page,
cached bodies included; links to the rest of the site open in the top window; and framing is
governed by CSP frame-ancestors alone (no X-Frame-Options)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from netwerk.views.embedding import embedded_html, stays_in_frame, with_embed

pytestmark = pytest.mark.django_db

EMBEDDED_PAGES = [
    "/?embed=1",
    "/zoeken/?embed=1",
    "/zoeken/?q=hospice&embed=1",
    "/organisaties/hospice-de-kapel/?embed=1",
    "/wie-bel-ik-nu/?postcode=3511&embed=1",
    "/plek-zoeken/?achtergrond=beide&embed=1",
    "/expertise-in-de-regio/?embed=1",
]


def links_and_forms(html: str) -> tuple[list[str], list[str]]:
    body = html[html.index("<body") :]
    return re.findall(r"<a\b[^>]*>", body), re.findall(r"<form\b[^>]*>(?:<input[^>]*>)?", body)


def href_of(tag: str) -> str:
    return unescape(re.search(r'\shref="([^"]*)"', tag).group(1))


@pytest.mark.parametrize("path", EMBEDDED_PAGES)
def test_every_link_and_form_of_an_embedded_page_stays_embedded_or_leaves_the_frame(
    client, demo, path
):
    for attempt in ("cold", "cached"):  # the second answer comes from the page cache
        response = client.get(path)
        assert response.status_code == 200, attempt
        html = response.content.decode()
        assert 'class="ek-header"' not in html
        links, forms = links_and_forms(html)
        assert links
        for tag in links:
            url = href_of(tag)
            if url.startswith(("#", "tel:", "mailto:")):
                continue
            if stays_in_frame(url):
                assert "embed=1" in url, (attempt, tag)
            else:
                assert re.search(r'\starget="_(top|blank)"', tag), (attempt, tag)
        for tag in forms:
            if 'method="post"' in tag:
                assert "embed=1" in tag, tag
            elif 'target="_top"' not in tag:
                assert '<input type="hidden" name="embed" value="1">' in tag, tag


def test_the_same_pages_without_embed_are_left_alone(client, demo):
    html = client.get("/zoeken/?q=hospice").content.decode()
    assert "embed=1" not in html and 'target="_top"' not in html
    assert 'class="ek-header"' in html


def test_a_new_search_from_an_embedded_page_stays_embedded(client, demo):
    first = client.get("/zoeken/", {"embed": "1"}).content.decode()
    form = re.search(r'<form method="get" action="/zoeken/"[^>]*>(<input[^>]*>)', first)
    assert form and 'name="embed"' in form.group(1)
    second = client.get("/zoeken/", {"q": "verslaving", "embed": "1"}).content.decode()
    result = re.search(r'<h3 class="ek-result__name"><a href="([^"]+)"', second)
    assert unescape(result.group(1)).endswith("?embed=1")


def test_an_error_report_sent_from_an_embedded_page_returns_to_it_embedded(client, demo):
    page = client.get("/organisaties/hospice-de-kapel/", {"embed": "1"}).content.decode()
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', page).group(1))
    assert action.endswith("?embed=1")
    response = client.post(action, {"message": "Het telefoonnummer klopt niet meer."})
    assert response.status_code == 302
    assert response["Location"] == "/organisaties/hospice-de-kapel/?embed=1"


def test_links_to_the_rest_of_the_site_open_in_the_top_window():
    html = (
        '<a href="/privacy/">Privacy</a><a href="/zoeken/?q=a&amp;pagina=2">2</a>'
        '<a href="https://example.org/">Elders</a><a href="#inhoud">In</a>'
        '<a href="/beheer/" target="_blank">Beheer</a><a href="?onderwerp=crisis">Crisis</a>'
        '<form method="get" action="/zoeken/export.csv">'
    )
    assert embedded_html(html) == (
        '<a href="/privacy/" target="_top">Privacy</a>'
        '<a href="/zoeken/?q=a&amp;pagina=2&amp;embed=1">2</a>'
        '<a href="https://example.org/" target="_top">Elders</a><a href="#inhoud">In</a>'
        '<a href="/beheer/" target="_blank">Beheer</a>'
        '<a href="?onderwerp=crisis&amp;embed=1">Crisis</a>'
        '<form method="get" action="/zoeken/export.csv" target="_top">'
    )


def test_embed_is_added_once_and_replaces_a_wrong_value():
    assert with_embed("/zoeken/?embed=1") == "/zoeken/?embed=1"
    assert with_embed("/zoeken/?embed=0&q=x") == "/zoeken/?q=x&embed=1"
    assert with_embed("/organisaties/a/#kaart") == "/organisaties/a/?embed=1#kaart"


@pytest.mark.parametrize("path", ["/zoeken/?embed=1", "/wie-bel-ik-nu/?embed=1"])
def test_embedded_pages_may_be_framed_by_the_configured_origins_only(client, demo, settings, path):
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {
        **policy["DIRECTIVES"],
        "frame-ancestors": ["'self'", "https://www.netwerk.example.org"],
    }
    settings.CONTENT_SECURITY_POLICY = policy
    response = client.get(path)
    assert "X-Frame-Options" not in response.headers
    assert (
        "frame-ancestors 'self' https://www.netwerk.example.org"
        in (response["Content-Security-Policy"])
    )
    login = client.get(reverse("login"), {"embed": "1"})
    assert "frame-ancestors 'none'" in login["Content-Security-Policy"]
