"""The agenda as an iCalendar feed (RFC 5545), built with the `icalendar` library.

Every event keeps its UID (Event.uid), so a calendar that subscribed to the feed updates an
event that moved instead of adding it twice. Times are written in Europe/Amsterdam with the
VTIMEZONE that Outlook needs; DTSTAMP and LAST-MODIFIED are the event's last change, in UTC.
"""

from collections.abc import Iterable

import icalendar
from django.utils import timezone

from netwerk.network.events import Event

PRODUCT_ID = "-//Expertisekaart//Agenda//NL"


def calendar_for(events: Iterable[Event], *, name: str, site_url: str) -> bytes:
    """The events as one VCALENDAR; `site_url` ("https://kaart.example.org") makes the links
    absolute."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    for event in events:
        calendar.add_component(vevent_for(event, site_url=site_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def vevent_for(event: Event, *, site_url: str) -> icalendar.Event:
    url = site_url + event.get_absolute_url()
    vevent = icalendar.Event()
    vevent.add("uid", event.ical_uid)
    vevent.add("dtstamp", event.updated_at)
    vevent.add("created", event.created_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("dtstart", timezone.localtime(event.starts_at))
    vevent.add("dtend", timezone.localtime(event.ends_at))
    vevent.add("summary", event.title)
    description = "\n\n".join(part for part in (event.description, url) if part)
    vevent.add("description", description)
    if event.place_text:
        vevent.add("location", event.place_text)
    vevent.add("url", url)
    vevent.add("categories", [str(event.get_kind_display())])
    if event.organiser.email:
        vevent.add(
            "organizer",
            f"mailto:{event.organiser.email}",
            parameters={"cn": event.organiser.name},
        )
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    point = event.point
    if point is not None:
        vevent.add("geo", point)
    return vevent
