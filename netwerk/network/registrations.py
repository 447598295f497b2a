"""Registrations for events with built-in registration: confirmation by e-mail, a waiting list
when the event is full, cancellation through a signed link in that e-mail.

A registration is personal data (name, e-mail address, organisation). It keeps no history, and
`registrations_purge` (run daily by `manage.py purge_expired`) removes every registration
EVENT_REGISTRATION_RETENTION_DAYS after its event ended; the privacy page states the period.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netwerk.network.events import Event

CANCEL_SALT = "netwerk.registration.cancel"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "aangemeld", gettext_lazy("Aangemeld")
    WAITING = "wachtlijst", gettext_lazy("Wachtlijst")


def new_key() -> str:
    return secrets.token_urlsafe(16)


class Registration(models.Model):
    event = models.ForeignKey(
        Event,
        verbose_name=gettext_lazy("bijeenkomst"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    name = models.CharField(gettext_lazy("naam"), max_length=200)
    email = models.EmailField(gettext_lazy("e-mailadres"))
    organisation_name = models.CharField(gettext_lazy("organisatie"), max_length=200, blank=True)
    status = models.CharField(
        gettext_lazy("status"), max_length=12, choices=RegistrationStatus.choices, db_index=True
    )
    created_at = models.DateTimeField(gettext_lazy("aangemeld op"), default=timezone.now)
    # Part of the signed cancellation link: a new registration never inherits an old link.
    key = models.CharField(max_length=32, default=new_key, editable=False)

    class Meta:
        verbose_name = gettext_lazy("aanmelding")
        verbose_name_plural = gettext_lazy("aanmeldingen")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="registration_once_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"

    @property
    def is_waiting(self) -> bool:
        return self.status == RegistrationStatus.WAITING


class RegistrationRefused(Exception):
    """The registration cannot be taken; the message says why, in Dutch."""


def places_left(event: Event) -> int | None:
    """Free places; None when the event has no limit."""
    if event.capacity is None:
        return None
    taken = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max(event.capacity - taken, 0)


def registration_open(event: Event, now: datetime | None = None) -> bool:
    return event.has_builtin_registration and not event.is_past(now)


def registration_create(
    *, event: Event, name: str, email: str, organisation_name: str = "", site_url: str = ""
) -> Registration:
    """Register for an event: a place if there is one, else the waiting list; a confirmation
    e-mail with the cancellation link goes out once it is stored."""
    if not registration_open(event):
        raise RegistrationRefused(_("Voor deze bijeenkomst kunt u zich hier niet aanmelden."))
    email = email.strip()
    try:
        with transaction.atomic():
            # Two registrations for the last place queue up on the event's row.
            event = Event.objects.select_for_update().get(pk=event.pk)
            left = places_left(event)
            status = RegistrationStatus.WAITING if left == 0 else RegistrationStatus.CONFIRMED
            if Registration.objects.filter(event=event, email__iexact=email).exists():
                raise IntegrityError
            registration = Registration.objects.create(
                event=event,
                name=name,
                email=email,
                organisation_name=organisation_name,
                status=status,
            )
    except IntegrityError:
        raise RegistrationRefused(
            _("Met dit e-mailadres is al iemand aangemeld voor deze bijeenkomst.")
        ) from None
    transaction.on_commit(lambda: confirmation_send(registration, site_url=site_url))
    return registration


def registration_cancel(*, registration: Registration, site_url: str = "") -> Registration | None:
    """Remove the registration; a place it frees goes to the first on the waiting list, who is
    told by e-mail. Returns that person's registration, if any."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        freed = registration.status == RegistrationStatus.CONFIRMED
        Registration.objects.filter(pk=registration.pk).delete()
        promoted = None
        if freed and not event.is_past() and places_left(event) != 0:
            promoted = event.registrations.filter(status=RegistrationStatus.WAITING).first()
            if promoted is not None:
                promoted.status = RegistrationStatus.CONFIRMED
                promoted.save(update_fields=["status"])
    if promoted is not None:
        transaction.on_commit(lambda: promotion_send(promoted, site_url=site_url))
    return promoted


def registrations_purge(*, older_than_days: int, now: datetime | None = None) -> int:
    """Remove the registrations of events that ended more than this many days ago."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    _count, per_model = Registration.objects.filter(event__ends_at__lte=cutoff).delete()
    return per_model.get(Registration._meta.label, 0)


# --- The cancellation link. ---------------------------------------------------------------------


def cancel_token(registration: Registration) -> str:
    return signing.dumps([registration.pk, registration.key], salt=CANCEL_SALT, compress=True)


def registration_for_token(token: str) -> Registration | None:
    """The registration a cancellation link is for; None for a forged, mangled or spent link."""
    try:
        pk, key = signing.loads(token, salt=CANCEL_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int):
        return None
    registration = (
        Registration.objects.select_related(
            "event", "event__organiser", "event__location__organisation"
        )
        .filter(pk=pk)
        .first()
    )
    if registration is None or not secrets.compare_digest(registration.key, str(key)):
        return None
    return registration


def cancel_url(registration: Registration, site_url: str = "") -> str:
    path = reverse("netwerk:registration_cancel", kwargs={"token": cancel_token(registration)})
    return site_url + path


# --- E-mail. ------------------------------------------------------------------------------------


def when_text(event: Event) -> str:
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    end_format = "H:i" if starts.date() == ends.date() else "l j F Y H:i"
    return f"{date_format(starts, 'l j F Y H:i')} – {date_format(ends, end_format)}"


def _details(registration: Registration, site_url: str) -> dict:
    event = registration.event
    return {
        "name": registration.name,
        "title": event.title,
        "when": when_text(event),
        "where": event.place_text,
        "page": site_url + event.get_absolute_url(),
        "cancel": cancel_url(registration, site_url),
        "organiser": event.organiser.name,
    }


def confirmation_send(registration: Registration, *, site_url: str = "") -> None:
    details = _details(registration, site_url)
    if registration.is_waiting:
        subject = _("Wachtlijst: %(title)s") % details
        opening = _(
            "De bijeenkomst is vol. U staat op de wachtlijst voor %(title)s. Komt er een plaats "
            "vrij, dan krijgt u die in volgorde van aanmelding en hoort u het per e-mail."
        )
    else:
        subject = _("Aangemeld: %(title)s") % details
        opening = _("U bent aangemeld voor %(title)s.")
    send_mail(subject, _mail_body(opening, details), None, [registration.email])


def promotion_send(registration: Registration, *, site_url: str = "") -> None:
    details = _details(registration, site_url)
    subject = _("Er is een plaats vrij: %(title)s") % details
    opening = _(
        "Er is een plaats vrijgekomen. U stond op de wachtlijst en bent nu aangemeld voor "
        "%(title)s."
    )
    send_mail(subject, _mail_body(opening, details), None, [registration.email])


def _mail_body(opening: str, details: dict) -> str:
    return (
        _("Beste %(name)s,") % details
        + "\n\n"
        + opening % details
        + "\n\n"
        + _(
            "Wanneer: %(when)s\nWaar: %(where)s\nOrganisator: %(organiser)s\n"
            "Meer informatie: %(page)s"
        )
        % details
        + "\n\n"
        + _(
            "Kunt u niet komen? Meld u dan af via deze link, zodat iemand anders uw plaats "
            "krijgt:\n%(cancel)s"
        )
        % details
        + "\n\n"
        + _(
            "Uw naam, e-mailadres en organisatie gebruiken we alleen voor deze bijeenkomst. "
            "We verwijderen ze %(days)s dagen na afloop."
        )
        % {"days": settings.EVENT_REGISTRATION_RETENTION_DAYS}
        + "\n"
    )
