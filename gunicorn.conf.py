"""gunicorn settings of the production image (the Dockerfile runs `gunicorn -c gunicorn.conf.py`).

Settings given on the command line override these (e.g. ``--bind 127.0.0.1:8001``).
"""

import os

from gunicorn import glogging

from expertisekaart.log_redaction import RedactSecrets

wsgi_app = "expertisekaart.wsgi"
bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"

_redact_secrets = RedactSecrets()


class RedactingLogger(glogging.Logger):
    """gunicorn's logger, with update-link tokens removed from the access and error logs."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(_redact_secrets)  # the same object: added once, however often set up


logger_class = RedactingLogger
