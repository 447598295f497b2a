"""/beheer/indicatoren/: the network's indicators, checked against hand-built figures."""

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from netwerk.consultation.lines import ConsultationLine, HolidayRule, ScheduleRow
from netwerk.coordination.indicators import Period
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.network.events import Event
from netwerk.network.registrations import Registration
from netwerk.places.availability import AvailabilityChange, place_availability_update
from netwerk.places.places import Place
from netwerk.reference.expertise import ExpertiseTag
from netwerk.search.usage import QuestionKind, UsageCount

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PAGE = reverse("admin:indicators")
H2_2025 = "2025-2"


def at(day: date, hour: int = 0) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def indicator(response, key):
    return next(found for found in response.context["indicators"] if found.key == key)


def first_table(response, key) -> list[list]:
    return indicator(response, key).tables[0].rows


def joined(organisation: Organisation, day: date) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(created_at=at(day))


@pytest.fixture
def network(hospice, amsterdam_organisation, region):
    """The hospice (Utrecht, in the coordinator's region) joined in 2024; a home-care team in
    Utrecht joined in October 2025; the Amsterdam organisation is outside the region."""
    for organisation in (hospice, amsterdam_organisation):
        Organisation.objects.filter(pk=organisation.pk).update(is_published=True)
    joined(hospice, date(2024, 3, 1))
    joined(amsterdam_organisation, date(2024, 3, 1))
    team = Organisation.objects.create(
        name="Thuiszorg Oost", slug="thuiszorg-oost", kind="thuiszorg", is_published=True
    )
    team.service_area.add(hospice.service_area.get())
    joined(team, date(2025, 10, 1))
    return {"hospice": hospice, "team": team, "amsterdam": amsterdam_organisation}


def test_periods_are_years_and_half_years_and_nothing_else():
    today = date(2026, 12, 3)
    assert Period.parse("2026", today) == Period(2026)
    assert Period.parse("2025-2", today) == Period(2025, 2)
    assert Period.parse("2025-2", today).previous() == Period(2025, 1)
    assert Period(2025, 1).previous() == Period(2024, 2)
    assert Period(2025).previous() == Period(2024)
    for strange in ["2027", "1999", "2025-3", "2025-0", "twintig", "", "2025-1-1", "٢٠٢٥"]:
        assert Period.parse(strange, today) is None, strange
    assert Period.parse("2026-2", date(2026, 3, 1)) is None  # not begun yet


def test_organisations_per_kind_at_the_end_of_the_period_and_the_one_before(
    client, coordinator, network
):
    client.force_login(coordinator)
    response = client.get(PAGE, {"periode": H2_2025})
    assert response.status_code == 200
    rows = first_table(response, "organisaties")
    assert ["Hospice", 1, 1] in rows
    assert ["Thuiszorg", 0, 1] in rows  # joined in October 2025
    assert rows[-1] == ["Totaal", 1, 2]  # Amsterdam is not in the coordinator's region
    assert "GGZ-instelling" not in [row[0] for row in rows]


def test_expertise_coverage_is_the_share_of_municipalities_and_its_change(
    client, coordinator, network
):
    tag = ExpertiseTag.objects.create(name="Rouwzorg", slug="rouwzorg", category="palliative")
    network["team"].expertise.add(tag)
    other = ExpertiseTag.objects.create(name="Zingeving X", slug="zingeving-x", category="meaning")
    network["amsterdam"].expertise.add(other)
    client.force_login(coordinator)
    response = client.get(PAGE, {"periode": H2_2025})
    rows = {row[0]: row for row in first_table(response, "dekking")}
    # One municipality (Utrecht) in the region: covered since the team joined in October.
    assert rows["Rouwzorg"] == ["Rouwzorg", "0%", "100%", "+100"]
    assert rows["Zingeving X"] == ["Zingeving X", "0%", "0%", "0"]


def test_freshness_counts_verifications_within_the_period_and_updates_per_place(
    client, coordinator, network
):
    hospice = Organisation.objects.get(pk=network["hospice"].pk)
    team = network["team"]
    # Verified in November 2025 (within 6 months of the end of 2025), the team never.
    hospice.last_verified_on = date(2025, 11, 20)
    hospice.save()
    place = hospice.places.get()
    AvailabilityChange.objects.all().delete()
    for day in (date(2025, 7, 3), date(2025, 7, 10), date(2025, 9, 1)):
        place_availability_update(place=place, availability="full", at=at(day, 10))
    client.force_login(coordinator)
    response = client.get(PAGE, {"periode": H2_2025})
    found = indicator(response, "actualiteit")
    updates, verified = found.tables
    assert updates.rows[0] == ["juli 2025", 2, "2"]  # one place
    assert updates.rows[2] == ["september 2025", 1, "1"]
    assert updates.rows[1] == ["augustus 2025", 0, "0"]
    assert verified.rows[1] == ["tweede helft 2025", 1, 2, "50%"]
    assert team.last_verified_on is None


def test_free_place_days_and_shares_of_time_come_from_the_history(client, coordinator, network):
    place = network["hospice"].places.get()  # 4 places, freshness 7 days
    AvailabilityChange.objects.all().delete()
    place_availability_update(place=place, availability="available", at=at(date(2025, 8, 1)))
    place_availability_update(place=place, availability="full", at=at(date(2025, 8, 4)))
    client.force_login(coordinator)
    response = client.get(PAGE, {"periode": H2_2025})
    per_setting, per_place = indicator(response, "plekken").tables
    days = (date(2026, 1, 1) - date(2025, 7, 1)).days  # 184
    # Available 3 days (4 places: 12 free-place days), full 7 days, unknown the rest.
    assert per_setting.rows == [
        ["Hospice", 4, "12", f"{round(300 / days)}%", "0%", f"{round(700 / days)}%", "95%"]
    ]
    assert per_place.rows[0][3] == "12"


def test_consultation_line_hours_per_week_against_an_independent_count(
    client, coordinator, network, region
):
    line = ConsultationLine.objects.create(
        organisation=network["hospice"],
        name="Avondlijn",
        phone="+31301234567",
        purpose="consultation",
        holiday_rule=HolidayRule.REGULAR,
    )
    line.regions.add(region)
    ScheduleRow.objects.bulk_create(
        ScheduleRow(line=line, weekday=day, opens_at=time(18), closes_at=time(23))
        for day in range(5)
    )
    client.force_login(coordinator)
    response = client.get(PAGE, {"periode": H2_2025})
    [row] = first_table(response, "lijnen")
    first, end = date(2025, 7, 1), date(2026, 1, 1)
    weekdays = sum(1 for n in range((end - first).days) if (first + timedelta(n)).weekday() < 5)
    hours = (end - first).days * 24 + 1  # the October night with an hour more
    weeks = hours / (7 * 24)
    assert row[:2] == ["Regio Utrecht", 1]
    assert row[2] == f"{weekdays * 5 / weeks:.1f}".replace(".", ",")  # evenings
    assert row[3:5] == ["0", "0"]  # nights, weekends
    assert row[5] == f"{(hours - weekdays * 5) / weeks:.1f}".replace(".", ",")


def test_site_use_counts_the_region_and_questions_that_named_no_municipality(
    client, coordinator, network
):
    month = date(2025, 9, 1)
    for kind, code, tag, hour, count in [
        (QuestionKind.SEARCH, "GM0344", "palliatieve-zorg", 10, 5),
        (QuestionKind.SEARCH, "", "", 10, 2),
        (QuestionKind.WHO_TO_CALL, "GM0344", "", 24 * 5 + 20, 3),  # Saturday 20:00
        (QuestionKind.PLACE_FINDER, "GM0363", "", 10, 7),  # Amsterdam: another region's
    ]:
        UsageCount.objects.create(
            month=month,
            kind=kind,
            municipality_code=code,
            tag_slug=tag,
            hour_of_week=hour,
            count=count,
        )
    client.force_login(coordinator)
    response = client.get(PAGE, {"periode": H2_2025})
    months, municipalities, tags, hours = indicator(response, "gebruik").tables
    assert months.rows[2] == ["september 2025", 7, 3, 0]
    assert municipalities.rows == [["Utrecht", 8], ["geen gemeente genoemd", 2]]
    assert tags.rows == [["palliatieve-zorg", 5]]  # no such tag in this test's vocabulary
    assert hours.rows[0] == ["maandag", 0, 7, 0, 0]
    assert hours.rows[5] == ["zaterdag", 0, 0, 0, 3]


def test_meetings_held_and_their_participants(client, coordinator, network):
    hospice = network["hospice"]
    event = Event.objects.create(
        title="Scholing EPA",
        slug="scholing-epa",
        kind="scholing",
        organiser=hospice,
        location=hospice.locations.get(),
        starts_at=at(date(2025, 9, 10), 14),
        ends_at=at(date(2025, 9, 10), 17),
    )
    for number, status in enumerate(["aangemeld", "aangemeld", "wachtlijst"]):
        Registration.objects.create(
            event=event, name=f"D {number}", email=f"{number}@example.org", status=status
        )
    client.force_login(coordinator)
    rows = first_table(client.get(PAGE, {"periode": H2_2025}), "bijeenkomsten")
    assert ["Scholing", 1, 2] in rows
    assert ["Casuïstiekbespreking", 0, 0] in rows


def test_each_indicator_has_a_definition_a_chart_and_a_table(client, admin_user, network):
    client.force_login(admin_user)
    response = client.get(PAGE)
    page = response.content.decode()
    assert len(response.context["indicators"]) == 7
    for found in response.context["indicators"]:
        assert len(found.definition) > 80
        assert f'<title id="{found.key}-title">' in page
        assert f'<h2 id="{found.key}-kop">{found.title}</h2>' in page
    assert page.count("<caption>") >= 7
    assert "Wat telt:" in page


def test_the_exports_hold_every_table_of_the_period(client, coordinator, network):
    client.force_login(coordinator)
    response = client.get(reverse("admin:indicators_csv"), {"periode": H2_2025})
    assert response["Content-Disposition"] == 'attachment; filename="indicatoren-2025-2.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Indicatoren", "tweede helft 2025"]
    assert ["Thuiszorg", "0", "1"] in rows
    workbook_response = client.get(reverse("admin:indicators_xlsx"), {"periode": H2_2025})
    workbook = load_workbook(io.BytesIO(workbook_response.content))
    assert workbook.sheetnames == [
        "Organisaties",
        "Dekking",
        "Actualiteit",
        "Plekken",
        "Lijnen",
        "Gebruik",
        "Bijeenkomsten",
    ]
    values = [row for row in workbook["Organisaties"].iter_rows(values_only=True)]
    assert ("Thuiszorg", 0, 1) in [tuple(v for v in row if v is not None) for row in values]


@pytest.mark.parametrize(
    "parameters",
    [
        {"periode": "2099"},
        {"periode": "2025-3"},
        {"periode": "<script>"},
        {"regio": "nergens"},
        {"regio": "regio-amsterdam"},  # not the coordinator's
        {"periode": "\x00", "regio": "\x00"},
    ],
)
def test_bad_parameters_get_a_dutch_answer_and_never_a_500(
    client, coordinator, network, region_b, parameters
):
    client.force_login(coordinator)
    for url in (PAGE, reverse("admin:indicators_csv"), reverse("admin:indicators_xlsx")):
        assert client.get(url, parameters).status_code == 200
    page = client.get(PAGE, parameters).content.decode()
    assert "errornote" in page and "Kies een" in page


def test_coordinators_see_their_regions_and_administrators_everything(
    client, coordinator, admin_user, network
):
    client.force_login(coordinator)
    assert first_table(client.get(PAGE, {"periode": H2_2025}), "organisaties")[-1][2] == 2
    client.force_login(admin_user)
    assert first_table(client.get(PAGE, {"periode": H2_2025}), "organisaties")[-1][2] == 3


def test_editors_professionals_and_visitors_are_refused(
    client, editor, professional, staff_without_role
):
    urls = [PAGE, reverse("admin:indicators_csv"), reverse("admin:indicators_xlsx")]
    urls.append(reverse("admin:indicators_year_report", args=["2025"]))
    for url in urls:
        client.logout()
        assert client.get(url).status_code == 302  # to the sign-in
        for user in (editor, staff_without_role):
            client.force_login(user)
            assert client.get(url).status_code == 403, (user, url)
        client.force_login(professional)
        assert client.get(url).status_code == 302


def more_organisations(count: int, hospice: Organisation) -> None:
    municipality = hospice.service_area.get()
    tag = ExpertiseTag.objects.create(name="Extra", slug="extra", category="palliative")
    for number in range(count):
        organisation = Organisation.objects.create(
            name=f"Extra {number}", slug=f"extra-{number}", kind="thuiszorg", is_published=True
        )
        organisation.service_area.add(municipality)
        organisation.expertise.add(tag)
        location = Location.objects.create(
            organisation=organisation, postcode="3512 AB", city="Utrecht"
        )
        place = Place.objects.create(organisation=organisation, location=location, setting="thuis")
        place_availability_update(place=place, availability="available")


@pytest.mark.parametrize("extra", [0, 25])
def test_query_count_is_constant_in_the_number_of_organisations(
    client, coordinator, network, extra, django_assert_max_num_queries
):
    more_organisations(extra, network["hospice"])
    client.force_login(coordinator)
    with django_assert_max_num_queries(33):
        response = client.get(PAGE)
    assert first_table(response, "organisaties")[-1][2] == 2 + extra


def test_a_search_answered_from_the_cache_still_counts(client, demo):
    search = reverse("netwerk:search")
    client.get(search, {"q": "hospice", "gemeente": "GM0344"})
    client.get(search, {"q": "hospice", "gemeente": "GM0344"})  # the cached body
    client.get(search, {"q": "hospice", "gemeente": "GM9999", "expertise": "verzonnen"})
    client.get(search, {"pagina": "2"})  # not a question
    counts = {
        (row.municipality_code, row.tag_slug): row.count
        for row in UsageCount.objects.filter(kind=QuestionKind.SEARCH)
    }
    assert counts == {("GM0344", ""): 2, ("", ""): 1}


def test_who_to_call_and_the_place_finder_count_one_question_each(client, demo):
    client.get(reverse("netwerk:who_to_call"), {"postcode": "3511"})
    client.get(reverse("netwerk:place_finder"), {"achtergrond": "beide", "postcode": "3511 AB"})
    client.get(reverse("netwerk:place_finder"), {"achtergrond": "onzin"})  # not valid: no count
    rows = UsageCount.objects.values_list("kind", "municipality_code", "count")
    assert sorted(rows) == [("place_finder", "GM0344", 1), ("who_to_call", "GM0344", 1)]


def test_the_year_report_holds_the_indicators_and_the_map(client, coordinator, network):
    client.force_login(coordinator)
    response = client.get(reverse("admin:indicators_year_report", args=["2025"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Jaarverslag 2025</h1>" in page
    assert '<title id="dekkingskaart-title">Aanbod per gemeente</title>' in page
    # Utrecht, the region's one municipality, named in its shape.
    assert page.count('stroke="#fff" stroke-width="1"><title>') == 1
    assert 'stroke-width="1"><title>Utrecht</title>' in page
    assert response.context["period"] == Period(2025)


@pytest.mark.parametrize("year", ["1999", "3000", "abc", "2025-1", "0", "-2025", "２０２５"])
def test_a_strange_year_report_is_a_dutch_404(client, coordinator, year):
    client.force_login(coordinator)
    response = client.get(f"/beheer/indicatoren/jaarverslag/{year}/")
    assert response.status_code == 404
    assert "Voor ‘" in response.content.decode() and "is er geen jaarverslag" in (
        response.content.decode()
    )


def test_the_demo_fills_every_indicator(client, admin_user, demo):
    from netwerk.coordination.demo_figures import demo_past_load

    demo_past_load()
    client.force_login(admin_user)
    response = client.get(PAGE, {"periode": str(timezone.localdate().year)})
    for found in response.context["indicators"]:
        assert found.tables[0].rows, found.key
    assert any(row[1] != row[2] for row in first_table(response, "organisaties"))
    assert sum(r[1] for r in indicator(response, "gebruik").tables[1].rows) > 1000


def test_a_table_too_long_for_a_page_is_left_to_the_exports(
    client, admin_user, network, monkeypatch
):
    from netwerk.coordination import indicators

    monkeypatch.setattr(indicators, "ROWS_ON_A_PAGE", 1)
    client.force_login(admin_user)
    page = client.get(PAGE, {"periode": H2_2025}).content.decode()
    assert "Per plek: 2 rijen, te veel voor deze pagina. Kies een regio" in page
    rows = client.get(reverse("admin:indicators_csv"), {"periode": H2_2025}).content.decode()
    assert "Hospice – Hospice De Linde" in rows
