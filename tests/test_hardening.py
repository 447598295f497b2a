"""Hostile input at the edges: dates at the ends of the calendar, secrets in logs, a silent
database. None of it may give a 500 or hang; the user gets a clear Dutch message."""

import io
import logging
import runpy
import socket
import subprocess
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from netwerk.consultation import opening_hours
from netwerk.consultation.lines import ScheduleException
from netwerk.consultation.opening_hours import Schedule, WeeklyRange
from netwerk.places.update_links import update_link_path
from tests.test_deployment import HEALTH_REQUEST, PRODUCTION_ENV, run_python

ROOT = Path(__file__).resolve().parent.parent
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# --- Dates at the ends of the calendar -----------------------------------------------------------

FAR_MOMENTS = ["9999-12-31T23:59", "0001-01-01T00:00", "1999-12-31T23:59", "2999-01-01T10:00"]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", FAR_MOMENTS)
def test_who_to_call_at_a_moment_far_from_today_gets_a_dutch_message(
    client, office_hours_line, moment
):
    response = client.get(reverse("netwerk:who_to_call"), {"tijdstip": moment})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies een tijdstip tussen 1 januari 2000 en" in html
    assert 'role="alert"' in html


@pytest.mark.django_db
def test_the_message_about_the_moment_is_translated(client, office_hours_line):
    response = client.get("/en/wie-bel-ik-nu/", {"tijdstip": "9999-12-31T23:59"})
    last_year = datetime.now(AMSTERDAM).year + 10
    assert f"Choose a moment between 1 January 2000 and 31 December {last_year}." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_who_to_call_accepts_a_moment_years_ahead(client, office_hours_line):
    moment = (datetime.now(AMSTERDAM) + timedelta(days=5 * 365)).strftime("%Y-%m-%dT10:00")
    response = client.get(reverse("netwerk:who_to_call"), {"tijdstip": moment})
    assert response.status_code == 200
    assert response.context["form"].is_valid()


OFFICE_HOURS = Schedule(ranges=tuple(WeeklyRange(day, time(9), time(17)) for day in range(5)))
EDGES = [
    datetime(1, 1, 1, tzinfo=AMSTERDAM),
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(1, 1, 3, 12, tzinfo=AMSTERDAM),
    datetime(9999, 12, 31, 23, 59, tzinfo=AMSTERDAM),
    datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    datetime(9999, 12, 20, tzinfo=AMSTERDAM),
]


FOREVER = (datetime(1, 1, 1, tzinfo=AMSTERDAM), datetime(9999, 12, 31, 23, 59, tzinfo=AMSTERDAM))
LAST_YEARS = (datetime(9990, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC))


@pytest.mark.parametrize("moment", EDGES, ids=str)
@pytest.mark.parametrize("holiday_rule", list(opening_hours.HolidayRule))
def test_the_engine_answers_at_the_ends_of_the_calendar(moment, holiday_rule):
    day_start, day_end = moment.replace(hour=0, minute=0), moment.replace(hour=23, minute=59)
    schedules = [
        Schedule(ranges=OFFICE_HOURS.ranges, holiday_rule=holiday_rule),
        Schedule(always_open=True),
        Schedule(
            ranges=OFFICE_HOURS.ranges,
            holiday_rule=holiday_rule,
            exceptions=(
                opening_hours.ScheduleException(*FOREVER, is_open=False),
                opening_hours.ScheduleException(*LAST_YEARS, is_open=True),
            ),
        ),
    ]
    for schedule in schedules:
        status = opening_hours.status_at(schedule, moment)
        assert isinstance(opening_hours.describe(status, moment), str)
        opening_hours.open_intervals(schedule, day_start, moment)
        opening_hours.open_intervals(schedule, moment, day_end)
    assert opening_hours.status_at(schedules[1], moment).is_open


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (datetime(1, 1, 1, tzinfo=AMSTERDAM), datetime(1, 1, 2, tzinfo=AMSTERDAM)),
        (datetime(1, 1, 1, tzinfo=AMSTERDAM), datetime(9999, 12, 31, 23, 59, tzinfo=AMSTERDAM)),
        (datetime(9999, 12, 30, tzinfo=AMSTERDAM), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)),
    ],
)
def test_exceptions_at_the_ends_of_the_calendar_do_not_break_today(starts, ends):
    tuesday_morning = datetime(2026, 11, 24, 10, tzinfo=AMSTERDAM)
    for is_open in (True, False):
        exception = opening_hours.ScheduleException(starts, ends, is_open)
        schedule = Schedule(ranges=OFFICE_HOURS.ranges, exceptions=(exception,))
        status = opening_hours.status_at(schedule, tuesday_morning)
        covers_today = starts.year == 1 and ends.year == 9999
        assert status.is_open == (is_open if covers_today else True)
        week = opening_hours.open_intervals(
            schedule, tuesday_morning, tuesday_morning + timedelta(days=7)
        )
        assert week or (covers_today and not is_open)


def test_an_exception_ending_before_it_starts_is_still_refused_at_the_edges():
    with pytest.raises(ValueError, match="end after it starts"):
        opening_hours.ScheduleException(
            datetime(1, 1, 2, tzinfo=AMSTERDAM), datetime(1, 1, 1, tzinfo=AMSTERDAM), False
        )


def line_form_data(line, exception_starts, exception_ends):
    rows = line.schedule_rows.order_by("weekday")
    data = {
        "organisation": line.organisation_id,
        "name": line.name,
        "phone": "030 123 4567",
        "purpose": line.purpose,
        "audience": line.audience,
        "is_active": "on",
        "holiday_rule": line.holiday_rule,
        "schedule_rows-TOTAL_FORMS": len(rows),
        "schedule_rows-INITIAL_FORMS": len(rows),
        "exceptions-TOTAL_FORMS": 1,
        "exceptions-INITIAL_FORMS": 0,
        "exceptions-0-starts_at_0": exception_starts[0],
        "exceptions-0-starts_at_1": exception_starts[1],
        "exceptions-0-ends_at_0": exception_ends[0],
        "exceptions-0-ends_at_1": exception_ends[1],
        "exceptions-0-reason": "Storing",
    }
    for index, row in enumerate(rows):
        data |= {
            f"schedule_rows-{index}-id": row.pk,
            f"schedule_rows-{index}-line": line.pk,
            f"schedule_rows-{index}-weekday": row.weekday,
            f"schedule_rows-{index}-opens_at": f"{row.opens_at:%H:%M}",
            f"schedule_rows-{index}-closes_at": f"{row.closes_at:%H:%M}",
        }
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (("01-01-0001", "00:00"), ("02-01-0001", "00:00")),
        (("31-12-9999", "00:00"), ("31-12-9999", "23:59")),
        (("01-01-1999", "00:00"), ("02-01-1999", "00:00")),
    ],
)
def test_an_exception_far_from_today_is_refused_in_the_admin_with_a_dutch_message(
    admin_client, office_hours_line, starts, ends
):
    url = reverse("admin:netwerk_consultationline_change", args=[office_hours_line.pk])
    response = admin_client.post(url, line_form_data(office_hours_line, starts, ends))
    assert response.status_code == 200
    assert "Kies een datum tussen 1 januari 2000 en" in response.content.decode()
    assert not office_hours_line.exceptions.exists()


@pytest.mark.django_db
def test_an_exception_a_year_ahead_is_saved_through_the_admin(admin_client, office_hours_line):
    next_year = datetime.now(AMSTERDAM).year + 1
    url = reverse("admin:netwerk_consultationline_change", args=[office_hours_line.pk])
    data = line_form_data(
        office_hours_line, (f"24-12-{next_year}", "17:00"), (f"27-12-{next_year}", "09:00")
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert office_hours_line.exceptions.count() == 1


@pytest.mark.django_db
def test_the_admin_preview_survives_an_exception_stored_at_the_ends_of_the_calendar(
    admin_client, office_hours_line
):
    """Rows written before the validation existed (or by hand) must not take the page down."""
    ScheduleException.objects.bulk_create(
        [
            ScheduleException(
                line=office_hours_line,
                starts_at=datetime(1, 1, 1, 1, tzinfo=UTC),
                ends_at=datetime(1, 1, 2, tzinfo=UTC),
            ),
            ScheduleException(
                line=office_hours_line,
                starts_at=datetime(9999, 12, 30, tzinfo=UTC),
                ends_at=datetime(9999, 12, 31, tzinfo=UTC),
                is_open=True,
            ),
        ]
    )
    url = reverse("admin:netwerk_consultationline_change", args=[office_hours_line.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "De komende 7 dagen" in response.content.decode()
    assert admin_client.get(reverse("netwerk:who_to_call")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("expected_on", ["9999-12-31", "0001-01-01", "31-12-9999", "2026-02-30"])
def test_an_expected_date_at_the_ends_of_the_calendar_never_gives_an_error(
    client, update_link, hospice, expected_on
):
    place = hospice.places.get()
    response = client.post(
        update_link_path(update_link.token),
        {
            "plek": place.pk,
            f"plek-{place.pk}-beschikbaarheid": "full",
            f"plek-{place.pk}-verwacht_op": expected_on,
        },
        follow=True,
    )
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        html = response.content.decode()
        assert "Vul een datum in" in html or "Kies een datum vanaf vandaag" in html
    for page in [
        reverse("netwerk:organisation", args=[hospice.slug]),
        reverse("netwerk:place_finder") + "?achtergrond=psychiatrie",
        reverse("netwerk:search"),
    ]:
        assert client.get(page).status_code == 200


# --- Update-link tokens stay out of the logs -----------------------------------------------------

TOKEN = "Xq3v9-Secret_Token-0123456789abcdefghijklmnop"


def gunicorn_logger(access_log_format):
    """The logger class that gunicorn.conf.py hands to gunicorn, set up as gunicorn does."""
    from gunicorn.config import Config

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", access_log_format)
    return settings["logger_class"](config)


def test_gunicorn_access_log_never_contains_an_update_link_token():
    logger = gunicorn_logger('%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s "%({referer}i)s"')
    output = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(output)
    path = f"/en/plekken-bijwerken/{TOKEN}/"
    referer = f"https://kaart.example.org/plekken-bijwerken/{TOKEN}/#plek-1"
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"{path}?next={path}",
        "PATH_INFO": path,
        "QUERY_STRING": f"next={path}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
    }
    request = SimpleNamespace(headers=[("REFERER", referer)])
    response = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", path)])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    line = output.getvalue()
    assert line.startswith('127.0.0.1 "POST /en/plekken-bijwerken/…/?next=/en/plekken-bijwerken/…/')
    assert "https://kaart.example.org/plekken-bijwerken/…/#plek-1" in line
    assert TOKEN not in line


def test_gunicorn_error_log_never_contains_an_update_link_token():
    logger = gunicorn_logger("%(r)s")
    output = io.StringIO()
    for handler in logger.error_log.handlers:
        handler.setStream(output)
    logger.error("Error handling request %s", f"/plekken-bijwerken/{TOKEN}/")
    assert "Error handling request /plekken-bijwerken/…/" in output.getvalue()
    assert TOKEN not in output.getvalue()


@pytest.fixture
def django_log():
    """What Django's configured console handler (settings.LOGGING) writes."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    output = io.StringIO()
    previous = handler.setStream(output)
    yield output
    handler.setStream(previous)


@pytest.mark.django_db
def test_django_logs_a_404_or_a_csrf_failure_on_an_update_link_without_the_token(
    update_link, django_log
):
    path = update_link_path(update_link.token)
    assert Client().post(path, {"plek": "999999"}).status_code == 404
    assert Client(enforce_csrf_checks=True).post(path, {"plek": "1"}).status_code == 403
    log = django_log.getvalue()
    assert "Not Found: /plekken-bijwerken/…/" in log
    assert "Forbidden (CSRF cookie not set.): /plekken-bijwerken/…/" in log
    assert update_link.token not in log


# --- A database that does not answer -------------------------------------------------------------


@pytest.fixture
def silent_database():
    """A port on 127.0.0.1 that accepts connections (the kernel does) but never answers."""
    with socket.create_server(("127.0.0.1", 0), backlog=16) as server:
        yield server.getsockname()[1]


# The request alone is timed, inside the process: starting Python and Django is not the point.
TIMED_HEALTH_REQUEST = (
    "import time;"
    + HEALTH_REQUEST.replace("r = Client()", "started = time.monotonic(); r = Client()")
    + ";print(round(time.monotonic() - started, 1))"
)


def test_health_check_answers_503_quickly_when_the_database_never_answers(silent_database):
    result = run_python(
        TIMED_HEALTH_REQUEST,
        **PRODUCTION_ENV,
        DATABASE_URL=f"postgres://expertisekaart:secret@127.0.0.1:{silent_database}/kaart",
        DATABASE_CONNECT_TIMEOUT="1",  # libpq's shortest: it waits 2 s
        timeout=60,
    )
    answer, seconds = result.stdout.strip().splitlines()
    assert answer == "503 database unavailable", result.stderr
    assert float(seconds) < 10  # a hanging connection would wait for the statement timeout


def database_run(code: str, **env) -> subprocess.CompletedProcess:
    """``code`` in a fresh process, with production settings, on this test run's database."""
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
    url += f"{settings['PORT'] or 5432}/{settings['NAME']}"
    return run_python(code, **PRODUCTION_ENV, DATABASE_URL=url, **env)


SHOW_STATEMENT_TIMEOUT = (
    "from django.db import connection;"
    "cursor = connection.cursor(); cursor.execute('SHOW statement_timeout');"
    "print(cursor.fetchone()[0])"
)


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_web_requests_get_a_statement_timeout_and_commands_do_not():
    web = database_run("import expertisekaart.wsgi;" + SHOW_STATEMENT_TIMEOUT)
    assert web.stdout.strip() == "30s", web.stderr
    command = database_run("import django; django.setup();" + SHOW_STATEMENT_TIMEOUT)
    assert command.stdout.strip() == "0", command.stderr
    configured = database_run(
        "import expertisekaart.wsgi;" + SHOW_STATEMENT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT_MS="1500"
    )
    assert configured.stdout.strip() == "1500ms", configured.stderr


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_query_longer_than_the_statement_timeout_fails_quickly():
    result = database_run(
        "import time; import expertisekaart.wsgi; from django.db import connection, DatabaseError;"
        "started = time.monotonic()\n"
        "try:\n"
        "    connection.cursor().execute('SELECT pg_sleep(10)')\n"
        "except DatabaseError as error:\n"
        "    print(type(error).__name__, round(time.monotonic() - started))\n",
        DATABASE_STATEMENT_TIMEOUT_MS="300",
        timeout=30,
    )
    assert result.stdout.strip() == "OperationalError 0", result.stderr
