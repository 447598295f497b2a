"""The API's query parameters, validated: a wrong value is a 400 with a Dutch message, never a
500 and never silently ignored. Unknown parameters are ignored (and left out of cache keys)."""

import uuid
from dataclasses import dataclass
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from netwerk.reference.geography import PostcodeArea, Region, parse_postcode

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_SEARCH_LENGTH = 200
MAX_PAGE = 100_000
# The parameters the API reads, in the order of its cache keys.
KNOWN = (
    "search",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "postcode",
    "region",
    "modified_after",
    "page",
    "per_page",
)


class BadParameter(ValueError):
    """A parameter with a value the API cannot use; the message is Dutch and shown as it is."""


@dataclass(frozen=True)
class Question:
    search: str = ""
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    postcode_area: PostcodeArea | None = None
    region: Region | None = None
    modified_after: datetime | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


def question_from(query) -> Question:
    """The validated question from a QueryDict (or any mapping of one value per name)."""
    get = query.get
    return Question(
        search=_search(get("search", "")),
        taxonomy_term_id=_uuid(get("taxonomy_term_id"), "taxonomy_term_id"),
        taxonomy_id=_uuid(get("taxonomy_id"), "taxonomy_id"),
        organization_id=_uuid(get("organization_id"), "organization_id"),
        postcode_area=_postcode(get("postcode")),
        region=_region(get("region")),
        modified_after=_moment(get("modified_after")),
        page=_number(get("page"), "page", 1, MAX_PAGE, default=1),
        per_page=_number(get("per_page"), "per_page", 1, MAX_PER_PAGE, default=DEFAULT_PER_PAGE),
    )


def cache_key_part(query) -> str:
    """Only what the API reads, in a fixed order: made-up parameters make no new cache entry."""
    return "&".join(f"{name}={query.get(name, '')}" for name in KNOWN if query.get(name))


def _search(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_SEARCH_LENGTH:
        raise BadParameter(
            _("search mag hoogstens %(max)d tekens lang zijn.") % {"max": MAX_SEARCH_LENGTH}
        )
    return value


def _uuid(value: str | None, name: str) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadParameter(
            _("%(name)s moet een UUID zijn, zoals 3f7b145d-84af-42d7-8fae-eaca714b02b2.")
            % {"name": name}
        ) from None


def _postcode(value: str | None) -> PostcodeArea | None:
    if not value:
        return None
    try:
        digits, _letters = parse_postcode(value)
    except ValidationError as error:
        raise BadParameter(_("postcode: %(error)s") % {"error": " ".join(error.messages)}) from None
    area = PostcodeArea.objects.select_related("municipality").filter(pc4=digits).first()
    if area is None:
        raise BadParameter(_("postcode: postcode %(pc4)s is onbekend.") % {"pc4": digits})
    return area


def _region(value: str | None) -> Region | None:
    if not value:
        return None
    region = Region.objects.filter(slug=value).first()
    if region is None:
        known = ", ".join(Region.objects.order_by("slug").values_list("slug", flat=True))
        raise BadParameter(
            _("region: regio %(value)s bestaat niet; bekend zijn: %(known)s.")
            % {"value": value[:60], "known": known or "-"}
        )
    return region


def _moment(value: str | None) -> datetime | None:
    """An ISO 8601 date or date and time; without a zone it is Dutch local time."""
    if not value:
        return None
    message = _(
        "modified_after moet een datum of tijdstip zijn volgens ISO 8601, zoals 2026-01-31 of "
        "2026-01-31T09:00:00+01:00."
    )
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise BadParameter(message)
            moment = datetime.combine(day, time())
    except ValueError:  # well formed but impossible, such as 2026-02-30
        raise BadParameter(message) from None
    if not 1900 <= moment.year <= 9000:
        raise BadParameter(message)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _number(value: str | None, name: str, low: int, high: int, *, default: int) -> int:
    if value is None or value == "":
        return default
    message = _("%(name)s moet een geheel getal van %(low)d tot en met %(high)d zijn.") % {
        "name": name,
        "low": low,
        "high": high,
    }
    try:
        number = int(value)
    except ValueError:
        raise BadParameter(message) from None
    if not low <= number <= high:
        raise BadParameter(message)
    return number
