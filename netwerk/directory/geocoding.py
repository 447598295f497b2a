"""A location's position from its address: PDOK Locatieserver (the national BAG service).

`address_position(postcode, house_number)` asks the service once per address (answers, also
"not found", are kept for the process's lifetime), gives up after GEOCODING_TIMEOUT_SECONDS and
answers None when geocoding is off (GEOCODING_PDOK), the address is incomplete, or the service
fails or does not know it; the caller then uses the PC4 centroid. Only the outside service is
ever faked in tests.
"""

import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger(__name__)

POINT = re.compile(r"POINT\(\s*(?P<lon>-?\d+(?:\.\d+)?)\s+(?P<lat>-?\d+(?:\.\d+)?)\s*\)")
HOUSE_NUMBER = re.compile(r"^\s*(?P<number>\d{1,5})\s*[-\s]?\s*(?P<addition>[a-zA-Z0-9]{0,4})")


_offline: ContextVar[bool] = ContextVar("geocoding_offline", default=False)


def is_enabled() -> bool:
    return bool(settings.GEOCODING_PDOK) and not _offline.get()


@contextmanager
def without_outside_requests():
    """Within: no request to the service (a spreadsheet's preview); the PC4 centroid instead."""
    token = _offline.set(True)
    try:
        yield
    finally:
        _offline.reset(token)


def address_position(postcode: str, house_number: str) -> tuple[float, float] | None:
    """(latitude, longitude) of the address, or None (see the module's docstring)."""
    if not is_enabled():
        return None
    compact = re.sub(r"\s", "", postcode or "").upper()
    match = HOUSE_NUMBER.match(house_number or "")
    if not re.fullmatch(r"\d{4}[A-Z]{2}", compact) or match is None:
        return None
    return _lookup(settings.GEOCODING_PDOK_URL, compact, match["number"], match["addition"])


@lru_cache(maxsize=20000)
def _lookup(url: str, postcode: str, number: str, addition: str) -> tuple[float, float] | None:
    query = f"postcode:{postcode} and huisnummer:{number}"
    params = urllib.parse.urlencode(
        {"q": query, "fq": "type:adres", "fl": "centroide_ll,huisletter,toevoeging", "rows": 10}
    )
    try:
        with urllib.request.urlopen(
            f"{url}?{params}", timeout=settings.GEOCODING_TIMEOUT_SECONDS
        ) as response:
            documents = json.load(response)["response"]["docs"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("PDOK Locatieserver did not answer for %s %s: %s", postcode, number, error)
        return None
    if not documents:
        return None
    wanted = addition.casefold()
    best = next(
        (
            document
            for document in documents
            if wanted
            and wanted
            in (
                str(document.get("huisletter", "")).casefold(),
                str(document.get("toevoeging", "")).casefold(),
            )
        ),
        documents[0],
    )
    point = POINT.fullmatch(str(best.get("centroide_ll", "")))
    if point is None:
        return None
    return float(point["lat"]), float(point["lon"])


def forget_answers() -> None:
    """For tests: start with no answers kept."""
    _lookup.cache_clear()
