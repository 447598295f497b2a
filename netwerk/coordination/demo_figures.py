"""The demo's past: a year of availability updates for every demo place, fourteen months of
usage counters, the dates the demo organisations joined the map and some open work (error
reports, a line without opening hours), so that the availability chart, the indicators and
the start page have something to show.

A step of its own after netwerk.demo (`manage.py load_demo_data` runs both; `make run`, `make
setup` and the demo container use that command): the `demo` fixture of the tests copies every
demo row into each test that asks for it, and a year of history is a few thousand rows that
most of those tests never read (measured: +0.25 s per test). Tests that need the past call
`demo_past_load()` themselves. Deterministic (one seeded generator per place) and one bulk
insert.
"""

import random
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from netwerk.consultation.lines import Audience, ConsultationLine, Purpose
from netwerk.coordination.error_reports import ErrorReport
from netwerk.demo import MUNICIPALITY_CODES, ORGANISATIONS
from netwerk.directory.organisations import Organisation
from netwerk.places.availability import AvailabilityChange
from netwerk.places.places import CareSetting, Place
from netwerk.reference.expertise import ExpertiseTag
from netwerk.search.usage import QuestionKind, UsageCount

# How each setting tends to be: (days between updates, lowest and highest; weights of the
# statuses a new update reports). Hospices are mostly full with short spells of a free room;
# care at home is more often available; institutions answer "op aanvraag" most.
HABITS = {
    CareSetting.HOSPICE: ((1, 5), {"full": 6, "available": 3, "on_request": 1}),
    CareSetting.INSTITUTION: ((2, 7), {"full": 3, "available": 2, "on_request": 5}),
    CareSetting.HOME: ((2, 6), {"full": 2, "available": 6, "on_request": 2}),
}
# Now and then a team forgets to update for a few weeks: the status turns "onbekend".
FORGETS = 0.04
DAYS = 365


def availability_history(place: Place, rng: random.Random) -> list[AvailabilityChange]:
    """A year of updates ending exactly in the place's current status and moment."""
    last = place.availability_updated_at
    if last is None:
        return []
    (shortest, longest), weights = HABITS[CareSetting(place.setting)]
    statuses, chances = list(weights), list(weights.values())
    moments: list[datetime] = []
    moment = last - timedelta(days=DAYS)
    while True:
        gap = rng.uniform(shortest, longest)
        if rng.random() < FORGETS:
            gap = rng.uniform(12, 30)
        moment += timedelta(days=gap)
        if moment >= last - timedelta(days=shortest):
            break
        # During the day, as teams work.
        moments.append(moment.replace(hour=rng.randint(7, 19), minute=rng.randrange(60)))
    reported = [rng.choices(statuses, chances)[0] for _moment in moments]
    reported.append(place.availability)
    moments.append(last)
    changes, previous = [], ""
    for moment, status in zip(moments, reported, strict=True):
        changes.append(
            AvailabilityChange(
                place=place,
                changed_at=moment,
                old_availability=previous,
                new_availability=status,
            )
        )
        previous = status
    return changes


@transaction.atomic
def demo_availability_history_load(places) -> int:
    """Replace the demo places' availability history with a generated year; returns the
    number of changes written."""
    places = list(places.select_related("organisation").order_by("pk"))
    AvailabilityChange.objects.filter(place__in=places).delete()
    changes = []
    for place in places:
        seed = f"{place.organisation.slug}/{place.setting}/{place.name}"
        changes += availability_history(place, random.Random(seed))
    AvailabilityChange.objects.bulk_create(changes, batch_size=1000)
    return len(changes)


def demo_places():
    return Place.objects.filter(organisation__slug__in=[slugify(o.name) for o in ORGANISATIONS])


def demo_past_load(*, force: bool = False) -> bool:
    """Give the demo places their year of history; False when it was already there."""
    places = demo_places()
    year_ago = max(places.values_list("availability_updated_at", flat=True), default=None)
    if year_ago is None:
        return False
    year_ago -= timedelta(days=DAYS - 60)
    has_past = AvailabilityChange.objects.filter(place__in=places, changed_at__lt=year_ago)
    if not force and has_past.exists():
        return False
    demo_availability_history_load(places)
    demo_joined_dates_load()
    demo_usage_load(timezone.localdate())
    demo_open_work_load()
    return True


# What visitors reported through "Meld een fout", as the start page's "Open foutmeldingen" then
# lists them: (the n-th demo organisation, days ago, message).
DEMO_ERROR_REPORTS = [
    (0, 2, "Het telefoonnummer op de website is niet meer in gebruik; wij kregen een ander."),
    (3, 5, "De locatie is verhuisd naar de overkant van het plein, het oude adres staat er nog."),
    (6, 9, "Sinds 1 november is er ook een avondlijn, die staat er niet bij."),
]


def demo_open_work_load() -> None:
    """Open error reports, and a line just added whose opening hours nobody has entered yet."""
    organisations = list(
        Organisation.objects.filter(slug__in=[slugify(o.name) for o in ORGANISATIONS]).order_by(
            "slug"
        )
    )
    now = timezone.now()
    ErrorReport.objects.bulk_create(
        ErrorReport(
            organisation=organisations[index % len(organisations)],
            created_at=now - timedelta(days=days),
            message=message,
        )
        for index, days, message in DEMO_ERROR_REPORTS
        if organisations
    )
    if organisations:
        ConsultationLine.objects.create(
            organisation=organisations[0],
            name="Nieuwe weekendlijn (openingstijden volgen)",
            phone="+31301234599",
            purpose=Purpose.CONSULTATION,
            audience=Audience.PROFESSIONALS,
        )


def demo_joined_dates_load() -> None:
    """Most demo organisations joined the map about two years ago; every seventh in the last
    half year, so that 'organisaties per soort' shows growth."""
    organisations = list(
        Organisation.objects.filter(slug__in=[slugify(o.name) for o in ORGANISATIONS]).order_by(
            "slug"
        )
    )
    now = timezone.now()
    for index, organisation in enumerate(organisations):
        days = 40 + index * 3 if index % 7 == 3 else 600 + index * 5
        organisation.created_at = now - timedelta(days=days)
    Organisation.objects.bulk_update(organisations, ["created_at"])


def demo_usage_load(today) -> None:
    """Fourteen months of counters: more questions in office hours, a busy evening, most about
    the larger municipalities and palliative care (seeded, one bulk insert)."""
    rng = random.Random("demo-usage")
    municipalities = MUNICIPALITY_CODES
    tags = list(ExpertiseTag.objects.order_by("slug").values_list("slug", flat=True))
    first = today.replace(day=1) - relativedelta(months=13)
    UsageCount.objects.filter(month__gte=first).delete()
    buckets = {}
    for offset in range(14):
        month = first + relativedelta(months=offset)
        for kind, questions in (
            (QuestionKind.SEARCH, 260),
            (QuestionKind.WHO_TO_CALL, 140),
            (QuestionKind.PLACE_FINDER, 60),
        ):
            for _question in range(questions + rng.randint(-30, 30)):
                day = rng.choices(range(7), [5, 5, 5, 5, 4, 2, 2])[0]
                hour = rng.choices(range(24), [1] * 7 + [6] * 11 + [4] * 4 + [1] * 2)[0]
                code = rng.choices(["", *municipalities], [6, 9, 5, *[2] * 12])[0]
                tag = rng.choice(["", "", "palliatieve-zorg", *tags]) if tags else ""
                key = (month, kind, code, tag, day * 24 + hour)
                buckets[key] = buckets.get(key, 0) + 1
    UsageCount.objects.bulk_create(
        UsageCount(
            month=month,
            kind=kind,
            municipality_code=code,
            tag_slug=tag,
            hour_of_week=hour,
            count=count,
        )
        for (month, kind, code, tag, hour), count in buckets.items()
    )
