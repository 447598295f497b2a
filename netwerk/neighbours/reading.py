"""Reading a neighbour's HSDS 3.0 API: its paginated lists, fetched politely and checked.

Fetching: one GET per page (`?page=N&per_page=200`), no redirects followed, at most
NEIGHBOUR_TIMEOUT_SECONDS for the whole answer, at most NEIGHBOUR_MAX_PAGE_BYTES per page and
NEIGHBOUR_MAX_PAGES pages per list.

Checking, by hand, with the rules of the HSDS 3.0 schema for everything we store (the schema
itself lives with the API's tests, tests/data/hsds/; jsonschema is not a runtime dependency):

- a page is an object with the envelope's eight fields of the right types, its `page_number` the
  page asked for, its `size` the length of `contents`, and `contents` a list of objects;
- the pages together hold `total_items` objects, each id once;
- an organization has an `id` that is a UUID, a non-empty `name` (at most 300 characters) and a
  `description` that is text; `website`, `phones`, `locations` and their `addresses`, when
  present, have the types HSDS gives them (a phone `number` must be a phone number);
- a service has an `id` that is a UUID, a non-empty `name` and a `status` from the HSDS list;
  `organization_id`, `description`, `phones` and `service_areas`, when present, have their types.

A wrong type or a missing required field fails the whole neighbour; a value we cannot place
(a postcode that is not Dutch, a municipality we do not know) is simply not placed.
"""

import json
import re
import uuid
from dataclasses import dataclass, field
from time import monotonic
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import to_python as phone_number

PER_PAGE = 200
MAX_NAME = 300
MAX_TEXT = 10_000
MAX_URL = 500
SERVICE_STATUSES = {"active", "inactive", "defunct", "temporarily closed"}
ENVELOPE = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}
CBS_CODE = re.compile(r"\bGM[0-9]{4}\b")
CHUNK = 65536


class NeighbourError(Exception):
    """Why a neighbour could not be read, in Dutch, as it is shown and recorded."""


class Invalid(NeighbourError):
    pass


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx stays an error: an API address that moved is for a person to fix


OPENER = build_opener(NoRedirects)


@dataclass(frozen=True)
class Address:
    postcode: str
    city: str
    municipality_name: str


@dataclass(frozen=True)
class OrganisationData:
    source_id: uuid.UUID
    name: str
    description: str
    phone: object  # a PhoneNumber, or None
    website: str
    addresses: list[Address] = field(default_factory=list)


@dataclass(frozen=True)
class LineData:
    source_id: uuid.UUID
    organisation_id: uuid.UUID | None
    name: str
    description: str
    phone: object  # a PhoneNumber, or None
    is_active: bool
    area_codes: list[str] = field(default_factory=list)  # CBS codes named in service areas
    area_names: list[str] = field(default_factory=list)


# --- Fetching ------------------------------------------------------------------------------------


def fetch_json(url: str):
    """The JSON at `url`, or a NeighbourError saying in Dutch what went wrong."""
    seconds = settings.NEIGHBOUR_TIMEOUT_SECONDS
    request = Request(
        url, headers={"Accept": "application/json", "User-Agent": "Expertisekaart-buren/1"}
    )
    deadline = monotonic() + seconds
    try:
        with OPENER.open(request, timeout=seconds) as response:
            body = read_limited(response, deadline, url)
    except HTTPError as error:
        raise NeighbourError(
            _("%(url)s antwoordde met HTTP-status %(status)s.") % {"url": url, "status": error.code}
        ) from None
    except (TimeoutError, URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or isinstance(error, TimeoutError):
            raise NeighbourError(
                _("%(url)s antwoordde niet binnen %(seconds)s seconden.")
                % {"url": url, "seconds": seconds}
            ) from None
        raise NeighbourError(
            _("%(url)s is niet bereikbaar (%(reason)s).") % {"url": url, "reason": reason}
        ) from None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise NeighbourError(_("%(url)s gaf geen geldige JSON.") % {"url": url}) from None


def read_limited(response, deadline: float, url: str) -> bytes:
    limit = settings.NEIGHBOUR_MAX_PAGE_BYTES
    chunks, size = [], 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise NeighbourError(
                _("%(url)s gaf een antwoord groter dan %(limit)s bytes.")
                % {"url": url, "limit": limit}
            )
        if monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_list(base_url: str, name: str, check) -> list:
    """Every object of the list `name` (`organizations`, `services`), each passed through
    `check(obj, where)`, following the pages to the last."""
    checked, seen, page, total_items = [], set(), 1, None
    max_pages = settings.NEIGHBOUR_MAX_PAGES
    while True:
        url = f"{base_url}{name}?{urlencode({'page': page, 'per_page': PER_PAGE})}"
        envelope = check_envelope(fetch_json(url), page, url)
        if envelope["total_pages"] > max_pages:
            raise Invalid(
                _("%(url)s heeft %(pages)s pagina's; meer dan %(max)s worden niet gelezen.")
                % {"url": url, "pages": envelope["total_pages"], "max": max_pages}
            )
        total_items = envelope["total_items"]
        for index, obj in enumerate(envelope["contents"], start=1):
            where = _("object %(index)s van %(url)s") % {"index": index, "url": url}
            item = check(obj, where)
            if item.source_id in seen:
                raise Invalid(
                    _("Ongeldige gegevens in %(where)s: id %(id)s komt twee keer voor.")
                    % {"where": where, "id": item.source_id}
                )
            seen.add(item.source_id)
            checked.append(item)
        if page >= envelope["total_pages"] or not envelope["contents"]:
            break
        page += 1
    if len(checked) != total_items:
        raise Invalid(
            _(
                "%(url)s meldde %(total)s objecten maar gaf er %(count)s; "
                "veranderden de gegevens tijdens het lezen?"
            )
            % {"url": f"{base_url}{name}", "total": total_items, "count": len(checked)}
        )
    return checked


# --- Checking ------------------------------------------------------------------------------------


def invalid(where: str, problem: str) -> Invalid:
    return Invalid(
        _("Ongeldige gegevens in %(where)s: %(problem)s") % {"where": where, "problem": problem}
    )


def check_envelope(data, page: int, url: str) -> dict:
    where = _("de pagina %(url)s") % {"url": url}
    if not isinstance(data, dict):
        raise invalid(where, _("geen object met total_items, contents enzovoort."))
    for key, kind in ENVELOPE.items():
        value = data.get(key)
        # bool is an int in Python: a count may not be true or false.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise invalid(
                where, _("'%(key)s' ontbreekt of heeft het verkeerde type.") % {"key": key}
            )
    if data["page_number"] != page:
        raise invalid(
            where,
            _("page_number is %(got)s, gevraagd was %(page)s.")
            % {"got": data["page_number"], "page": page},
        )
    if data["size"] != len(data["contents"]):
        raise invalid(where, _("size is niet het aantal objecten in contents."))
    if data["total_items"] < 0 or data["total_pages"] < 0:
        raise invalid(where, _("total_items en total_pages mogen niet negatief zijn."))
    for index, obj in enumerate(data["contents"], start=1):
        if not isinstance(obj, dict):
            raise invalid(where, _("object %(index)s is geen object.") % {"index": index})
    return data


def text(obj: dict, key: str, where: str, *, required=False, max_length=MAX_TEXT) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise invalid(where, _("'%(key)s' ontbreekt of is geen tekst.") % {"key": key})
    if len(value) > max_length:
        raise invalid(
            where,
            _("'%(key)s' is langer dan %(max)s tekens.") % {"key": key, "max": max_length},
        )
    return value.strip()


def an_id(obj: dict, key: str, where: str, *, required=True) -> uuid.UUID | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        raise invalid(where, _("'%(key)s' is geen UUID.") % {"key": key}) from None


def objects(obj: dict, key: str, where: str) -> list[dict]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise invalid(where, _("'%(key)s' is geen lijst van objecten.") % {"key": key})
    return value


def first_phone(obj: dict, where: str):
    """The first phone number, or None; every `number` must be a phone number."""
    numbers = []
    for phone in objects(obj, "phones", where):
        raw = text(phone, "number", where, required=True, max_length=40)
        number = phone_number(raw)
        if number is None or not number.is_valid():
            raise invalid(where, _("%(number)s is geen geldig telefoonnummer.") % {"number": raw})
        numbers.append(number)
    return numbers[0] if numbers else None


def website(obj: dict, key: str, where: str) -> str:
    value = text(obj, key, where, max_length=MAX_URL)
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise invalid(where, _("'%(key)s' is geen webadres.") % {"key": key}) from None
    return value


def check_organisation(obj: dict, where: str) -> OrganisationData:
    addresses = []
    for location in objects(obj, "locations", where):
        for address in objects(location, "addresses", where):
            addresses.append(
                Address(
                    postcode=text(address, "postal_code", where, max_length=20),
                    city=text(address, "city", where, max_length=100),
                    municipality_name=text(address, "region", where, max_length=100),
                )
            )
    return OrganisationData(
        source_id=an_id(obj, "id", where),
        name=text(obj, "name", where, required=True, max_length=MAX_NAME),
        description=text(obj, "description", where),
        phone=first_phone(obj, where),
        website=website(obj, "website", where),
        addresses=addresses,
    )


def check_service(obj: dict, where: str) -> LineData:
    """A service, checked; it is one of the lines we show when it is active and has a phone
    (a place, say, has none)."""
    status = obj.get("status")
    if status not in SERVICE_STATUSES:
        raise invalid(
            where,
            _("'status' moet een van %(values)s zijn.") % {"values": sorted(SERVICE_STATUSES)},
        )
    codes, names = [], []
    for area in objects(obj, "service_areas", where):
        names.append(text(area, "name", where, max_length=MAX_NAME))
        codes += CBS_CODE.findall(text(area, "description", where))
    return LineData(
        source_id=an_id(obj, "id", where),
        organisation_id=an_id(obj, "organization_id", where, required=False),
        name=text(obj, "name", where, required=True, max_length=MAX_NAME),
        description=text(obj, "description", where),
        phone=first_phone(obj, where),
        is_active=status == "active",
        area_codes=codes,
        area_names=[name for name in names if name],
    )
