"""Whether a postcode lies in our area, and what to do when it does not.

A postcode lies outside our network when no region contains its PC4 area (the one region rule,
`Region.objects.containing`). Then the answer pages ("Wie bel ik nu?", the search, "Plek
zoeken") say so and show:

- the network that covers it, when a neighbour's area (its municipalities) names the postcode's
  municipality;
- the numbers that are always there and fit (`ReferenceLine`: the national ones, and the
  huisartsenpost of that municipality when one is entered), for the visitor's audience;
- what the active neighbours know about that municipality: their organisations with an address
  in it, and their lines whose service area names it or whose organisation has an address in it.

Inside our area the pages say that too, with the names of our regions that contain it.
"""

from dataclasses import dataclass, field

from netwerk.neighbours.networks import NeighbourLine, NeighbourNetwork, NeighbourOrganisation
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.reference.reference_lines import ReferenceLine

MAX_SHOWN = 50


@dataclass
class NeighboursKnow:
    municipality: Municipality
    organisations: list[NeighbourOrganisation]
    lines: list[NeighbourLine]
    covering: list[NeighbourNetwork] = field(default_factory=list)
    numbers: list[ReferenceLine] = field(default_factory=list)


@dataclass
class PostcodeAnswer:
    """A postcode asked about: inside our area (`regions` names the regions), or outside it
    (`outside` holds what to do instead)."""

    area: PostcodeArea
    regions: list[str]
    outside: NeighboursKnow | None

    @property
    def inside(self) -> bool:
        return self.outside is None


def numbers_for(user, municipality: Municipality | None) -> list[ReferenceLine]:
    """The numbers that are always there, for what the user may see: the national ones, and
    those entered for the municipality (one query)."""
    return list(ReferenceLine.objects.active().for_audience_of(user).fitting(municipality))


def postcode_answer(area, user) -> PostcodeAnswer | None:
    """For a PC4 area asked about, whether it lies in our area and, outside it, what the
    neighbours and the reference numbers offer; None when no postcode was asked."""
    if not isinstance(area, PostcodeArea):
        return None
    regions = list(Region.objects.containing(area).order_by("name").values_list("name", flat=True))
    if regions:
        return PostcodeAnswer(area, regions, None)
    return PostcodeAnswer(area, [], neighbours_outside(area, user))


def neighbours_outside(area: PostcodeArea, user) -> NeighboursKnow:
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
    covering = NeighbourNetwork.objects.active().filter(municipalities=municipality)
    return NeighboursKnow(
        municipality,
        list(organisations),
        list(lines),
        covering=list(covering.order_by("name")),
        numbers=numbers_for(user, municipality),
    )


def outside_our_area(area, user=None) -> NeighboursKnow | None:
    """For a PC4 area outside every region, what the neighbours know there; otherwise None
    (inside our area, or no postcode asked)."""
    answer = postcode_answer(area, user)
    return answer.outside if answer else None
