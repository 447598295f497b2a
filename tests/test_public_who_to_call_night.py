"""'Wie bel ik nu?' at night (issue 14): open lines first, the closed ones folded under one
heading with each line to call instead named once, "sluit over 20 min" within the last hour, the
weekly hours and the date the data was checked behind a disclosure, and quick choices as links."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from netwerk.consultation import opening_hours
from netwerk.consultation.lines import ConsultationLine, Purpose
from netwerk.consultation.who_to_call import (
    lines_to_call,
    lines_to_consider,
    minutes_until_closing,
    seconds_until_next_change,
    weekly_hours,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TUESDAY_NIGHT = "2026-11-24T23:00"
TUESDAY_BEFORE_CLOSING = "2026-11-24T16:40"
OFFICE = "Consultatie palliatieve zorg (kantoortijd)"
NIGHT = "Consultatie palliatieve zorg (avond, nacht en weekend)"


def html_of(client, **params) -> str:
    response = client.get(reverse("netwerk:who_to_call"), params)
    assert response.status_code == 200
    return response.content.decode()


def closed_section(html: str) -> str:
    return html[html.index('<section class="ek-closed"') : html.index("</section>")]


@pytest.mark.django_db
def test_open_lines_come_first_and_closed_ones_are_folded_with_their_count(
    professional_client, demo
):
    html = html_of(professional_client, postcode="3511", tijdstip=TUESDAY_NIGHT)
    folded = re.search(r'<details class="ek-closed__list">\s*<summary>([^<]+)</summary>', html)
    assert folded, "the closed lines sit in a <details>"
    closed = closed_section(html)
    names_in_fold = re.findall(r'<h3 class="ek-line__name">([^<]+)</h3>', closed)
    assert folded.group(1) == f"Gesloten op dat moment ({len(names_in_fold)})"
    assert OFFICE in names_in_fold and "GGZ-consult voor huisartsen" in names_in_fold
    open_part = html[: html.index('<section class="ek-closed"')]
    assert "Nu open" not in open_part and "Open op dat moment (" in open_part
    assert "Crisisdienst GGZ</h3>" in open_part and NIGHT + "</h3>" in open_part
    assert not set(names_in_fold) & set(re.findall(r'ek-line__name">([^<]+)<', open_part))


@pytest.mark.django_db
def test_each_line_to_call_instead_is_named_once_for_all_closed_lines_that_lead_to_it(
    professional_client, demo
):
    closed = closed_section(html_of(professional_client, postcode="3511", tijdstip=TUESDAY_NIGHT))
    alternatives = closed[: closed.index('<details class="ek-closed__list">')]
    # Two closed lines escalate to the crisis service: it is named once, for both.
    assert alternatives.count("<strong>Crisisdienst GGZ</strong>") == 1
    assert alternatives.count("<strong>" + NIGHT + "</strong>") == 1
    assert alternatives.count('href="tel:+31883001000"') == 1
    crisis = alternatives[: alternatives.index("<strong>Crisisdienst GGZ</strong>")]
    assert "Consultatielijn verslavingsarts, GGZ-consult voor huisartsen:" in crisis
    # No closed card repeats an alternative of its own.
    assert "ek-escalation" not in closed[closed.index('<details class="ek-closed__list">') :]


@pytest.mark.django_db
def test_a_line_that_never_opens_is_folded_under_nu_gesloten_when_asked_about_now(
    client, office_hours_line
):
    office_hours_line.schedule_rows.all().delete()
    html = html_of(client)
    assert "<summary>Nu gesloten (1)</summary>" in html
    assert "Nu open" not in html


@pytest.mark.django_db
def test_a_line_closing_within_the_hour_says_in_how_many_minutes(professional_client, demo):
    html = html_of(professional_client, postcode="3511", tijdstip=TUESDAY_BEFORE_CLOSING)
    card = html[html.index(OFFICE + "</h3>") :]
    card = card[: card.index("</li>")]
    assert "open tot 17:00" in card and "sluit over 20 min" in card
    earlier = html_of(professional_client, postcode="3511", tijdstip="2026-11-24T15:59")
    assert "sluit over" not in earlier


@pytest.mark.django_db
def test_a_page_counting_minutes_is_kept_no_longer_than_a_minute(professional_client, demo):
    moment = datetime(2026, 11, 24, 15, 30, tzinfo=AMSTERDAM)
    entries, _hidden = lines_to_call(
        lines_to_consider(None),
        serving=None,
        expertise_id=None,
        moment=moment,
        show_professional=True,
    )
    assert seconds_until_next_change(entries, moment) == 300
    later = moment + timedelta(minutes=40)
    entries, _hidden = lines_to_call(
        lines_to_consider(None),
        serving=None,
        expertise_id=None,
        moment=later,
        show_professional=True,
    )
    assert any(entry.minutes_left == 50 for entry in entries)
    assert seconds_until_next_change(entries, later) == 60


OFFICE_HOURS = opening_hours.Schedule(
    ranges=(
        *(opening_hours.WeeklyRange(day, time(8, 30), time(17, 0)) for day in range(5)),
        opening_hours.WeeklyRange(5, time(22, 0), time(2, 30)),  # past midnight
    ),
    holiday_rule=opening_hours.HolidayRule.CLOSED,
)


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    )
)
def test_minutes_left_agree_with_the_opening_hours_engine(moment):
    """ "sluit over m min": open m - 1 minutes from now, closed m minutes from now; never said
    of a line that is open for more than an hour."""
    status = opening_hours.status_at(OFFICE_HOURS, moment)
    minutes = minutes_until_closing(status, moment)
    if minutes is None:
        if status.is_open:
            assert opening_hours.status_at(OFFICE_HOURS, moment + timedelta(hours=1)).is_open
        return
    assert 1 <= minutes <= 60
    assert opening_hours.status_at(OFFICE_HOURS, moment + timedelta(minutes=minutes - 1)).is_open
    assert not opening_hours.status_at(OFFICE_HOURS, moment + timedelta(minutes=minutes)).is_open


@pytest.mark.django_db
def test_weekly_hours_and_the_check_date_sit_behind_a_disclosure(professional_client, demo):
    night = ConsultationLine.objects.get(name=NIGHT)
    organisation = night.organisation
    organisation.last_verified_on = datetime(2026, 11, 3).date()
    organisation.save()
    html = html_of(professional_client, postcode="3511", tijdstip=TUESDAY_NIGHT)
    card = html[html.index(NIGHT + "</h3>") :]
    card = card[: card.index("</li>")]
    disclosure = card[card.index('<details class="ek-line__details">') :]
    assert "<summary>Openingstijden en controle</summary>" in disclosure
    assert "<dt>maandag t/m vrijdag</dt><dd>17:00–08:30 (tot de volgende dag)</dd>" in disclosure
    assert "<dt>zaterdag en zondag</dt><dd>08:30–08:30 (24 uur)</dd>" in disclosure
    assert (
        '<dd class="ek-line__holidays">Zondagtijden op feestdagen: Nieuwjaarsdag, '
        "Pasen (beide dagen), Koningsdag"
    ) in disclosure
    assert "Gegevens gecontroleerd op 3 november 2026" in disclosure
    crisis = html[html.index("Crisisdienst GGZ</h3>") :]
    assert "<dd>dag en nacht (24/7)</dd>" in crisis[: crisis.index("</li>")]


def test_weekly_hours_group_days_with_the_same_times():
    ranges = [opening_hours.WeeklyRange(day, time(9), time(17)) for day in (0, 1, 2, 4)]
    ranges.append(opening_hours.WeeklyRange(6, time(0), time(0)))
    assert weekly_hours(ranges) == [
        ("maandag t/m woensdag, vrijdag", "09:00–17:00"),
        ("zondag", "00:00–00:00 (24 uur)"),
    ]


def quick_choices(html: str) -> dict[str, str]:
    nav = html[html.index('<nav class="ek-topics"') :]
    nav = nav[: nav.index("</nav>")]
    return {label: href for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


@pytest.mark.django_db
def test_quick_choices_are_links_that_keep_the_area_and_the_moment(professional_client, demo):
    html = html_of(
        professional_client, postcode="3511", tijdstip=TUESDAY_NIGHT, expertise="dementie"
    )
    links = quick_choices(html)
    assert list(links) == ["Alle", "Psychiatrie", "Verslaving", "Palliatief", "Crisis"]
    verslaving = links["Verslaving"].replace("&amp;", "&")
    assert "postcode=3511" in verslaving and "tijdstip=2026-11-24T23%3A00" in verslaving
    assert "onderwerp=verslaving" in verslaving and "expertise" not in verslaving


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("topic", "shown", "not_shown"),
    [
        ("verslaving", "Consultatielijn verslavingsarts", "GGZ-consult voor huisartsen"),
        ("palliatief", OFFICE, "Consultatielijn verslavingsarts"),
        ("psychiatrie", "GGZ-consult voor huisartsen", "Consultatielijn verslavingsarts"),
        ("crisis", "Huisartsenpost (avond, nacht en weekend)", OFFICE),
    ],
)
def test_a_quick_choice_narrows_the_lines_but_keeps_the_24_7_crisis_line(
    professional_client, demo, topic, shown, not_shown
):
    response = professional_client.get(
        reverse("netwerk:who_to_call"),
        {"postcode": "3511", "tijdstip": TUESDAY_NIGHT, "onderwerp": topic},
    )
    names = {entry.line.name for entry in response.context["entries"]}
    assert shown in names and not_shown not in names
    assert "Crisisdienst GGZ" in names
    if topic == "crisis":
        assert {entry.line.purpose for entry in response.context["entries"]} == {Purpose.CRISIS}
    assert 'aria-current="page"' in quick_choices_html(response.content.decode(), topic)


def quick_choices_html(html: str, topic: str) -> str:
    return next(
        anchor
        for anchor in re.findall(r"<a [^>]+>[^<]+</a>", html)
        if f"onderwerp={topic}" in anchor
    )


@pytest.mark.django_db
def test_a_strange_quick_choice_gets_a_dutch_message(client, demo):
    html = html_of(client, onderwerp="<script>")
    assert "Kies een onderwerp uit de lijst." in html
    assert 'role="alert"' in html


@pytest.mark.django_db
def test_the_night_answer_costs_no_more_queries_than_before(
    professional_client, demo, django_assert_max_num_queries
):
    # 19 as in tests/test_who_to_call.py (the numbers always there and the network's holidays
    # included), +6 there for the usage counter's first question of an hour (issue 15).
    with django_assert_max_num_queries(25):
        html_of(professional_client, postcode="3511", tijdstip=TUESDAY_NIGHT, onderwerp="crisis")


@pytest.mark.django_db
def test_the_night_answer_speaks_english_on_the_english_site(professional_client, demo):
    response = professional_client.get(
        "/en" + reverse("netwerk:who_to_call"), {"postcode": "3511", "tijdstip": TUESDAY_NIGHT}
    )
    html = response.content.decode()
    for english in (
        "Open at that moment (3)",
        "Closed at that moment (4)",
        "Line closed? Call instead",
        "Opening hours and last check",
        "Monday to Friday",
        "(into the next day)",
        ">Psychiatry</a>",
        ">Call 088 300 1000</a>",
    ):
        assert english in html, english
    for dutch in ("Nu gesloten", "Gesloten op dat moment", "Openingstijden en controle", " t/m "):
        assert dutch not in html, dutch
