"""Health check, production settings and the deploy checklist, each in a real process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7!k2p-production-like-secret-key-with-enough-length-and-variety-9Qz",
    "DJANGO_ALLOWED_HOSTS": "expertisekaart.example.org",
}


def run_python(code: str, timeout: float = 120, **env) -> subprocess.CompletedProcess:
    """``code`` in a fresh Python process, with the environment's DJANGO_ settings replaced."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= {"DJANGO_SETTINGS_MODULE": "expertisekaart.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python("import django; django.setup()", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_deploy_checklist_is_clean_with_production_settings():
    result = run_python(
        "from django.core.management import execute_from_command_line as run;"
        "run(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


HEALTH_REQUEST = (
    "import django; django.setup();"
    "from django.test import Client;"
    "r = Client().get('/healthz', HTTP_HOST='expertisekaart.example.org', secure=True);"
    "print(r.status_code, r.content.decode().strip())"
)


def test_health_check_answers_503_when_the_database_does_not():
    result = run_python(
        HEALTH_REQUEST, **PRODUCTION_ENV, DATABASE_URL="sqlite:////nonexistent-folder/db.sqlite3"
    )
    assert result.stdout.strip() == "503 database unavailable", result.stderr


@pytest.mark.django_db
def test_health_check_answers_200_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
