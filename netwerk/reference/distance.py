"""Distances on the earth's surface: haversine in Python and as a SQL expression.

The SQL version uses only functions Django provides on every backend (on SQLite Django registers
them itself), so distance filtering and sorting work the same on SQLite and PostgreSQL. A bounding
box on the indexed latitude/longitude pair narrows the rows before the trigonometry runs.
"""

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = 111.32


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def haversine_km(a: Point, b: Point) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(centre: Point, km: float) -> dict[str, float]:
    """Lookups for `latitude`/`longitude` that hold every point within `km` of `centre`."""
    lat_delta = km / KM_PER_DEGREE_LATITUDE
    cos_lat = max(math.cos(math.radians(centre.latitude)), 0.01)
    lon_delta = km / (KM_PER_DEGREE_LATITUDE * cos_lat)
    return {
        "latitude__gte": centre.latitude - lat_delta,
        "latitude__lte": centre.latitude + lat_delta,
        "longitude__gte": centre.longitude - lon_delta,
        "longitude__lte": centre.longitude + lon_delta,
    }


def distance_expression(centre: Point, prefix: str = ""):
    """Haversine distance in km from `centre` to the row's `<prefix>latitude/longitude`."""
    lat = Radians(F(f"{prefix}latitude"))
    lon = Radians(F(f"{prefix}longitude"))
    lat0 = Value(math.radians(centre.latitude), output_field=FloatField())
    lon0 = Value(math.radians(centre.longitude), output_field=FloatField())
    half_dlat = Sin((lat - lat0) / Value(2.0))
    half_dlon = Sin((lon - lon0) / Value(2.0))
    h = Power(half_dlat, 2) + Cos(lat0) * Cos(lat) * Power(half_dlon, 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Least(Value(1.0), Sqrt(h)))
