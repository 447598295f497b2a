"""Static pages and the theme stylesheet that follows the network's brand settings."""

import re

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
DEFAULT_BRAND_COLOUR = "#00567a"


@require_safe
def privacy(request):
    """The privacy statement; what it says about cookies and retention follows the settings."""
    return render(
        request,
        "pages/privacy.html",
        {
            "cookies": cookies(),
            "login_records_days": settings.LOGIN_RECORDS_RETENTION_DAYS,
            "error_report_email_days": settings.ERROR_REPORT_EMAIL_RETENTION_DAYS,
            "registration_days": settings.EVENT_REGISTRATION_RETENTION_DAYS,
            "tile_server": settings.TILE_URL.split("://", 1)[-1].split("/", 1)[0],
        },
    )


def cookies() -> list[dict]:
    """Every cookie the site sets (tests/test_privacy.py finds them by real requests)."""
    until_closed = _("tot u de browser sluit")
    rows = [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": _("Houdt u ingelogd. Wordt verwijderd als u uitlogt."),
            "who": _("Wie inlogt"),
            "lifetime": until_closed
            if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
            else lifetime(settings.SESSION_COOKIE_AGE),
        },
        {
            "name": settings.LANGUAGE_COOKIE_NAME,
            "purpose": _("Onthoudt de taal die u kiest."),
            "who": _("Wie een andere taal kiest"),
            "lifetime": lifetime(settings.LANGUAGE_COOKIE_AGE) or until_closed,
        },
        {
            "name": "messages",  # django.contrib.messages' cookie storage
            "purpose": _(
                "Toont één bevestiging op de volgende pagina, zoals “Dank u wel” na een "
                "foutmelding, en verdwijnt zodra die getoond is."
            ),
            "who": _("Wie een formulier verstuurt, zoals een foutmelding"),
            "lifetime": _("tot de volgende pagina, uiterlijk tot u de browser sluit"),
        },
    ]
    if not settings.CSRF_USE_SESSIONS:
        rows.insert(
            0,
            {
                "name": settings.CSRF_COOKIE_NAME,
                "purpose": _(
                    "Beveiliging van formulieren (zoals de taalkeuze, een foutmelding en "
                    "inloggen): voorkomt dat een andere website namens u een formulier verstuurt. "
                    "Bevat geen gegevens over u."
                ),
                "who": _("Iedere bezoeker"),
                "lifetime": lifetime(settings.CSRF_COOKIE_AGE),
            },
        )
    return rows


def lifetime(seconds: int | None) -> str:
    """A cookie's age in words: "1 jaar", "2 weken", "3 dagen"; empty for a session cookie."""
    if not seconds:
        return ""
    days = round(seconds / 86400)
    if days >= 364:
        years = round(days / 365)
        return ngettext("%(count)d jaar", "%(count)d jaar", years) % {"count": years}
    if days % 7 == 0:
        weeks = days // 7
        return ngettext("%(count)d week", "%(count)d weken", weeks) % {"count": weeks}
    return ngettext("%(count)d dag", "%(count)d dagen", days) % {"count": days}


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
