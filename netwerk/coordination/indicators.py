"""The network's indicators for the half-yearly and yearly evaluation (issue 15).

Each indicator is a definition in plain Dutch and one or more tables; the first table is the
one its chart draws. They are figures of a `Scope` (the regions a coordinator works in, or all
for an administrator, optionally narrowed to one region) over a `Period` (a year or a half
year), and where it means something, of the period before it. Every function is a fixed number
of queries, whatever the number of organisations (one per region at most, for the consultation
lines: regions are few); the arithmetic is in Python.

A period still running counts until now. Figures about the past read what the database keeps
of it: the availability history (netwerk.places.occupancy), the organisations' change history
(last verification), when an organisation was added, the usage counters
(netwerk.search.usage). Service areas, expertise and opening hours are today's: the site keeps
no dated history of those that is cheap to read, and the definitions say so.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netwerk.consultation import opening_hours
from netwerk.consultation.holiday_choice import network_holiday_calendar
from netwerk.consultation.lines import ConsultationLine
from netwerk.coordination import charts
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.network.events import Event, EventKind
from netwerk.network.registrations import RegistrationStatus
from netwerk.places import occupancy
from netwerk.places.availability import AvailabilityChange
from netwerk.places.places import Availability, CareSetting, Place
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, Region
from netwerk.search.coverage import serving_pairs
from netwerk.search.usage import QuestionKind, UsageCount

FIRST_YEAR = 2020
PERIOD_PATTERN = re.compile(r"^([0-9]{4})(?:-([12]))?$")


# --- Periods. --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    half: int | None = None  # 1: January to June, 2: July to December, None: the whole year

    @classmethod
    def parse(cls, text: str, today: date | None = None) -> "Period | None":
        """'2026', '2026-1' or '2026-2', from FIRST_YEAR to this year; None otherwise."""
        match = PERIOD_PATTERN.fullmatch(text or "")
        if not match:
            return None
        period = cls(int(match[1]), int(match[2]) if match[2] else None)
        return period if period.is_valid(today) else None

    @classmethod
    def current_year(cls, today: date | None = None) -> "Period":
        return cls((today or timezone.localdate()).year)

    def is_valid(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return FIRST_YEAR <= self.year <= today.year and self.first_day <= today

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.half}" if self.half else str(self.year)

    @property
    def label(self) -> str:
        if self.half == 1:
            return _("eerste helft %(year)s") % {"year": self.year}
        if self.half == 2:
            return _("tweede helft %(year)s") % {"year": self.year}
        return str(self.year)

    @property
    def first_day(self) -> date:
        return date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def end_day(self) -> date:
        """The first day after the period."""
        if self.half == 1:
            return date(self.year, 7, 1)
        return date(self.year + 1, 1, 1)

    def previous(self) -> "Period":
        if self.half == 2:
            return Period(self.year, 1)
        if self.half == 1:
            return Period(self.year - 1, 2)
        return Period(self.year - 1)

    def start(self) -> datetime:
        return occupancy.local_midnight(self.first_day)

    def end(self, now: datetime | None = None) -> datetime:
        """The end of the period, or now while it is still running."""
        return min(occupancy.local_midnight(self.end_day), (now or timezone.now()).astimezone(UTC))

    def months(self) -> list[date]:
        count = 6 if self.half else 12
        return [self.first_day + relativedelta(months=i) for i in range(count)]


def period_choices(today: date | None = None) -> list[Period]:
    """The periods one may ask for, newest first: this year and the three before, each as a
    year and its two halves (the half years that have begun)."""
    today = today or timezone.localdate()
    found = []
    for year in range(today.year, max(FIRST_YEAR, today.year - 3) - 1, -1):
        for period in (Period(year), Period(year, 2), Period(year, 1)):
            if period.is_valid(today):
                found.append(period)
    return found


# --- Scope. ----------------------------------------------------------------------------------


@dataclass
class Scope:
    """What the figures are about: regions, and the organisations in them (the region rule)."""

    regions: list[Region]
    organisations: object  # a QuerySet[Organisation]
    everything: bool = False
    asked: Region | None = None  # the one region asked for, if any

    @classmethod
    def of(cls, regions, *, everything: bool = False) -> "Scope":
        regions = list(regions.order_by("name"))
        if everything:
            organisations = Organisation.objects.all()
        else:
            organisations = Organisation.objects.in_regions(
                Region.objects.filter(pk__in=[r.pk for r in regions])
            )
        return cls(regions, organisations, everything)

    def region_queryset(self):
        return Region.objects.filter(pk__in=[region.pk for region in self.regions])

    def municipalities(self):
        if self.everything:
            return Municipality.objects.in_regions(Region.objects.all())
        return Municipality.objects.in_regions(self.region_queryset())


# --- Indicators. -----------------------------------------------------------------------------


# A table longer than this is left to the exports on the page and in the report: 6,639 rows of
# places (10,000 organisations) would take seconds to render and a hundred pages to print.
ROWS_ON_A_PAGE = 300


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    @property
    def too_long(self) -> bool:
        return len(self.rows) > ROWS_ON_A_PAGE


@dataclass
class Indicator:
    key: str
    title: str
    definition: str
    tables: list[Table]
    chart: SafeString | None = None


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def percent(value: float | None) -> str:
    return "–" if value is None else f"{charts.number(value * 100, 0)}%"


def signed_points(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "–"
    points = round((now - before) * 100)
    return f"+{points}" if points > 0 else str(points)


def organisations_per_kind(scope: Scope, period: Period) -> Indicator:
    end, before = period.end(), period.previous().end()
    counts = {
        row["kind"]: row
        for row in scope.organisations.filter(is_published=True)
        .values("kind")
        .annotate(
            now=Count("pk", filter=Q(created_at__lt=end)),
            before=Count("pk", filter=Q(created_at__lt=before)),
        )
        .order_by()
    }
    rows = [
        [label, counts.get(kind, {}).get("before", 0), counts.get(kind, {}).get("now", 0)]
        for kind, label in OrganisationKind.choices
        if kind in counts
    ]
    rows.append([_("Totaal"), sum(r[1] for r in rows), sum(r[2] for r in rows)])
    previous, this = period.previous().label, period.label
    table = Table(_("Gepubliceerde organisaties per soort"), [_("Soort"), previous, this], rows)
    return Indicator(
        "organisaties",
        _("Organisaties per soort"),
        _(
            "Het aantal gepubliceerde organisaties in de regio, per soort, aan het eind van de "
            "periode en van de periode ervoor: organisaties die toen al op de kaart stonden "
            "(naar de datum waarop ze zijn toegevoegd). Een organisatie hoort bij de regio "
            "als haar werkgebied of een van haar vestigingen erin ligt."
        ),
        [table],
        charts.bar_chart(
            chart_id="organisaties",
            title=_("Organisaties per soort"),
            description=_("Staafdiagram: per soort het aantal in %(before)s en in %(now)s.")
            % {"before": previous, "now": this},
            categories=[str(r[0]) for r in rows[:-1]],
            series=[
                charts.Series(previous, [r[1] for r in rows[:-1]]),
                charts.Series(this, [r[2] for r in rows[:-1]]),
            ],
        ),
    )


def expertise_coverage(scope: Scope, period: Period) -> Indicator:
    municipalities = scope.municipalities()
    total = municipalities.count()
    published = (
        scope.organisations.filter(is_published=True)
        if not scope.everything
        else (Organisation.objects.published())
    )
    served = serving_pairs(published, municipalities)
    added = dict(published.values_list("pk", "created_at"))
    tags_of = defaultdict(set)
    for organisation, tag in Organisation.expertise.through.objects.filter(
        organisation__in=published.values("pk")
    ).values_list("organisation", "expertisetag"):
        tags_of[organisation].add(tag)
    end, before = period.end(), period.previous().end()

    def covered(tag_id: int, moment: datetime) -> int:
        return sum(
            1
            for organisations in served.values()
            if any(tag_id in tags_of[o] and added[o] < moment for o in organisations)
        )

    rows = []
    for tag in ExpertiseTag.objects.order_by("name"):
        now, earlier = share(covered(tag.pk, end), total), share(covered(tag.pk, before), total)
        rows.append([tag.name, percent(earlier), percent(now), signed_points(now, earlier), now])
    previous, this = period.previous().label, period.label
    table = Table(
        _("Deel van de %(count)s gemeenten met aanbod, per expertise") % {"count": total},
        [_("Expertise"), previous, this, _("Verschil (procentpunt)")],
        [row[:4] for row in rows],
    )
    return Indicator(
        "dekking",
        _("Dekking van expertise"),
        _(
            "Het deel van de gemeenten van de regio waar ten minste één gepubliceerde "
            "organisatie een expertise aanbiedt (in haar werkgebied of met een vestiging daar), "
            "aan het eind van de periode en van de periode ervoor, en het verschil in "
            "procentpunten. Telt de organisaties die toen al op de kaart stonden, met hun "
            "huidige werkgebied en expertise. Waar aanbod ontbreekt, laat de pagina ‘Expertise "
            "in de regio’ per gemeente zien."
        ),
        [table],
        charts.bar_chart(
            chart_id="dekking",
            title=_("Dekking van expertise"),
            description=_(
                "Staafdiagram: per expertise het deel van de gemeenten met aanbod in %(now)s."
            )
            % {"now": this},
            categories=[row[0] for row in rows],
            series=[charts.Series(this, [row[4] or 0 for row in rows])],
            percent=True,
        ),
    )


def verified_share(scope: Scope, moment: datetime) -> tuple[int, int]:
    """(verified within the verification period, organisations) at the moment, by the change
    history: the latest verification date recorded before it."""
    day = timezone.localtime(moment).date()
    cutoff = day - relativedelta(months=settings.VERIFICATION_MONTHS)
    existing = scope.organisations.filter(is_published=True, created_at__lt=moment)
    latest = (
        Organisation.history.model.objects.filter(
            id__in=existing.values("pk"), last_verified_on__lt=day
        )
        .values("id")
        .annotate(last=Max("last_verified_on"))
        .order_by()
    )
    verified = sum(1 for row in latest if row["last"] >= cutoff)
    return verified, existing.count()


def freshness(scope: Scope, period: Period) -> Indicator:
    end = period.end()
    verified, organisations = verified_share(scope, end)
    verified_before, organisations_before = verified_share(scope, period.previous().end())
    places = Place.objects.filter(organisation__in=scope.organisations.values("pk"))
    place_count = places.count()
    months = [month for month in period.months() if month <= timezone.localdate()]
    # One query of plain range conditions: a month truncation in the database would convert
    # every row's time zone (on SQLite, in Python).
    bounds = [occupancy.local_midnight(month) for month in months]
    bounds.append(min(occupancy.local_midnight(months[-1] + relativedelta(months=1)), end))
    per_month = AvailabilityChange.objects.filter(place__in=places.values("pk")).aggregate(
        **{
            f"m{index}": Count("pk", filter=Q(changed_at__gte=low, changed_at__lt=high))
            for index, (low, high) in enumerate(pairwise(bounds))
        }
    )
    per_month = {month: per_month[f"m{index}"] for index, month in enumerate(months)}
    per_place = [share(per_month.get(month, 0), place_count) or 0 for month in months]
    month_rows = [
        [date_format(month, "F Y"), per_month.get(month, 0), charts.number(value)]
        for month, value in zip(months, per_place, strict=True)
    ]
    now, earlier = share(verified, organisations), share(verified_before, organisations_before)
    summary = Table(
        _("Gecontroleerd binnen %(months)s maanden") % {"months": settings.VERIFICATION_MONTHS},
        [_("Periode"), _("Gecontroleerd"), _("Organisaties"), _("Deel")],
        [
            [period.previous().label, verified_before, organisations_before, percent(earlier)],
            [period.label, verified, organisations, percent(now)],
        ],
    )
    updates = Table(
        _("Updates van de beschikbaarheid per maand (%(places)s plekken)")
        % {"places": place_count},
        [_("Maand"), _("Updates"), _("Per plek")],
        month_rows,
    )
    return Indicator(
        "actualiteit",
        _("Actualiteit van de gegevens"),
        _(
            "Het deel van de gepubliceerde organisaties dat aan het eind van de periode binnen "
            "de controletermijn van %(months)s maanden is gecontroleerd (‘gegevens kloppen "
            "nog’), naar de wijzigingsgeschiedenis; en hoe vaak per maand de beschikbaarheid "
            "van plekken is bijgewerkt, in totaal en gemiddeld per plek. Ook een bevestiging "
            "van een ongewijzigde status telt als update."
        )
        % {"months": settings.VERIFICATION_MONTHS},
        [updates, summary],
        charts.line_chart(
            chart_id="actualiteit",
            title=_("Updates van de beschikbaarheid per plek per maand"),
            description=_(
                "Lijndiagram: per maand het gemiddelde aantal updates per plek, %(period)s."
            )
            % {"period": period.label},
            x_labels=[date_format(month, "M") for month in months],
            series=[charts.Series(_("updates per plek"), per_place)],
            y_label=_("updates per plek"),
            label_every=1,
        ),
    )


def status_label(status: str) -> str:
    return str(dict(Availability.choices).get(status, _("Onbekend")))


def places_over_time(scope: Scope, period: Period) -> Indicator:
    places = list(
        Place.objects.filter(organisation__in=scope.organisations.values("pk"))
        .select_related("organisation", "location__organisation")
        .order_by("organisation__name", "setting", "pk")
    )
    start, end = period.start(), period.end()
    spans = occupancy.timelines(places, start=start, end=end)
    per_setting = {value: dict.fromkeys(occupancy.STATUSES, 0.0) for value in CareSetting.values}
    free_days = dict.fromkeys(CareSetting.values, 0.0)
    capacity = dict.fromkeys(CareSetting.values, 0)
    place_rows = []
    for place in places:
        [seconds] = (
            occupancy.split(spans[place.pk], [start, end])
            if end > start
            else [dict.fromkeys(occupancy.STATUSES, 0.0)]
        )
        for status in occupancy.STATUSES:
            per_setting[place.setting][status] += seconds[status]
        days = occupancy.free_place_days(seconds, place.capacity)
        free_days[place.setting] += days
        capacity[place.setting] += place.capacity
        shares = occupancy.shares(seconds)
        place_rows.append(
            [
                str(place),
                place.get_setting_display(),
                place.capacity,
                charts.number(days, 0),
                *(percent(shares[status]) for status in occupancy.STATUSES),
            ]
        )
    settings_present = [value for value in CareSetting.values if capacity[value]]
    labels = dict(CareSetting.choices)
    setting_shares = {value: occupancy.shares(per_setting[value]) for value in settings_present}
    status_columns = [status_label(status) for status in occupancy.STATUSES]
    setting_rows = [
        [
            str(labels[value]),
            capacity[value],
            charts.number(free_days[value], 0),
            *(percent(setting_shares[value][status]) for status in occupancy.STATUSES),
        ]
        for value in settings_present
    ]
    return Indicator(
        "plekken",
        _("Plekken: vrije-plekdagen en beschikbaarheid"),
        _(
            "Vrije-plekdagen: per zorgsetting de som over de plekken van het aantal plekken "
            "maal de dagen dat hun laatste melding ‘beschikbaar’ was. Daarnaast het deel van de "
            "tijd dat elke status gold. Een melding geldt tot de volgende, maar niet langer dan "
            "de geldigheidsduur; daarna is de status ‘onbekend’, zoals op de openbare site. "
            "Naar de geschiedenis van de beschikbaarheid, %(period)s."
        )
        % {"period": period.label},
        [
            Table(
                _("Per zorgsetting"),
                [_("Zorgsetting"), _("Aantal plekken"), _("Vrije-plekdagen"), *status_columns],
                setting_rows,
            ),
            Table(
                _("Per plek"),
                [
                    _("Plek"),
                    _("Zorgsetting"),
                    _("Aantal plekken"),
                    _("Vrije-plekdagen"),
                    *status_columns,
                ],
                place_rows,
            ),
        ],
        charts.bar_chart(
            chart_id="plekken",
            title=_("Deel van de tijd per status, per zorgsetting"),
            description=_(
                "Gestapeld staafdiagram: per zorgsetting het deel van de tijd dat de plekken "
                "beschikbaar, op aanvraag, vol of onbekend waren, %(period)s."
            )
            % {"period": period.label},
            categories=[str(labels[value]) for value in settings_present],
            series=[
                charts.Series(
                    status_label(status),
                    [setting_shares[value][status] for value in settings_present],
                )
                for status in occupancy.STATUSES
            ],
            percent=True,
            stacked=True,
        ),
    )


# The parts of the week, exclusive (hours per week): avond Monday to Friday 18:00–23:00 (25),
# nacht Monday to Friday 23:00–07:00 (40), weekend Saturday 00:00 to Monday 00:00 (48), and
# kantooruren Monday to Friday 07:00–18:00 (55).
DAY_PARTS = ["kantooruren", "avond", "nacht", "weekend"]


def day_part(moment: datetime) -> str:
    local = timezone.localtime(moment)
    if local.weekday() >= 5:
        return "weekend"
    if 7 <= local.hour < 18:
        return "kantooruren"
    if 18 <= local.hour < 23:
        return "avond"
    return "nacht"


def hour_slots(start: datetime, end: datetime) -> list[datetime]:
    """Whole UTC hours from start to end: every local hour too (the Netherlands' offsets are
    whole hours)."""
    first = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    count = int((end - first).total_seconds() // 3600)
    return [first + timedelta(hours=i) for i in range(count + 1)]


def parts_of_hours(start: datetime, end: datetime) -> list[tuple[datetime, datetime, str]]:
    """The hours from start to end, each with its part of the week (the same for every region:
    worked out once)."""
    slots = [*hour_slots(start, end), end]
    found = []
    for low, high in pairwise(slots):
        low, high = max(low, start), min(high, end)
        if high > low:
            found.append((low, high, day_part(low)))
    return found


def covered_seconds(
    intervals: list[tuple[datetime, datetime]], hours: list[tuple[datetime, datetime, str]]
) -> dict[str, float]:
    """Per part of the week: the seconds of the hours covered by the (merged, sorted)
    intervals, and the seconds in that part."""
    covered = dict.fromkeys(DAY_PARTS, 0.0)
    total = dict.fromkeys(DAY_PARTS, 0.0)
    intervals = [(a.astimezone(UTC), b.astimezone(UTC)) for a, b in intervals]
    index = 0
    for low, high, part in hours:
        total[part] += (high - low).total_seconds()
        while index < len(intervals) and intervals[index][1] <= low:
            index += 1
        probe = index
        while probe < len(intervals) and intervals[probe][0] < high:
            overlap = min(high, intervals[probe][1]) - max(low, intervals[probe][0])
            covered[part] += max(overlap.total_seconds(), 0)
            probe += 1
    return {"covered": covered, "total": total}


def merged(intervals):
    result = []
    for low, high in sorted(intervals):
        if result and low <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], high))
        else:
            result.append((low, high))
    return result


def consultation_lines(scope: Scope, period: Period) -> Indicator:
    start, end = period.start(), period.end()
    weeks = max((end - start).total_seconds() / (7 * 86400), 1 / 7)
    lines = list(
        ConsultationLine.objects.active()
        .serving_regions(scope.region_queryset())
        .with_schedule()
        .prefetch_related("regions", "municipalities")
    )
    calendar = network_holiday_calendar() if lines else None
    opens = {
        line.pk: [
            (a.astimezone(UTC), b.astimezone(UTC))
            for a, b in opening_hours.open_intervals(line.schedule(calendar), start, end)
        ]
        if end > start
        else []
        for line in lines
    }
    hours_of_period = parts_of_hours(start, end)
    rows = []
    for region in scope.regions:
        in_region = set(
            Municipality.objects.in_regions(Region.objects.filter(pk=region.pk)).values_list(
                "pk", flat=True
            )
        )
        serving = [
            line
            for line in lines
            if region in line.regions.all()
            or any(m.pk in in_region for m in line.municipalities.all())
        ]
        union = merged([interval for line in serving for interval in opens[line.pk]])
        seconds = covered_seconds(union, hours_of_period)
        hours = {part: seconds["covered"][part] / 3600 / weeks for part in DAY_PARTS}
        closed = sum(seconds["total"].values()) - sum(seconds["covered"].values())
        rows.append(
            [
                region.name,
                len(serving),
                *(charts.number(hours[part]) for part in ("avond", "nacht", "weekend")),
                charts.number(closed / 3600 / weeks),
                hours,
            ]
        )
    columns = [
        _("Regio"),
        _("Lijnen"),
        _("Avond (van 25 uur)"),
        _("Nacht (van 40 uur)"),
        _("Weekend (van 48 uur)"),
        _("Uren zonder open lijn"),
    ]
    return Indicator(
        "lijnen",
        _("Consultatielijnen: bereikbaarheid buiten kantooruren"),
        _(
            "Per regio het gemiddelde aantal uren per week dat ten minste één actieve lijn voor "
            "professionals bereikbaar was in de avond (maandag tot en met vrijdag 18–23 uur), "
            "de nacht (maandag tot en met vrijdag 23–7 uur) en het weekend (zaterdag en zondag), "
            "en de uren per week waarin geen enkele lijn open was. Professionals kunnen alle "
            "lijnen bellen, ook de openbare. Naar de huidige openingstijden, met feestdagen en "
            "uitzonderingen in de periode, %(period)s."
        )
        % {"period": period.label},
        [Table(_("Uren per week met een open lijn, per regio"), columns, [r[:6] for r in rows])],
        charts.bar_chart(
            chart_id="lijnen",
            title=_("Uren per week met een open lijn"),
            description=_(
                "Staafdiagram: per regio de uren per week met een open lijn in de avond, de "
                "nacht en het weekend."
            ),
            categories=[row[0] for row in rows],
            series=[
                charts.Series(label, [row[6][part] for row in rows])
                for part, label in (
                    ("avond", _("avond")),
                    ("nacht", _("nacht")),
                    ("weekend", _("weekend")),
                )
            ],
        ),
    )


WEEKDAYS = [
    gettext_lazy("maandag"),
    gettext_lazy("dinsdag"),
    gettext_lazy("woensdag"),
    gettext_lazy("donderdag"),
    gettext_lazy("vrijdag"),
    gettext_lazy("zaterdag"),
    gettext_lazy("zondag"),
]


def site_use(scope: Scope, period: Period) -> Indicator:
    counts = UsageCount.objects.filter(month__gte=period.first_day, month__lt=period.end_day)
    codes = {m.code: m.name for m in scope.municipalities().only("code", "name")}
    if not scope.everything:
        # Questions about a municipality of the region, and those that named none.
        counts = counts.filter(municipality_code__in=[*codes, ""])
    kinds = dict(QuestionKind.choices)
    by_month = defaultdict(int)
    for row in counts.values("month", "kind").annotate(total=Sum("count")).order_by():
        by_month[(row["month"], row["kind"])] = row["total"]
    months = [month for month in period.months() if month <= timezone.localdate()]
    month_rows = [
        [date_format(month, "F Y"), *(by_month[(month, kind)] for kind in QuestionKind.values)]
        for month in months
    ]
    by_place = counts.values("municipality_code").annotate(total=Sum("count")).order_by("-total")
    place_rows = [
        [
            codes.get(
                row["municipality_code"],
                _("geen gemeente genoemd")
                if not row["municipality_code"]
                else row["municipality_code"],
            ),
            row["total"],
        ]
        for row in by_place
    ]
    tags = dict(ExpertiseTag.objects.values_list("slug", "name"))
    by_tag = (
        counts.exclude(tag_slug="")
        .values("tag_slug")
        .annotate(total=Sum("count"))
        .order_by("-total")
    )
    tag_rows = [[tags.get(row["tag_slug"], row["tag_slug"]), row["total"]] for row in by_tag]
    by_hour = dict(counts.values_list("hour_of_week").annotate(total=Sum("count")).order_by())
    parts = [
        (0, 7, _("0–7 uur")),
        (7, 12, _("7–12 uur")),
        (12, 18, _("12–18 uur")),
        (18, 24, _("18–24 uur")),
    ]
    hour_rows = [
        [
            day,
            *(sum(by_hour.get(index * 24 + hour, 0) for hour in range(a, b)) for a, b, _l in parts),
        ]
        for index, day in enumerate(WEEKDAYS)
    ]
    return Indicator(
        "gebruik",
        _("Gebruik van de site"),
        _(
            "Hoe vaak de site een vraag kreeg: een zoekopdracht, ‘Wie bel ik nu?’ of ‘Plek "
            "zoeken’, per maand, per gemeente, per expertise en per moment van de week. "
            "Geteld in tellers per maand, zonder persoonsgegevens en zonder cookies: de site "
            "bewaart nooit een vraag, een IP-adres of een sessie. Een vraag die uit de "
            "tussenopslag komt, telt net zo goed mee."
        ),
        [
            Table(_("Vragen per maand"), [_("Maand"), *map(str, kinds.values())], month_rows),
            Table(_("Vragen per gemeente"), [_("Gemeente"), _("Vragen")], place_rows),
            Table(_("Vragen per expertise"), [_("Expertise"), _("Vragen")], tag_rows),
            Table(
                _("Vragen per dag en tijd van de week"),
                [_("Dag"), *(label for _a, _b, label in parts)],
                hour_rows,
            ),
        ],
        charts.line_chart(
            chart_id="gebruik",
            title=_("Vragen per maand"),
            description=_("Lijndiagram: per maand het aantal vragen per soort, %(period)s.")
            % {"period": period.label},
            x_labels=[date_format(month, "M") for month in months],
            series=[
                charts.Series(str(kinds[kind]), [row[1 + i] for row in month_rows])
                for i, kind in enumerate(QuestionKind.values)
            ],
            y_label=_("vragen"),
            label_every=1,
        ),
    )


def meetings(scope: Scope, period: Period) -> Indicator:
    events = (
        Event.objects.filter(
            organiser__in=scope.organisations.values("pk"),
            starts_at__gte=period.start(),
            ends_at__lt=period.end(),
        )
        .values("kind")
        .annotate(
            held=Count("pk", distinct=True),
            participants=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
        )
        .order_by()
    )
    found = {row["kind"]: row for row in events}
    rows = [
        [label, found.get(kind, {}).get("held", 0), found.get(kind, {}).get("participants", 0)]
        for kind, label in EventKind.choices
    ]
    return Indicator(
        "bijeenkomsten",
        _("Scholing en casuïstiekbesprekingen"),
        _(
            "Het aantal bijeenkomsten uit de agenda dat in de periode is gehouden (begonnen en "
            "afgelopen), per soort, met het aantal aanmeldingen via deze site (zonder de "
            "wachtlijst). Aanmeldingen via een andere website telt de site niet."
        ),
        [Table(_("Bijeenkomsten per soort"), [_("Soort"), _("Gehouden"), _("Deelnemers")], rows)],
        charts.bar_chart(
            chart_id="bijeenkomsten",
            title=_("Bijeenkomsten per soort"),
            description=_(
                "Staafdiagram: per soort het aantal gehouden bijeenkomsten en deelnemers."
            ),
            categories=[str(row[0]) for row in rows],
            series=[
                charts.Series(_("gehouden"), [row[1] for row in rows]),
                charts.Series(_("deelnemers"), [row[2] for row in rows]),
            ],
        ),
    )


INDICATORS = [
    organisations_per_kind,
    expertise_coverage,
    freshness,
    places_over_time,
    consultation_lines,
    site_use,
    meetings,
]


def indicators(scope: Scope, period: Period) -> list[Indicator]:
    return [indicator(scope, period) for indicator in INDICATORS]


def coverage_map(scope: Scope) -> SafeString:
    """The municipalities of the scope coloured by how many published organisations serve
    them (the coverage page's rule and colours), as a static SVG for paper."""
    from netwerk.search.coverage import Question, coverage
    from netwerk.views.coverage import BOUNDARIES, GAP_COLOUR, PALETTE, colour

    region = scope.asked or (scope.regions[0] if len(scope.regions) == 1 else None)
    rows = coverage(Question(region=region))
    if not scope.everything and region is None:
        wanted = set(scope.municipalities().values_list("pk", flat=True))
        rows = [row for row in rows if row.municipality.pk in wanted]
    by_code = {row.municipality.code: row for row in rows}
    shapes = [
        (feature["geometry"], colour(by_code[code].count), by_code[code].municipality.name)
        for feature in charts.boundaries(BOUNDARIES)
        if (code := feature["properties"].get("statcode")) in by_code
    ]
    legend = [(GAP_COLOUR, _("geen aanbod"))] + [
        (
            value,
            _("%(count)s of meer") % {"count": index + 1}
            if index == len(PALETTE) - 1
            else str(index + 1),
        )
        for index, value in enumerate(PALETTE)
    ]
    gaps = sum(1 for row in rows if not row.covered)
    return charts.choropleth(
        chart_id="dekkingskaart",
        title=_("Aanbod per gemeente"),
        description=_(
            "Kaart van de %(count)s gemeenten van de regio, gekleurd naar het aantal "
            "organisaties dat er aanbod heeft; %(gaps)s zonder aanbod."
        )
        % {"count": len(rows), "gaps": gaps},
        shapes=shapes,
        legend=legend,
    )
