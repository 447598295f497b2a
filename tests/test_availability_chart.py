"""'Beschikbaarheid door de tijd': free places per week over the last year, from the history."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerk.coordination.demo_figures import demo_past_load, demo_places
from netwerk.directory.organisations import Organisation
from netwerk.places import occupancy
from netwerk.places.availability import AvailabilityChange, place_availability_update
from netwerk.places.places import CareSetting, Place

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PAGE = "admin:netwerk_place_statistics"
CSV = "admin:netwerk_place_statistics_csv"


def weeks():
    return occupancy.week_starts(timezone.localdate())


def share_of_week(start, until) -> float:
    week_end = occupancy.local_midnight(start.astimezone(AMSTERDAM).date() + timedelta(days=7))
    return (until - start).total_seconds() / (week_end - start).total_seconds()


@pytest.fixture
def last_week_history(hospice):
    """The hospice's 4 places: available from the last complete week's Monday, full from its
    Wednesday; nothing else in the year."""
    boundaries = weeks()
    monday = boundaries[-2]
    wednesday = occupancy.local_midnight(monday.astimezone(AMSTERDAM).date() + timedelta(days=2))
    place = hospice.places.get()
    AvailabilityChange.objects.all().delete()
    place_availability_update(place=place, availability="available", at=monday)
    place_availability_update(place=place, availability="full", at=wednesday)
    return place, monday, wednesday


def test_free_places_per_week_follow_the_hand_built_history(client, coordinator, last_week_history):
    _place, monday, wednesday = last_week_history
    client.force_login(coordinator)
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    [series] = response.context["series"]
    assert series.label == "Hospice"
    assert len(series.values) == 52
    assert series.values[:-1] == [0] * 51
    assert series.values[-1] == pytest.approx(4 * share_of_week(monday, wednesday))
    [row] = response.context["rows"]
    assert row["free_place_days"] == pytest.approx(4 * 2)
    # Full from Wednesday to the end of the year shown (the last complete week ends on Monday,
    # before the 7 days of freshness run out); unknown before the first update.
    end = weeks()[-1]
    total = (end - weeks()[0]).total_seconds()
    assert row["shares"]["available"] == pytest.approx((wednesday - monday).total_seconds() / total)
    assert row["shares"]["full"] == pytest.approx((end - wednesday).total_seconds() / total)
    assert row["shares"]["unknown"] == pytest.approx((monday - weeks()[0]).total_seconds() / total)
    page = response.content.decode()
    assert "1,1" in page  # 4 × 2/7 in the table
    assert "UPDATES" not in page and "Jaar" not in page


def test_a_status_older_than_its_freshness_counts_as_unknown(client, coordinator, hospice):
    boundaries = weeks()
    place = hospice.places.get()
    AvailabilityChange.objects.all().delete()
    place_availability_update(place=place, availability="available", at=boundaries[-4])
    client.force_login(coordinator)
    [series] = client.get(reverse(PAGE)).context["series"]
    assert series.values[-3] == pytest.approx(4)  # the week it was reported
    assert series.values[-2] == 0 and series.values[-1] == 0  # older than 7 days: onbekend


def test_the_week_of_the_clock_change_has_169_hours():
    monday = datetime(2025, 10, 20, tzinfo=AMSTERDAM)  # the night of 26 October: winter time
    boundaries = occupancy.week_starts(datetime(2025, 11, 3).date(), weeks=2)
    assert boundaries[0] == monday
    spans = occupancy.status_spans(
        [(monday, "available")],
        freshness=timedelta(days=30),
        start=boundaries[0],
        end=boundaries[-1],
    )
    [first, second] = occupancy.split(spans, boundaries)
    assert first["available"] == 169 * 3600
    assert second["available"] == 168 * 3600


def test_the_chart_is_named_and_described_and_has_its_table(client, coordinator, last_week_history):
    client.force_login(coordinator)
    page = client.get(reverse(PAGE)).content.decode()
    assert '<svg class="ek-chart"' in page and 'role="img"' in page
    assert '<title id="vrije-plekken-title">Vrije plekken per week</title>' in page
    assert '<desc id="vrije-plekken-desc">Gemiddeld aantal vrije plekken per week' in page
    assert "<caption>Vrije plekken per week (gemiddeld)" in page
    assert page.count('<th scope="row">') >= 52


def test_the_csv_holds_every_week_of_every_place(client, coordinator, last_week_history):
    _place, monday, _wednesday = last_week_history
    client.force_login(coordinator)
    response = client.get(reverse(CSV))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["week vanaf", "organisatie", "plek"]
    assert len(rows) == 1 + 52
    last = rows[-1]
    assert last[0] == monday.astimezone(AMSTERDAM).date().isoformat()
    assert last[1] == "Hospice De Linde"
    assert last[6] == "8"  # free-place days: 4 places × 2 days


def test_each_role_sees_the_places_it_may_see(
    client, admin_user, coordinator, coordinator_b, editor, hospice, amsterdam_organisation
):
    mine, theirs = hospice.places.get(), amsterdam_organisation.places.get()
    for user, expected in [
        (admin_user, {mine, theirs}),
        (coordinator, {mine}),
        (coordinator_b, {theirs}),
        (editor, {mine}),
    ]:
        client.force_login(user)
        assert set(client.get(reverse(PAGE)).context["places"]) == expected, user
        rows = client.get(reverse(CSV)).content.decode("utf-8-sig").splitlines()[1:]
        assert {row.split(";")[1] for row in rows} == {p.organisation.name for p in expected}


def test_professionals_and_visitors_are_refused(client, professional, staff_without_role):
    assert client.get(reverse(PAGE)).status_code == 302  # to the sign-in
    client.force_login(staff_without_role)
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.get(reverse(CSV)).status_code == 403


def test_filters_by_setting_region_and_place(
    client, admin_user, hospice, amsterdam_organisation, region_b
):
    client.force_login(admin_user)
    institution = amsterdam_organisation.places.get()
    by_setting = client.get(reverse(PAGE), {"zorgsetting": "instelling"}).context
    assert by_setting["places"] == [institution]
    assert [s.label for s in by_setting["series"]] == ["Instelling"]
    assert client.get(reverse(PAGE), {"regio": region_b.slug}).context["places"] == [institution]
    one = client.get(reverse(PAGE), {"plek": hospice.places.get().pk}).context
    assert one["places"] == [hospice.places.get()]
    assert [s.label for s in one["series"]] == [str(hospice.places.get())]


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"zorgsetting": "ziekenhuis"}, "Kies een van de zorgsettings."),
        ({"regio": "nergens"}, "Kies een van de regio’s uit de lijst."),
        ({"plek": "abc"}, "Kies een van de plekken uit de lijst."),
        ({"plek": "99999999999999999999"}, "Kies een van de plekken uit de lijst."),
        ({"plek": "-1", "regio": "\x00"}, "Kies een van de"),
    ],
)
def test_bad_filters_get_a_dutch_answer_and_everything_in_scope(
    client, coordinator, hospice, parameters, message
):
    client.force_login(coordinator)
    for url in (reverse(PAGE), reverse(CSV)):
        response = client.get(url, parameters)
        assert response.status_code == 200
    response = client.get(reverse(PAGE), parameters)
    assert message in response.content.decode()
    assert response.context["places"] == [hospice.places.get()]


def more_places(count: int, organisation: Organisation) -> None:
    location = organisation.locations.get()
    places = Place.objects.bulk_create(
        Place(organisation=organisation, location=location, setting=CareSetting.HOME, name=f"{i}")
        for i in range(count)
    )
    start = weeks()[0]
    AvailabilityChange.objects.bulk_create(
        AvailabilityChange(
            place=place, changed_at=start + timedelta(days=day), new_availability="available"
        )
        for place in places
        for day in range(0, 360, 5)
    )


@pytest.mark.parametrize("extra", [0, 40])
def test_query_count_does_not_grow_with_places_or_history(
    client, coordinator, hospice, extra, django_assert_max_num_queries
):
    more_places(extra, hospice)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(PAGE), {"regio": "regio-utrecht"})
    assert len(response.context["places"]) == 1 + extra
    with django_assert_max_num_queries(12):
        client.get(reverse(CSV))


def test_the_demo_past_fills_the_page_the_same_way_every_time(client, admin_user, demo):
    assert demo_past_load() is True
    assert demo_past_load() is False  # already there
    changes = list(
        AvailabilityChange.objects.filter(place__in=demo_places()).values_list(
            "place__location__postcode", "new_availability"
        )
    )
    assert len(changes) > 30 * demo_places().count()
    # Every demo place's history ends in its current status.
    for place in demo_places():
        latest = place.availability_changes.first()
        assert (latest.new_availability, latest.changed_at) == (
            place.availability,
            place.availability_updated_at,
        )
    assert demo_past_load(force=True) is True
    again = list(
        AvailabilityChange.objects.filter(place__in=demo_places()).values_list(
            "place__location__postcode", "new_availability"
        )
    )
    assert sorted(again) == sorted(changes)
    client.force_login(admin_user)
    context = client.get(reverse(PAGE)).context
    assert {s.label for s in context["series"]} == {"Hospice", "Instelling", "Thuis"}
    assert all(
        row["free_place_days"] > 0 for row in context["rows"] if row["place"] in demo_places()
    )
    shares = [row["shares"] for row in context["rows"]]
    assert any(share["unknown"] > 0.01 for share in shares)  # teams that forgot a while


def test_the_place_list_links_to_the_chart(client, coordinator, hospice):
    client.force_login(coordinator)
    page = client.get(reverse("admin:netwerk_place_changelist")).content.decode()
    assert f'href="{reverse(PAGE)}"' in page
    assert "Beschikbaarheid door de tijd" in page


def test_coordinators_are_led_on_to_the_indicators_and_editors_not(client, coordinator, editor):
    client.force_login(coordinator)
    assert reverse("admin:indicators") in client.get(reverse(PAGE)).content.decode()
    client.force_login(editor)
    assert reverse("admin:indicators") not in client.get(reverse(PAGE)).content.decode()
