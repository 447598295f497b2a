"""The agenda: list and filters, an event's page, registration with a waiting list and
cancellation through the signed link in the e-mail, retention, and the iCalendar feeds."""

import re
from datetime import datetime, timedelta

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream

from expertisekaart.log_redaction import redact_secrets
from netwerk.network.events import Event, EventKind, RegistrationMode
from netwerk.network.registrations import (
    Registration,
    RegistrationStatus,
    cancel_token,
    registrations_purge,
)
from netwerk.reference.expertise import ExpertiseTag

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 14) -> datetime:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def make_event(hospice):
    def make(title="Scholing psychiatrie", days=14, **fields) -> Event:
        defaults = {
            "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
            "kind": EventKind.TRAINING,
            "starts_at": at(days),
            "ends_at": at(days, 16),
            "organiser": hospice,
            "location": hospice.locations.first(),
            "registration_mode": RegistrationMode.BUILT_IN,
        }
        return Event.objects.create(title=title, **(defaults | fields))

    return make


@pytest.fixture
def training(make_event):
    return make_event(capacity=2)


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """A POST whose commit callbacks (the mails) run, as they would after a real commit."""

    def send(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return send


@pytest.fixture
def register(post):
    def send(event, name="Anna de Vries", email="anna@example.org", **extra):
        data = {"name": name, "email": email, "organisation_name": "Hospice", **extra}
        return post(event.get_absolute_url(), data)

    return send


def cancel_link_in(message) -> str:
    return re.search(r"https?://\S+/agenda/afmelden/\S+/", message.body).group(0)


# --- The list. ------------------------------------------------------------------------------------


def test_the_agenda_lists_coming_events_and_past_ones_as_eerder(client, make_event):
    make_event("Scholing komend", days=7)
    make_event("Overleg voorbij", days=-7)
    response = client.get(reverse("netwerk:agenda"))
    assert response.status_code == 200
    assert [e.title for e in response.context["events"]] == ["Scholing komend"]
    assert [e.title for e in response.context["past_events"]] == ["Overleg voorbij"]
    assert "eerder" in response.content.decode()


def test_case_discussions_for_professionals_are_hidden_from_the_public(
    client, professional, make_event
):
    secret = make_event("Casus besproken", kind=EventKind.CASE_DISCUSSION, professionals_only=True)
    assert "Casus besproken" not in client.get(reverse("netwerk:agenda")).content.decode()
    assert client.get(secret.get_absolute_url()).status_code == 404
    feed = client.get(reverse("netwerk:agenda_feed")).content.decode()
    assert "Casus besproken" not in feed
    client.force_login(professional)
    assert "Casus besproken" in client.get(reverse("netwerk:agenda")).content.decode()
    assert client.get(secret.get_absolute_url()).status_code == 200


def test_an_unpublished_event_or_organiser_is_not_shown(client, make_event, hospice):
    hidden = make_event("Verborgen", is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    shown = make_event("Zichtbaar")
    hospice.is_published = False
    hospice.save()
    assert client.get(shown.get_absolute_url()).status_code == 404


def test_the_filters_narrow_the_list(client, make_event, region, amsterdam_organisation):
    tag = ExpertiseTag.objects.create(name="Verslaving", slug="verslaving", category="addiction")
    training = make_event("Scholing verslaving", days=40)
    training.expertise.add(tag)
    make_event("PaTz", kind=EventKind.PATZ, days=41)
    make_event(
        "Amsterdams overleg",
        days=42,
        organiser=amsterdam_organisation,
        location=None,
        address="Dam 1",
    )
    month = timezone.localtime(training.starts_at).strftime("%Y-%m")

    def titles(**query):
        response = client.get(reverse("netwerk:agenda"), query)
        assert response.status_code == 200, response.context["form"].errors
        return {event.title for event in response.context["events"]}

    assert titles(soort="patz") == {"PaTz"}
    assert titles(expertise="verslaving") == {"Scholing verslaving"}
    assert titles(regio=region.slug) == {"Scholing verslaving", "PaTz"}
    assert "Scholing verslaving" in titles(maand=month)
    assert titles(maand="2001-01") == set()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"soort": "feest"}, "Kies een bestaande soort uit de lijst."),
        ({"expertise": "onbekend"}, "Kies een bestaande expertise uit de lijst."),
        ({"regio": "nergens"}, "Kies een bestaande regio uit de lijst."),
        ({"maand": "2026-13"}, "Kies een maand, bijvoorbeeld 2026-11."),
        ({"maand": "99999-01"}, "Kies een maand, bijvoorbeeld 2026-11."),
        ({"maand": "elf"}, "Kies een maand, bijvoorbeeld 2026-11."),
        ({"pagina": "x"}, None),
    ],
)
def test_bad_filters_are_explained_in_dutch_never_a_500(client, make_event, query, message):
    make_event()
    response = client.get(reverse("netwerk:agenda"), query)
    if message is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert message in response.content.decode()
        assert len(response.context["events"]) == 1  # the bad filter is left out


def test_events_with_a_place_are_on_the_map(client, make_event, hospice):
    make_event("Bij de vestiging")
    make_event("Op een adres", location=None, address="Oudegracht 1", postcode="3511 AB")
    make_event("Online", location=None, is_online=True)
    response = client.get(reverse("netwerk:agenda"))
    names = {point["name"] for point in response.context["map_points"]}
    assert names == {"Bij de vestiging", "Op een adres"}
    assert 'id="agendakaart"' in response.content.decode()


def test_the_agenda_and_an_event_page_take_a_fixed_number_of_queries(
    client, make_event, django_assert_max_num_queries
):
    tag = ExpertiseTag.objects.create(name="Dementie", slug="dementie", category="somatic")
    for index in range(12):
        event = make_event(f"Bijeenkomst {index}", days=index - 3)
        event.expertise.add(tag)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("netwerk:agenda")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(event.get_absolute_url()).status_code == 200


# --- Registration. ------------------------------------------------------------------------------


def test_registering_confirms_by_email_with_a_cancellation_link(client, training, register):
    response = register(training)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert "Aangemeld: Scholing psychiatrie" in message.subject
    assert cancel_link_in(message).startswith("http://testserver/agenda/afmelden/")
    page = client.get(training.get_absolute_url()).content.decode()
    assert "nog 1 vrij" in page


def test_a_full_event_puts_people_on_the_waiting_list(client, training, register):
    register(training, email="een@example.org")
    register(training, email="twee@example.org")
    page = client.get(training.get_absolute_url()).content.decode()
    assert "Op de wachtlijst" in page
    register(training, email="drie@example.org")
    waiting = Registration.objects.get(email="drie@example.org")
    assert waiting.status == RegistrationStatus.WAITING
    assert mail.outbox[-1].subject.startswith("Wachtlijst:")


def test_cancelling_through_the_link_gives_the_place_to_the_first_on_the_waiting_list(
    client, training, register, post
):
    for email in ("een@example.org", "twee@example.org", "drie@example.org", "vier@example.org"):
        register(training, email=email)
    link = cancel_link_in(mail.outbox[0]).removeprefix("http://testserver")
    page = client.get(link)
    assert page.status_code == 200
    assert Registration.objects.count() == 4  # opening the link changes nothing
    response = post(link)
    assert response.status_code == 302
    assert not Registration.objects.filter(email="een@example.org").exists()
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["drie@example.org"] == RegistrationStatus.CONFIRMED
    assert statuses["vier@example.org"] == RegistrationStatus.WAITING
    assert mail.outbox[-1].to == ["drie@example.org"]
    assert mail.outbox[-1].subject.startswith("Er is een plaats vrij")
    # A spent link does not work again.
    assert post(link).status_code == 404


def test_a_waiting_list_cancellation_promotes_nobody(client, training, register, post):
    for email in ("een@example.org", "twee@example.org", "drie@example.org"):
        register(training, email=email)
    sent = len(mail.outbox)
    waiting = Registration.objects.get(email="drie@example.org")
    post(reverse("netwerk:registration_cancel", args=[cancel_token(waiting)]))
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 2
    assert len(mail.outbox) == sent


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + "xx",
        lambda token: "niets",
        lambda token: token.replace(":", "", 1),
    ],
    ids=["forged-signature", "garbage", "broken"],
)
def test_a_forged_cancellation_link_cancels_nothing(client, training, mangle, register):
    register(training)
    token = cancel_token(Registration.objects.get())
    response = client.post(reverse("netwerk:registration_cancel", args=[mangle(token)]))
    assert response.status_code == 404
    assert Registration.objects.count() == 1


def test_a_link_for_an_old_registration_does_not_cancel_a_new_one(client, training, register):
    register(training)
    old = Registration.objects.get()
    token = cancel_token(old)
    old.delete()
    register(training)
    new = Registration.objects.get()
    new.pk = old.pk  # even were the id reused, the key differs
    assert client.post(reverse("netwerk:registration_cancel", args=[token])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "email": "a@example.org"}, "Vul uw naam in."),
        ({"name": "Anna", "email": ""}, "Vul uw e-mailadres in"),
        ({"name": "Anna", "email": "geen-adres"}, "Vul een geldig e-mailadres in."),
        ({"name": "A" * 201, "email": "a@example.org"}, "hoogstens 200 tekens"),
    ],
)
def test_a_bad_registration_is_explained_in_dutch(client, training, data, message):
    response = client.post(training.get_absolute_url(), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_registering_twice_with_one_address_is_refused(client, training, register):
    register(training)
    response = register(training, email="ANNA@example.org")
    assert response.status_code == 400
    assert "al iemand aangemeld" in response.content.decode()
    assert Registration.objects.count() == 1


def test_no_registration_for_a_past_event_or_one_without_builtin_registration(
    client, make_event, register
):
    past = make_event("Voorbij", days=-2)
    external = make_event(
        "Elders", registration_mode=RegistrationMode.EXTERNAL, registration_url="https://x.example"
    )
    for event in (past, external):
        assert register(event).status_code == 409
    assert not Registration.objects.exists()
    assert "Deze bijeenkomst is voorbij." in client.get(past.get_absolute_url()).content.decode()


def test_a_robot_filling_the_honeypot_is_not_registered(client, training, register):
    response = register(training, website="https://spam.example")
    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_registrations_are_rate_limited(client, training, settings, register):
    settings.EVENT_REGISTRATION_RATE = "2/h"
    register(training, email="een@example.org")
    register(training, email="twee@example.org")
    response = register(training, email="drie@example.org")
    assert response.status_code == 429
    assert Registration.objects.count() == 2


# --- Retention. ---------------------------------------------------------------------------------


def test_registrations_are_removed_the_set_time_after_the_event(
    client, make_event, settings, register
):
    """A frozen clock: the purge is asked about fixed moments around the event's end."""
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 30
    event = make_event(days=3)
    register(event)
    ended = event.ends_at
    just_before = ended + timedelta(days=30) - timedelta(seconds=1)
    assert registrations_purge(older_than_days=30, now=just_before) == 0
    assert Registration.objects.count() == 1
    assert registrations_purge(older_than_days=30, now=ended + timedelta(days=30)) == 1
    assert not Registration.objects.exists()


def test_purge_expired_removes_registrations_of_long_past_events(
    client, make_event, settings, capsys
):
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 30
    recent = make_event("Vorige week", days=-7)
    old = make_event("Lang geleden", days=-40)
    for event in (recent, old):
        Registration.objects.create(
            event=event, name="Anna", email="anna@example.org", status=RegistrationStatus.CONFIRMED
        )
    call_command("purge_expired")
    assert list(Registration.objects.values_list("event__title", flat=True)) == ["Vorige week"]
    assert "Registrations of events that ended more than 30 days ago removed: 1" in (
        capsys.readouterr().out
    )


def test_the_privacy_page_states_the_retention_of_registrations(client, settings):
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 45
    page = client.get(reverse("netwerk:privacy")).content.decode()
    assert "45 dagen na afloop van de bijeenkomst verwijderd" in page


# --- The iCalendar feed. ------------------------------------------------------------------------

REQUIRED_CALENDAR = {"VERSION", "PRODID"}
REQUIRED_EVENT = {"UID", "DTSTAMP", "DTSTART"}


def assert_valid_rfc5545(text: str) -> None:
    """Strict checks: the `ical` package's RFC 5545 parser (pydantic models that refuse
    what the RFC does not allow), and the required properties by hand, once each."""
    IcsCalendarStream.calendar_from_ics(text)
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar["VERSION"] == "2.0"
    for name in REQUIRED_CALENDAR:
        assert (
            len(calendar.get_all(name) if hasattr(calendar, "get_all") else [calendar[name]]) == 1
        )
    for vevent in calendar.walk("VEVENT"):
        for name in REQUIRED_EVENT:
            assert name in vevent, name
        assert vevent["DTSTAMP"].dt.utcoffset() == timedelta(0)  # DTSTAMP is UTC (3.8.7.2)
        assert vevent["DTEND"].dt > vevent["DTSTART"].dt
        tzid = vevent["DTSTART"].params.get("TZID")
        if tzid:  # every TZID has its VTIMEZONE (3.2.19)
            assert tzid in {tz["TZID"] for tz in calendar.walk("VTIMEZONE")}
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded (3.1)


def test_the_feed_is_valid_icalendar_with_the_public_events(client, make_event):
    training = make_event("Scholing", days=10)
    make_event("Casus", kind=EventKind.CASE_DISCUSSION, professionals_only=True)
    make_event("Lang geleden", days=-400)
    response = client.get(reverse("netwerk:agenda_feed"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert_valid_rfc5545(text)
    calendar = icalendar.Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Scholing"]
    vevent = events[0]
    assert str(vevent["UID"]) == training.ical_uid
    assert vevent["DTSTART"].dt == training.starts_at
    assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert str(vevent["URL"]) == "http://testserver" + training.get_absolute_url()
    assert "Lindelaan 1" in str(vevent["LOCATION"])


def test_an_event_keeps_its_uid_when_it_changes(client, make_event):
    event = make_event("Scholing", days=10)
    before = icalendar.Calendar.from_ical(client.get(reverse("netwerk:agenda_feed")).content)
    event.title = "Scholing (verplaatst)"
    event.slug = "scholing-verplaatst"
    event.starts_at += timedelta(days=7)
    event.ends_at += timedelta(days=7)
    event.save()
    after = icalendar.Calendar.from_ical(client.get(reverse("netwerk:agenda_feed")).content)
    (old,), (new,) = before.walk("VEVENT"), after.walk("VEVENT")
    assert old["UID"] == new["UID"]
    assert new["LAST-MODIFIED"].dt >= old["LAST-MODIFIED"].dt
    assert str(new["SUMMARY"]) == "Scholing (verplaatst)"


def test_a_feed_per_kind(client, make_event):
    make_event("Scholing", days=10)
    make_event("PaTz", kind=EventKind.PATZ, days=11)
    response = client.get(reverse("netwerk:agenda_feed_kind", args=["patz"]))
    text = response.content.decode()
    assert_valid_rfc5545(text)
    assert [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")] == [
        "PaTz"
    ]
    assert client.get("/agenda/feest.ics").status_code == 404


def test_one_event_as_icalendar_has_the_feed_uid(client, make_event):
    event = make_event(days=10)
    response = client.get(reverse("netwerk:event_feed", args=[event.slug]))
    text = response.content.decode()
    assert_valid_rfc5545(text)
    (vevent,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(vevent["UID"]) == event.ical_uid


def test_an_empty_feed_is_valid_too(client):
    assert_valid_rfc5545(client.get(reverse("netwerk:agenda_feed")).content.decode())


def test_the_feed_takes_a_fixed_number_of_queries(
    client, make_event, django_assert_max_num_queries
):
    for index in range(10):
        make_event(f"Bijeenkomst {index}", days=index + 1)
    with django_assert_max_num_queries(3):
        client.get(reverse("netwerk:agenda_feed"))


# --- The model's own rules. ---------------------------------------------------------------------


def test_an_event_needs_a_place_and_an_end_after_its_start(hospice):
    event = Event(
        title="X",
        slug="x",
        kind=EventKind.PATZ,
        organiser=hospice,
        starts_at=at(3),
        ends_at=at(3, 10),
    )
    with pytest.raises(Exception) as error:
        event.full_clean()
    messages = error.value.message_dict
    assert messages["ends_at"] == ["Een bijeenkomst eindigt na het begin."]
    assert "Kies een vestiging" in messages["address"][0]


def test_the_agenda_speaks_english(client, make_event):
    event = make_event(days=-3)
    html = client.get("/en/agenda/").content.decode()
    assert "Past meetings" in html and "In your own calendar" in html
    assert "Eerder" not in html
    assert "This meeting is over." in client.get(f"/en/agenda/{event.slug}/").content.decode()


def test_cancellation_tokens_stay_out_of_the_logs(training):
    registration = Registration.objects.create(
        event=training, name="Anna", email="anna@example.org", status="aangemeld"
    )
    token = cancel_token(registration)
    line = f'"POST /en/agenda/afmelden/{token}/ HTTP/1.1" 302'
    assert redact_secrets(line) == '"POST /en/agenda/afmelden/…/ HTTP/1.1" 302'
