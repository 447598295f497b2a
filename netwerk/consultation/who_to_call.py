"""'Wie bel ik nu?': which lines serve an area, in which order, and whom to call when one is closed.

Works on lines that are already fetched with their schedules, so a page costs the same few
queries however many lines there are; the opening-hours engine decides open or closed.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from math import ceil

from django.utils.translation import gettext, pgettext_lazy

from netwerk.consultation import opening_hours
from netwerk.consultation.holiday_choice import holiday_list, network_holiday_calendar
from netwerk.consultation.lines import Audience, ConsultationLine, HolidayRule, Purpose, Weekday
from netwerk.reference.expertise import ExpertiseCategory
from netwerk.reference.geography import Municipality, PostcodeArea, Region

PURPOSE_ORDER = {Purpose.CRISIS: 0, Purpose.CONSULTATION: 1, Purpose.ADVICE: 2}
MAX_ESCALATION_STEPS = 5
MAX_CACHE_SECONDS = 300
# "sluit over 20 min" is said within this time before a line closes; a page that says it is not
# kept longer than a minute.
CLOSING_SOON = timedelta(hours=1)
CLOSING_SOON_CACHE_SECONDS = 60

# The quick choices above the answer ("onderwerp"): the words a caller thinks in. Each selects
# lines by the category of their expertise or by their purpose, so they need no tag of a given
# name to exist.
TOPICS = {
    "psychiatrie": pgettext_lazy("topic", "Psychiatrie"),
    "verslaving": pgettext_lazy("topic", "Verslaving"),
    "palliatief": pgettext_lazy("topic", "Palliatief"),
    "crisis": pgettext_lazy("topic", "Crisis"),
}
TOPIC_CATEGORIES = {
    "psychiatrie": ExpertiseCategory.PSYCHIATRY,
    "verslaving": ExpertiseCategory.ADDICTION,
    "palliatief": ExpertiseCategory.PALLIATIVE,
}


@dataclass
class LineNow:
    line: ConsultationLine
    status: opening_hours.Status
    text: str
    escalation: list["LineNow"] = field(default_factory=list)
    # Whole minutes until an open line closes, when that is within CLOSING_SOON.
    minutes_left: int | None = None
    calendar: opening_hours.HolidayCalendar = opening_hours.DEFAULT_CALENDAR

    def next_change(self) -> datetime | None:
        return self.status.until if self.status.is_open else self.status.next_opening

    @property
    def hours(self) -> list[tuple[str, str]]:
        return weekly_hours(self.line.weekly_ranges())

    @property
    def holidays(self) -> str:
        """What the line does on holidays and which days count, the network's choice:
        "Gesloten op feestdagen: Nieuwjaarsdag, …; 24 en 31 december vanaf 12:00"."""
        return holiday_rule_text(self.line.holiday_rule, self.calendar)

    @property
    def instead(self) -> "LineNow | None":
        """The line to call instead of this closed one: the first open step of its escalation,
        or its last step when none is open."""
        return self.escalation[-1] if self.escalation else None


@dataclass
class Alternative:
    """One line to call instead, named once for all the closed lines that lead to it."""

    call: LineNow
    instead_of: list[LineNow]


@dataclass
class Answer:
    open: list[LineNow]
    closed: list[LineNow]
    alternatives: list[Alternative]


def answer_of(entries: list[LineNow]) -> Answer:
    """The ordered entries split into open and closed, with each line to call instead named
    once: three closed lines that all escalate to the crisis service share one alternative."""
    closed = [entry for entry in entries if not entry.status.is_open]
    groups: dict[int, Alternative] = {}
    for entry in closed:
        if (target := entry.instead) is not None:
            groups.setdefault(target.line.pk, Alternative(target, [])).instead_of.append(entry)
    alternatives = sorted(groups.values(), key=lambda alternative: sort_key(alternative.call))
    return Answer([entry for entry in entries if entry.status.is_open], closed, alternatives)


def minutes_until_closing(status: opening_hours.Status, moment: datetime) -> int | None:
    """Whole minutes (rounded up) until an open line closes, when it closes within CLOSING_SOON."""
    if not status.is_open or status.until is None:
        return None
    left = status.until.astimezone(UTC) - moment.astimezone(UTC)
    if left > CLOSING_SOON:
        return None
    return max(1, ceil(left / timedelta(minutes=1)))


def weekly_hours(ranges: list[opening_hours.WeeklyRange]) -> list[tuple[str, str]]:
    """The weekly hours as (days, times) rows for a reader: days with the same times grouped,
    "maandag t/m vrijdag", "17:00–08:30 (tot de volgende dag)"."""
    return [
        (_days_text(days), ", ".join(_span_text(opens, closes) for opens, closes in spans))
        for spans, days in opening_hours.days_by_times(ranges).items()
    ]


def _days_text(days: list[int]) -> str:
    names = [str(Weekday(day).label) for day in range(7)]
    parts = []
    for run in opening_hours.consecutive_runs(days):
        if len(run) == 1:
            parts.append(names[run[0]])
        elif len(run) == 2:
            parts.append(gettext("%(first)s en %(last)s") % _ends(names, run))
        else:
            parts.append(gettext("%(first)s t/m %(last)s") % _ends(names, run))
    return ", ".join(parts)


def _ends(names: list[str], run: list[int]) -> dict[str, str]:
    return {"first": names[run[0]], "last": names[run[-1]]}


def _span_text(opens: time, closes: time) -> str:
    span = f"{opens:%H:%M}\N{EN DASH}{closes:%H:%M}"
    if opens == closes:
        return gettext("%(span)s (24 uur)") % {"span": span}
    if closes < opens and closes != time(0, 0):
        return gettext("%(span)s (tot de volgende dag)") % {"span": span}
    return span


def lines_to_consider(serving: set[int] | None) -> list[ConsultationLine]:
    """The active lines serving the area (every active line when no area is chosen) and the
    lines their escalation leads to, with what the page shows of them, in a fixed number of
    queries: a network has hundreds of lines, an area a handful."""
    active = ConsultationLine.objects.active()
    lines = active.with_schedule().select_related("organisation").prefetch_related("expertise")
    if serving is not None:
        escalates_to = dict(active.values_list("pk", "escalates_to_id"))
        lines = lines.filter(pk__in=with_escalation_targets(serving, escalates_to))
    return list(lines.order_by("name"))


def with_escalation_targets(ids: set[int], escalates_to: dict[int, int | None]) -> set[int]:
    """`ids` and every line reachable from them by escalation, up to the chain's limit."""
    reached = set(ids)
    frontier = set(ids)
    for _step in range(MAX_ESCALATION_STEPS):
        frontier = {escalates_to.get(pk) for pk in frontier} - reached - {None}
        reached |= frontier
    return reached


def ids_of_lines_serving(area: PostcodeArea | Municipality | Region | None) -> set[int] | None:
    """Ids of the active lines serving a postcode area, municipality or region, by the one
    region rule; None when no area is chosen."""
    lines = ConsultationLine.objects.active()
    if area is None:
        return None
    if isinstance(area, PostcodeArea):
        lines = lines.serving_postcode_area(area)
    elif isinstance(area, Municipality):
        lines = lines.serving_municipality(area)
    else:
        lines = lines.serving_region(area)
    return set(lines.values_list("pk", flat=True))


def line_now(
    line: ConsultationLine, moment: datetime, calendar: opening_hours.HolidayCalendar
) -> LineNow:
    status = line.status_at(moment, calendar)
    return LineNow(
        line,
        status,
        opening_hours.describe(status, moment),
        minutes_left=minutes_until_closing(status, moment),
        calendar=calendar,
    )


def holiday_rule_text(rule: str, calendar: opening_hours.HolidayCalendar) -> str:
    if rule == HolidayRule.REGULAR:
        return gettext("Gewone openingstijden, ook op feestdagen")
    days = holiday_list(calendar)
    if rule == HolidayRule.CLOSED:
        return gettext("Gesloten op feestdagen: %(days)s") % {"days": days}
    return gettext("Zondagtijden op feestdagen: %(days)s") % {"days": days}


def matches_topic(line: ConsultationLine, topic: str) -> bool:
    """Whether a quick choice selects the line: crisis by purpose, the others by the category of
    one of its expertise tags (prefetched)."""
    if topic == "crisis":
        return line.purpose == Purpose.CRISIS
    return any(tag.category == TOPIC_CATEGORIES[topic] for tag in line.expertise.all())


def sort_key(entry: LineNow) -> tuple:
    """Open first; then acute crisis, consultation, advice; then by name."""
    return (not entry.status.is_open, PURPOSE_ORDER[entry.line.purpose], entry.line.name)


def escalation_for(entry: LineNow, now_of) -> list[LineNow]:
    """The lines to call instead of a closed line, in order, up to the first that is open now.
    `now_of(pk)` gives a visible line's LineNow, or None."""
    chain: list[LineNow] = []
    seen = {entry.line.pk}
    step = now_of(entry.line.escalates_to_id)
    while step is not None and step.line.pk not in seen and len(chain) < MAX_ESCALATION_STEPS:
        chain.append(step)
        if step.status.is_open:
            break
        seen.add(step.line.pk)
        step = now_of(step.line.escalates_to_id)
    return chain


def lines_to_call(
    pool: list[ConsultationLine],
    *,
    serving: set[int] | None,
    expertise_id: int | None,
    moment: datetime,
    show_professional: bool,
    topic: str | None = None,
    calendar: opening_hours.HolidayCalendar | None = None,
) -> tuple[list[LineNow], int]:
    """The lines to show, ordered, each closed one with its escalation; and how many are hidden.

    ``pool`` holds the lines to consider (fetched with schedules and expertise); ``serving`` the
    ids of the lines serving the chosen area (None: no area chosen). 24/7 crisis lines are shown
    whatever the expertise filter or the quick choice (``topic``) says. Only the lines shown and
    their escalations are asked whether they are open, all under one holiday ``calendar`` (the
    network's, read once when not given).
    """
    if calendar is None and pool:
        calendar = network_holiday_calendar()
    visible = {
        line.pk: line for line in pool if show_professional or line.audience == Audience.PUBLIC
    }
    statuses: dict[int, LineNow] = {}

    def now_of(pk: int | None) -> LineNow | None:
        if pk not in visible:
            return None
        if pk not in statuses:
            statuses[pk] = line_now(visible[pk], moment, calendar)
        return statuses[pk]

    shown = [
        now_of(line.pk)
        for line in visible.values()
        if (serving is None or line.pk in serving)
        and (
            expertise_id is None
            or line.is_round_the_clock_crisis_line
            or any(tag.pk == expertise_id for tag in line.expertise.all())
        )
        and (topic is None or line.is_round_the_clock_crisis_line or matches_topic(line, topic))
    ]
    for entry in shown:
        if not entry.status.is_open:
            entry.escalation = escalation_for(entry, now_of)
    hidden = sum(
        1 for line in pool if line.pk not in visible and (serving is None or line.pk in serving)
    )
    return sorted(shown, key=sort_key), hidden


def seconds_until_next_change(entries: list[LineNow], moment: datetime) -> int:
    """How long the page stays true: until the first shown line opens or closes (capped), and
    no more than a minute while it counts the minutes until a line closes."""
    steps = [step for entry in entries for step in (entry, *entry.escalation)]
    longest = (
        CLOSING_SOON_CACHE_SECONDS
        if any(step.minutes_left for step in steps)
        else MAX_CACHE_SECONDS
    )
    changes = [
        change.astimezone(UTC)
        for entry in entries
        for step in (entry, *entry.escalation)
        if (change := step.next_change()) is not None
    ]
    if not changes:
        return longest
    soonest = min(changes) - moment
    return max(0, min(longest, int(soonest / timedelta(seconds=1))))
