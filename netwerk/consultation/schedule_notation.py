"""Weekly opening hours in one spreadsheet cell, written the way Dutch coordinators write them.

    ma-vr 09:00-17:00; za 10:00-14:00; zo 00:00-00:00

The notation
------------
* Entries are separated by ``;`` or line breaks. Each entry is one or more days followed by one
  or more times.
* Days: ``ma di wo do vr za zo`` or any longer beginning of the Dutch name (``maandag``,
  ``woe``). ``ma-vr`` (also ``ma t/m vr``) is a range of days, and may wrap round the weekend
  (``vr-ma``); ``ma,wo`` (also ``ma en wo``) is a list; both mix: ``ma-wo,vr``.
* Times: ``09:00-17:00``, also ``9:00``, ``09.00`` and whole hours (``9-17``); several times on
  one day are separated by commas (``ma 09:00-12:00, 13:00-17:00``). A closing time before the
  opening time runs past midnight into the next day (``vr 17:00-08:00``); the same opening and
  closing time is 24 hours from then (``zo 00:00-00:00`` is all Sunday). ``24:00`` may be written
  as a closing time and means midnight (00:00).
* ``geen`` means no opening hours at all, as does an empty text.

The meaning is exactly that of
:class:`netwerk.consultation.opening_hours.WeeklyRange`, whose module explains midnight
crossing. :func:`format_ranges` writes the one canonical spelling (two-letter days, ``HH:MM``,
days with the same times grouped), and ``parse_ranges(format_ranges(r))`` gives ``r`` back.
Whether the ranges overlap is the business of
:func:`netwerk.consultation.opening_hours.validate_ranges`.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from netwerk.consultation.opening_hours import WeeklyRange, consecutive_runs, days_by_times

DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
NO_HOURS = "geen"

_ENTRY_SEPARATOR = re.compile(r"[;\n\r]+")
_DASH = r"\s*[-\u2013\u2014]\s*"
_ENTRY = re.compile(r"(?P<days>[^\d:]+?)\s*:?\s*(?P<times>\d.*)")
_TIME = r"\d{1,2}(?:[:.]\d{2}){0,2}"
_SPAN = re.compile(rf"(?P<opens>{_TIME}){_DASH}(?P<closes>{_TIME})")


class NotationError(ValueError):
    """The text is not in the notation; the message says why, in Dutch."""


def format_ranges(ranges: Iterable[WeeklyRange]) -> str:
    """The canonical text for ``ranges``: days with the same times grouped, in weekday order."""
    return "; ".join(
        f"{_days_text(days)} {', '.join(_span_text(*span) for span in times)}"
        for times, days in days_by_times(ranges).items()
    )


def parse_ranges(text: str) -> tuple[WeeklyRange, ...]:
    """The weekly ranges ``text`` describes; NotationError with a Dutch message when it cannot."""
    entries = [entry.strip() for entry in _ENTRY_SEPARATOR.split(text or "") if entry.strip()]
    if [entry.casefold() for entry in entries] == [NO_HOURS]:
        return ()
    if NO_HOURS in (entry.casefold() for entry in entries):
        raise NotationError(
            _("Schrijf %(none)s alleen als er helemaal geen openingstijden zijn.")
            % {"none": NO_HOURS}
        )
    return tuple(weekly_range for entry in entries for weekly_range in _parse_entry(entry))


# --- Writing -------------------------------------------------------------------------------------


def _days_text(days: list[int]) -> str:
    """[0, 1, 2, 4] -> "ma-wo,vr": runs of consecutive days as ranges."""
    return ",".join(
        DAYS[run[0]] if len(run) == 1 else f"{DAYS[run[0]]}-{DAYS[run[-1]]}"
        for run in consecutive_runs(days)
    )


def _span_text(opens: time, closes: time) -> str:
    return f"{_time_text(opens)}-{_time_text(closes)}"


def _time_text(moment: time) -> str:
    return f"{moment:%H:%M:%S}" if moment.second else f"{moment:%H:%M}"


# --- Reading -------------------------------------------------------------------------------------


def _parse_entry(entry: str) -> list[WeeklyRange]:
    normalised = re.sub(r"\s+t/m\s+", "-", entry.casefold())
    normalised = re.sub(r"\s+en\s+", ",", normalised)
    match = _ENTRY.fullmatch(normalised)
    if match is None:
        raise NotationError(_entry_problem(normalised) % {"entry": entry})
    days = _parse_days(match["days"])
    spans = [_parse_span(span.strip()) for span in match["times"].split(",") if span.strip()]
    return [WeeklyRange(day, opens, closes) for day in days for opens, closes in spans]


def _entry_problem(entry: str) -> str:
    if not re.search(r"\d", entry):
        return _("Bij %(entry)s staan geen tijden; schrijf bijvoorbeeld ma-vr 09:00-17:00.")
    if entry[0].isdigit():
        return _("Bij %(entry)s staan geen dagen; schrijf bijvoorbeeld ma-vr 09:00-17:00.")
    return _("%(entry)s is niet te lezen; schrijf bijvoorbeeld ma-vr 09:00-17:00.")


def _parse_days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        bounds = [_parse_day(name) for name in re.split(_DASH, part.strip())]
        if len(bounds) > 2:
            raise NotationError(_("%(days)s is geen reeks van dagen.") % {"days": part.strip()})
        first, last = bounds[0], bounds[-1]
        days.extend((first + offset) % 7 for offset in range((last - first) % 7 + 1))
    return days


def _parse_day(name: str) -> int:
    name = name.strip()
    for day, full_name in enumerate(DAY_NAMES):
        if len(name) >= 2 and full_name.startswith(name):
            return day
    raise NotationError(
        _("%(name)s is geen dag; gebruik ma, di, wo, do, vr, za of zo.")
        % {"name": name or _("(leeg)")}
    )


def _parse_span(text: str) -> tuple[time, time]:
    match = _SPAN.fullmatch(text)
    if match is None:
        raise NotationError(
            _("%(times)s is geen tijdvak; schrijf bijvoorbeeld 09:00-17:00.") % {"times": text}
        )
    return _parse_time(match["opens"]), _parse_time(match["closes"], closing=True)


def _parse_time(text: str, *, closing: bool = False) -> time:
    hour, minute, second = ([int(part) for part in re.split(r"[:.]", text)] + [0, 0])[:3]
    if closing and (hour, minute, second) == (24, 0, 0):
        return time(0, 0)
    if hour > 23 or minute > 59 or second > 59:
        raise NotationError(_("%(time)s is geen geldige tijd.") % {"time": text})
    return time(hour, minute, second)


# --- Dated exceptions ----------------------------------------------------------------------------
#
#     24-12-2026 t/m 26-12-2026 gesloten (kerst); 31-12-2026 17:00-24:00 gesloten;
#     27-04-2027 10:00-14:00 open (Koningsdag)
#
# Entries are separated by ``;`` or line breaks. An entry is a date (``dd-mm-jjjj``) or a range
# of dates (``t/m``), optionally with a time span on that date (an end before the start runs
# into the next day) or with a time on each date (``24-12-2026 17:00 t/m 27-12-2026 08:00``),
# then ``gesloten`` or ``open``, then optionally a reason in brackets. A date without times is
# the whole day. ``geen`` means no exceptions at all.


@dataclass(frozen=True)
class DatedException:
    """A closure or extra opening over [starts, ends), in local (naive) time."""

    starts: datetime
    ends: datetime
    is_open: bool
    reason: str = ""


_DATE = r"\d{1,2}-\d{1,2}-\d{4}"
_EXCEPTION = re.compile(
    rf"(?P<first>{_DATE})(?:\s+(?P<first_time>{_TIME}))?"
    rf"(?:\s*(?:t/m|tot en met)\s*(?P<last>{_DATE})(?:\s+(?P<last_time>{_TIME}))?)?"
    rf"(?:\s+(?P<span>{_TIME}{_DASH}{_TIME}))?"
    r"\s+(?P<state>gesloten|dicht|open|extra open)"
    r"(?:\s*\((?P<reason>[^)]*)\))?",
    re.IGNORECASE,
)


def parse_exceptions(text: str) -> tuple[DatedException, ...]:
    """The dated exceptions ``text`` describes; NotationError with a Dutch message if it cannot."""
    entries = [entry.strip() for entry in _ENTRY_SEPARATOR.split(text or "") if entry.strip()]
    if [entry.casefold() for entry in entries] == [NO_HOURS]:
        return ()
    return tuple(_parse_exception(entry) for entry in entries)


def format_exceptions(exceptions: Iterable[DatedException]) -> str:
    """The canonical text; ``parse_exceptions(format_exceptions(e))`` gives ``e`` back."""
    return "; ".join(_exception_text(exception) for exception in exceptions)


def _exception_text(exception: DatedException) -> str:
    starts, ends = exception.starts, exception.ends
    midnight = time(0, 0)
    if starts.time() == midnight and ends.time() == midnight:
        last = ends.date() - timedelta(days=1)
        when = f"{starts:%d-%m-%Y}" + (f" t/m {last:%d-%m-%Y}" if last != starts.date() else "")
    elif ends - starts <= timedelta(days=1) and (
        ends.date() == starts.date() or ends.time() <= starts.time()
    ):
        when = f"{starts:%d-%m-%Y} {_span_text(starts.time(), ends.time())}"
    else:
        when = f"{starts:%d-%m-%Y} {_time_text(starts.time())} t/m {ends:%d-%m-%Y} "
        when += _time_text(ends.time())
    state = "open" if exception.is_open else "gesloten"
    reason = f" ({exception.reason})" if exception.reason else ""
    return f"{when} {state}{reason}"


def _parse_exception(entry: str) -> DatedException:
    match = _EXCEPTION.fullmatch(entry.strip())
    if match is None:
        raise NotationError(
            _(
                "%(entry)s is niet te lezen; schrijf bijvoorbeeld 25-12-2026 gesloten of "
                "31-12-2026 17:00-24:00 gesloten (oudjaar)."
            )
            % {"entry": entry}
        )
    first = _parse_date(match["first"])
    last = _parse_date(match["last"]) if match["last"] else first
    if match["first_time"] or match["last_time"]:
        if not (match["first_time"] and match["last_time"] and match["last"]):
            raise NotationError(
                _("Bij %(entry)s: schrijf een tijd bij beide datums.") % {"entry": entry}
            )
        starts = datetime.combine(first, _parse_time(match["first_time"]))
        ends = datetime.combine(last, _parse_time(match["last_time"]))
    elif match["span"]:
        if match["last"]:
            raise NotationError(
                _("Bij %(entry)s: een tijdvak hoort bij één datum.") % {"entry": entry}
            )
        opens, closes = _parse_span(match["span"])
        starts = datetime.combine(first, opens)
        ends = datetime.combine(first, closes)
        if ends <= starts:
            ends += timedelta(days=1)
    else:
        starts = datetime.combine(first, time(0, 0))
        ends = datetime.combine(last + timedelta(days=1), time(0, 0))
    if ends <= starts:
        raise NotationError(_("Bij %(entry)s ligt het einde vóór het begin.") % {"entry": entry})
    state = match["state"].casefold()
    return DatedException(starts, ends, state in ("open", "extra open"), match["reason"] or "")


def _parse_date(text: str) -> date:
    try:
        return datetime.strptime(text, "%d-%m-%Y").date()
    except ValueError:
        raise NotationError(_("%(date)s is geen datum.") % {"date": text}) from None
