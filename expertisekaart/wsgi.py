import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expertisekaart.settings")
# Web requests, and only they, stop a query after 30 s by default (PostgreSQL); see settings.py.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "30000")

application = get_wsgi_application()
