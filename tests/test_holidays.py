"""The network's holidays (issue 14): which days count for lines that close on holidays, chosen
once by an administrator, answered by "Wie bel ik nu?" and shown on the organisation page."""

import re
from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netwerk.consultation.holiday_choice import HolidayChoice
from netwerk.consultation.lines import ConsultationLine, HolidayRule, ScheduleRow

pytestmark = pytest.mark.django_db

LINE = "Consultatie palliatieve zorg"


@pytest.fixture
def closing_line(office_hours_line):
    office_hours_line.holiday_rule = HolidayRule.CLOSED
    office_hours_line.save()
    office_hours_line.municipalities.set(office_hours_line.organisation.service_area.all())
    return office_hours_line


def is_open_at(client, moment: str) -> bool:
    response = client.get(reverse("netwerk:who_to_call"), {"postcode": "3511", "tijdstip": moment})
    assert response.status_code == 200
    html = response.content.decode()
    card = re.search(
        r'<li class="ek-line (ek-line--\w+)">\s*<h3 class="ek-line__name">' + LINE, html
    )
    assert card, "the line is listed"
    return card.group(1) == "ek-line--open"


def test_good_friday_2027_is_open_by_default_and_closed_when_the_network_counts_it(
    client, closing_line
):
    assert is_open_at(client, "2027-03-26T10:00")
    HolidayChoice.objects.create(good_friday=True)
    assert not is_open_at(client, "2027-03-26T10:00")


def test_liberation_day_closes_in_2025_and_in_2026_only_when_chosen_every_year(
    client, closing_line
):
    assert not is_open_at(client, "2025-05-05T10:00")
    assert is_open_at(client, "2026-05-05T10:00")
    HolidayChoice.objects.create(liberation_day_every_year=True)
    assert not is_open_at(client, "2026-05-05T10:00")


def test_christmas_eve_afternoon_closes_from_the_chosen_time(client, closing_line):
    assert is_open_at(client, "2026-12-24T15:00")
    HolidayChoice.objects.create(closes_december_afternoons=True, afternoons_from=time(12))
    assert is_open_at(client, "2026-12-24T11:00")
    assert not is_open_at(client, "2026-12-24T15:00")


def test_the_organisation_page_says_which_days_count_for_the_line(client, closing_line):
    url = reverse("netwerk:organisation", kwargs={"slug": closing_line.organisation.slug})
    html = client.get(url).content.decode()
    assert "Gesloten op feestdagen: Nieuwjaarsdag, Pasen (beide dagen)" in html
    assert "Goede Vrijdag" not in html and "24 en 31 december" not in html
    HolidayChoice.objects.create(
        good_friday=True, closes_december_afternoons=True, afternoons_from=time(12, 30)
    )
    html = client.get(url).content.decode()
    assert "Gesloten op feestdagen: Nieuwjaarsdag, Goede Vrijdag, Pasen (beide dagen)" in html
    assert "Kerst (beide dagen); 24 en 31 december vanaf 12:30" in html


def test_wie_bel_ik_nu_reads_the_choice_once_however_many_lines(client, closing_line):
    for number in range(5):
        line = ConsultationLine.objects.create(
            organisation=closing_line.organisation,
            name=f"Lijn {number}",
            phone="+31301234567",
            purpose="consultation",
            audience="public",
            holiday_rule=HolidayRule.SUNDAY,
        )
        line.municipalities.set(closing_line.organisation.service_area.all())
        ScheduleRow.objects.create(line=line, weekday=6, opens_at=time(10), closes_at=time(14))
    HolidayChoice.objects.create(good_friday=True)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(
            reverse("netwerk:who_to_call"), {"postcode": "3511", "tijdstip": "2027-03-26T10:00"}
        ).content.decode()
    assert html.count('class="ek-line__name"') >= 6
    reads = [q for q in queries.captured_queries if "holidaychoice" in q["sql"].lower()]
    assert len(reads) == 1
    assert "Zondagtijden op feestdagen: Nieuwjaarsdag, Goede Vrijdag" in html


def test_an_afternoon_from_midnight_is_refused_in_dutch():
    choice = HolidayChoice(closes_december_afternoons=True, afternoons_from=time(0))
    with pytest.raises(Exception, match="Kies een tijd na 00:00"):
        choice.full_clean()
