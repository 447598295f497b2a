"""gunicorn settings of the production image (the Dockerfile runs `gunicorn -c gunicorn.conf.py`).

Settings given on the command line override these (e.g. ``--bind 127.0.0.1:8001``).
"""

import os

from gunicorn import glogging

from expertisekaart.log_redaction import RedactSecrets, redact_secrets
from expertisekaart.logs import JsonFormatter, access_fields, json_logs_on

wsgi_app = "expertisekaart.wsgi"
bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"

_redact_secrets = RedactSecrets()
_json_logs = json_logs_on()


class RedactingLogger(glogging.Logger):
    """gunicorn's logger, with update-link tokens removed from the access and error logs; with
    DJANGO_LOG_JSON (on in production) one JSON object per line, the access line without the
    visitor's address, user agent, referer or query string."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(_redact_secrets)  # the same object: added once, however often set up
            for handler in log.handlers if _json_logs else ():
                handler.setFormatter(
                    JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
                )

    def access(self, resp, req, environ, request_time):
        if not _json_logs:
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return None
        atoms = self.atoms(resp, req, environ, request_time)
        self.access_log.info("request", extra=access_fields(atoms, redact_secrets))
        return None


logger_class = RedactingLogger
