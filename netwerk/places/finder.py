"""'Plek zoeken': which places fit a patient's background, in which order.

Pure ranking on plain values, so the order can be checked by hand. A place ranks by, in turn:

1. fit — does it accept this target group: yes, then "in overleg", then no; and within that,
   places of organisations with the asked-for expertise first;
2. availability — available, on request, unknown (stale), full last;
3. distance from the postcode's PC4 centroid (unknown distance last);
4. name, so that equal places keep a stable order.

Nothing here sees or keeps anything about the patient but the three answers passed in.
"""

import math
from dataclasses import dataclass

from netwerk.reference.distance import Point, haversine_km

PSYCHIATRY = "psychiatrie"
ADDICTION = "verslaving"
BOTH = "beide"
BACKGROUNDS = (PSYCHIATRY, ADDICTION, BOTH)

YES, IN_CONSULTATION, NO = "yes", "consult", "no"  # netwerk.places.places.Acceptance values
ACCEPTANCE_RANK = {YES: 0, IN_CONSULTATION: 1, NO: 2}

UNKNOWN = "unknown"  # availability that is too old to rely on
AVAILABILITY_RANK = {"available": 0, "on_request": 1, UNKNOWN: 2, "full": 3}


@dataclass(frozen=True)
class Candidate:
    """What the ranking needs to know about one place."""

    key: object  # the place's id, or the place itself
    name: str
    accepts_psychiatry: str
    accepts_addiction: str
    availability: str  # "available", "on_request", "full" or UNKNOWN when stale
    point: Point | None = None
    has_expertise: bool = False


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    acceptance: str  # the combined acceptance for the background asked about
    criteria: tuple[tuple[str, str], ...]  # (background, acceptance) per criterion that counts
    distance_km: float | None = None

    @property
    def fits(self) -> bool:
        return self.acceptance != NO


def criteria_for(candidate: Candidate, background: str) -> tuple[tuple[str, str], ...]:
    if background == PSYCHIATRY:
        return ((PSYCHIATRY, candidate.accepts_psychiatry),)
    if background == ADDICTION:
        return ((ADDICTION, candidate.accepts_addiction),)
    if background == BOTH:
        return (
            (PSYCHIATRY, candidate.accepts_psychiatry),
            (ADDICTION, candidate.accepts_addiction),
        )
    raise ValueError(f"Unknown background {background!r}")


def combined_acceptance(criteria) -> str:
    """Both backgrounds: the weakest answer counts (one "no" and the place does not fit)."""
    return max((acceptance for _background, acceptance in criteria), key=ACCEPTANCE_RANK.get)


def sort_key(match: Match) -> tuple:
    distance = match.distance_km if match.distance_km is not None else math.inf
    return (
        ACCEPTANCE_RANK[match.acceptance],
        not match.candidate.has_expertise,
        AVAILABILITY_RANK[match.candidate.availability],
        distance,
        match.candidate.name,
    )


def rank(candidates, *, background: str, origin: Point | None = None) -> list[Match]:
    """The candidates as matches, best first."""
    matches = []
    for candidate in candidates:
        criteria = criteria_for(candidate, background)
        distance = (
            haversine_km(origin, candidate.point)
            if origin is not None and candidate.point is not None
            else None
        )
        matches.append(
            Match(
                candidate=candidate,
                acceptance=combined_acceptance(criteria),
                criteria=criteria,
                distance_km=distance,
            )
        )
    return sorted(matches, key=sort_key)


def shared_criteria(matches: list[Match]) -> tuple[tuple[str, str], ...]:
    """The (background, acceptance) reasons every match shares: said once above the list, so
    that each card names only what sets it apart. None when there are fewer than two matches."""
    if len(matches) < 2:
        return ()
    first, *rest = matches
    return tuple(c for c in first.criteria if all(c in match.criteria for match in rest))
