"""One neighbour's sync: read its organisations and services, and replace our copies of them
in one transaction, or change nothing.

Everything is fetched and checked before anything is written; the writing itself is one
transaction. So a timeout, an HTTP error, a page that is not JSON or an object that breaks the
rules of `netwerk.neighbours.reading` leaves the neighbour's copies as they were, and only the
outcome (with its Dutch message) is recorded on the neighbour.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerk.neighbours.networks import (
    NeighbourLine,
    NeighbourNetwork,
    NeighbourOrganisation,
    SyncOutcome,
    normalise_api_url,
)
from netwerk.neighbours.reading import (
    LineData,
    NeighbourError,
    OrganisationData,
    check_organisation,
    check_service,
    fetch_list,
)
from netwerk.reference.geography import Municipality, PostcodeArea, parse_postcode
from netwerk.search.publishing import changes_published


@dataclass(frozen=True)
class Outcome:
    succeeded: bool
    message: str


def sync_neighbour(neighbour: NeighbourNetwork) -> Outcome:
    moment = timezone.now()
    base_url = normalise_api_url(neighbour.api_url)
    try:
        if settings.NEIGHBOUR_HTTPS_ONLY and not base_url.startswith("https://"):
            raise NeighbourError(
                _("%(url)s begint niet met https://; alleen https is toegestaan.")
                % {"url": base_url}
            )
        organisations = fetch_list(base_url, "organizations", check_organisation)
        services = fetch_list(base_url, "services", check_service)
    except NeighbourError as error:
        message = str(error)
        neighbour.record_outcome(SyncOutcome.FAILED, message, moment)
        return Outcome(False, message)
    lines = [service for service in services if service.is_active and service.phone]
    with transaction.atomic():
        replace_copies(neighbour, organisations, lines, moment)
        changes_published()  # the search pages show the neighbours' copies
    message = _("%(organisations)s organisaties en %(lines)s lijnen opgehaald.") % {
        "organisations": len(organisations),
        "lines": len(lines),
    }
    neighbour.record_outcome(SyncOutcome.SUCCEEDED, message, moment)
    return Outcome(True, message)


class Places:
    """Our municipalities by PC4 area, CBS code and name, to place a neighbour's addresses and
    service areas (two queries)."""

    def __init__(self, addresses):
        pc4s = {pc4 for address in addresses if (pc4 := self.pc4(address.postcode))}
        self.by_pc4 = dict(
            PostcodeArea.objects.filter(pc4__in=pc4s).values_list("pc4", "municipality_id")
        )
        rows = Municipality.objects.values_list("pk", "code", "name")
        self.by_code = {code: pk for pk, code, _name in rows}
        self.by_name = {name.casefold(): pk for pk, _code, name in rows}

    @staticmethod
    def pc4(postcode: str) -> str | None:
        try:
            return parse_postcode(postcode)[0]
        except ValidationError:
            return None

    def of_address(self, address) -> int | None:
        """By its postcode; else by the municipality it names (HSDS `region`), else its city."""
        pc4 = self.pc4(address.postcode)
        if pc4 in self.by_pc4:
            return self.by_pc4[pc4]
        for name in (address.municipality_name, address.city):
            if name and name.casefold() in self.by_name:
                return self.by_name[name.casefold()]
        return None

    def of_areas(self, line: LineData) -> set[int]:
        found = {self.by_code[code] for code in line.area_codes if code in self.by_code}
        found |= {
            self.by_name[n.casefold()] for n in line.area_names if n.casefold() in self.by_name
        }
        return found


def replace_copies(
    neighbour: NeighbourNetwork,
    organisations: list[OrganisationData],
    lines: list[LineData],
    moment,
) -> None:
    places = Places([address for data in organisations for address in data.addresses])
    neighbour.organisations.all().delete()  # their lines go with them
    neighbour.lines.all().delete()
    created = NeighbourOrganisation.objects.bulk_create(
        NeighbourOrganisation(
            neighbour=neighbour,
            source_id=data.source_id,
            name=data.name,
            description=data.description,
            phone=data.phone or "",
            website=data.website,
            postcode=first_postcode(data),
            city=data.addresses[0].city[:100] if data.addresses else "",
            fetched_at=moment,
        )
        for data in organisations
    )
    by_source = {organisation.source_id: organisation for organisation in created}
    located: dict[object, set[int]] = {}
    links = []
    for data, organisation in zip(organisations, created, strict=True):
        municipality_ids = {places.of_address(address) for address in data.addresses} - {None}
        located[data.source_id] = municipality_ids
        links += [
            NeighbourOrganisation.municipalities.through(
                neighbourorganisation_id=organisation.pk, municipality_id=pk
            )
            for pk in municipality_ids
        ]
    NeighbourOrganisation.municipalities.through.objects.bulk_create(links)
    created_lines = NeighbourLine.objects.bulk_create(
        NeighbourLine(
            neighbour=neighbour,
            source_id=data.source_id,
            organisation=by_source.get(data.organisation_id),
            name=data.name,
            description=data.description,
            phone=data.phone,
            fetched_at=moment,
        )
        for data in lines
    )
    NeighbourLine.municipalities.through.objects.bulk_create(
        NeighbourLine.municipalities.through(neighbourline_id=line.pk, municipality_id=pk)
        for data, line in zip(lines, created_lines, strict=True)
        for pk in places.of_areas(data) | located.get(data.organisation_id, set())
    )


def first_postcode(data: OrganisationData) -> str:
    for address in data.addresses:
        try:
            digits, letters = parse_postcode(address.postcode)
        except ValidationError:
            continue
        return f"{digits} {letters}".strip()
    return ""
