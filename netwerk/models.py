"""The domain model, one module per concept; Django finds the models through this module."""

from netwerk.availability import AvailabilityChange
from netwerk.consultation import ConsultationLine, ScheduleException, ScheduleRow
from netwerk.contacts import Contact
from netwerk.data_version import PublishedChangeCount
from netwerk.expertise import ExpertiseTag
from netwerk.feedback import ErrorReport
from netwerk.geography import Municipality, PostcodeArea, Region
from netwerk.locations import Location
from netwerk.map_data import MapSnapshot
from netwerk.organisations import Organisation
from netwerk.places import Place
from netwerk.search import SearchWord
from netwerk.update_links import UpdateLink

__all__ = [
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
