"""'Wie bel ik nu?' at fixed instants: which lines, in what order, open or not, and whom instead."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from netwerk.consultation.lines import ConsultationLine
from netwerk.reference.geography import Municipality, PostcodeArea, Region

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TUESDAY_MORNING = "2026-11-24T10:00"
TUESDAY_NIGHT = "2026-11-24T23:00"
SUNDAY_AFTERNOON = "2026-11-29T14:00"
CHRISTMAS_MORNING = "2026-12-25T10:00"


def page(client, **params):
    response = client.get(reverse("netwerk:who_to_call"), params)
    assert response.status_code == 200
    return response


def line_names(response) -> list[str]:
    return [entry.line.name for entry in response.context["entries"]]


def states(response) -> dict[str, str]:
    return {entry.line.name: entry.text for entry in response.context["entries"]}


def test_weekday_daytime_shows_open_consultation_lines_first(professional_client, demo):
    response = page(professional_client, postcode="3511 AB", tijdstip=TUESDAY_MORNING)
    names = line_names(response)
    assert names[0] == "Crisisdienst GGZ"  # open and acute crisis
    assert states(response)["Consultatie palliatieve zorg (kantoortijd)"] == "open tot 17:00"
    assert states(response)["Crisisdienst GGZ"] == "24/7 bereikbaar"
    closed = [entry for entry in response.context["entries"] if not entry.status.is_open]
    open_ = [entry for entry in response.context["entries"] if entry.status.is_open]
    assert names == [entry.line.name for entry in open_ + closed]


def test_weekday_night_escalates_from_office_line_to_the_night_line(professional_client, demo):
    response = page(professional_client, postcode="3511", tijdstip=TUESDAY_NIGHT)
    office = next(e for e in response.context["entries"] if e.line.name.endswith("(kantoortijd)"))
    assert office.text == "gesloten, gaat morgen om 08:30 open"
    assert [step.line.name for step in office.escalation] == [
        "Consultatie palliatieve zorg (avond, nacht en weekend)"
    ]
    assert office.escalation[0].status.is_open
    assert "Lijn gesloten? Bel in plaats daarvan" in response.content.decode()


def test_sunday_shows_weekend_lines_open(professional_client, demo):
    response = page(professional_client, postcode="3511", tijdstip=SUNDAY_AFTERNOON)
    assert states(response)["Consultatie palliatieve zorg (avond, nacht en weekend)"] == (
        "open tot morgen 08:30"
    )
    assert states(response)["GGZ-consult voor huisartsen"] == "gesloten, gaat morgen om 09:00 open"


def test_christmas_closes_office_lines_and_follows_sunday_hours(professional_client, demo):
    response = page(professional_client, postcode="3511", tijdstip=CHRISTMAS_MORNING)
    assert states(response)["Consultatie palliatieve zorg (kantoortijd)"] == (
        "gesloten, gaat maandag om 08:30 open"
    )
    assert states(response)["Consultatie palliatieve zorg (avond, nacht en weekend)"].startswith(
        "open tot"
    )


def test_visitor_sees_public_lines_and_is_told_more_exist(client, demo):
    response = page(client, postcode="3511", tijdstip=TUESDAY_MORNING)
    assert set(line_names(response)) == {
        "Advieslijn palliatieve zorg voor naasten",
        "Huisartsenpost (avond, nacht en weekend)",
    }
    html = response.content.decode()
    assert "lijnen alleen voor professionals" in html and "Log in om ze te zien" in html
    assert "+31883001000" not in html  # the professionals' crisis number


def test_visitor_escalation_never_reveals_a_professional_number(client, demo):
    public = ConsultationLine.objects.get(name="Advieslijn palliatieve zorg voor naasten")
    public.escalates_to = ConsultationLine.objects.get(name="Crisisdienst GGZ")
    public.save()
    response = page(client, postcode="3511", tijdstip=TUESDAY_NIGHT)
    assert "+31883001000" not in response.content.decode()


def test_postcode_outside_every_region_shows_an_empty_state(professional_client, demo):
    response = page(professional_client, postcode="1011 AB", tijdstip=TUESDAY_MORNING)
    assert line_names(response) == []
    html = response.content.decode()
    assert "Deze postcode ligt buiten ons netwerkgebied" in html
    assert "Ons netwerk heeft geen lijnen voor deze postcode." in html
    # What to do instead comes from the reference numbers (issue 14), not from the template.
    assert 'href="tel:112"' in html and "Direct levensgevaar" in html
    assert "Kies een ruimer gebied" not in html


def test_region_edges_follow_added_and_excluded_postcodes(professional_client, demo):
    region = Region.objects.get(slug="demoregio-utrecht")
    utrecht_centre = PostcodeArea.objects.get(pc4="3511")
    region.excluded_postcode_areas.add(utrecht_centre)
    assert line_names(page(professional_client, postcode="3511", tijdstip=TUESDAY_MORNING)) == []
    amsterdam = PostcodeArea.objects.get(pc4="1011")
    region.extra_postcode_areas.add(amsterdam)
    assert line_names(page(professional_client, postcode="1011", tijdstip=TUESDAY_MORNING))


def test_municipality_and_region_choices_follow_the_region_edges(professional_client, demo):
    region = Region.objects.get(slug="demoregio-utrecht")
    region_lines = set(
        ConsultationLine.objects.filter(regions=region, is_active=True).values_list(
            "name", flat=True
        )
    )
    amsterdam = Municipality.objects.get(name="Amsterdam")
    not_served = page(professional_client, gemeente=amsterdam.code, tijdstip=TUESDAY_MORNING)
    assert "Kies een bestaande gemeente uit de lijst." in not_served.content.decode()
    region.extra_postcode_areas.add(PostcodeArea.objects.get(pc4="1011"))
    served = page(professional_client, gemeente=amsterdam.code, tijdstip=TUESDAY_MORNING)
    assert "Kies een bestaande gemeente uit de lijst." not in served.content.decode()
    assert region_lines <= set(line_names(served))  # the region now reaches a part of Amsterdam

    amsterdam_line = ConsultationLine.objects.create(
        organisation=ConsultationLine.objects.first().organisation,
        name="Consultatie Amsterdam",
        phone="+31201234567",
        purpose="consultation",
        is_always_open=True,
    )
    amsterdam_line.municipalities.add(amsterdam)
    by_region = line_names(
        page(professional_client, regio="demoregio-utrecht", tijdstip=TUESDAY_MORNING)
    )
    assert "Consultatie Amsterdam" in by_region


def test_municipality_and_region_choose_the_same_lines_as_a_postcode(professional_client, demo):
    by_postcode = line_names(page(professional_client, postcode="3511", tijdstip=TUESDAY_MORNING))
    by_municipality = line_names(
        page(professional_client, gemeente="GM0344", tijdstip=TUESDAY_MORNING)
    )
    by_region = line_names(
        page(professional_client, regio="demoregio-utrecht", tijdstip=TUESDAY_MORNING)
    )
    assert by_postcode == by_municipality == by_region


def test_expertise_filter_keeps_24_7_crisis_lines_visible(professional_client, demo):
    response = page(
        professional_client, postcode="3511", expertise="opiaatvervanging", tijdstip=TUESDAY_MORNING
    )
    assert set(line_names(response)) == {"Crisisdienst GGZ", "Consultatielijn verslavingsarts"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"postcode": "12"}, "geen geldige Nederlandse postcode"),
        ({"postcode": "1000 AA"}, "Postcode 1000 kennen we niet."),
        ({"gemeente": "GM9999"}, "Kies een bestaande gemeente uit de lijst."),
        ({"regio": "onbekend"}, "Kies een bestaande regio uit de lijst."),
        ({"expertise": "<script>"}, "Kies een bestaande expertise uit de lijst."),
        ({"tijdstip": "gisteren"}, "Vul een datum en tijd in"),
    ],
)
def test_strange_parameters_get_a_dutch_message_not_an_error(client, demo, params, message):
    response = page(client, **params)
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html


def test_page_is_never_cached_past_the_next_opening_or_closing(professional_client, demo):
    response = page(professional_client, postcode="3511")
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert "private" in response["Cache-Control"]
    now = datetime.now(AMSTERDAM)
    next_changes = [
        change
        for entry in response.context["entries"]
        for change in [entry.status.until or entry.status.next_opening]
        if change
    ]
    seconds_left = min((change - now).total_seconds() for change in next_changes)
    assert max_age <= max(0, seconds_left) + 1
    assert max_age <= 300


def test_query_count_does_not_grow_with_the_number_of_lines(
    professional_client, demo, django_assert_max_num_queries
):
    organisation = ConsultationLine.objects.first().organisation
    utrecht = Municipality.objects.get(code="GM0344")
    for number in range(30):
        line = ConsultationLine.objects.create(
            organisation=organisation,
            name=f"Extra lijn {number}",
            phone="+31301234567",
            purpose="advice",
        )
        line.municipalities.add(utrecht)
    # 18: one of them asks whether the postcode lies in our regions (the neighbours' section),
    # two count which municipalities lie only partly in them (the "(deels)" labels).
    # +6 for the usage counter (issue 15): 2 reads of the names a question may count (once
    # per 10 minutes), and the first question of an hour's bucket (update, savepoint, insert,
    # release); afterwards one update. One of the 18 reads the numbers always there, +1 for
    # the network's holidays, read once for every line (issue 14).
    with django_assert_max_num_queries(25):
        page(professional_client, postcode="3511", tijdstip=TUESDAY_MORNING)
