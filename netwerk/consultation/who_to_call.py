"""'Wie bel ik nu?': which lines serve an area, in which order, and whom to call when one is closed.

Works on lines that are already fetched with their schedules, so a page costs the same few
queries however many lines there are; the opening-hours engine decides open or closed.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from netwerk.consultation import opening_hours
from netwerk.consultation.lines import Audience, ConsultationLine, Purpose
from netwerk.reference.geography import Municipality, PostcodeArea, Region

PURPOSE_ORDER = {Purpose.CRISIS: 0, Purpose.CONSULTATION: 1, Purpose.ADVICE: 2}
MAX_ESCALATION_STEPS = 5
MAX_CACHE_SECONDS = 300


@dataclass
class LineNow:
    line: ConsultationLine
    status: opening_hours.Status
    text: str
    escalation: list["LineNow"] = field(default_factory=list)

    def next_change(self) -> datetime | None:
        return self.status.until if self.status.is_open else self.status.next_opening


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


def line_now(line: ConsultationLine, moment: datetime) -> LineNow:
    status = line.status_at(moment)
    return LineNow(line, status, opening_hours.describe(status, moment))


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
) -> tuple[list[LineNow], int]:
    """The lines to show, ordered, each closed one with its escalation; and how many are hidden.

    ``pool`` holds the lines to consider (fetched with schedules and expertise); ``serving`` the
    ids of the lines serving the chosen area (None: no area chosen). 24/7 crisis lines are shown
    whatever the expertise filter says. Only the lines shown and their escalations are asked
    whether they are open.
    """
    visible = {
        line.pk: line for line in pool if show_professional or line.audience == Audience.PUBLIC
    }
    statuses: dict[int, LineNow] = {}

    def now_of(pk: int | None) -> LineNow | None:
        if pk not in visible:
            return None
        if pk not in statuses:
            statuses[pk] = line_now(visible[pk], moment)
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
    ]
    for entry in shown:
        if not entry.status.is_open:
            entry.escalation = escalation_for(entry, now_of)
    hidden = sum(
        1 for line in pool if line.pk not in visible and (serving is None or line.pk in serving)
    )
    return sorted(shown, key=sort_key), hidden


def seconds_until_next_change(entries: list[LineNow], moment: datetime) -> int:
    """How long the page stays true: until the first shown line opens or closes (capped)."""
    changes = [
        change.astimezone(UTC)
        for entry in entries
        for step in (entry, *entry.escalation)
        if (change := step.next_change()) is not None
    ]
    if not changes:
        return MAX_CACHE_SECONDS
    soonest = min(changes) - moment
    return max(0, min(MAX_CACHE_SECONDS, int(soonest / timedelta(seconds=1))))
