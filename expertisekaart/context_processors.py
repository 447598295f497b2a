from django.conf import settings

from netwerk.directory.access import roles_of


def network(request):
    """The network's name and brand, used by the base layout on every page."""
    return {
        "network_name": settings.NETWORK_NAME,
        "network_short_name": settings.NETWORK_SHORT_NAME,
        "network_brand_colour": settings.NETWORK_BRAND_COLOUR,
        "network_logo_url": settings.NETWORK_LOGO_URL,
        "network_contact_email": settings.NETWORK_CONTACT_EMAIL,
        "embedded": request.GET.get("embed") == "1",
        # Lazy: only pages that show the header for a signed-in user ask for it.
        "is_editor": lambda: roles_of(request.user).editor,
        "map_config": {
            "tileUrl": settings.TILE_URL,
            "attribution": settings.TILE_ATTRIBUTION,
            "center": settings.LEAFLET_CONFIG["DEFAULT_CENTER"],
            "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
        },
    }
