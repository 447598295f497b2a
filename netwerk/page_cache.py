"""Cached page bodies: the part of a public page that is the same for everyone asking the same
question in the same language (and, where it matters, role), kept until the published data
changes (`netwerk.data_version`) or the page says it stops being true. The layout around a body
(header, login state, CSRF tokens) is rendered per request and is never cached."""

import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.cache import cache

from netwerk.data_version import public_data_version

MAX_SECONDS = 300  # availability and opening hours move with time, not only with the data


def sorted_query(request) -> str:
    """The question asked, whatever the order of its parameters and values."""
    return urlencode(sorted((name, sorted(values)) for name, values in request.GET.lists()), True)


def role_of(request) -> str:
    """What changes what a page may show: professionals see lines meant only for them."""
    return "professional" if request.user.is_authenticated else "public"


def cached_body(
    name: str, request, render: Callable[[], tuple[str, int]], *, per_role: bool = False
) -> str:
    """The body `render()` makes (with the seconds it stays true), from the cache when the same
    question was asked since the data last changed."""
    parts = [name, public_data_version(), request.LANGUAGE_CODE, sorted_query(request)]
    if per_role:
        parts.append(role_of(request))
    key = "netwerk:page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body, seconds = render()
        cache.set(key, body, min(seconds, MAX_SECONDS))
    return body
