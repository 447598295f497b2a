"""Opening hours in one spreadsheet cell: "ma-vr 09:00-17:00; za 10:00-14:00; zo 00:00-00:00"."""

import re
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netwerk.consultation.opening_hours import WeeklyRange
from netwerk.consultation.schedule_notation import NotationError, format_ranges, parse_ranges


def weekdays(days, opens, closes):
    return [WeeklyRange(day, opens, closes) for day in days]


def in_order(ranges):
    return sorted(ranges, key=lambda r: (r.weekday, r.opens, r.closes))


def test_office_hours_are_written_as_a_range_of_days():
    ranges = weekdays(range(5), time(9), time(17))
    assert format_ranges(ranges) == "ma-vr 09:00-17:00"


def test_days_with_the_same_times_are_grouped_in_weekday_order():
    ranges = [
        *weekdays([6], time(0), time(0)),
        *weekdays([0, 2, 4], time(9), time(12, 30)),
        *weekdays([0, 2, 4], time(13), time(17)),
        *weekdays([1, 3], time(17), time(8)),
        *weekdays([5], time(10), time(14)),
    ]
    assert format_ranges(ranges) == (
        "ma,wo,vr 09:00-12:30, 13:00-17:00; di,do 17:00-08:00; za 10:00-14:00; zo 00:00-00:00"
    )


def test_no_ranges_is_an_empty_text():
    assert format_ranges([]) == ""


def test_seconds_are_written_only_when_there_are_some():
    assert format_ranges([WeeklyRange(0, time(9, 0, 30), time(17))]) == "ma 09:00:30-17:00"


@pytest.mark.parametrize(
    "text",
    [
        "ma-vr 09:00-17:00",
        "ma-vr 9:00-17:00",
        "ma-vr 09.00-17.00",
        "ma-vr 9-17",
        "MA - VR 9 - 17",
        "ma t/m vr 9-17",
        "maandag-vrijdag: 9–17",
        "ma,di,wo,do,vr 9-17",
        "ma-wo, do en vrij 9-17",
        "ma-wo 9-17\ndo-vr 9-17",
        "ma-wo 9-17;; do-vr 09:00-17:00;",
    ],
)
def test_the_ways_coordinators_write_office_hours_all_mean_the_same(text):
    assert in_order(parse_ranges(text)) == weekdays(range(5), time(9), time(17))


def test_several_times_on_one_day_are_separated_by_commas():
    assert parse_ranges("za 08:00-12:00, 13:00-17:00") == (
        WeeklyRange(5, time(8), time(12)),
        WeeklyRange(5, time(13), time(17)),
    )


def test_a_range_of_days_may_wrap_round_the_weekend():
    assert [r.weekday for r in parse_ranges("vr-ma 18-8")] == [4, 5, 6, 0]


def test_24_00_as_closing_time_is_midnight():
    assert parse_ranges("zo 00:00-24:00") == (WeeklyRange(6, time(0), time(0)),)
    assert parse_ranges("vr 17-24") == (WeeklyRange(4, time(17), time(0)),)


@pytest.mark.parametrize("text", ["", "  ", "geen", "Geen"])
def test_an_empty_text_and_geen_mean_no_opening_hours(text):
    assert parse_ranges(text) == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mz 9-17", "mz is geen dag; gebruik ma, di, wo, do, vr, za of zo."),
        ("m 9-17", "m is geen dag"),
        ("ma,,wo 9-17", "(leeg) is geen dag"),
        ("ma-wo-vr 9-17", "ma-wo-vr is geen reeks van dagen."),
        ("ma 25:00-26:00", "25:00 is geen geldige tijd."),
        ("ma 9:75-17", "9:75 is geen geldige tijd."),
        ("ma 24:00-08:00", "24:00 is geen geldige tijd."),
        ("ma 9-17-18", "9-17-18 is geen tijdvak"),
        ("ma 9 tot 17", "9 tot 17 is geen tijdvak"),
        ("ma-vr", "Bij ma-vr staan geen tijden"),
        ("ma-vr 9-17; 9-12", "Bij 9-12 staan geen dagen"),
        ("geen; ma 9-17", "Schrijf geen alleen als er helemaal geen openingstijden zijn."),
    ],
)
def test_what_cannot_be_read_is_refused_with_the_reason_in_dutch(text, message):
    with pytest.raises(NotationError, match=re.escape(message)):
        parse_ranges(text)


times = st.builds(
    time,
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    second=st.sampled_from([0, 0, 0, 30]),
)
weekly_ranges = st.lists(st.builds(WeeklyRange, st.integers(0, 6), times, times), max_size=12)


@given(weekly_ranges)
def test_reading_what_was_written_gives_the_same_ranges(ranges):
    assert in_order(parse_ranges(format_ranges(ranges))) == in_order(ranges)


@given(weekly_ranges)
def test_the_written_form_is_canonical(ranges):
    text = format_ranges(ranges)
    assert format_ranges(parse_ranges(text)) == text
    assert format_ranges(reversed(ranges)) == text
