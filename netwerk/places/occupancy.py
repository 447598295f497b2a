"""What the availability history says over time: which status held when, per place.

A status holds from its update until the next update, but no longer than the setting's
freshness period (netwerk.places.places.freshness_days): after that the site itself shows
"onbekend", and so do these figures. Before a place's first update it is "onbekend" too.
"Vrije plekken" are the places of a place record (its capacity) while its status is
"beschikbaar"; "op aanvraag" is not counted as free. A week is Monday 00:00 to Monday 00:00 in
Europe/Amsterdam (167 or 169 hours around the clock changes).

`status_spans` and `split` are pure; `timelines` reads the history in one query.
"""

import bisect
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from netwerk.places.availability import AvailabilityChange
from netwerk.places.places import freshness_days

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UNKNOWN = "unknown"
STATUSES = ["available", "on_request", "full", UNKNOWN]
DAY = 86400


class Span(NamedTuple):  # a tuple: a year of 10,000 places makes hundreds of thousands
    start: datetime
    end: datetime
    status: str


def status_spans(
    updates: list[tuple[datetime, str]], *, freshness: timedelta, start: datetime, end: datetime
) -> list[Span]:
    """The statuses that held between start and end, from the updates (any order; updates
    before start count as far as they still held)."""
    updates = sorted(
        (moment if moment.tzinfo is UTC else moment.astimezone(UTC), status)
        for moment, status in updates
    )
    spans: list[Span] = []
    cursor = start
    for index, (moment, status) in enumerate(updates):
        following = updates[index + 1][0] if index + 1 < len(updates) else end
        valid_until = min(following, moment + freshness)
        if moment > cursor:
            spans.append(Span(cursor, moment, UNKNOWN))
        spans.append(Span(max(moment, cursor), valid_until, status))
        cursor = max(cursor, valid_until)
    if cursor < end:
        spans.append(Span(cursor, end, UNKNOWN))
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    clipped = [Span(max(s.start, start), min(s.end, end), s.status) for s in spans]
    return [span for span in clipped if span.end > span.start]


def split(spans: list[Span], boundaries: list[datetime]) -> list[dict[str, float]]:
    """Seconds in each status per period between consecutive boundaries."""
    periods = [dict.fromkeys(STATUSES, 0.0) for _ in boundaries[:-1]]
    for span in spans:
        first = max(bisect.bisect_right(boundaries, span.start) - 1, 0)
        for index in range(first, len(periods)):
            low, high = boundaries[index], boundaries[index + 1]
            if low >= span.end:
                break
            overlap = (min(high, span.end) - max(low, span.start)).total_seconds()
            if overlap > 0:
                periods[index][span.status] += overlap
    return periods


def local_midnight(day: date) -> datetime:
    """In UTC: arithmetic on datetimes that share a ZoneInfo is wall-clock arithmetic, which
    would make every week 168 hours."""
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM).astimezone(UTC)


def week_starts(today: date, weeks: int = 52) -> list[datetime]:
    """Boundaries of the last `weeks` complete weeks before the week of `today`."""
    this_monday = today - timedelta(days=today.weekday())
    return [local_midnight(this_monday - timedelta(weeks=weeks - i)) for i in range(weeks + 1)]


def timelines(places, *, start: datetime, end: datetime) -> dict[int, list[Span]]:
    """Per place (objects with pk and setting): its spans between start and end. One query."""
    longest = max((freshness_days(place.setting) for place in places), default=0)
    updates = defaultdict(list)
    rows = (
        AvailabilityChange.objects.filter(
            place__in=[place.pk for place in places],
            changed_at__gte=start - timedelta(days=longest),
            changed_at__lt=end,
        )
        .order_by()
        .values_list("place_id", "changed_at", "new_availability")
    )
    for place_id, moment, status in rows:
        updates[place_id].append((moment, status))
    return {
        place.pk: status_spans(
            updates[place.pk],
            freshness=timedelta(days=freshness_days(place.setting)),
            start=start,
            end=end,
        )
        for place in places
    }


def free_place_days(seconds: dict[str, float], capacity: int) -> float:
    return capacity * seconds["available"] / DAY


def shares(seconds: dict[str, float]) -> dict[str, float]:
    total = sum(seconds.values())
    return {status: (seconds[status] / total if total else 0.0) for status in STATUSES}
