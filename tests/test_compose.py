"""compose.yaml, the production shape, kept valid without a Docker engine: its services, the
order they start in, and every variable it gives the app checked against what the code reads."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APPS = ["app1", "app2"]
APP_SERVICES = ["release", *APPS]
REQUIRED = {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"}
# Where the app reads its environment: the settings, gunicorn's config, the WSGI entry point.
READERS = ["expertisekaart/settings.py", "expertisekaart/logs.py", "gunicorn.conf.py"]
READERS += ["expertisekaart/wsgi.py"]
READ = re.compile(
    r"""(?:environ\.get|environ\[|envbool|envint|envlist)\(?\s*["']([A-Z][A-Z0-9_]*)"""
)


def variables_the_app_reads() -> set[str]:
    return {name for path in READERS for name in READ.findall((ROOT / path).read_text())}


def depends_on(service: str) -> dict[str, str]:
    return {name: rule["condition"] for name, rule in SERVICES[service]["depends_on"].items()}


def test_the_reader_of_the_settings_finds_what_they_read():
    read = variables_the_app_reads()
    assert {"DJANGO_SECRET_KEY", "REDIS_URL", "DATABASE_URL", "WEB_CONCURRENCY"} <= read
    assert "DATABASE_STATEMENT_TIMEOUT_MS" in read


def test_it_has_two_apps_postgres_redis_a_proxy_and_a_release_step():
    assert set(SERVICES) == {"postgres", "redis", "release", "app1", "app2", "caddy"}
    assert SERVICES["postgres"]["image"].startswith("postgres:15")
    assert SERVICES["redis"]["image"].startswith("redis:")
    assert SERVICES["caddy"]["image"].startswith("caddy:")


@pytest.mark.parametrize("service", APP_SERVICES)
def test_the_app_services_are_built_from_the_dockerfile(service):
    build = SERVICES[service]["build"]
    assert (ROOT / build["context"] / build["dockerfile"]).resolve() == ROOT / "Dockerfile"
    assert SERVICES[service]["image"] == SERVICES["app1"]["image"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_variable_given_to_the_app_is_one_it_reads(service):
    environment = set(SERVICES[service]["environment"]) - {"LOAD_DEMO_DATA"}
    assert environment <= variables_the_app_reads(), environment - variables_the_app_reads()
    assert environment >= REQUIRED


def test_the_database_and_redis_addresses_name_the_compose_services():
    environment = SERVICES["app1"]["environment"]
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert ":?" in environment["DJANGO_SECRET_KEY"], "up must refuse to start without a secret"


def test_migrations_and_reference_data_run_once_before_the_apps():
    command = " ".join(SERVICES["release"]["command"])
    assert "manage.py migrate" in command
    assert "manage.py load_reference_data" in command
    assert SERVICES["release"]["restart"] == "no"
    assert depends_on("release") == {"postgres": "service_healthy"}
    for app in APPS:
        assert "command" not in SERVICES[app], "the image's gunicorn, no migrations per container"
        assert depends_on(app) == {
            "release": "service_completed_successfully",
            "postgres": "service_healthy",
            "redis": "service_healthy",
        }


def test_the_demo_data_is_loaded_only_on_request():
    assert SERVICES["release"]["environment"]["LOAD_DEMO_DATA"] == "${LOAD_DEMO_DATA:-0}"
    command = " ".join(SERVICES["release"]["command"])
    assert 'if [ "$$LOAD_DEMO_DATA" = "1" ]; then python manage.py load_demo_data; fi' in command


def test_the_proxy_terminates_tls_and_passes_the_visitors_address_to_both_apps():
    caddy = SERVICES["caddy"]
    assert "443:443" in caddy["ports"]
    assert depends_on("caddy") == {app: "service_healthy" for app in APPS}
    mount = next(
        volume for volume in caddy["volumes"] if volume.endswith("/etc/caddy/Caddyfile:ro")
    )
    caddyfile = (ROOT / mount.split(":")[0]).read_text()
    assert re.search(r"reverse_proxy app1:8000 app2:8000", caddyfile)
    header = re.search(r"header_up (\S+) \{remote_host\}", caddyfile).group(1)
    meta_key = "HTTP_" + header.upper().replace("-", "_")
    assert SERVICES["app1"]["environment"]["DJANGO_CLIENT_IP_HEADER"] == meta_key


def test_postgres_and_redis_say_when_they_are_ready():
    assert "pg_isready" in " ".join(SERVICES["postgres"]["healthcheck"]["test"])
    assert "ping" in SERVICES["redis"]["healthcheck"]["test"]
    assert "postgres-data" in COMPOSE["volumes"]
