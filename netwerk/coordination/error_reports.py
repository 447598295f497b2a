"""Error reports ("meld een fout"): what visitors tell the coordinators is wrong on the map.

The reporter's e-mail address is there so that a coordinator can ask or answer; it is removed
when the report is closed, and at the latest ERROR_REPORT_EMAIL_RETENTION_DAYS after the report
came in (`error_report_emails_forget`, run daily by `manage.py purge_expired`).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerk.directory.organisations import Organisation


class ErrorReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Afgehandeld")


class ErrorReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ErrorReportStatus.OPEN)


class ErrorReport(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="error_reports",
    )
    message = models.TextField(_("wat klopt er niet"), max_length=settings.ERROR_REPORT_MAX_LENGTH)
    email = models.EmailField(_("e-mailadres van de melder"), blank=True)
    created_at = models.DateTimeField(_("gemeld op"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ErrorReportStatus.choices,
        default=ErrorReportStatus.OPEN,
        db_index=True,
    )
    closing_note = models.TextField(_("afhandeling"), blank=True)
    closed_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgehandeld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("foutmelding")
        verbose_name_plural = _("foutmeldingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.message[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status == ErrorReportStatus.OPEN

    def close(self, *, by, note: str) -> None:
        self.status = ErrorReportStatus.CLOSED
        self.closing_note = note
        self.closed_at = timezone.now()
        self.closed_by = by
        self.email = ""  # the reporter was answered, or will not be: the address is not kept


def error_report_emails_forget(*, older_than_days: int) -> int:
    """Blank the reporter's e-mail address of closed reports and of reports older than this
    many days. Returns how many addresses were removed."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    expired = Q(status=ErrorReportStatus.CLOSED) | Q(created_at__lte=cutoff)
    return ErrorReport.objects.exclude(email="").filter(expired).update(email="")


def coordinators_of(organisation: Organisation):
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            coordinated_regions__in=organisation.regions().values("pk"),
        )
        .exclude(email="")
        .distinct()
    )


def error_report_submit(
    *, organisation: Organisation, message: str, email: str = "", site_url: str = ""
) -> ErrorReport:
    """Keep the report and tell the organisation's coordinators (or the network) by e-mail.

    `site_url` ("https://kaart.example.org") makes the link in the e-mail absolute.
    """
    report = ErrorReport.objects.create(organisation=organisation, message=message, email=email)
    recipients = list(coordinators_of(organisation).values_list("email", flat=True))
    if not recipients:
        recipients = [settings.NETWORK_CONTACT_EMAIL]
    admin_path = site_url + reverse("admin:netwerk_errorreport_change", args=[report.pk])
    body = _(
        "Er is een fout gemeld over %(organisation)s.\n\n%(message)s\n\n"
        "Melder: %(email)s\nBekijk en handel de melding af in het beheer: %(path)s\n"
    ) % {
        "organisation": organisation.name,
        "message": message,
        "email": email or _("(geen e-mailadres opgegeven)"),
        "path": admin_path,
    }
    subject = _("Foutmelding over %(organisation)s") % {"organisation": organisation.name}
    # The mail goes out only once the report is really stored.
    transaction.on_commit(
        lambda: send_mail(str(subject), str(body), None, recipients, fail_silently=True)
    )
    return report
