"""The embeddable mode (`?embed=1`): a public page inside an iframe on the network's own website.

An embedded page is the page without the site's header and footer (templates/base.html). What
keeps it embedded is here, in one place, rather than in every link of every template: the
:func:`embeddable` decorator rewrites the HTML of an embedded response so that

* every link and form to an embeddable page keeps ``embed=1`` (GET forms by a hidden field,
  POST forms and links in their address), and so does a redirect to one;
* every other link (the privacy statement, sign-in, downloads, other websites) opens in the top
  window (``target="_top"``), so the visitor leaves the frame for the full site instead of
  seeing the full site squeezed inside it.

Cached page bodies are shared between embedded and full pages: the rewrite runs on the finished
response, after the cache (netwerk.search.page_cache), so a cached body can never drop the
parameter. Links made by scripts (map popups) follow the same rule in static/js/map.js.

The templates write attributes in double quotes, which is what the rewrite relies on.
"""

import re
from functools import wraps
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.urls import Resolver404, resolve
from django.utils.html import escape

EMBED = "embed"
EMBEDDABLE_PAGES = {
    "netwerk:home",
    "netwerk:search",
    "netwerk:organisation",
    "netwerk:error_report",
    "netwerk:who_to_call",
    "netwerk:place_finder",
    "netwerk:coverage",
}

_TAG = re.compile(r"<(a|form)\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = r'\s{name}="([^"]*)"'


def is_embedded(request) -> bool:
    return request.GET.get(EMBED) == "1"


def embeddable(view):
    """Keep an embedded page embedded: see the module docstring."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not is_embedded(request):
            return response
        if response.has_header("Location") and stays_in_frame(response["Location"]):
            response["Location"] = with_embed(response["Location"])
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            response.content = embedded_html(response.content.decode(response.charset)).encode(
                response.charset
            )
        return response

    return wrapper


def stays_in_frame(url: str) -> bool:
    """Whether a link to `url` belongs inside the frame: a page of ours that may be embedded
    (a query or fragment alone means the page itself)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return False
    if not parts.path:
        return True
    try:
        match = resolve(parts.path)
    except Resolver404:
        return False
    return match.view_name in EMBEDDABLE_PAGES


def with_embed(url: str) -> str:
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)]
    if (EMBED, "1") not in query:
        query = [(name, value) for name, value in query if name != EMBED] + [(EMBED, "1")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def embedded_html(html: str) -> str:
    return _TAG.sub(lambda match: _embedded_tag(match.group(0), match.group(1).lower()), html)


def _attribute(tag: str, name: str) -> re.Match | None:
    return re.search(_ATTRIBUTE.format(name=name), tag)


def _embedded_tag(tag: str, name: str) -> str:
    if name == "a":
        return _embedded_link(tag)
    return _embedded_form(tag)


def _embedded_link(tag: str) -> str:
    href = _attribute(tag, "href")
    if href is None:
        return tag
    url = unescape(href.group(1))
    if url.startswith(("#", "tel:", "mailto:")):
        return tag
    if stays_in_frame(url):
        if url.startswith("#"):
            return tag
        return tag[: href.start(1)] + escape(with_embed(url)) + tag[href.end(1) :]
    if _attribute(tag, "target") is not None:
        return tag
    return tag[:-1] + ' target="_top">'


def _embedded_form(tag: str) -> str:
    action = _attribute(tag, "action")
    url = unescape(action.group(1)) if action else ""
    if not stays_in_frame(url):
        return tag if _attribute(tag, "target") else tag[:-1] + ' target="_top">'
    method = _attribute(tag, "method")
    if method is not None and method.group(1).lower() == "post":
        if action is None:
            return tag[:-1] + f' action="?{EMBED}=1">'
        return tag[: action.start(1)] + escape(with_embed(url)) + tag[action.end(1) :]
    # A GET form replaces its action's query with its fields: the parameter rides as a field.
    return tag + f'<input type="hidden" name="{EMBED}" value="1">'
