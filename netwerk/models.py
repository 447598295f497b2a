"""The domain model, one module per concept; Django finds the models through this module."""

from netwerk.consultation.holiday_choice import HolidayChoice
from netwerk.consultation.lines import ConsultationLine, ScheduleException, ScheduleRow
from netwerk.coordination.error_reports import ErrorReport
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.directory.vocabulary import Alias
from netwerk.neighbours.networks import NeighbourLine, NeighbourNetwork, NeighbourOrganisation
from netwerk.network.agreements import Agreement
from netwerk.network.events import Event
from netwerk.network.knowledge import KnowledgeItem
from netwerk.network.registrations import Registration
from netwerk.places.availability import AvailabilityChange
from netwerk.places.places import Place
from netwerk.places.update_links import UpdateLink
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.reference.reference_lines import ReferenceLine
from netwerk.search.data_version import PublishedChangeCount
from netwerk.search.documents import SearchWord
from netwerk.search.usage import UsageCount

__all__ = [
    "Agreement",
    "Alias",
    "AvailabilityChange",
    "ConsultationLine",
    "Contact",
    "ErrorReport",
    "Event",
    "ExpertiseTag",
    "HolidayChoice",
    "KnowledgeItem",
    "Location",
    "Municipality",
    "NeighbourLine",
    "NeighbourNetwork",
    "NeighbourOrganisation",
    "Organisation",
    "Place",
    "PostcodeArea",
    "PublishedChangeCount",
    "ReferenceLine",
    "Region",
    "Registration",
    "ScheduleException",
    "ScheduleRow",
    "SearchWord",
    "UpdateLink",
    "UsageCount",
]
