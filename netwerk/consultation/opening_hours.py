"""Opening hours of consultation and crisis phone lines ("Wie bel ik nu?").

Answers, for a :class:`Schedule`: is the line open at an instant, until when, when does it next
open, and how to say that in a short Dutch (translatable) sentence.  Showing a closed line as
open is the worst failure this product can have, so the rules below are exact.

Semantics
---------
* Wall-clock times are local times in Europe/Amsterdam (:data:`TIMEZONE`).
* A :class:`WeeklyRange` belongs to the local date on which it *starts*.  ``closes <= opens``
  means it runs past midnight into the next day: (Mon, 17:00, 08:00) covers Monday 17:00 until
  Tuesday 08:00.  ``opens == closes`` means 24 hours from ``opens``: 00:00-00:00 is the whole
  day, and (Sat, 08:30, 08:30) is Saturday 08:30 until Sunday 08:30, so that weekend and
  holiday hours ("holiday = Sunday") can run from morning to morning.
* The ranges that start on local date D are those with D's weekday, unless D is a holiday of
  the schedule's :class:`HolidayCalendar` (the network's choice, below): then
  ``HolidayRule.CLOSED`` starts no range on D, ``HolidayRule.SUNDAY`` starts the Sunday ranges on
  D instead of D's own, and ``HolidayRule.REGULAR`` changes nothing.  A range that started the
  day before a holiday and runs past midnight still counts: it belongs to the day before.
* On a holiday afternoon (24 and 31 December from ``HolidayCalendar.afternoons_from``, when the
  network chose it) the ranges starting on D are cut off at D + that time: ``CLOSED`` keeps only
  their part before it (a range starting later, or its part past midnight, is dropped),
  ``SUNDAY`` keeps that part of D's own ranges and from that time on the part of the Sunday ranges
  after it.  Ranges of the day before are untouched, as on a whole holiday.
* Instant t is inside a range starting on D iff t's naive local wall-clock time lies in
  [D + opens, D' + closes), D' being D or D + 1.  In the spring-forward gap there are no
  instants.  In the fall-back night the repeated hour is inside a range each time its wall-clock
  time is (staff work by the clock): a range ending at 02:30 that night is open from 02:00 to
  02:30 twice, and closed in between.
* An ``always_open`` (24/7) line is open at every instant, subject to exceptions; holidays do
  not matter for it.
* :class:`ScheduleException` periods are half-open intervals of instants [starts, ends).  An
  extra opening makes the line open, a closure makes it closed; where they overlap, the closure
  wins.
* ``Status.until`` and ``Status.next_opening`` are the exact instants of the next change of
  state, computed from interval boundaries (adjacent or overlapping open intervals merge).  The
  search reaches :data:`HORIZON` (14 days) past the moment, and 14 days past the end of every
  exception that starts within the window searched so far, but never more than
  :data:`LONGEST_HORIZON` (a year) past the moment; a change further away (or exactly at the
  horizon) is reported as None.

Internally every instant is handled in UTC: comparing two datetimes that share one ZoneInfo
ignores ``fold`` and would misorder the repeated hour of the fall-back night.  Results are
returned as Europe/Amsterdam datetimes with the correct ``fold``.

Python's calendar ends with the years 1 and 9999, and a horizon, a local date or a search for
the clock changes near those ends would leave it.  The engine therefore works between
:data:`EARLIEST` and :data:`LATEST`: an instant before or after them (a mistyped year in an
exception, a moment nobody plans for) counts as that bound.  Callers validate real input to a
sensible range; this only keeps the engine from failing on what slips through.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from itertools import pairwise
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
from dateutil.easter import easter
from django.utils.translation import gettext, pgettext, pgettext_lazy

TIMEZONE = ZoneInfo("Europe/Amsterdam")
HORIZON = timedelta(days=14)
# However long an exception lasts: "closed until further notice" must not mean a search of years.
LONGEST_HORIZON = timedelta(days=366)
# Room at each end of the calendar for the longest horizon, local dates and a year's scan for
# clock changes.
EARLIEST = datetime(MINYEAR + 1, 1, 1, tzinfo=UTC)
LATEST = datetime(MAXYEAR - 2, 1, 1, tzinfo=UTC)
SUNDAY = 6
MIDNIGHT = time(0, 0)

Interval = tuple[datetime, datetime]
OffsetSegment = tuple[datetime, datetime, timedelta]

_DAY_SECONDS = 24 * 60 * 60
_WEEK_SECONDS = 7 * _DAY_SECONDS
_WEEKDAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


@dataclass(frozen=True)
class WeeklyRange:
    """A weekly opening period; see the module docstring for midnight crossing and 00:00-00:00."""

    weekday: int  # 0 = Monday ... 6 = Sunday
    opens: time
    closes: time


def consecutive_runs(days: list[int]) -> list[list[int]]:
    """[0, 1, 2, 4] -> [[0, 1, 2], [4]]: the weekdays in runs of consecutive days."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def days_by_times(ranges) -> dict[tuple[tuple[time, time], ...], list[int]]:
    """The weekdays that share the same opening times, per set of times, in weekday order: how
    both the notation and the weekly hours on the public pages group days."""
    ranges = list(ranges)
    grouped: dict[tuple[tuple[time, time], ...], list[int]] = {}
    for day in range(7):
        times = tuple(sorted((r.opens, r.closes) for r in ranges if r.weekday == day))
        if times:
            grouped.setdefault(times, []).append(day)
    return grouped


@dataclass(frozen=True)
class ScheduleException:
    """A one-off closure (``is_open=False``) or extra opening over [starts, ends)."""

    starts: datetime
    ends: datetime
    is_open: bool

    def __post_init__(self) -> None:
        starts, ends = _as_utc(self.starts, "starts"), _as_utc(self.ends, "ends")
        # Both may have been moved to the same bound: then only their own order can tell.
        if ends < starts or (ends == starts and not self.starts < self.ends):
            raise ValueError(f"Exception must end after it starts: {self.starts} - {self.ends}")


class HolidayRule(StrEnum):
    REGULAR = "regular"
    CLOSED = "closed"
    SUNDAY = "sunday"


@dataclass(frozen=True)
class HolidayCalendar:
    """Which days count as holidays for the lines that close on them, the network's choice.

    By default the days that are generally free in the Netherlands: Nieuwjaarsdag, Eerste en
    Tweede Paasdag, Koningsdag, Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en Tweede
    Kerstdag, and Bevrijdingsdag (5 May) once every five years (2025, 2030, …): ``holidays.NL``
    without Goede Vrijdag, which that library counts but most employers and care services do
    not give off.  The Algemene termijnenwet (art. 3) is wider than this default: it names
    5 May every year and makes Goede Vrijdag equal to a holiday (lid 2), but leaves out the
    first days of Easter and Pentecost, which are Sundays anyway.  Both options on give its list.
    ``afternoons_from`` makes 24 and 31 December holidays from that time of day.
    """

    good_friday: bool = False
    liberation_day_every_year: bool = False
    afternoons_from: time | None = None


DEFAULT_CALENDAR = HolidayCalendar()


@dataclass(frozen=True)
class Schedule:
    ranges: tuple[WeeklyRange, ...] = ()
    always_open: bool = False
    exceptions: tuple[ScheduleException, ...] = ()
    holiday_rule: HolidayRule = HolidayRule.REGULAR
    calendar: HolidayCalendar = DEFAULT_CALENDAR


@dataclass(frozen=True)
class Status:
    """State of a line at one instant.

    ``until`` (when open) and ``next_opening`` (when closed) are Europe/Amsterdam datetimes, or
    None when no change lies within the horizon.  ``always_open`` is true only for a 24/7 line
    that is open now and has no closure coming within the horizon.  Compare these datetimes via
    ``astimezone(UTC)``: in the fall-back hour Python's ``==`` is always False across zones and
    ignores ``fold`` within one.
    """

    is_open: bool
    until: datetime | None
    next_opening: datetime | None
    always_open: bool


# --- Public API ----------------------------------------------------------------------------------


def status_at(schedule: Schedule, moment: datetime) -> Status:
    """Whether the line is open at ``moment`` (timezone-aware), and when that next changes."""
    now = _as_utc(moment, "moment")
    horizon_end = _horizon_end(schedule, now)
    intervals = _open_intervals_utc(schedule, now, horizon_end)
    if intervals and intervals[0][0] == now:
        closes = intervals[0][1]
        if closes < horizon_end:
            return Status(True, _to_local(closes), None, always_open=False)
        return Status(True, None, None, always_open=schedule.always_open)
    next_opening = _to_local(intervals[0][0]) if intervals else None
    return Status(False, None, next_opening, always_open=False)


def open_intervals(schedule: Schedule, start: datetime, end: datetime) -> list[Interval]:
    """Merged, sorted open intervals clipped to [start, end), as Europe/Amsterdam datetimes."""
    intervals = _open_intervals_utc(schedule, _as_utc(start, "start"), _as_utc(end, "end"))
    return [(_to_local(opens), _to_local(closes)) for opens, closes in intervals]


def validate_ranges(ranges: Iterable[WeeklyRange]) -> list[str]:
    """Dutch error messages for invalid or overlapping weekly ranges; an empty list when fine.

    Overlap is judged on the weekly cycle, so a range running past midnight clashes with the next
    day's early ranges, and Sunday night wraps round to Monday morning.  Ranges that merely touch
    (one closes when the other opens) are fine.  Holiday rules are not taken into account.
    """
    errors: list[str] = []
    valid: list[WeeklyRange] = []
    for weekly_range in sorted(ranges, key=lambda r: (r.weekday, r.opens, r.closes)):
        error = _range_error(weekly_range)
        if error:
            errors.append(error)
        else:
            valid.append(weekly_range)
    for index, first in enumerate(valid):
        for second in valid[index + 1 :]:
            error = _overlap_error(first, second)
            if error:
                errors.append(error)
    return errors


def describe(status: Status, now: datetime) -> str:
    """Short Dutch, translatable description of ``status`` as seen at ``now``.

    "Today" and "tomorrow" are judged by Europe/Amsterdam local dates.  Examples: "24/7
    bereikbaar", "open tot morgen 08:00", "gesloten, gaat maandag om 08:30 open".
    """
    today = _to_local(_as_utc(now, "now")).date()
    if status.always_open:
        return gettext("24/7 bereikbaar")
    if status.is_open:
        return _describe_open(status.until, today)
    return _describe_closed(status.next_opening, today)


# --- Open intervals ------------------------------------------------------------------------------


def _open_intervals_utc(schedule: Schedule, start: datetime, end: datetime) -> list[Interval]:
    """Merged, sorted open intervals within [start, end); all instants in UTC."""
    if end <= start:
        return []
    regular = [(start, end)] if schedule.always_open else _weekly_intervals(schedule, start, end)
    # An exception wholly beyond EARLIEST or LATEST shrinks to nothing there.
    exceptions = [(e, *_exception_interval(e)) for e in schedule.exceptions]
    openings = [(starts, ends) for e, starts, ends in exceptions if e.is_open and starts < ends]
    closures = [(starts, ends) for e, starts, ends in exceptions if not e.is_open and starts < ends]
    intervals = _subtract(_merge(regular + openings), _merge(closures))
    return _clip(intervals, start, end)


def _weekly_intervals(schedule: Schedule, start: datetime, end: datetime) -> list[Interval]:
    """Instants within [start, end) covered by weekly ranges; unmerged."""
    segments = _offset_segments(start, end)
    first_day = _to_local(start).date() - timedelta(days=1)  # its ranges may run past midnight
    last_day = _to_local(end).date()
    intervals: list[Interval] = []
    for day in _days(first_day, last_day):
        for wall_start, wall_end in _wall_spans_starting_on(schedule, day):
            intervals.extend(_wall_span_to_instants(wall_start, wall_end, segments))
    return intervals


def _wall_spans_starting_on(schedule: Schedule, day: date) -> list[tuple[datetime, datetime]]:
    """Naive local spans of the ranges that start on ``day``, after the holiday rule."""
    weekday = day.weekday()
    rule = schedule.holiday_rule
    if rule != HolidayRule.REGULAR:
        holiday = holiday_days(schedule.calendar, day.year).get(day, False)
        if holiday is True:
            if rule == HolidayRule.CLOSED:
                return []
            weekday = SUNDAY
        elif holiday:  # an afternoon: a holiday from this time of day
            cutoff = datetime.combine(day, holiday)
            spans = [
                (start, min(end, cutoff))
                for start, end in _spans_of_weekday(schedule, day, weekday)
                if start < cutoff
            ]
            if rule == HolidayRule.SUNDAY:
                spans += [
                    (max(start, cutoff), end)
                    for start, end in _spans_of_weekday(schedule, day, SUNDAY)
                    if end > cutoff
                ]
            return spans
    return _spans_of_weekday(schedule, day, weekday)


def _spans_of_weekday(
    schedule: Schedule, day: date, weekday: int
) -> list[tuple[datetime, datetime]]:
    return [_wall_clock_span(day, r) for r in schedule.ranges if r.weekday == weekday]


def _wall_clock_span(day: date, weekly_range: WeeklyRange) -> tuple[datetime, datetime]:
    """Naive local start and end of ``weekly_range`` when it starts on ``day``."""
    crosses_midnight = weekly_range.closes <= weekly_range.opens
    end_day = day + timedelta(days=1) if crosses_midnight else day
    return datetime.combine(day, weekly_range.opens), datetime.combine(end_day, weekly_range.closes)


def _wall_span_to_instants(
    wall_start: datetime, wall_end: datetime, segments: Sequence[OffsetSegment]
) -> Iterator[Interval]:
    """Instants (UTC) whose naive local wall-clock time lies in [wall_start, wall_end).

    Within a segment of constant UTC offset, local time = UTC + offset, so the span maps onto
    [wall_start - offset, wall_end - offset) cut to the segment.  Over the fall-back night this
    may yield two pieces; over the spring-forward gap the piece is simply an hour shorter.
    """
    for segment_start, segment_end, offset in segments:
        low = max(segment_start, (wall_start - offset).replace(tzinfo=UTC))
        high = min(segment_end, (wall_end - offset).replace(tzinfo=UTC))
        if low < high:
            yield low, high


def _exception_interval(exception: ScheduleException) -> Interval:
    return _as_utc(exception.starts, "starts"), _as_utc(exception.ends, "ends")


def _horizon_end(schedule: Schedule, now: datetime) -> datetime:
    """``now`` + HORIZON, stretched to HORIZON past the end of each exception starting before it,
    up to ``now`` + LONGEST_HORIZON."""
    end = now + HORIZON
    for starts, ends in sorted(_exception_interval(e) for e in schedule.exceptions):
        if starts < end:
            end = max(end, ends + HORIZON)
    return min(end, now + LONGEST_HORIZON)


# --- Interval arithmetic -------------------------------------------------------------------------


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or adjacent intervals."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    """The parts of ``intervals`` not covered by ``holes`` (both merged and sorted)."""
    result: list[Interval] = []
    for start, end in intervals:
        for hole_start, hole_end in holes:
            if hole_end <= start or hole_start >= end:
                continue
            if hole_start > start:
                result.append((start, hole_start))
            start = hole_end
        if start < end:
            result.append((start, end))
    return result


def _clip(intervals: list[Interval], start: datetime, end: datetime) -> list[Interval]:
    return [(max(s, start), min(e, end)) for s, e in intervals if s < end and e > start]


# --- Time zone and calendar ----------------------------------------------------------------------


def _as_utc(moment: datetime, name: str) -> datetime:
    """``moment`` in UTC, moved into [EARLIEST, LATEST]; ValueError when it is naive."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment!r}")
    if moment.year == MINYEAR:  # converting it to UTC might leave the calendar
        return EARLIEST
    if moment.year == MAXYEAR:
        return LATEST
    return min(max(moment.astimezone(UTC), EARLIEST), LATEST)


def _to_local(instant: datetime) -> datetime:
    return instant.astimezone(TIMEZONE)


def _utc_offset(instant: datetime) -> timedelta:
    offset = _to_local(instant).utcoffset()
    assert offset is not None
    return offset


def _offset_segments(start: datetime, end: datetime) -> list[OffsetSegment]:
    """Split [start, end) (UTC) into pieces over which Amsterdam's UTC offset is constant."""
    years = range(start.year - 1, end.year + 1)
    changes = [t for year in years for t in _offset_changes(year) if start < t < end]
    bounds = [start, *changes, end]
    return [(low, high, _utc_offset(low)) for low, high in pairwise(bounds)]


@cache
def _offset_changes(year: int) -> tuple[datetime, ...]:
    """UTC instants in (1 Jan ``year``, 1 Jan ``year`` + 1] at which Amsterdam's offset changes.

    Scans day by day and bisects to the second; assumes at most one change per day.
    """
    changes = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        next_day = day + timedelta(days=1)
        if _utc_offset(day) != _utc_offset(next_day):
            changes.append(_offset_change_between(day, next_day))
        day = next_day
    return tuple(changes)


def _offset_change_between(before: datetime, after: datetime) -> datetime:
    """The first instant in (before, after] that has ``after``'s UTC offset."""
    new_offset = _utc_offset(after)
    low, high = 0, int((after - before).total_seconds())
    while high - low > 1:
        middle = (low + high) // 2
        if _utc_offset(before + timedelta(seconds=middle)) == new_offset:
            high = middle
        else:
            low = middle
    return before + timedelta(seconds=high)


@cache
def holiday_days(calendar: HolidayCalendar, year: int) -> Mapping[date, bool | time]:
    """The holidays of ``year`` under ``calendar``: True for a whole day, the time of day from
    which it is one for an afternoon.  Computed once per calendar and year, for every line."""
    days: dict[date, bool | time] = dict.fromkeys(holidays.NL(years=year), True)
    if not calendar.good_friday:
        days.pop(easter(year) - timedelta(days=2), None)
    if calendar.liberation_day_every_year:
        days[date(year, 5, 5)] = True
    if calendar.afternoons_from is not None:
        for afternoon in (date(year, 12, 24), date(year, 12, 31)):
            days.setdefault(afternoon, calendar.afternoons_from)
    return MappingProxyType(days)


def _days(first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last`` inclusive."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


# --- Validation messages -------------------------------------------------------------------------


def _range_error(weekly_range: WeeklyRange) -> str | None:
    if not 0 <= weekly_range.weekday <= SUNDAY:
        clock = _clock_span(weekly_range)
        return f"Ongeldige weekdag {weekly_range.weekday} voor tijdvak {clock}."
    return None


def _overlap_error(a: WeeklyRange, b: WeeklyRange) -> str | None:
    """A message when ``a`` and ``b`` overlap on the weekly cycle, naming the earlier one first."""
    a_start, a_end = _week_span(a)
    b_start, b_end = _week_span(b)
    for shift in (-_WEEK_SECONDS, 0, _WEEK_SECONDS):
        if a_start < b_end + shift and b_start + shift < a_end:
            first, second = (a, b) if a_start <= b_start + shift else (b, a)
            first_label = _range_label(first)
            return f"{first_label[0].upper()}{first_label[1:]} overlapt met {_range_label(second)}."
    return None


def _week_span(weekly_range: WeeklyRange) -> tuple[int, int]:
    """Seconds since Monday 00:00 at which the range opens and closes (may pass the week's end)."""
    opens = _seconds(weekly_range.opens)
    length = (_seconds(weekly_range.closes) - opens) % _DAY_SECONDS or _DAY_SECONDS
    start = weekly_range.weekday * _DAY_SECONDS + opens
    return start, start + length


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _range_label(weekly_range: WeeklyRange) -> str:
    return f"{_WEEKDAY_NAMES[weekly_range.weekday]} {_clock_span(weekly_range)}"


def _clock_span(weekly_range: WeeklyRange) -> str:
    return f"{weekly_range.opens:%H:%M}\N{EN DASH}{weekly_range.closes:%H:%M}"


# --- Descriptions --------------------------------------------------------------------------------

_TRANSLATABLE_WEEKDAYS = (
    pgettext_lazy("weekday", "maandag"),
    pgettext_lazy("weekday", "dinsdag"),
    pgettext_lazy("weekday", "woensdag"),
    pgettext_lazy("weekday", "donderdag"),
    pgettext_lazy("weekday", "vrijdag"),
    pgettext_lazy("weekday", "zaterdag"),
    pgettext_lazy("weekday", "zondag"),
)
_TRANSLATABLE_MONTHS = (
    pgettext_lazy("month", "januari"),
    pgettext_lazy("month", "februari"),
    pgettext_lazy("month", "maart"),
    pgettext_lazy("month", "april"),
    pgettext_lazy("month", "mei"),
    pgettext_lazy("month", "juni"),
    pgettext_lazy("month", "juli"),
    pgettext_lazy("month", "augustus"),
    pgettext_lazy("month", "september"),
    pgettext_lazy("month", "oktober"),
    pgettext_lazy("month", "november"),
    pgettext_lazy("month", "december"),
)


def _describe_open(until: datetime | None, today: date) -> str:
    if until is None:
        return pgettext("phone line status", "open")
    values, days_ahead = _format_values(until, today)
    if days_ahead <= 0:
        return gettext("open tot %(time)s") % values
    if days_ahead == 1:
        return gettext("open tot morgen %(time)s") % values
    if days_ahead <= 6:
        return gettext("open tot %(day)s %(time)s") % values
    return gettext("open tot %(date)s %(time)s") % values


def _describe_closed(next_opening: datetime | None, today: date) -> str:
    if next_opening is None:
        return pgettext("phone line status", "gesloten")
    values, days_ahead = _format_values(next_opening, today)
    if days_ahead <= 0:
        return gettext("gesloten, gaat open om %(time)s") % values
    if days_ahead == 1:
        return gettext("gesloten, gaat morgen om %(time)s open") % values
    if days_ahead <= 6:
        return gettext("gesloten, gaat %(day)s om %(time)s open") % values
    return gettext("gesloten, gaat op %(date)s om %(time)s open") % values


def _format_values(instant: datetime, today: date) -> tuple[dict[str, str], int]:
    """Placeholder values (time, day, date) for ``instant`` and how many local days ahead it is."""
    local = _to_local(instant)
    values = {
        "time": f"{local:%H:%M}",
        "day": str(_TRANSLATABLE_WEEKDAYS[local.weekday()]),
        "date": f"{local.day} {_TRANSLATABLE_MONTHS[local.month - 1]}",
    }
    return values, (local.date() - today).days
