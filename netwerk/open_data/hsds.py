"""Our models as HSDS 3.0 objects: pure functions from fetched objects to dicts.

What may be published is decided before these functions see anything: `netwerk.open_data.queries`
hands them published organisations, public and active lines, and the contacts that
`Contact.objects.visible_to(None)` lets a visitor see (consent recorded for a person). These
functions never follow a relation on their own to reach more; they read only what they are given
(prefetched), so a page costs the same queries however many objects it holds.

Mapping:

- an Organisation is an HSDS organization (kind and expertise as attributes);
- a Location is a location with one address (physical, NL);
- a Place (hospice, instelling, thuis) is a service delivered at its location (one
  service_at_location), with its care setting, acceptance terms and availability as attributes
  and the availability in words as its `alert`; a status older than its setting's freshness
  period is published as "onbekend", as on the site;
- a public ConsultationLine is a service with its phone, its schedules (one weekly RRULE-style
  schedule per opening period, Dutch public holidays of the coming year under the line's holiday
  rule, and its exceptions), its service areas (regions and municipalities), its purpose and
  expertise as attributes, and, in its phone's description, the line it escalates to when that
  one is public too;
- an ExpertiseTag is a taxonomy term of the "Expertise" taxonomy, its category the parent term.

Every id is a stable UUID: the object's own `uuid` column, or for things without a row (a phone,
an address, a service area, an attribute, a holiday) a UUID version 5 derived from stable ids.
Empty values are left out rather than published as empty strings (an empty e-mail address is no
e-mail address). Times in schedules are local times in Europe/Amsterdam.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

import holidays
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netwerk.consultation.holiday_choice import network_holiday_calendar
from netwerk.consultation.lines import ConsultationLine, HolidayRule, ScheduleException
from netwerk.consultation.opening_hours import HolidayCalendar, holiday_days
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.open_data.vocabularies import (
    ACCEPTANCE_FIELDS,
    UNKNOWN_AVAILABILITY,
    Term,
    acceptance_label,
    derived_id,
    expertise_term,
    fixed_term_index,
)
from netwerk.places.places import Place

HSDS_VERSION = "3.0"
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
HOLIDAYS_AHEAD_DAYS = 366


@dataclass
class Context:
    """What a mapping needs besides the objects: where the site lives, the moment (freshness
    of availability, the coming holidays) and the fixed terms, built once per response."""

    base_url: str
    now: datetime = field(default_factory=timezone.now)
    terms: dict[tuple[str, str], Term] = field(default_factory=fixed_term_index)

    def url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"

    @cached_property
    def holiday_calendar(self) -> HolidayCalendar:
        """The network's choice of holidays, read once per response when a line needs it."""
        return network_holiday_calendar()


def compact(values: dict) -> dict:
    """Leave out what we do not know (None, empty strings and lists)."""
    return {key: value for key, value in values.items() if value not in (None, "", [])}


# --- Taxonomies ----------------------------------------------------------------------------------


def taxonomy_dict(taxonomy) -> dict:
    return {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description}


def term_dict(term: Term) -> dict:
    return compact(
        {
            "id": term.id,
            "code": term.code,
            "name": term.name,
            "description": term.description or term.name,
            "parent_id": term.parent_id,
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": term.taxonomy.id,
            "language": "nl",
        }
    )


def attribute(link_id: str, entity: str, link_type: str, term: Term, value=None) -> dict:
    return compact(
        {
            "id": derived_id("attribute", link_id, term.id),
            "link_id": link_id,
            "link_type": link_type,
            "link_entity": entity,
            "taxonomy_term_id": term.id,
            "value": None if value is None else str(value),
            "taxonomy_term": term_dict(term),
        }
    )


# --- Organisations, locations, contacts, phones --------------------------------------------------


def phone_dict(number, owner_id: str, owner: str, description: str = "") -> dict:
    return compact(
        {
            "id": derived_id("phone", owner_id),
            f"{owner}_id": owner_id,
            "number": number.as_e164,
            "type": "voice",
            "description": description,
        }
    )


def organisation_dict(organisation: Organisation, context: Context, *, full: bool = True) -> dict:
    """The organisation's one-to-one fields; with `full`, also its phones, visible contacts,
    locations and attributes (needs `locations`, `visible_contacts` and `expertise` fetched)."""
    org_id = str(organisation.uuid)
    data = {
        "id": org_id,
        "name": organisation.name,
        "description": organisation.description,
        "email": organisation.email,
        "website": organisation.website,
        "uri": context.url(organisation.get_absolute_url()),
    }
    if full:
        data |= {
            "phones": [phone_dict(organisation.phone, org_id, "organization")]
            if organisation.phone
            else [],
            "contacts": [contact_dict(c) for c in organisation.visible_contacts],
            "locations": [location_dict(loc) for loc in organisation.locations.all()],
            "attributes": organisation_attributes(organisation, context),
        }
    return compact(data) | {"description": organisation.description}


def organisation_attributes(organisation: Organisation, context: Context) -> list[dict]:
    org_id = str(organisation.uuid)
    kind = context.terms[("soort", organisation.kind)]
    return [
        attribute(org_id, "organization", "kind", kind),
        *(
            attribute(org_id, "organization", "expertise", expertise_term(tag))
            for tag in organisation.expertise.all()
        ),
    ]


def contact_dict(contact: Contact) -> dict:
    """A contact a visitor may see (the queryset decided that): name, role, e-mail and phone."""
    contact_id = str(contact.uuid)
    return compact(
        {
            "id": contact_id,
            "organization_id": str(contact.organisation.uuid),
            "name": contact.name,
            "title": contact.role,
            "email": contact.email,
            "phones": [phone_dict(contact.phone, contact_id, "contact")] if contact.phone else [],
        }
    )


def location_dict(location: Location) -> dict:
    location_id = str(location.uuid)
    street = " ".join(part for part in (location.street, location.house_number) if part)
    municipality = location.municipality
    address = {
        "id": derived_id("address", location_id),
        "location_id": location_id,
        "address_1": street or location.city,
        "city": location.city,
        "state_province": municipality.province_name if municipality else "",
        "postal_code": location.postcode,
        "country": "NL",
        "address_type": "physical",
    }
    if municipality:
        address["region"] = municipality.name  # the municipality (gemeente)
    return compact(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": str(location.organisation.uuid),
            "name": location.name or location.organisation.name,
            "description": location.notes,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "addresses": [address],
            "phones": [phone_dict(location.phone, location_id, "location")]
            if location.phone
            else [],
        }
    )


# --- Services: places ----------------------------------------------------------------------------


def place_name(place: Place) -> str:
    setting = place.get_setting_display()
    return f"{setting}: {place.name}" if place.name else str(setting)


def place_service(place: Place, context: Context, *, with_organisation: bool = True) -> dict:
    """A place as a service at its location (needs `organisation`, its `service_area` and
    `location` with its `municipality` fetched)."""
    service_id = str(place.uuid)
    organisation = place.organisation
    acceptance = "; ".join(
        f"{Place._meta.get_field(name).verbose_name}: {acceptance_label(getattr(place, name))}"
        for name, _code in ACCEPTANCE_FIELDS
    )
    data = {
        "id": service_id,
        "organization_id": str(organisation.uuid),
        "name": place_name(place),
        "description": _("%(setting)s bij %(organisation)s, %(capacity)s plek(ken).")
        % {
            "setting": place.get_setting_display(),
            "organisation": organisation.name,
            "capacity": place.capacity,
        },
        "url": context.url(organisation.get_absolute_url()),
        "email": organisation.email,
        "status": "active",
        "eligibility_description": acceptance,
        "application_process": place.admission_conditions,
        "assured_date": organisation.last_verified_on.isoformat()
        if organisation.last_verified_on
        else None,
        "alert": availability_text(place, context),
        "attributes": place_attributes(place, context),
        "service_areas": [
            municipality_area(service_id, municipality)
            for municipality in organisation.service_area.all()
        ],
        "service_at_locations": [place_at_location(place, with_service=False)],
    }
    if with_organisation:
        data["organization"] = organisation_dict(organisation, context, full=False)
    return compact(data)


def availability_text(place: Place, context: Context) -> str:
    """Availability as the organisation page says it: a stale status is unknown, and the note
    and expected date only go with a status that is still fresh."""
    status = place.public_availability(context.now)
    updated = place.availability_updated_at
    if updated is None:
        return _("Beschikbaarheid onbekend (nooit bijgewerkt).")
    moment = timezone.localtime(updated).strftime("%Y-%m-%d %H:%M")
    if status is None:
        return _("Beschikbaarheid onbekend (laatst bijgewerkt %(moment)s).") % {"moment": moment}
    parts = [
        _("%(status)s (bijgewerkt %(moment)s)")
        % {"status": place.get_availability_display(), "moment": moment},
        place.availability_note,
    ]
    if place.availability_expected_on and status != "available":
        parts.append(
            _("verwacht beschikbaar op %(date)s")
            % {"date": place.availability_expected_on.isoformat()}
        )
    return " – ".join(part for part in parts if part)


def place_attributes(place: Place, context: Context) -> list[dict]:
    """Setting, availability (its value the moment of the last update) and acceptance terms
    (their value yes, consult or no)."""
    service_id = str(place.uuid)
    terms = context.terms
    status = place.public_availability(context.now) or UNKNOWN_AVAILABILITY
    updated = place.availability_updated_at
    return [
        attribute(service_id, "service", "setting", terms[("zorgsetting", place.setting)]),
        attribute(
            service_id,
            "service",
            "availability",
            terms[("beschikbaarheid", status)],
            value=updated.isoformat() if updated else None,
        ),
        *(
            attribute(
                service_id,
                "service",
                "acceptance",
                terms[("opname", code)],
                value=getattr(place, name),
            )
            for name, code in ACCEPTANCE_FIELDS
        ),
    ]


def place_at_location(place: Place, *, with_service: bool = True) -> dict:
    data = {
        "id": derived_id("service_at_location", place.uuid, place.location.uuid),
        "service_id": str(place.uuid),
        "location_id": str(place.location.uuid),
        "location": location_dict(place.location),
    }
    if with_service:
        data["description"] = place_name(place)
    return data


def municipality_area(service_id: str, municipality) -> dict:
    return {
        "id": derived_id("service_area", service_id, municipality.code),
        "service_id": service_id,
        "name": municipality.name,
        "description": _("Gemeente %(name)s (CBS-code %(code)s)")
        % {"name": municipality.name, "code": municipality.code},
    }


# --- Services: consultation lines ----------------------------------------------------------------


def line_service(line: ConsultationLine, context: Context, *, with_organisation: bool = True):
    """A public line as a service (needs `organisation`, `schedule_rows`, `exceptions`,
    `regions`, `municipalities` and `expertise` fetched, and `public_escalation`: the line it
    escalates to when that one may be published, else None)."""
    service_id = str(line.uuid)
    organisation = line.organisation
    data = {
        "id": service_id,
        "organization_id": str(organisation.uuid),
        "name": line.name,
        "description": str(line.get_purpose_display()),
        "url": context.url(organisation.get_absolute_url()),
        "status": "active",
        "phones": [phone_dict(line.phone, service_id, "service", line_phone_note(line))],
        "schedules": line_schedules(line, context),
        "service_areas": [
            *(region_area(service_id, region) for region in line.regions.all()),
            *(municipality_area(service_id, m) for m in line.municipalities.all()),
        ],
        "attributes": line_attributes(line, context),
    }
    if with_organisation:
        data["organization"] = organisation_dict(organisation, context, full=False)
    return compact(data)


def line_attributes(line: ConsultationLine, context: Context) -> list[dict]:
    service_id = str(line.uuid)
    attributes = [
        attribute(service_id, "service", "purpose", context.terms[("doel", line.purpose)]),
        *(
            attribute(service_id, "service", "expertise", expertise_term(tag))
            for tag in line.expertise.all()
        ),
    ]
    return attributes


def line_phone_note(line: ConsultationLine) -> str:
    """The line's notes, and whom to call when it is closed, when that line is public too."""
    escalation = getattr(line, "public_escalation", None)
    parts = [line.notes]
    if escalation is not None:
        parts.append(
            _("Bij geen gehoor of buiten openingstijden: %(name)s, %(number)s (id %(id)s).")
            % {"name": escalation.name, "number": escalation.phone.as_e164, "id": escalation.uuid}
        )
    return " ".join(part for part in parts if part)


def region_area(service_id: str, region) -> dict:
    return {
        "id": derived_id("service_area", service_id, "regio", region.slug),
        "service_id": service_id,
        "name": region.name,
        "description": _("Netwerkregio %(name)s") % {"name": region.name},
    }


def holiday_note(rule: str) -> str:
    return {
        HolidayRule.REGULAR: _("Op feestdagen gelden de gewone tijden."),
        HolidayRule.CLOSED: _("Gesloten op feestdagen."),
        HolidayRule.SUNDAY: _("Op feestdagen gelden de zondagtijden."),
    }[rule]


def hhmm(moment) -> str:
    return moment.strftime("%H:%M")


def line_schedules(line: ConsultationLine, context: Context) -> list[dict]:
    """The weekly schedule as RRULE-style rows, then the coming Dutch public holidays the
    holiday rule touches, then the exceptions that have not yet ended."""
    service_id = str(line.uuid)
    note = _("Lokale tijd (Europe/Amsterdam).")
    if line.is_always_open:
        weekly = [
            {
                "id": derived_id("always_open", service_id),
                "service_id": service_id,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": ",".join(BYDAY),
                "opens_at": "00:00",
                "closes_at": "00:00",
                "description": _("24/7 bereikbaar"),
                "notes": note,
            }
        ]
    else:
        weekly = [
            weekly_schedule(service_id, row, note + " " + holiday_note(line.holiday_rule))
            for row in line.schedule_rows.all()
        ]
    return [
        *weekly,
        *([] if line.is_always_open else holiday_schedules(line, context)),
        *(
            exception_schedule(service_id, exception)
            for exception in line.exceptions.all()
            if exception.ends_at > context.now
        ),
    ]


def weekly_schedule(service_id: str, row, notes: str) -> dict:
    if row.closes_at == row.opens_at:
        span = _("24 uur vanaf %(opens)s") % {"opens": hhmm(row.opens_at)}
    elif row.closes_at < row.opens_at:
        span = _("%(opens)s tot de volgende dag %(closes)s") % {
            "opens": hhmm(row.opens_at),
            "closes": hhmm(row.closes_at),
        }
    else:
        span = f"{hhmm(row.opens_at)}–{hhmm(row.closes_at)}"
    return {
        "id": str(row.uuid),
        "service_id": service_id,
        "freq": "WEEKLY",
        "wkst": "MO",
        "byday": BYDAY[row.weekday],
        "opens_at": hhmm(row.opens_at),
        "closes_at": hhmm(row.closes_at),
        "description": f"{row.get_weekday_display()} {span}",
        "notes": notes,
    }


def coming_holidays(today: date, calendar: HolidayCalendar) -> list[tuple[date, str]]:
    """The holidays of the coming year under the network's calendar, with their Dutch names;
    an afternoon (24 and 31 December) named with the time it starts."""
    last = today + timedelta(days=HOLIDAYS_AHEAD_DAYS)
    years = range(today.year, last.year + 1)
    dutch = holidays.NL(years=years, language="nl")
    coming = []
    for year in years:
        for day, kind in holiday_days(calendar, year).items():
            if not today <= day <= last:
                continue
            if kind is True:
                name = dutch.get(day) or _("Bevrijdingsdag")
            else:
                name = _("%(day)s vanaf %(time)s") % {
                    "day": date_format(day, "j F"),
                    "time": f"{kind:%H:%M}",
                }
            coming.append((day, str(name)))
    return sorted(coming)


def holiday_schedules(line: ConsultationLine, context: Context) -> list[dict]:
    """Under "closed on holidays" a closing on each coming holiday; under "Sunday hours" the
    Sunday periods on each coming holiday. The regular rule changes nothing: no rows."""
    if line.holiday_rule == HolidayRule.REGULAR:
        return []
    service_id = str(line.uuid)
    sunday = [row for row in line.schedule_rows.all() if row.weekday == 6]
    schedules = []
    for day, name in coming_holidays(timezone.localdate(context.now), context.holiday_calendar):
        base = {
            "service_id": service_id,
            "valid_from": day.isoformat(),
            "valid_to": day.isoformat(),
            "dtstart": day.isoformat(),
        }
        afternoon = day.month == 12 and day.day in (24, 31)
        if line.holiday_rule == HolidayRule.CLOSED or afternoon:
            # An afternoon's Sunday hours start halfway: said in words, not as opening times.
            description = (
                _("Gesloten: %(holiday)s")
                if line.holiday_rule == HolidayRule.CLOSED
                else _("%(holiday)s: zondagtijden")
            )
            schedules.append(
                base
                | {
                    "id": derived_id("holiday", service_id, day),
                    "description": description % {"holiday": name},
                }
            )
            continue
        for row in sunday:
            schedules.append(
                base
                | {
                    "id": derived_id("holiday", service_id, day, row.uuid),
                    "opens_at": hhmm(row.opens_at),
                    "closes_at": hhmm(row.closes_at),
                    "description": _("%(holiday)s: zondagtijden") % {"holiday": name},
                }
            )
        if not sunday:
            schedules.append(
                base
                | {
                    "id": derived_id("holiday", service_id, day),
                    "description": _("Gesloten: %(holiday)s (geen zondagtijden)")
                    % {"holiday": name},
                }
            )
    return schedules


def exception_schedule(service_id: str, exception: ScheduleException) -> dict:
    starts = timezone.localtime(exception.starts_at)
    ends = timezone.localtime(exception.ends_at)
    state = _("Extra open") if exception.is_open else _("Gesloten")
    period = f"{starts:%Y-%m-%d %H:%M} – {ends:%Y-%m-%d %H:%M}"
    data = {
        "id": str(exception.uuid),
        "service_id": service_id,
        "valid_from": starts.date().isoformat(),
        "valid_to": ends.date().isoformat(),
        "dtstart": starts.date().isoformat(),
        "description": f"{state} {period}",
        "notes": exception.reason,
    }
    if exception.is_open:
        data |= {"opens_at": hhmm(starts), "closes_at": hhmm(ends)}
    return compact(data)


# --- The paginated envelope ----------------------------------------------------------------------


def page_envelope(contents: list, *, total_items: int, page_number: int, per_page: int) -> dict:
    total_pages = max(1, -(-total_items // per_page))
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": total_items == 0,
        "contents": contents,
    }


def api_root(context: Context, *, publisher: dict) -> dict:
    return {
        "version": HSDS_VERSION,
        "profile": "https://docs.openreferral.org/en/v3.0/",
        "openapi_url": context.url(reverse("open_data_api:openapi")),
        "description": _(
            "De sociale kaart van het netwerk palliatieve zorg als open data in de vorm van "
            "HSDS 3.0: organisaties, plekken en consultatielijnen."
        ),
        "publisher": publisher,
    }
