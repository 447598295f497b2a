"""A map to place a location: Leaflet (from django-leaflet) filling the latitude/longitude inputs.

django-leaflet's own widget needs GeoDjango geometry fields; ours works on two float inputs.
"""

import json

from django import forms
from django.conf import settings


class CoordinatesMapWidget(forms.NumberInput):
    """The latitude input, followed by a map; the longitude input is found by its id."""

    template_name = "netwerk/widgets/coordinates_map.html"

    class Media:
        css = {"all": ["leaflet/leaflet.css", "admin-map/coordinates-map.css"]}
        js = ["leaflet/leaflet.js", "admin-map/coordinates-map.js"]

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": "any", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        lat, lon = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
        context["widget"]["map_json"] = json.dumps(
            {
                "tileUrl": settings.TILE_URL,
                "attribution": settings.TILE_ATTRIBUTION,
                "lat": lat,
                "lon": lon,
            }
        )
        return context
