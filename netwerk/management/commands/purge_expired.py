from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand

from netwerk.coordination.error_reports import error_report_emails_forget
from netwerk.coordination.privacy import deleted_contacts_forget, login_records_purge
from netwerk.network.registrations import registrations_purge


class Command(BaseCommand):
    help = (
        "Remove personal data whose time is up (run it daily): login records, reporters' e-mail "
        "addresses, deleted contacts' details in the history, registrations for past events, "
        "expired sessions."
    )

    def handle(self, *args, **options):
        login_days = settings.LOGIN_RECORDS_RETENTION_DAYS
        email_days = settings.ERROR_REPORT_EMAIL_RETENTION_DAYS
        logins = login_records_purge(older_than_days=login_days)
        emails = error_report_emails_forget(older_than_days=email_days)
        history = deleted_contacts_forget()
        registration_days = settings.EVENT_REGISTRATION_RETENTION_DAYS
        registrations = registrations_purge(older_than_days=registration_days)
        # As `manage.py clearsessions` does; one daily command is enough to schedule.
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        self.stdout.write(f"Login records older than {login_days} days removed: {logins}")
        self.stdout.write(
            "E-mail addresses of closed reports or reports older than "
            f"{email_days} days removed: {emails}"
        )
        self.stdout.write(f"Contact history rows of deleted contacts blanked: {history}")
        self.stdout.write(
            f"Registrations of events that ended more than {registration_days} days ago "
            f"removed: {registrations}"
        )
        self.stdout.write("Expired sessions removed.")
