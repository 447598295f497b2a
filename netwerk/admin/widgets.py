"""A map to place a location: Leaflet (from django-leaflet) filling the latitude/longitude inputs.

django-leaflet's own widget needs GeoDjango geometry fields; ours works on two float inputs.
"""

import json

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class CoordinatesMapWidget(forms.NumberInput):
    """The latitude input, followed by a map; the longitude input is found by its id."""

    template_name = "netwerk/widgets/coordinates_map.html"

    class Media:
        css = {"all": ["leaflet/leaflet.css", "admin-map/coordinates-map.css"]}
        js = ["leaflet/leaflet.js", "admin-map/coordinates-map.js"]

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": "any", **(attrs or {})})
        # Where the map opens when the location has no coordinates yet (the form sets the
        # centre of its postcode's PC4 area); the country's centre otherwise.
        self.centre = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        lat, lon = self.centre or settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
        context["widget"]["map_json"] = json.dumps(
            {
                "tileUrl": settings.TILE_URL,
                "attribution": settings.TILE_ATTRIBUTION,
                "lat": lat,
                "lon": lon,
                "zoom": 14 if self.centre else 8,
            }
        )
        return context


class ForgivingAutocompleteMixin:
    """Django's autocomplete widgets look the submitted values up again to show them; a value
    that cannot even be a key (a hand-made request: `expertise=abc`) fails that query with a
    500. Such values are left out of the lookup; the form field reports them as invalid."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self.could_be_a_key(v)], attr)

    def could_be_a_key(self, value) -> bool:
        remote = self.field.remote_field
        options = remote.model._meta
        key = options.get_field(getattr(remote, "field_name", None) or options.pk.name)
        try:
            key.to_python(value)
        except ValidationError:
            return False
        return True


class ForgivingAutocompleteSelect(ForgivingAutocompleteMixin, AutocompleteSelect):
    pass


class ForgivingAutocompleteSelectMultiple(ForgivingAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class ForgivingAutocompleteAdmin:
    """For admins and inlines: their autocomplete fields use the forgiving widgets."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ForgivingAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ForgivingAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
