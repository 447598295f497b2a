"""The map's markers as GeoJSON: one feature per location of the matching organisations.

The whole map (no filter) is what the home page and an open search ask for, and building 20,000
markers costs a few hundred milliseconds. So it is built once per version of the map's data and
language, gzipped, and kept in the database as a MapSnapshot: shared by every process, surviving
restarts, and never older than the data (the version is part of its key).
"""

import gzip
import hashlib
import json
import time

from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.search.data_version import (
    count_published_change,
    map_data_version,
    public_data_version,
)

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


class MapSnapshot(models.Model):
    """The gzipped GeoJSON of the whole map for one version of the data and one language."""

    version = models.CharField(_("versie"), max_length=200)
    language = models.CharField(_("taal"), max_length=10)
    gzipped = models.BinaryField(_("GeoJSON (gzip)"))
    built_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("kaartmomentopname")
        verbose_name_plural = _("kaartmomentopnamen")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="mapsnapshot_one_per_version_and_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.version}"

    @classmethod
    def current_version(cls, language: str) -> str:
        """The data's version, the language, and what else decides the bytes, so that a release
        that changes them (code, translations, addresses) replaces stored maps and ETags."""
        return f"{map_data_version()}:{language}:{map_format()}"

    @classmethod
    def whole_map(cls, version: str, language: str) -> bytes:
        """The gzipped GeoJSON of the whole map at `version`, built now if nobody has yet."""
        stored = cls.objects.filter(version=version, language=language).values_list(
            "gzipped", flat=True
        )
        for gzipped in stored:
            return bytes(gzipped)
        return cls.build(version, language)

    @classmethod
    def build(cls, version: str, language: str) -> bytes:
        gzipped = compress(geojson_bytes(locations_of(Organisation.objects.published())))
        try:
            with transaction.atomic():
                cls.objects.filter(language=language).exclude(version=version).delete()
                cls.objects.create(version=version, language=language, gzipped=gzipped)
        except IntegrityError:
            pass  # another request stored the same version first
        return gzipped


def asks_for_everything(question) -> bool:
    """No filter given: sorting and paging change no marker."""
    return not any(
        value
        for name, values in question.lists()
        if name not in IGNORED_BY_THE_MAP
        for value in values
    )


def map_version(question, language: str) -> str:
    """What decides the bytes of the map for a search question: for the whole map its stored
    version; for a filtered one the data, the question and a period of a few minutes, because
    whether a place counts as available depends on how long ago it was updated."""
    if asks_for_everything(question):
        return MapSnapshot.current_version(language)
    period = int(time.time() // FILTERED_MAP_SECONDS)
    return f"{public_data_version()}|{period}|{language}|{map_format()}|{question.urlencode()}"


def map_etag(question, language: str) -> str:
    digest = hashlib.sha256(map_version(question, language).encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def map_gzipped(question, language: str, organisations) -> bytes:
    """The gzipped GeoJSON for the question: the stored whole map, or a filtered map kept in the
    cache for a few minutes."""
    version = map_version(question, language)
    if asks_for_everything(question):
        return MapSnapshot.whole_map(version, language)
    key = f"netwerk:geojson:{hashlib.sha256(version.encode()).hexdigest()}"
    gzipped = cache.get(key)
    if gzipped is None:
        gzipped = compress(geojson_bytes(locations_of(organisations)))
        cache.set(key, gzipped, FILTERED_MAP_SECONDS)
    return gzipped


def published_caches_clear() -> None:
    """After changes that wrote no history (bulk updates, raw SQL): every process's cached
    pages and the stored maps are keyed on a version that moves now."""
    MapSnapshot.objects.all().delete()
    count_published_change(map_too=True)
