"""The domain model, one module per concept; Django finds the models through this module."""

from netwerk.consultation.lines import ConsultationLine, ScheduleException, ScheduleRow
from netwerk.coordination.error_reports import ErrorReport
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.directory.vocabulary import Alias
from netwerk.places.availability import AvailabilityChange
from netwerk.places.places import Place
from netwerk.places.update_links import UpdateLink
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.search.data_version import PublishedChangeCount
from netwerk.search.documents import SearchWord
from netwerk.search.map_data import MapSnapshot

__all__ = [
    "Alias",
    "AvailabilityChange",
    "ConsultationLine",
    "Contact",
    "ErrorReport",
    "ExpertiseTag",
    "Location",
    "MapSnapshot",
    "Municipality",
    "Organisation",
    "Place",
    "PostcodeArea",
    "PublishedChangeCount",
    "Region",
    "ScheduleException",
    "ScheduleRow",
    "SearchWord",
    "UpdateLink",
]
