"""Personal data is forgotten (AVG), and the privacy page says truthfully what is kept.

- A deleted contact keeps its history rows (who changed what when), but not a person's name, a
  phone number, an e-mail address or the note on consent: on every delete path of the admin, and
  by `purge_expired` for deletes made any other way.
- `purge_expired`, run daily, removes login records after LOGIN_RECORDS_RETENTION_DAYS and a
  reporter's e-mail address after ERROR_REPORT_EMAIL_RETENTION_DAYS; closing a report removes it
  at once.
- The privacy page names every cookie the site really sets, found by real requests.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netwerk.coordination.error_reports import ErrorReport
from netwerk.directory.contacts import Contact, Visibility
from netwerk.directory.organisations import Organisation

pytestmark = pytest.mark.django_db

HistoricalContact = Contact.history.model
PASSWORD = "geheim-wachtwoord-1"


def url(model, view, *args):
    return reverse(f"admin:netwerk_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def person(hospice) -> Contact:
    contact = Contact.objects.create(
        organisation=hospice,
        name="Dr. A. de Vries",
        role="psychiater",
        phone="+31612345678",
        email="a.devries@example.org",
        visibility=Visibility.PROFESSIONALS,
        consent_recorded_on=timezone.localdate(),
        consent_note="Per e-mail van A. de Vries, 3 maart",
    )
    contact.email = "vries@example.org"
    contact.save()  # a second version
    return contact


@pytest.fixture
def function(hospice) -> Contact:
    return Contact.objects.create(
        organisation=hospice,
        name="Dienstdoende verpleegkundige",
        is_person=False,
        phone="+31301111111",
        email="dienst@example.org",
    )


def remembered(contact_id) -> list[tuple]:
    """What the history still holds of a contact's personal fields."""
    return list(
        HistoricalContact.objects.filter(id=contact_id)
        .order_by("history_id")
        .values_list("history_type", "name", "phone", "email", "consent_note")
    )


def assert_forgotten(contact_id, *, versions):
    rows = remembered(contact_id)
    # The rows stay: who changed what when, and the delete itself.
    assert [row[0] for row in rows] == versions
    assert {row[1:] for row in rows} == {("", "", "", "")}


def assert_not_in_admin_log(*texts):
    for entry in LogEntry.objects.all():
        for text in texts:
            assert text not in entry.object_repr and text not in entry.change_message


# --- Deleting through the admin. ------------------------------------------------------------------


def test_a_contact_deleted_on_its_own_page_leaves_no_personal_data_in_history(
    coordinator_client, person
):
    confirm = coordinator_client.get(url(Contact, "delete", person.pk))
    assert confirm.status_code == 200
    response = coordinator_client.post(url(Contact, "delete", person.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=person.pk).exists()
    assert_forgotten(person.pk, versions=["+", "~", "-"])
    assert_not_in_admin_log("Vries")


def test_contacts_deleted_with_the_bulk_action_leave_no_personal_data_in_history(
    coordinator_client, person, function
):
    response = coordinator_client.post(
        url(Contact, "changelist"),
        {"action": "delete_selected", "_selected_action": [person.pk, function.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Contact.objects.count() == 0
    assert_forgotten(person.pk, versions=["+", "~", "-"])
    # A function is no person: its name stays, its phone and e-mail go.
    assert {row[1:] for row in remembered(function.pk)} == {
        ("Dienstdoende verpleegkundige", "", "", "")
    }


def as_the_browser_posts(response) -> dict:
    """The admin change form with its inlines, as the browser posts it back unchanged."""

    def posted(value):
        if isinstance(value, list | tuple):
            return [posted(item) for item in value]
        return value.pk if hasattr(value, "pk") else value

    def fields_of(form):
        data = {}
        for name in form.fields:
            value = posted(form[name].value())
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value
        return data

    data = fields_of(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {
            formset.management_form.add_prefix(key): value
            for key, value in formset.management_form.initial.items()
        }
        for form in formset.forms:
            data |= fields_of(form)
    return data


def test_a_contact_deleted_on_the_organisation_page_leaves_no_personal_data_in_history(
    coordinator_client, hospice, person, function
):
    address = url(Organisation, "change", hospice.pk)
    data = as_the_browser_posts(coordinator_client.get(address))
    row = next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("contacts-") and key.endswith("-id") and value == person.pk
    )
    data[f"{row}-DELETE"] = "on"
    response = coordinator_client.post(address, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(hospice.contacts.all()) == [function]
    assert_forgotten(person.pk, versions=["+", "~", "-"])
    # The organisation's admin log said which contact row was deleted.
    assert_not_in_admin_log("Vries")
    # The contact that stays keeps its history as it is.
    assert remembered(function.pk)[0][2:4] == ("+31301111111", "dienst@example.org")


def test_deleting_an_organisation_forgets_its_contacts(coordinator_client, hospice, person):
    response = coordinator_client.post(url(Organisation, "delete", hospice.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=hospice.pk).exists()
    assert_forgotten(person.pk, versions=["+", "~", "-"])


def test_deleting_organisations_with_the_bulk_action_forgets_their_contacts(
    admin_client, hospice, person
):
    response = admin_client.post(
        url(Organisation, "changelist"),
        {"action": "delete_selected", "_selected_action": [hospice.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Organisation.objects.exists()
    assert_forgotten(person.pk, versions=["+", "~", "-"])


def test_the_history_of_a_contact_that_still_exists_stays_as_it_is(
    coordinator_client, person, function
):
    coordinator_client.post(url(Contact, "delete", function.pk), {"post": "yes"})
    call_command("purge_expired", stdout=StringIO())
    assert [row[1:3] for row in remembered(person.pk)] == [
        ("Dr. A. de Vries", "+31612345678"),
        ("Dr. A. de Vries", "+31612345678"),
    ]


# --- The daily purge. ------------------------------------------------------------------------


def purge() -> str:
    out = StringIO()
    call_command("purge_expired", stdout=out)
    return out.getvalue()


def counts(output) -> dict[str, int]:
    """The command's report, one line per kind of data: "<what> ...: <count>"."""
    found = {}
    for line in output.splitlines():
        for what in ("login records", "e-mail addresses", "contact history"):
            if line.lower().startswith(what):
                found[what] = int(line.rsplit(":", 1)[1])
    assert len(found) == 3, output
    return found


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def age(queryset, days):
    queryset.update(attempt_time=timezone.now() - timedelta(days=days))


def test_the_purge_forgets_contacts_deleted_outside_the_admin(person):
    contact_id = person.pk
    person.delete()  # a shell, a script, a cascade from elsewhere
    assert remembered(contact_id)[0][1] == "Dr. A. de Vries"
    output = purge()
    assert_forgotten(contact_id, versions=["+", "~", "-"])
    assert counts(output)["contact history"] == 3
    assert set(counts(purge()).values()) == {0}


def test_the_purge_removes_login_records_after_the_retention_period(professional, settings):
    assert settings.LOGIN_RECORDS_RETENTION_DAYS == 90
    log_in(Client(), "zorgverlener", PASSWORD)
    log_in(Client(), "zorgverlener", PASSWORD)
    log_in(Client(), "indringer", "geraden")
    log_in(Client(), "inbreker", "geraden")
    first_login = AccessLog.objects.earliest("pk")
    # Aged afterwards: axes itself drops failed attempts older than its cool-off at each login.
    age(AccessLog.objects.filter(pk=first_login.pk), 91)
    age(AccessAttempt.objects.filter(username="indringer"), 91)
    assert (AccessLog.objects.count(), AccessAttempt.objects.count()) == (2, 2)

    output = purge()

    assert not AccessLog.objects.filter(pk=first_login.pk).exists()
    assert AccessLog.objects.count() == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["inbreker"]
    assert counts(output)["login records"] == 2
    # Idempotent: a second run finds nothing more.
    assert set(counts(purge()).values()) == {0}


def test_the_login_retention_is_a_setting(professional, settings):
    settings.LOGIN_RECORDS_RETENTION_DAYS = 10
    log_in(Client(), "zorgverlener", PASSWORD)
    age(AccessLog.objects.all(), 11)
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    AccessFailureLog.objects.create(
        username="x", ip_address="127.0.0.1", user_agent="test", http_accept="*/*", path_info="/"
    )
    age(AccessFailureLog.objects.all(), 11)
    purge()
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()


def test_closing_a_report_in_the_admin_removes_the_reporters_email_at_once(
    coordinator_client, hospice
):
    report = ErrorReport.objects.create(
        organisation=hospice, message="Telefoon klopt niet", email="buur@example.org"
    )
    response = coordinator_client.post(
        url(ErrorReport, "change", report.pk), {"closing_note": "Aangepast.", "close": "on"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.is_open, report.email) == (False, "")


def test_the_purge_removes_a_reporters_email_after_six_months_even_when_still_open(
    hospice, settings
):
    assert settings.ERROR_REPORT_EMAIL_RETENTION_DAYS == 183
    now = timezone.now()
    old = ErrorReport.objects.create(
        organisation=hospice,
        message="Oud",
        email="oud@example.org",
        created_at=now - timedelta(days=184),
    )
    recent = ErrorReport.objects.create(
        organisation=hospice,
        message="Nieuw",
        email="nieuw@example.org",
        created_at=now - timedelta(days=100),
    )
    # Closed before closing removed the address (or some other way than close()).
    ErrorReport.objects.create(
        organisation=hospice, message="Dicht", email="dicht@example.org", status="closed"
    )
    output = purge()
    assert list(ErrorReport.objects.exclude(email="").values_list("pk", flat=True)) == [recent.pk]
    assert ErrorReport.objects.get(pk=old.pk).message == "Oud"  # the report itself stays
    assert counts(output)["e-mail addresses"] == 2
    assert set(counts(purge()).values()) == {0}


# --- The privacy page. -----------------------------------------------------------------------


def cookies_the_site_sets(hospice) -> set[str]:
    """The cookies set by a visit, a language switch, an error report and the two logins."""
    names = set()
    visitor = Client()
    names |= set(visitor.get(hospice.get_absolute_url()).cookies)
    names |= set(visitor.post("/i18n/setlang/", {"language": "en", "next": "/"}).cookies)
    names |= set(
        visitor.post(
            reverse("netwerk:error_report", kwargs={"slug": hospice.slug}),
            {"message": "Adres klopt niet.", "email": "", "website": ""},
        ).cookies
    )
    names |= set(log_in(Client(), "zorgverlener", PASSWORD).cookies)
    names |= set(
        Client().post("/beheer/login/", {"username": "coordinator", "password": PASSWORD}).cookies
    )
    return names


def cookie_table(html) -> set[str]:
    return set(re.findall(r'<th scope="row"><code>([^<]+)</code></th>', html))


def test_the_privacy_page_names_exactly_the_cookies_the_site_sets(
    client, hospice, professional, coordinator
):
    html = client.get("/privacy/").content.decode()
    set_cookies = cookies_the_site_sets(hospice)
    assert {"csrftoken", "sessionid", "django_language", "messages"} <= set_cookies
    assert cookie_table(html) == set_cookies


def test_the_privacy_page_states_what_is_kept_how_long_and_whom_to_ask(client, settings):
    settings.LOGIN_RECORDS_RETENTION_DAYS = 60
    settings.NETWORK_CONTACT_EMAIL = "privacy@netwerk.example"
    html = client.get("/privacy/").content.decode()
    for text in [
        "60 dagen",
        "IP-adres",
        "183 dagen",
        "afgehandeld",
        "geschiedenis",
        "mailto:privacy@netwerk.example",
        '<th scope="col">',
    ]:
        assert text in html, text


def test_the_privacy_page_is_translated(client):
    html = client.get("/en/privacy/").content.decode()
    assert "Privacy statement" in html
    for dutch in ["Welke cookies", "Hoe lang", "Inlogregistratie", "dagen"]:
        assert dutch not in html, dutch
