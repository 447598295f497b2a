"""Static pages and the theme stylesheet that follows the network's brand settings."""

import re

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
DEFAULT_BRAND_COLOUR = "#00567a"


@require_safe
def privacy(request):
    return render(request, "pages/privacy.html")


@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.html")


@require_safe
@cache_control(max_age=3600, public=True)
def theme_css(request):
    """The brand colour as a design token; a stylesheet so that the CSP needs no inline styles."""
    colour = settings.NETWORK_BRAND_COLOUR
    if not HEX_COLOUR.match(colour):
        colour = DEFAULT_BRAND_COLOUR
    return HttpResponse(f":root {{ --ek-brand: {colour}; }}\n", content_type="text/css")
