"""The demo's past: a year of availability updates for every demo place, so that the
availability chart and the indicators have something to show.

A step of its own after netwerk.demo (`manage.py load_demo_data` runs both; `make run`, `make
setup` and the demo container use that command): the `demo` fixture of the tests copies every
demo row into each test that asks for it, and a year of history is a few thousand rows that
most of those tests never read (measured: +0.25 s per test). Tests that need the past call
`demo_past_load()` themselves. Deterministic (one seeded generator per place) and one bulk
insert.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.text import slugify

from netwerk.demo import ORGANISATIONS
from netwerk.places.availability import AvailabilityChange
from netwerk.places.places import CareSetting, Place

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
    return True
