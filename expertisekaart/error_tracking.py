"""The optional error tracker: Sentry's SDK (or a compatible service) when SENTRY_DSN is set.

Nothing personal is sent: no cookies, user, address or headers Sentry counts as personal
(``send_default_pii``), no request bodies (a reporter's e-mail address is in one), no local
variables, and update-link tokens are taken out of whatever text an event carries.
"""

import json

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from expertisekaart.log_redaction import redact_secrets


def error_tracking_start(dsn: str, *, environment: str = "") -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0,
        before_send=event_without_secrets,
        before_breadcrumb=breadcrumb_without_secrets,
    )


def event_without_secrets(event: dict, _hint=None) -> dict:
    """The event with every update-link token replaced by "…", wherever it is written; the query
    string and the request's headers left out (a search text may name a person)."""
    request = event.get("request") or {}
    for key in ("query_string", "headers", "cookies", "data", "env"):
        request.pop(key, None)
    return json.loads(redact_secrets(json.dumps(event, default=str)))


def breadcrumb_without_secrets(crumb: dict, _hint=None) -> dict:
    return json.loads(redact_secrets(json.dumps(crumb, default=str)))
