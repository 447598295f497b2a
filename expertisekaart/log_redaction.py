"""Secrets kept out of the logs: an update link's token is a password written in an address,
and so is the token of a registration's cancellation link (netwerk.network.registrations).

gunicorn's access log (request line, path, referer), its error log and Django's own lines
(``Not Found: /plekken-bijwerken/<token>/``, CSRF failures) would write it whole; the filter
here replaces it by "…". Django's logging uses it from ``settings.LOGGING``; gunicorn's logger in
``gunicorn.conf.py`` adds it to gunicorn's loggers.
"""

import logging
import re

# The update-link view's address (netwerk.urls "place_link") and the cancellation link's
# ("registration_cancel"), with or without a language prefix, wherever they appear: a path, a
# request line, a full URL in a referer.
UPDATE_LINK_TOKEN = re.compile(r"(/plekken-bijwerken/|/agenda/afmelden/)[^/?#\s\"']+")
REDACTED = "…"


def redact_secrets(text: str) -> str:
    return UPDATE_LINK_TOKEN.sub(rf"\g<1>{REDACTED}", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message (and traceback) with every secret replaced; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_secrets(record.exc_text)
        return True
