"""Cached page bodies: the part of a public page that is the same for everyone asking the same
question in the same language (and, where it matters, role), kept until the published data
changes (`netwerk.search.data_version`) or the page says it stops being true. The layout around
a body (header, login state, CSRF tokens) is rendered per request and is never cached."""

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.utils import timezone

from netwerk.search.data_version import versioned_cache_key

MAX_SECONDS = 300  # availability and opening hours move with time, not only with the data


def seconds_until_midnight(now: datetime) -> int:
    """Texts like "open tot morgen 08:00" change meaning at local midnight."""
    local = timezone.localtime(now)
    midnight = datetime.combine(local.date() + timedelta(days=1), time.min, local.tzinfo)
    return max(1, int((midnight - local).total_seconds()))


def role_of(request) -> str:
    """What changes what a page may show: professionals see lines meant only for them."""
    return "professional" if request.user.is_authenticated else "public"


def cached_body(
    name: str,
    request,
    render: Callable[[], tuple[str, int]],
    *,
    question: str = "",
    per_role: bool = False,
) -> str:
    """The body `render()` makes (with the seconds it stays true), from the cache when the same
    question (the parameters the page reads, in a fixed order) was asked since the data last
    changed. Only what the page reads goes into the key, so made-up parameters cannot fill the
    cache."""
    parts = [name, request.LANGUAGE_CODE, question]
    if per_role:
        parts.append(role_of(request))
    key = versioned_cache_key("page", *parts)
    body = cache.get(key)
    if body is None:
        body, seconds = render()
        cache.set(key, body, min(seconds, seconds_until_midnight(timezone.now()), MAX_SECONDS))
    return body
