"""The domain model, one module per concept; Django finds the models through this module."""

from netwerk.consultation import ConsultationLine, ScheduleException, ScheduleRow
from netwerk.contacts import Contact
from netwerk.expertise import ExpertiseTag
from netwerk.geography import Municipality, PostcodeArea, Region
from netwerk.locations import Location
from netwerk.organisations import Organisation
from netwerk.places import Place

__all__ = [
    "ConsultationLine",
    "Contact",
    "ExpertiseTag",
    "Location",
    "Municipality",
    "Organisation",
    "Place",
    "PostcodeArea",
    "Region",
    "ScheduleException",
    "ScheduleRow",
]
