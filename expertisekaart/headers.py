"""Response headers that Django's SecurityMiddleware and django-csp do not set on their own.

* ``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``): browser features no page uses are
  refused, to the page and to anything it frames.
* Pages for a signed-in user may show what visitors may not see (professional-only numbers,
  contacts, the user's name in the header), so they are ``Cache-Control: private``; every
  response that does not say ``public`` also varies on ``Cookie``. A shared cache (a proxy, a
  CDN) therefore never hands a professional's page to a visitor.
* Framing is governed by CSP ``frame-ancestors`` alone (``DJANGO_FRAME_ANCESTORS`` lets the
  network's own website embed the public pages); no ``X-Frame-Options``, which would overrule
  it. The admin and the sign-in pages are never framed: ``frame-ancestors 'none'``.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

# Views whose pages no other site may frame (clickjacking of sign-in and admin forms).
UNFRAMEABLE_NAMESPACES = {"admin"}
UNFRAMEABLE_URL_NAMES = {"login", "logout"}


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        keep_out_of_shared_caches(request, response)
        return response


def keep_out_of_shared_caches(request, response) -> None:
    directives = cache_directives(response)
    if "public" in directives:  # the view says the response is the same for everyone
        return
    patch_vary_headers(response, ["Cookie"])
    if directives & {"private", "no-store"}:
        return
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        patch_cache_control(response, private=True)


def cache_directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.split("=", 1)[0].strip().lower() for part in header.split(",") if part.strip()}


def may_be_framed(request) -> bool:
    match = request.resolver_match
    if match is None:
        return True
    return not (
        UNFRAMEABLE_NAMESPACES & set(match.namespaces) or match.url_name in UNFRAMEABLE_URL_NAMES
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``frame-ancestors 'none'`` where :func:`may_be_framed` says no.

    Extends ``get_policy_parts``, the hook django-csp documents for per-request policies.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not may_be_framed(request):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'none'"]}
        return parts
