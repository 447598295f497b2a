"""Production logs: JSON lines with the request's id, without personal data or update-link
tokens; and the optional error tracker (Sentry's SDK), off unless SENTRY_DSN is set."""

import io
import json
import logging

import pytest
from django.contrib.auth.models import User

from expertisekaart.error_tracking import event_without_secrets
from expertisekaart.log_redaction import RedactSecrets
from expertisekaart.logs import JsonFormatter, RequestIdFilter
from tests.redis_servers import free_port
from tests.test_deployment import PRODUCTION_ENV, run_python
from tests.test_security_headers import FAKE_TOKEN


@pytest.fixture
def json_log():
    """The root logger writing as production does (settings.LOGGING with DJANGO_LOG_JSON)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets())
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_log_line_is_json_with_the_id_the_response_carries(client, json_log):
    response = client.get(f"/plekken-bijwerken/{FAKE_TOKEN}/?postcode=3511")
    assert response.status_code == 404
    [line] = [line for line in json_log() if line["name"] == "django.request"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["message"] == "Not Found: /plekken-bijwerken/…/"
    assert line["level"] == "WARNING"
    assert "request" not in line, "Django's request object (address, cookies) is left out"
    assert FAKE_TOKEN not in json.dumps(json_log())


@pytest.mark.django_db
def test_every_request_gets_its_own_id(client):
    first, second = client.get("/privacy/"), client.get("/privacy/")
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "kept"),
    [("0f8fad5b-d9cb-469f-a165-70867728950e", True), ("jan.jansen@example.org", False)],
)
def test_the_proxys_request_id_is_kept_only_when_it_looks_like_one(client, sent, kept):
    response = client.get("/privacy/", HTTP_X_REQUEST_ID=sent)
    assert (response["X-Request-ID"] == sent) is kept


@pytest.mark.django_db
def test_a_failed_login_is_logged_without_the_user_name_or_address(client, json_log):
    User.objects.create_user("coordinator", password="een-lang-wachtwoord-42", is_staff=True)
    for _attempt in range(5):
        client.post("/beheer/login/", {"username": "coordinator", "password": "geraden"})
    written = json.dumps(json_log())
    assert "AXES: Locking out" in written
    assert "coordinator" not in written
    assert "127.0.0.1" not in written


def test_the_error_tracker_is_off_by_default():
    result = run_python(
        "import django; django.setup(); import sentry_sdk;"
        "print(sentry_sdk.get_client().is_active())",
        **PRODUCTION_ENV,
    )
    assert result.stdout.strip() == "False", result.stderr


def test_the_error_tracker_is_configured_from_sentry_dsn_without_personal_data():
    # A DSN on a closed local port: nothing could leave the machine.
    dsn = f"http://public@127.0.0.1:{free_port()}/1"
    result = run_python(
        "import django, json; django.setup(); import sentry_sdk;"
        "o = sentry_sdk.get_client().options;"
        "print(json.dumps([sentry_sdk.get_client().is_active(), o['dsn'], o['send_default_pii'],"
        " o['max_request_body_size'], o['include_local_variables'], o['environment']]))",
        **PRODUCTION_ENV,
        SENTRY_DSN=dsn,
        SENTRY_ENVIRONMENT="acceptatie",
    )
    assert json.loads(result.stdout) == [True, dsn, False, "never", False, "acceptatie"], (
        result.stderr
    )


def test_an_error_event_loses_its_tokens_query_and_request_details():
    event = {
        "request": {
            "url": f"https://kaart.example.org/plekken-bijwerken/{FAKE_TOKEN}/",
            "query_string": "q=Jan+Jansen",
            "headers": {"User-Agent": "Firefox", "X-Real-Ip": "192.0.2.7"},
            "data": {"email": "jan@example.org"},
        },
        "exception": {"values": [{"value": f"No place for /agenda/afmelden/{FAKE_TOKEN}/"}]},
    }
    cleaned = event_without_secrets(event)
    assert FAKE_TOKEN not in json.dumps(cleaned)
    assert cleaned["request"] == {"url": "https://kaart.example.org/plekken-bijwerken/…/"}
    assert cleaned["exception"]["values"][0]["value"] == "No place for /agenda/afmelden/…/"
