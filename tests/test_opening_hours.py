"""Tests for netwerk.consultation.opening_hours: a brute-force oracle, property tests, named cases.

The oracle decides open/closed for one instant straight from the documented semantics (local
wall-clock time, the local date a range starts on, holidays, exceptions) and is stepped minute by
minute in UTC; it shares no interval code with the engine.  No database is needed.
"""

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import django
import holidays
import pytest
from dateutil.easter import easter
from django.apps import apps
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from netwerk.consultation.opening_hours import (
    HolidayCalendar,
    HolidayRule,
    Schedule,
    ScheduleException,
    Status,
    WeeklyRange,
    describe,
    holiday_days,
    open_intervals,
    status_at,
    validate_ranges,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MINUTE = timedelta(minutes=1)
TO = "\N{EN DASH}"  # the dash of Dutch time spans such as 09:00-12:00
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def local(*args: int, fold: int = 0) -> datetime:
    """An Amsterdam wall-clock datetime; ``fold=1`` picks the second of a repeated hour."""
    return datetime(*args, tzinfo=AMSTERDAM, fold=fold)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def same_instant(a: datetime | None, b: datetime | None) -> bool:
    """Instant equality that also holds in the fall-back hour (where ``==`` across zones fails)."""
    if a is None or b is None:
        return a is b
    return a.astimezone(UTC) == b.astimezone(UTC)


def weekly(weekday: int, opens: str, closes: str) -> WeeklyRange:
    return WeeklyRange(weekday, time.fromisoformat(opens), time.fromisoformat(closes))


def every_day(opens: str, closes: str) -> tuple[WeeklyRange, ...]:
    return tuple(weekly(day, opens, closes) for day in range(7))


# --- Oracle --------------------------------------------------------------------------------------


def oracle_holidays(calendar: HolidayCalendar, year: int) -> set[date]:
    """The whole holidays of a year, written out from the rules, not from the holidays library:
    Nieuwjaarsdag, Easter (Sunday and Monday), Koningsdag (27 April, the 26th when that is a
    Sunday), Ascension (Easter + 39), Pentecost (Easter + 49 and + 50), Christmas (both days),
    5 May in years divisible by five; Good Friday and 5 May every year as the calendar says."""
    sunday = easter(year)
    kings_day = date(year, 4, 27)
    days = {
        date(year, 1, 1),
        sunday,
        sunday + timedelta(days=1),
        kings_day - timedelta(days=1) if kings_day.weekday() == SUN else kings_day,
        sunday + timedelta(days=39),
        sunday + timedelta(days=49),
        sunday + timedelta(days=50),
        date(year, 12, 25),
        date(year, 12, 26),
    }
    if year % 5 == 0 or calendar.liberation_day_every_year:
        days.add(date(year, 5, 5))
    if calendar.good_friday:
        days.add(sunday - timedelta(days=2))
    return days


def oracle_spans_starting_on(schedule: Schedule, day: date) -> list[tuple[datetime, datetime]]:
    """Naive local [opens, closes) spans of the ranges starting on ``day``."""

    def spans(weekday: int) -> list[tuple[datetime, datetime]]:
        return [
            (
                datetime.combine(day, r.opens),
                datetime.combine(day + timedelta(days=r.closes <= r.opens), r.closes),
            )
            for r in schedule.ranges
            if r.weekday == weekday
        ]

    rule = schedule.holiday_rule
    afternoon = schedule.calendar.afternoons_from
    if rule == HolidayRule.REGULAR:
        return spans(day.weekday())
    if day in oracle_holidays(schedule.calendar, day.year):
        return [] if rule == HolidayRule.CLOSED else spans(SUN)
    if afternoon is not None and (day.month, day.day) in ((12, 24), (12, 31)):
        cut = datetime.combine(day, afternoon)
        before = [(s, min(e, cut)) for s, e in spans(day.weekday()) if s < cut]
        after = [(max(s, cut), e) for s, e in spans(SUN) if e > cut]
        return before + (after if rule == HolidayRule.SUNDAY else [])
    return spans(day.weekday())


def oracle_is_open(schedule: Schedule, instant: datetime) -> bool:
    """Open/closed at ``instant``, decided directly from the documented semantics."""
    if any(e.starts <= instant < e.ends for e in schedule.exceptions if not e.is_open):
        return False
    if any(e.starts <= instant < e.ends for e in schedule.exceptions if e.is_open):
        return True
    if schedule.always_open:
        return True
    wall = instant.astimezone(AMSTERDAM).replace(tzinfo=None)
    for start_day in (wall.date() - timedelta(days=1), wall.date()):
        for opens_at, closes_at in oracle_spans_starting_on(schedule, start_day):
            if opens_at <= wall < closes_at:
                return True
    return False


def oracle_minutes(start: datetime, count: int) -> Iterator[datetime]:
    for step in range(count):
        yield start + step * MINUTE


def oracle_first_flip(schedule: Schedule, moment: datetime, minutes: int) -> datetime | None:
    """The first whole minute within ``minutes`` after ``moment`` whose state differs."""
    state = oracle_is_open(schedule, moment)
    for instant in oracle_minutes(moment + MINUTE, minutes):
        if oracle_is_open(schedule, instant) != state:
            return instant
    return None


def oracle_open_intervals(
    schedule: Schedule, start: datetime, minutes: int
) -> list[tuple[datetime, datetime]]:
    """Open intervals in [start, start + minutes), built minute by minute."""
    intervals: list[list[datetime]] = []
    for instant in oracle_minutes(start, minutes):
        if not oracle_is_open(schedule, instant):
            continue
        if intervals and intervals[-1][1] == instant:
            intervals[-1][1] = instant + MINUTE
        else:
            intervals.append([instant, instant + MINUTE])
    return [(opens, closes) for opens, closes in intervals]


# --- Strategies ----------------------------------------------------------------------------------

FIRST_INSTANT = utc(2025, 1, 1)
YEARS = range(2025, 2029)
MINUTES_IN_YEARS = int((utc(2029, 1, 1) - FIRST_INSTANT) / MINUTE)


def last_sunday(year: int, month: int) -> date:
    last_day = date(year, month, 31)
    return last_day - timedelta(days=(last_day.weekday() - SUN) % 7)


DST_CHANGES = [
    datetime.combine(last_sunday(year, month), time(1), UTC) for year in YEARS for month in (3, 10)
]
EVERY_HOLIDAY = HolidayCalendar(good_friday=True, liberation_day_every_year=True)
HOLIDAY_MIDNIGHTS = [
    datetime.combine(day, time(0), AMSTERDAM).astimezone(UTC)
    for year in YEARS
    for day in sorted(
        oracle_holidays(EVERY_HOLIDAY, year) | {date(year, 12, 24), date(year, 12, 31)}
    )
]


def minutes_around(instants: list[datetime], before: int, after: int) -> st.SearchStrategy:
    return st.sampled_from(instants).flatmap(
        lambda anchor: st.integers(-before, after).map(lambda m: anchor + m * MINUTE)
    )


moments = st.one_of(
    st.integers(0, MINUTES_IN_YEARS - 1).map(lambda m: FIRST_INSTANT + m * MINUTE),
    minutes_around(DST_CHANGES, before=36 * 60, after=36 * 60),
    minutes_around(DST_CHANGES, before=3 * 60, after=3 * 60),
    minutes_around(HOLIDAY_MIDNIGHTS, before=12 * 60, after=36 * 60),
)


def clock_times_from(minutes: st.SearchStrategy[int]) -> st.SearchStrategy[time]:
    return minutes.map(lambda m: time(m // 60, m % 60))


clock_times = st.one_of(
    clock_times_from(st.integers(0, 24 * 60 - 1)),
    clock_times_from(st.integers(60, 4 * 60)),  # the hours the clocks change
    st.sampled_from([time(0), time(2), time(2, 30), time(3), time(8), time(17)]),
)


calendars = st.builds(
    HolidayCalendar,
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), clock_times_from(st.integers(0, 24 * 60 - 1)), st.just(time(12))),
)


def weekly_ranges_around(moment: datetime) -> st.SearchStrategy[WeeklyRange]:
    """Ranges on any weekday, but often on the moment's local weekday or the day before."""
    today = moment.astimezone(AMSTERDAM).weekday()
    weekdays = st.one_of(st.integers(MON, SUN), st.sampled_from([today, (today - 1) % 7]))
    return st.builds(WeeklyRange, weekdays, clock_times, clock_times).filter(
        lambda r: r.opens != r.closes or r.opens == time(0)
    )


def exceptions_around(moment: datetime) -> st.SearchStrategy[ScheduleException]:
    """Closures and extra openings starting within two days of the moment, in UTC or local."""
    return st.builds(
        lambda start, length, zone, is_open: ScheduleException(
            (moment + start * MINUTE).astimezone(zone),
            (moment + (start + length) * MINUTE).astimezone(zone),
            is_open,
        ),
        st.integers(-2 * 24 * 60, 2 * 24 * 60),
        st.integers(1, 3 * 24 * 60),
        st.sampled_from([UTC, AMSTERDAM]),
        st.booleans(),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Schedule, datetime]:
    """A random schedule and a whole-minute UTC moment it is judged at."""
    moment = draw(moments)
    schedule = Schedule(
        ranges=tuple(draw(st.lists(weekly_ranges_around(moment), max_size=6))),
        always_open=draw(st.integers(0, 4)) == 0,
        exceptions=tuple(draw(st.lists(exceptions_around(moment), max_size=3))),
        holiday_rule=draw(st.sampled_from(HolidayRule)),
        calendar=draw(calendars),
    )
    return schedule, moment


# --- Property tests ------------------------------------------------------------------------------

SCAN_MINUTES = 2 * 24 * 60


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_is_open_agrees_with_oracle(scenario: tuple[Schedule, datetime]) -> None:
    schedule, moment = scenario
    assert status_at(schedule, moment).is_open == oracle_is_open(schedule, moment)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_next_change_is_the_first_minute_the_oracle_flips(
    scenario: tuple[Schedule, datetime],
) -> None:
    schedule, moment = scenario
    status = status_at(schedule, moment)
    assert status.is_open == oracle_is_open(schedule, moment)
    change = status.until if status.is_open else status.next_opening
    other = status.next_opening if status.is_open else status.until
    assert other is None
    flip = oracle_first_flip(schedule, moment, SCAN_MINUTES)
    if flip is None:
        assert change is None or change > moment + SCAN_MINUTES * MINUTE
    else:
        assert same_instant(change, flip)
    if status.always_open:
        assert schedule.always_open and status.is_open and status.until is None


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_open_intervals_match_oracle_minute_by_minute(
    scenario: tuple[Schedule, datetime],
) -> None:
    schedule, start = scenario
    minutes = 24 * 60
    intervals = open_intervals(schedule, start, start + minutes * MINUTE)
    as_utc = [(s.astimezone(UTC), e.astimezone(UTC)) for s, e in intervals]
    assert as_utc == oracle_open_intervals(schedule, start, minutes)
    assert all(s.tzinfo is AMSTERDAM and e.tzinfo is AMSTERDAM for s, e in intervals)


# --- Weekly ranges, midnight and week boundaries -------------------------------------------------

NIGHT_LINE = Schedule(ranges=(weekly(MON, "17:00", "08:00"),))


def test_range_running_past_midnight_is_open_in_the_small_hours() -> None:
    status = status_at(NIGHT_LINE, local(2026, 1, 6, 3, 0))  # Tuesday
    assert status.is_open
    assert same_instant(status.until, local(2026, 1, 6, 8, 0))


def test_range_running_past_midnight_is_closed_at_its_closing_time() -> None:
    status = status_at(NIGHT_LINE, local(2026, 1, 6, 8, 0))
    assert not status.is_open
    assert same_instant(status.next_opening, local(2026, 1, 12, 17, 0))


def test_sunday_night_range_covers_monday_early_hours() -> None:
    schedule = Schedule(ranges=(weekly(SUN, "22:00", "06:00"),))
    status = status_at(schedule, local(2026, 1, 5, 1, 0))  # Monday
    assert status.is_open
    assert same_instant(status.until, local(2026, 1, 5, 6, 0))


def test_adjacent_ranges_merge_into_one_opening() -> None:
    schedule = Schedule(ranges=(weekly(MON, "08:00", "17:00"), weekly(MON, "17:00", "08:00")))
    status = status_at(schedule, local(2026, 1, 5, 10, 0))
    assert same_instant(status.until, local(2026, 1, 6, 8, 0))


def test_whole_day_range_runs_from_midnight_to_midnight() -> None:
    schedule = Schedule(ranges=(weekly(WED, "00:00", "00:00"),))
    assert status_at(schedule, local(2026, 1, 7, 0, 0)).is_open
    status = status_at(schedule, local(2026, 1, 7, 23, 59))
    assert same_instant(status.until, local(2026, 1, 8, 0, 0))
    assert not status_at(schedule, local(2026, 1, 8, 0, 0)).is_open


def test_weekly_ranges_covering_the_whole_week_are_open_without_end_but_not_24_7() -> None:
    schedule = Schedule(ranges=every_day("00:00", "00:00"))
    assert status_at(schedule, local(2026, 1, 5, 12, 0)) == Status(True, None, None, False)


def test_line_without_ranges_is_closed_with_no_next_opening() -> None:
    assert status_at(Schedule(), local(2026, 1, 5, 12, 0)) == Status(False, None, None, False)


def test_naive_moment_is_rejected() -> None:
    with pytest.raises(ValueError):
        status_at(NIGHT_LINE, datetime(2026, 1, 5, 12, 0))


# --- Daylight saving time ------------------------------------------------------------------------

EVERY_NIGHT = Schedule(ranges=every_day("17:00", "08:00"))


def test_night_line_stays_open_through_spring_forward_night() -> None:
    for moment in (local(2026, 3, 29, 1, 59), local(2026, 3, 29, 3, 0), utc(2026, 3, 29, 1, 30)):
        status = status_at(EVERY_NIGHT, moment)
        assert status.is_open
        assert same_instant(status.until, utc(2026, 3, 29, 6, 0))  # 08:00 CEST
    assert status.until == local(2026, 3, 29, 8, 0)


def test_night_line_stays_open_through_fall_back_night() -> None:
    for moment in (local(2026, 10, 25, 2, 30, fold=0), local(2026, 10, 25, 2, 30, fold=1)):
        status = status_at(EVERY_NIGHT, moment)
        assert status.is_open
        assert same_instant(status.until, utc(2026, 10, 25, 7, 0))  # 08:00 CET
    assert status.until == local(2026, 10, 25, 8, 0)


def test_repeated_hour_of_fall_back_night_is_inside_a_range_each_time() -> None:
    schedule = Schedule(ranges=(weekly(SAT, "22:00", "02:30"),))
    first_pass = status_at(schedule, local(2026, 10, 25, 2, 15, fold=0))
    assert same_instant(first_pass.until, utc(2026, 10, 25, 0, 30))  # 02:30 CEST
    between = status_at(schedule, local(2026, 10, 25, 2, 45, fold=0))
    assert not between.is_open
    assert same_instant(between.next_opening, utc(2026, 10, 25, 1, 0))  # 02:00 CET
    second_pass = status_at(schedule, local(2026, 10, 25, 2, 15, fold=1))
    assert same_instant(second_pass.until, utc(2026, 10, 25, 1, 30))  # 02:30 CET


def test_range_starting_inside_spring_forward_gap_opens_when_clocks_jump() -> None:
    schedule = Schedule(ranges=(weekly(SUN, "02:30", "05:00"),))
    status = status_at(schedule, local(2026, 3, 29, 1, 30))
    assert not status.is_open
    assert same_instant(status.next_opening, utc(2026, 3, 29, 1, 0))  # 03:00 CEST


# --- Holidays ------------------------------------------------------------------------------------

KINGS_DAY_2026 = date(2026, 4, 27)  # a Monday


def holiday_schedule(rule: HolidayRule) -> Schedule:
    ranges = (weekly(MON, "09:00", "17:00"), weekly(TUE, "09:00", "17:00"))
    return Schedule(ranges=(*ranges, weekly(SUN, "12:00", "14:00")), holiday_rule=rule)


def test_kings_day_line_closed_on_holidays_is_closed_at_ten() -> None:
    status = status_at(holiday_schedule(HolidayRule.CLOSED), local(2026, 4, 27, 10, 0))
    assert not status.is_open
    assert same_instant(status.next_opening, local(2026, 4, 28, 9, 0))


def test_kings_day_line_with_sunday_hours_follows_sunday_hours() -> None:
    schedule = holiday_schedule(HolidayRule.SUNDAY)
    status = status_at(schedule, local(2026, 4, 27, 10, 0))
    assert not status.is_open
    assert same_instant(status.next_opening, local(2026, 4, 27, 12, 0))
    assert same_instant(
        status_at(schedule, local(2026, 4, 27, 12, 30)).until, local(2026, 4, 27, 14)
    )


def test_kings_day_line_with_regular_hours_is_open_at_ten() -> None:
    assert status_at(holiday_schedule(HolidayRule.REGULAR), local(2026, 4, 27, 10, 0)).is_open


@pytest.mark.parametrize("day", [25, 26])
def test_christmas_days_are_closed_for_a_line_closed_on_holidays(day: int) -> None:
    schedule = Schedule(ranges=every_day("09:00", "17:00"), holiday_rule=HolidayRule.CLOSED)
    status = status_at(schedule, local(2026, 12, day, 10, 0))
    assert not status.is_open
    assert same_instant(status.next_opening, local(2026, 12, 27, 9, 0))


def test_night_range_started_the_evening_before_christmas_runs_on_into_it() -> None:
    schedule = Schedule(ranges=every_day("17:00", "08:00"), holiday_rule=HolidayRule.CLOSED)
    status = status_at(schedule, local(2026, 12, 25, 3, 0))
    assert status.is_open
    assert same_instant(status.until, local(2026, 12, 25, 8, 0))
    assert same_instant(status_at(schedule, status.until).next_opening, local(2026, 12, 27, 17, 0))


def test_round_the_clock_line_ignores_holidays() -> None:
    schedule = Schedule(always_open=True, holiday_rule=HolidayRule.CLOSED)
    assert status_at(schedule, local(2026, 12, 25, 10, 0)) == Status(True, None, None, True)


WEEKDAYS_NINE_TO_FIVE = tuple(weekly(day, "09:00", "17:00") for day in range(MON, SAT))


def closed_on_holidays(**calendar) -> Schedule:
    return Schedule(
        ranges=(*WEEKDAYS_NINE_TO_FIVE, weekly(SUN, "10:00", "14:00")),
        holiday_rule=HolidayRule.CLOSED,
        calendar=HolidayCalendar(**calendar),
    )


def test_good_friday_2027_is_a_working_day_unless_the_network_counts_it() -> None:
    good_friday = local(2027, 3, 26, 10, 0)
    assert status_at(closed_on_holidays(), good_friday).is_open
    status = status_at(closed_on_holidays(good_friday=True), good_friday)
    assert not status.is_open
    # Easter Sunday and Monday are holidays as well: the line opens again on Tuesday.
    assert same_instant(status.next_opening, local(2027, 3, 30, 9, 0))


def test_liberation_day_counts_every_five_years_or_every_year_by_choice() -> None:
    lustrum, ordinary = local(2025, 5, 5, 10, 0), local(2026, 5, 5, 10, 0)
    assert not status_at(closed_on_holidays(), lustrum).is_open
    assert status_at(closed_on_holidays(), ordinary).is_open
    assert not status_at(closed_on_holidays(liberation_day_every_year=True), ordinary).is_open


def test_christmas_eve_afternoon_closes_a_line_from_the_chosen_time() -> None:
    schedule = closed_on_holidays(afternoons_from=time(12))
    assert status_at(closed_on_holidays(), local(2026, 12, 24, 15, 0)).is_open
    morning = status_at(schedule, local(2026, 12, 24, 10, 0))
    assert morning.is_open
    assert same_instant(morning.until, local(2026, 12, 24, 12, 0))
    afternoon = status_at(schedule, local(2026, 12, 24, 15, 0))
    assert not afternoon.is_open
    assert same_instant(afternoon.next_opening, local(2026, 12, 27, 10, 0))
    assert not status_at(schedule, local(2026, 12, 31, 15, 0)).is_open


def test_afternoon_with_sunday_hours_follows_sunday_hours_from_the_chosen_time() -> None:
    schedule = Schedule(
        ranges=(*WEEKDAYS_NINE_TO_FIVE, weekly(SUN, "13:00", "20:00")),
        holiday_rule=HolidayRule.SUNDAY,
        calendar=HolidayCalendar(afternoons_from=time(12)),
    )
    status = status_at(schedule, local(2026, 12, 31, 11, 0))  # a Thursday
    assert same_instant(status.until, local(2026, 12, 31, 12, 0))
    later = status_at(schedule, local(2026, 12, 31, 12, 30))
    assert not later.is_open
    assert same_instant(later.next_opening, local(2026, 12, 31, 13, 0))
    assert same_instant(status_at(schedule, later.next_opening).until, local(2026, 12, 31, 20))


@pytest.mark.parametrize("year", range(2024, 2036))
def test_default_holidays_are_the_library_s_without_good_friday(year: int) -> None:
    library = set(holidays.NL(years=year))
    good_friday = easter(year) - timedelta(days=2)
    assert good_friday in library  # what the library counts, and the network by default not
    assert set(holiday_days(HolidayCalendar(), year)) == library - {good_friday}
    assert set(holiday_days(HolidayCalendar(), year)) == oracle_holidays(HolidayCalendar(), year)
    every = HolidayCalendar(good_friday=True, liberation_day_every_year=True)
    assert set(holiday_days(every, year)) == oracle_holidays(every, year)


# --- Exceptions ----------------------------------------------------------------------------------

CLOSURE = ScheduleException(local(2026, 2, 2, 22, 0), local(2026, 2, 3, 6, 0), is_open=False)
ROUND_THE_CLOCK = Schedule(always_open=True, exceptions=(CLOSURE,))


def test_closure_on_round_the_clock_line_closes_it_until_the_closure_ends() -> None:
    status = status_at(ROUND_THE_CLOCK, local(2026, 2, 3, 1, 0))
    assert status == Status(False, None, local(2026, 2, 3, 6, 0), always_open=False)


def test_round_the_clock_line_before_a_closure_is_open_until_it_and_not_reported_24_7() -> None:
    status = status_at(ROUND_THE_CLOCK, local(2026, 2, 2, 12, 0))
    assert status == Status(True, local(2026, 2, 2, 22, 0), None, always_open=False)


def test_round_the_clock_line_after_its_closure_is_24_7_again() -> None:
    status = status_at(ROUND_THE_CLOCK, local(2026, 2, 3, 6, 0))
    assert status == Status(True, None, None, always_open=True)


def test_long_closure_reports_its_end_beyond_the_fourteen_day_horizon() -> None:
    closure = ScheduleException(local(2026, 7, 1, 0, 0), local(2026, 8, 1, 0, 0), is_open=False)
    status = status_at(Schedule(always_open=True, exceptions=(closure,)), local(2026, 7, 2, 9, 0))
    assert same_instant(status.next_opening, local(2026, 8, 1, 0, 0))


def test_opening_beyond_the_horizon_is_not_reported() -> None:
    opening = ScheduleException(local(2026, 7, 20, 9, 0), local(2026, 7, 20, 17, 0), is_open=True)
    status = status_at(Schedule(exceptions=(opening,)), local(2026, 7, 1, 9, 0))
    assert status == Status(False, None, None, False)


OFFICE_HOURS = Schedule(ranges=(weekly(MON, "09:00", "17:00"),))
EXTRA_EVENING = ScheduleException(local(2026, 1, 5, 18, 0), local(2026, 1, 5, 22, 0), is_open=True)


def test_extra_opening_opens_a_closed_evening() -> None:
    schedule = Schedule(ranges=OFFICE_HOURS.ranges, exceptions=(EXTRA_EVENING,))
    before = status_at(schedule, local(2026, 1, 5, 17, 30))
    assert same_instant(before.next_opening, local(2026, 1, 5, 18, 0))
    during = status_at(schedule, local(2026, 1, 5, 19, 0))
    assert during.is_open
    assert same_instant(during.until, local(2026, 1, 5, 22, 0))


def test_extra_opening_adjoining_regular_hours_extends_them() -> None:
    extension = ScheduleException(local(2026, 1, 5, 17, 0), local(2026, 1, 5, 20, 0), is_open=True)
    schedule = Schedule(ranges=OFFICE_HOURS.ranges, exceptions=(extension,))
    assert same_instant(status_at(schedule, local(2026, 1, 5, 16, 0)).until, local(2026, 1, 5, 20))


def test_closure_wins_where_it_overlaps_an_extra_opening() -> None:
    closure = ScheduleException(local(2026, 1, 5, 19, 0), local(2026, 1, 5, 20, 0), is_open=False)
    schedule = Schedule(ranges=OFFICE_HOURS.ranges, exceptions=(EXTRA_EVENING, closure))
    assert not status_at(schedule, local(2026, 1, 5, 19, 30)).is_open
    assert same_instant(status_at(schedule, local(2026, 1, 5, 18, 0)).until, local(2026, 1, 5, 19))


def test_exception_must_be_timezone_aware_and_end_after_it_starts() -> None:
    with pytest.raises(ValueError):
        ScheduleException(datetime(2026, 1, 5, 18, 0), local(2026, 1, 5, 22, 0), is_open=True)
    with pytest.raises(ValueError):
        ScheduleException(local(2026, 1, 5, 22, 0), local(2026, 1, 5, 22, 0), is_open=True)


def test_open_intervals_give_a_merged_week_preview() -> None:
    schedule = Schedule(ranges=(weekly(MON, "08:00", "17:00"), weekly(MON, "17:00", "08:00")))
    preview = open_intervals(schedule, local(2026, 1, 5, 0, 0), local(2026, 1, 12, 0, 0))
    assert preview == [(local(2026, 1, 5, 8, 0), local(2026, 1, 6, 8, 0))]


# --- validate_ranges -----------------------------------------------------------------------------


def test_validate_accepts_touching_and_midnight_crossing_ranges() -> None:
    ranges = [
        weekly(MON, "08:00", "17:00"),
        weekly(MON, "17:00", "08:00"),
        weekly(TUE, "08:00", "12:00"),
        weekly(SUN, "22:00", "08:00"),
        weekly(WED, "00:00", "00:00"),
    ]
    assert validate_ranges(ranges) == []


def test_validate_rejects_overlap_on_the_same_day() -> None:
    ranges = [weekly(MON, "11:00", "13:00"), weekly(MON, "09:00", "12:00")]
    assert validate_ranges(ranges) == [
        f"Maandag 09:00{TO}12:00 overlapt met maandag 11:00{TO}13:00."
    ]


def test_validate_rejects_overlap_across_midnight() -> None:
    ranges = [weekly(TUE, "05:00", "09:00"), weekly(MON, "22:00", "06:00")]
    assert validate_ranges(ranges) == [
        f"Maandag 22:00{TO}06:00 overlapt met dinsdag 05:00{TO}09:00."
    ]


def test_validate_rejects_overlap_from_sunday_into_monday() -> None:
    ranges = [weekly(MON, "01:00", "05:00"), weekly(SUN, "22:00", "06:00")]
    assert validate_ranges(ranges) == [
        f"Zondag 22:00{TO}06:00 overlapt met maandag 01:00{TO}05:00."
    ]


def test_validate_rejects_whole_day_overlapping_another_range() -> None:
    ranges = [weekly(FRI, "00:00", "00:00"), weekly(FRI, "23:00", "01:00")]
    assert validate_ranges(ranges) == [
        f"Vrijdag 00:00{TO}00:00 overlapt met vrijdag 23:00{TO}01:00."
    ]


def test_equal_opening_and_closing_time_means_24_hours_from_then() -> None:
    schedule = Schedule(ranges=(weekly(TUE, "09:00", "09:00"),))
    assert validate_ranges(schedule.ranges) == []
    assert status_at(schedule, local(2026, 11, 25, 8, 59)).is_open
    assert not status_at(schedule, local(2026, 11, 25, 9, 0)).is_open
    assert validate_ranges([weekly(TUE, "09:00", "09:00"), weekly(WED, "08:00", "10:00")]) == [
        f"Dinsdag 09:00{TO}09:00 overlapt met woensdag 08:00{TO}10:00."
    ]


def test_validate_rejects_unknown_weekday() -> None:
    assert validate_ranges([weekly(7, "09:00", "12:00")]) == [
        f"Ongeldige weekdag 7 voor tijdvak 09:00{TO}12:00."
    ]


# --- describe ------------------------------------------------------------------------------------


@pytest.fixture
def dutch() -> Iterator[None]:
    """Dutch active; minimal Django settings when none are configured (plain pytest run)."""
    if not django_settings.configured and "DJANGO_SETTINGS_MODULE" not in os.environ:
        django_settings.configure(USE_I18N=True, LANGUAGE_CODE="nl")
    if not apps.ready:
        django.setup()
    with translation.override("nl"):
        yield


MONDAY_MORNING = local(2026, 1, 5, 7, 0)


def open_until(instant: datetime | None) -> Status:
    return Status(True, instant, None, always_open=False)


def closed_until(instant: datetime | None) -> Status:
    return Status(False, None, instant, always_open=False)


@pytest.mark.usefixtures("dutch")
class TestDescribe:
    def test_round_the_clock(self) -> None:
        assert describe(Status(True, None, None, True), MONDAY_MORNING) == "24/7 bereikbaar"

    def test_open_closing_today(self) -> None:
        assert describe(open_until(local(2026, 1, 5, 17, 0)), MONDAY_MORNING) == "open tot 17:00"

    def test_open_closing_tomorrow(self) -> None:
        status = open_until(local(2026, 1, 6, 8, 0))
        assert describe(status, MONDAY_MORNING) == "open tot morgen 08:00"

    def test_open_closing_later_this_week(self) -> None:
        status = open_until(local(2026, 1, 12, 8, 0))
        assert describe(status, local(2026, 1, 8, 20, 0)) == "open tot maandag 08:00"

    def test_open_closing_more_than_six_days_ahead_names_the_date(self) -> None:
        status = open_until(local(2026, 1, 15, 8, 0))
        assert describe(status, MONDAY_MORNING) == "open tot 15 januari 08:00"

    def test_open_with_no_closing_in_sight(self) -> None:
        assert describe(open_until(None), MONDAY_MORNING) == "open"

    def test_closed_opening_today(self) -> None:
        status = closed_until(local(2026, 1, 5, 8, 30))
        assert describe(status, MONDAY_MORNING) == "gesloten, gaat open om 08:30"

    def test_closed_opening_tomorrow(self) -> None:
        status = closed_until(local(2026, 1, 6, 8, 30))
        assert describe(status, MONDAY_MORNING) == "gesloten, gaat morgen om 08:30 open"

    def test_closed_opening_within_six_days(self) -> None:
        status = closed_until(local(2026, 1, 12, 8, 30))
        assert describe(status, local(2026, 1, 7, 20, 0)) == "gesloten, gaat maandag om 08:30 open"

    def test_closed_opening_later_names_the_date(self) -> None:
        status = closed_until(local(2026, 1, 5, 8, 30))
        text = describe(status, local(2025, 12, 24, 12, 0))
        assert text == "gesloten, gaat op 5 januari om 08:30 open"

    def test_closed_with_no_opening_in_sight(self) -> None:
        assert describe(closed_until(None), MONDAY_MORNING) == "gesloten"

    def test_today_is_judged_by_amsterdam_date(self) -> None:
        now = utc(2026, 1, 5, 23, 30)  # already Tuesday 00:30 in Amsterdam
        assert describe(open_until(utc(2026, 1, 6, 7, 0)), now) == "open tot 08:00"

    def test_describes_a_computed_status(self) -> None:
        now = local(2026, 1, 6, 3, 0)
        assert describe(status_at(NIGHT_LINE, now), now) == "open tot 08:00"
