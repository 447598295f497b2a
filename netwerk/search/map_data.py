"""The map's markers as GeoJSON: one feature per location of the matching organisations.

The whole map (no filter) is what the home page and an open search ask for, and building 20,000
markers costs about 200 ms. So it is built once per version of the published data and language,
gzipped, and kept in the cache.
"""

import gzip
import hashlib
import json
from datetime import timedelta

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.places.places import Availability, Place, freshness_days
from netwerk.search.data_version import published_version, versioned_cache_key

# Fast compression: a tenth of the time of the default level for 20% more bytes, still far
# under 1 MB for the whole map.
COMPRESS_LEVEL = 1
GEOJSON_FORMAT = 2  # raise when geojson_bytes writes something else
FILTERED_MAP_SECONDS = 300
IGNORED_BY_THE_MAP = {"sortering", "pagina", "embed"}

# Markers are told apart by shape as well as colour (templates/includes/map_legend.html).
MARKER_GROUPS = {
    OrganisationKind.HOSPICE: "hospice",
    OrganisationKind.MENTAL_HEALTH: "instelling",
    OrganisationKind.ADDICTION_CARE: "instelling",
    OrganisationKind.HOSPITAL: "instelling",
    OrganisationKind.NURSING_HOME: "instelling",
    OrganisationKind.SHELTER: "instelling",
    OrganisationKind.HOME_CARE: "thuis",
    OrganisationKind.GENERAL_PRACTICE: "thuis",
    OrganisationKind.VOLUNTEERS: "thuis",
    OrganisationKind.CONSULTATION_TEAM: "consultatie",
    OrganisationKind.PUBLIC_HEALTH: "consultatie",
    OrganisationKind.OTHER: "overig",
}


def organisation_url_prefix() -> str:
    return reverse("netwerk:organisation", kwargs={"slug": "x"})[:-2]


def map_format() -> str:
    """A fingerprint of what besides the data decides a map's bytes, in the active language."""
    kinds = "|".join(str(label) for _value, label in OrganisationKind.choices)
    raw = f"{GEOJSON_FORMAT}|{kinds}|{organisation_url_prefix()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def locations_of(organisations):
    """The locations with coordinates of the organisations, in the order of the map's list."""
    return Location.objects.filter(
        organisation__in=organisations.order_by().values("pk"), latitude__isnull=False
    ).order_by("organisation__name", "pk")


def geojson_bytes(locations) -> bytes:
    """The features, in one query. A popup says "plek beschikbaar" only until the status of the
    location's most recently updated available place grows stale: the map carries that instant
    (`availableUntil`, seconds since 1970) rather than a verdict, so a map cached for a version
    of the data never shows a stale status as available."""
    kinds = {value: str(label) for value, label in OrganisationKind.choices}
    url_prefix = organisation_url_prefix()
    available = Place.objects.filter(
        location=OuterRef("pk"), availability=Availability.AVAILABLE
    ).order_by("-availability_updated_at")
    rows = locations.annotate(
        available_at=Subquery(available.values("availability_updated_at")[:1]),
        available_setting=Subquery(available.values("setting")[:1]),
    ).values_list(
        "latitude",
        "longitude",
        "organisation__name",
        "organisation__slug",
        "organisation__kind",
        "city",
        "phone",
        "organisation__phone",
        "available_at",
        "available_setting",
    )
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {
                    "name": name,
                    "kind": kinds[kind],
                    "marker": MARKER_GROUPS.get(kind, "overig"),
                    "url": f"{url_prefix}{slug}/",
                    "city": city,
                    **phone_properties(phone or organisation_phone),
                    **availability_properties(available_at, available_setting),
                },
            }
            for (
                lat,
                lon,
                name,
                slug,
                kind,
                city,
                phone,
                organisation_phone,
                available_at,
                available_setting,
            ) in rows
        ],
    }
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode()


def phone_properties(phone) -> dict:
    if not phone:
        return {}
    return {"phone": phone.as_e164, "phoneText": phone.as_national}


def availability_properties(updated_at, setting) -> dict:
    if updated_at is None:
        return {}
    stale_at = updated_at + timedelta(days=freshness_days(setting))
    return {"availableUntil": int(stale_at.timestamp())}


def compress(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=COMPRESS_LEVEL)


def asks_for_everything(question) -> bool:
    """No filter given: sorting and paging change no marker."""
    return not any(
        value
        for name, values in question.lists()
        if name not in IGNORED_BY_THE_MAP
        for value in values
    )


def whole_map_version(language: str) -> str:
    """The data's version, the language, and what else decides the bytes, so that a release
    that changes them (code, translations, addresses) also changes the map's ETag."""
    return f"{published_version()}:{language}:{map_format()}"


def whole_map_gzipped(language: str, version: str) -> bytes:
    """The whole map at `version` (from `whole_map_version`): one entry per language in the
    cache, replaced when the version moves on."""
    key = f"netwerk:geojson:whole:{language}"
    stored_version, gzipped = cache.get(key, (None, b""))
    if stored_version != version:
        gzipped = compress(geojson_bytes(locations_of(Organisation.objects.published())))
        cache.set(key, (version, gzipped), None)
    return gzipped


def filtered_map_gzipped(question, language: str, organisations) -> bytes:
    """A filtered map, kept for a few minutes: whether a place counts as available ages with
    time, not only with the data."""
    key = versioned_cache_key("geojson", language, map_format(), question.urlencode())
    gzipped = cache.get(key)
    if gzipped is None:
        gzipped = compress(geojson_bytes(locations_of(organisations)))
        cache.set(key, gzipped, FILTERED_MAP_SECONDS)
    return gzipped
