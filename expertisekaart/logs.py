"""Structured logs for production: one JSON object per line, each with the request's id.

``DJANGO_LOG_JSON`` (on in production) switches Django's log and gunicorn's (gunicorn.conf.py)
to JSON. What is written holds no personal data: no client address, user agent, user name,
query string or request body, and update-link tokens are replaced by "…"
(expertisekaart.log_redaction).
"""

import contextvars
import os
import re
import uuid

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

ON = {"1", "true", "yes", "on"}


def json_logs_on(environ=os.environ) -> bool:
    """DJANGO_LOG_JSON when set, else on unless DJANGO_DEBUG (read by the settings and by
    gunicorn.conf.py, which runs before them)."""
    if value := environ.get("DJANGO_LOG_JSON", "").strip():
        return value.lower() in ON
    return environ.get("DJANGO_DEBUG", "").strip().lower() not in ON


# The id of the request this thread is answering ("-" outside a request).
current_request_id = contextvars.ContextVar("request_id", default="-")
REQUEST_ID_HEADER = "X-Request-ID"
# An id the proxy sent is kept (it then links the proxy's log line with ours) when it looks like
# one: a UUID or hex, nothing that could carry anything else.
ACCEPTED_ID = re.compile(r"^[0-9A-Fa-f-]{16,64}$")


class RequestIdMiddleware:
    """Gives every request an id (the proxy's X-Request-ID or a new one), for the log lines
    written while answering it and in the response's X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if ACCEPTED_ID.match(incoming) else uuid.uuid4().hex
        # Left set after the response: Django logs a 4xx/5xx answer ("Not Found: …") after the
        # middleware has returned; the next request in this thread sets its own.
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter:
    """Puts the current request id on every record (``%(request_id)s``)."""

    def filter(self, record) -> bool:
        record.request_id = current_request_id.get()
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter without Django's ``request`` extra (the HttpRequest: its
    address, cookies and query string) and without the thread and process details."""

    def __init__(self, fmt=None, datefmt="%Y-%m-%dT%H:%M:%S%z", *args, **kwargs):
        fmt = fmt or "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time"])
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level"})
        kwargs.setdefault("timestamp", False)
        super().__init__(fmt, datefmt, *args, **kwargs)


def axes_client_without_personal_data(username, ip_address, user_agent, path_info, request):
    """django-axes' description of a failed login in its log lines: the path only, never the
    user name or address (they are in its database records, which purge_expired removes)."""
    if isinstance(path_info, tuple | list):
        path_info = path_info[0] if path_info else ""
    return f'{{path_info: "{path_info}"}}'


def access_fields(atoms: dict, redact) -> dict:
    """What gunicorn's JSON access line holds: no address, user agent, referer or query string."""
    return {
        "method": atoms.get("m"),
        "path": redact(atoms.get("U") or ""),
        "status": int(atoms.get("s") or 0),
        "bytes": atoms.get("B") or 0,
        "duration_ms": atoms.get("M"),
        "request_id": atoms.get("{x-request-id}o", "-"),
    }
