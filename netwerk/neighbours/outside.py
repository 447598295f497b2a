"""What the neighbours know where a question lands outside our own area.

A postcode lies outside our network when no region contains its PC4 area (the one region rule,
`Region.objects.containing`). Then "Wie bel ik nu?" and the search show what the active
neighbours know about that postcode's municipality: their organisations with an address in it,
and their lines whose service area names it or whose organisation has an address in it.
"""

from dataclasses import dataclass

from netwerk.neighbours.networks import NeighbourLine, NeighbourOrganisation
from netwerk.reference.geography import Municipality, PostcodeArea, Region

MAX_SHOWN = 50


@dataclass
class NeighboursKnow:
    municipality: Municipality
    organisations: list[NeighbourOrganisation]
    lines: list[NeighbourLine]


def outside_our_area(area) -> NeighboursKnow | None:
    """For a PC4 area outside every region, what the neighbours know there; otherwise None
    (inside our area, or no postcode asked)."""
    if not isinstance(area, PostcodeArea) or Region.objects.containing(area).exists():
        return None
    municipality = area.municipality
    organisations = (
        NeighbourOrganisation.objects.shown()
        .filter(municipalities=municipality)
        .select_related("neighbour")
        .order_by("name", "pk")[:MAX_SHOWN]
    )
    lines = (
        NeighbourLine.objects.shown()
        .filter(municipalities=municipality)
        .select_related("neighbour", "organisation")
        .order_by("name", "pk")[:MAX_SHOWN]
    )
    return NeighboursKnow(municipality, list(organisations), list(lines))
