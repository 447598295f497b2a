"""The map's markers as GeoJSON: one feature per location of the matching organisations.

The whole map (no filter) is what the home page and an open search ask for, and building 20,000
markers costs about 200 ms. So it is built once per version of the published data and language,
gzipped, and kept in the cache.
"""

import gzip
import hashlib
import json

from django.core.cache import cache
from django.urls import reverse

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.search.data_version import published_version, versioned_cache_key

# Fast compression: a tenth of the time of the default level for 20% more bytes, still far
# under 1 MB for the whole map.
COMPRESS_LEVEL = 1
GEOJSON_FORMAT = 1  # raise when geojson_bytes writes something else
FILTERED_MAP_SECONDS = 300
IGNORED_BY_THE_MAP = {"sortering", "pagina", "embed"}


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
    kinds = {value: str(label) for value, label in OrganisationKind.choices}
    url_prefix = organisation_url_prefix()
    rows = locations.values_list(
        "latitude",
        "longitude",
        "organisation__name",
        "organisation__slug",
        "organisation__kind",
        "city",
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
                    "url": f"{url_prefix}{slug}/",
                    "city": city,
                },
            }
            for lat, lon, name, slug, kind, city in rows
        ],
    }
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode()


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
