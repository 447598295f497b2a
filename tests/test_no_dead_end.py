"""No dead end (issue 14): every answer page says, for any Dutch postcode, whether it lies in our
area; outside it, the network that covers it when known and the numbers that are always there
(reference data: 112, 113, the national palliative consultation line, a huisartsenpost entered
for a municipality), never a number for professionals to a visitor."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from netwerk.neighbours.networks import NeighbourNetwork
from netwerk.reference.geography import Municipality, PostcodeArea
from netwerk.reference.loaders import NATIONAL_LINES_CSV, national_line_rows, reference_lines_load
from netwerk.reference.reference_lines import ReferenceLine
from netwerk.search.publishing import changes_published

pytestmark = pytest.mark.django_db

PAGES = ["netwerk:who_to_call", "netwerk:search", "netwerk:place_finder"]
OUTSIDE = "Deze postcode ligt buiten ons netwerkgebied"
INSIDE = "ligt in ons netwerkgebied (regio Demoregio Utrecht e.o.)."
PALLIATIVE_LINE = 'href="tel:0886051444"'


def html_of(client, page_name, postcode, **params) -> str:
    if page_name == "netwerk:place_finder":
        params.setdefault("achtergrond", "beide")
    response = client.get(reverse(page_name), {"postcode": postcode, **params})
    assert response.status_code == 200
    return response.content.decode()


# --- The reference data ---------------------------------------------------------------------


def test_the_shipped_numbers_are_loaded_once_and_kept_as_the_administrators_change_them():
    assert NATIONAL_LINES_CSV.parent.name == "fixtures"  # a copy in the project, not ../shared
    assert reference_lines_load() == 3
    lines = list(ReferenceLine.objects.all())
    assert [(line.name, line.number, line.audience) for line in lines] == [
        ("Alarmnummer", "112", "public"),
        ("113 Zelfmoordpreventie", "0800-0113", "public"),
        ("Landelijk consultatienummer palliatieve zorg", "088-6051444", "professionals"),
    ]
    assert [line.dial for line in lines] == ["112", "08000113", "0886051444"]
    ReferenceLine.objects.filter(name="Alarmnummer").update(is_active=False, hours="altijd")
    assert reference_lines_load() == 0
    assert ReferenceLine.objects.get(name="Alarmnummer").hours == "altijd"
    assert len(national_line_rows()) == 3


def test_load_reference_data_adds_the_national_numbers(capsys):
    call_command("load_reference_data")
    assert ReferenceLine.objects.count() == 3
    assert "3 national numbers added" in capsys.readouterr().out
    call_command("load_reference_data")
    assert ReferenceLine.objects.count() == 3


def test_the_demo_has_the_national_numbers(demo):
    numbers = set(ReferenceLine.objects.values_list("number", flat=True))
    assert numbers == {"112", "0800-0113", "088-6051444"}


# --- Outside, inside, unknown ---------------------------------------------------------------


@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize(
    "postcode, municipality", [("9711 AB", "Groningen"), ("1011", "Amsterdam")]
)
def test_a_postcode_outside_our_area_says_so_and_what_to_call(
    client, demo, page_name, postcode, municipality
):
    html = html_of(client, page_name, postcode)
    assert OUTSIDE in html and "in ons netwerkgebied" not in html
    assert f"Deze postcode ligt in de gemeente {municipality}, buiten de regio's" in html
    assert "Welk netwerk palliatieve zorg daar werkt, weten wij (nog) niet." in html
    assert 'href="tel:112"' in html and 'href="tel:08000113"' in html
    assert "Gedachten aan zelfdoding" in html
    assert PALLIATIVE_LINE not in html  # for professionals only


@pytest.mark.parametrize("page_name", PAGES[1:])
def test_a_postcode_inside_our_area_says_so(client, demo, page_name):
    html = html_of(client, page_name, "3511 AB")
    assert "Postcode 3511 (Utrecht) " + INSIDE in html
    assert OUTSIDE not in html


def test_who_to_call_says_so_in_its_line_about_the_area(client, demo):
    html = html_of(client, "netwerk:who_to_call", "3511 AB")
    assert "Lijnen voor 3511 Utrecht, in ons netwerkgebied." in html
    assert OUTSIDE not in html
    html = html_of(client, "netwerk:who_to_call", "9711 AB")
    assert "in ons netwerkgebied." not in html and OUTSIDE in html


def test_who_to_call_inside_our_area_shows_the_numbers_always_there(client, demo):
    html = html_of(client, "netwerk:who_to_call", "3511")
    always = html[html.index('class="ek-always"') : html.index("</div>", html.index("ek-always"))]
    assert "Altijd bereikbaar" in always
    assert 'href="tel:112"' in always and 'href="tel:08000113"' in always
    assert PALLIATIVE_LINE not in html
    html = client.get(reverse("netwerk:who_to_call")).content.decode()  # without a postcode
    assert 'href="tel:08000113"' in html


def test_who_to_call_shows_the_huisartsenpost_entered_for_the_municipality_asked_about(
    client, demo
):
    post = ReferenceLine.objects.create(
        slug="hap-utrecht", name="Huisartsenpost Voorbeeld", number="088-1234567",
        when_to_call="Spoed", hours="avond, nacht en weekend",
    )  # fmt: skip
    post.municipalities.add(Municipality.objects.get(code="GM0344"))
    assert "Huisartsenpost Voorbeeld" in html_of(client, "netwerk:who_to_call", "3511")
    assert "Huisartsenpost Voorbeeld" in html_of(
        client, "netwerk:who_to_call", "", gemeente="GM0344"
    )
    assert "Huisartsenpost Voorbeeld" not in html_of(client, "netwerk:who_to_call", "3811")
    assert "Huisartsenpost Voorbeeld" not in html_of(client, "netwerk:who_to_call", "")


@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize(
    "postcode, message",
    [
        ("1000", "Postcode 1000 kennen we niet. Controleer de cijfers."),
        ("<script>", "is geen geldige Nederlandse postcode"),
        ("9711 SS", "SS wordt niet gebruikt"),
        ("99999", "99999 is geen geldige Nederlandse postcode"),
    ],
)
def test_an_unknown_or_strange_postcode_keeps_its_dutch_message(
    client, demo, page_name, postcode, message
):
    html = html_of(client, page_name, postcode)
    assert message in html
    assert OUTSIDE not in html and "in ons netwerkgebied" not in html


# --- Who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize("page_name", PAGES)
def test_the_professionals_number_is_shown_to_a_signed_in_professional_only(
    client, professional, demo, page_name
):
    assert PALLIATIVE_LINE not in html_of(client, page_name, "9711")
    client.force_login(professional)
    html = html_of(client, page_name, "9711")
    assert PALLIATIVE_LINE in html and "voor zorgverleners" in html


def test_who_to_call_shows_the_professionals_number_inside_our_area_to_professionals_only(
    client, professional, demo
):
    assert PALLIATIVE_LINE not in html_of(client, "netwerk:who_to_call", "3511")
    client.force_login(professional)
    assert PALLIATIVE_LINE in html_of(client, "netwerk:who_to_call", "3511")


def test_a_switched_off_number_is_not_shown(client, demo):
    ReferenceLine.objects.filter(number="0800-0113").update(is_active=False)
    changes_published()
    for page_name in PAGES:
        assert 'href="tel:08000113"' not in html_of(client, page_name, "9711")


# --- From the model, not the template -------------------------------------------------------


@pytest.mark.parametrize("page_name", PAGES)
def test_the_numbers_come_from_the_reference_data(client, demo, page_name):
    html_of(client, page_name, "9711")  # the search keeps its body in the cache
    line = ReferenceLine.objects.get(number="0800-0113")
    line.number = "0800-7777"
    line.when_to_call = "Een zin uit de database"
    line.save()
    changes_published()
    html = html_of(client, page_name, "9711")
    assert 'href="tel:08007777"' in html and "Bel 0800-7777" in html
    assert "Een zin uit de database" in html
    assert 'href="tel:08000113"' not in html


def test_an_administrator_changes_a_number_in_the_admin_and_the_cached_search_follows(
    admin_client, client, demo
):
    search = reverse("netwerk:search")
    assert "0800-0113" in client.get(search, {"postcode": "9711"}).content.decode()
    line = ReferenceLine.objects.get(number="0800-0113")
    response = admin_client.post(
        reverse("admin:netwerk_referenceline_change", args=[line.pk]),
        {
            "name": line.name,
            "slug": line.slug,
            "number": "0800 0114",
            "audience": "public",
            "when_to_call": line.when_to_call,
            "hours": "24/7",
            "order": line.order,
            "is_active": "on",
            "source": line.source,
        },
    )
    assert response.status_code == 302
    html = client.get(search, {"postcode": "9711"}).content.decode()
    assert 'href="tel:08000114"' in html and "0800-0113" not in html


def test_a_number_must_be_written_in_digits(admin_client):
    response = admin_client.post(
        reverse("admin:netwerk_referenceline_add"),
        {
            "name": "Nep",
            "slug": "nep",
            "number": "bel me",
            "audience": "public",
            "when_to_call": "Nooit",
            "hours": "24/7",
            "order": 1,
        },
    )
    assert response.status_code == 200
    assert "Schrijf het nummer met cijfers" in response.content.decode()
    assert not ReferenceLine.objects.filter(slug="nep").exists()


# --- A huisartsenpost and the network that covers a postcode --------------------------------


def test_a_huisartsenpost_entered_for_a_municipality_shows_there_only(client, demo):
    groningen = Municipality.objects.get(name="Groningen")
    post = ReferenceLine.objects.create(
        slug="hap-groningen",
        name="Huisartsenpost Groningen",
        number="0900-1234567",
        when_to_call="Als het niet kan wachten tot de eigen huisarts open is",
        hours="avond, nacht en weekend",
        order=15,
    )
    post.municipalities.add(groningen)
    changes_published()
    for page_name in PAGES:
        assert "Huisartsenpost Groningen" in html_of(client, page_name, "9711")
        assert "Huisartsenpost Groningen" not in html_of(client, page_name, "1011")
    html = html_of(client, "netwerk:who_to_call", "9711")
    assert html.index('href="tel:112"') < html.index("Huisartsenpost Groningen")
    assert html.index("Huisartsenpost Groningen") < html.index('href="tel:08000113"')


def test_a_neighbour_entered_by_its_area_names_the_network_that_covers_the_postcode(client, demo):
    groningen = Municipality.objects.get(name="Groningen")
    neighbour = NeighbourNetwork(
        name="Netwerk Palliatieve Zorg Groningen (voorbeeld)",
        website="https://npz-groningen.example/",
    )
    neighbour.full_clean()  # no API: the area alone is enough
    neighbour.save()
    neighbour.municipalities.add(groningen)
    changes_published()
    for page_name in PAGES:
        html = html_of(client, page_name, "9711")
        assert (
            'Het netwerk daar: <a href="https://npz-groningen.example/" rel="noopener">'
            "Netwerk Palliatieve Zorg Groningen (voorbeeld)</a>."
        ) in html
        assert "weten wij (nog) niet" not in html
        assert "Netwerk Palliatieve Zorg Groningen" not in html_of(client, page_name, "1011")
    neighbour.is_active = False
    neighbour.save()
    changes_published()
    assert "Netwerk Palliatieve Zorg Groningen" not in html_of(client, "netwerk:search", "9711")


def test_a_neighbour_without_an_api_is_not_synced(capsys):
    NeighbourNetwork.objects.create(name="Alleen een werkgebied")
    NeighbourNetwork.objects.create(name="Nog een werkgebied")  # two without an API may be
    call_command("sync_neighbours")
    assert capsys.readouterr().out == "Er zijn geen actieve buurnetwerken.\n"


def test_every_dutch_postcode_gets_an_answer(client, demo):
    """A sample across the country: each says inside or outside, none is a dead end."""
    for area in PostcodeArea.objects.order_by("pc4")[::200]:
        html = html_of(client, "netwerk:who_to_call", area.pc4)
        assert ("in ons netwerkgebied." in html) != (OUTSIDE in html), area.pc4
        assert 'href="tel:112"' in html, area.pc4


def test_the_outside_answer_in_english(client, demo):
    html = client.get("/en" + reverse("netwerk:who_to_call"), {"postcode": "9711"}).content
    html = html.decode()
    assert "This postcode lies outside our network's area" in html
    assert "Always available" in html and "Call 112" in html
