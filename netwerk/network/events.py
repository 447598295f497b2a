"""Events of the network's agenda: trainings, case discussions, PaTz and regional meetings."""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import (
    PostcodeArea,
    Region,
    normalise_postcode,
    validate_postcode,
)


class EventKind(models.TextChoices):
    """Values appear in public URLs (`?soort=scholing`, `/agenda/scholing.ics`): Dutch, stable."""

    TRAINING = "scholing", _("Scholing")
    CASE_DISCUSSION = "casuistiek", _("Casuïstiekbespreking")
    PATZ = "patz", _("PaTz-bijeenkomst")
    REGIONAL_MEETING = "regionaal-overleg", _("Regionaal overleg")


class TargetGroup(models.TextChoices):
    PROFESSIONALS = "professionals", _("Professionals")
    VOLUNTEERS = "vrijwilligers", _("Vrijwilligers")
    BOTH = "beide", _("Professionals en vrijwilligers")


class RegistrationMode(models.TextChoices):
    NONE = "geen", _("Aanmelden is niet nodig")
    EXTERNAL = "extern", _("Aanmelden via een andere website")
    BUILT_IN = "hier", _("Aanmelden op deze site")


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, organiser__is_published=True)

    def visible_to(self, user):
        """Published events; "alleen voor professionals" only for signed-in users."""
        events = self.published()
        if not user.is_authenticated:
            events = events.filter(professionals_only=False)
        return events

    def upcoming(self, now: datetime | None = None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now: datetime | None = None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def in_month(self, year: int, month: int):
        """Events starting in this month of the local (Amsterdam) calendar."""
        first = timezone.make_aware(datetime(year, month, 1))
        following = timezone.make_aware(
            datetime(year + 1, 1, 1) if month == 12 else datetime(year, month + 1, 1)
        )
        return self.filter(starts_at__gte=first, starts_at__lt=following)

    def in_region(self, region: Region):
        """Events organised by an organisation of the region."""
        return self.filter(organiser__in=Organisation.objects.in_region(region))

    def for_feed(self, now: datetime | None = None):
        """What the public calendar feed holds: public events from half a year back on."""
        since = (now or timezone.now()) - timedelta(days=183)
        return (
            self.published()
            .filter(professionals_only=False, ends_at__gte=since)
            .select_related("organiser", "location__organisation")
            .order_by("starts_at", "pk")
        )


class Event(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=30, choices=EventKind.choices, db_index=True)
    starts_at = models.DateTimeField(_("begint op"), db_index=True)
    ends_at = models.DateTimeField(_("eindigt op"), db_index=True)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organisator"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("vestiging"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Als de bijeenkomst bij een vestiging van een organisatie is."),
    )
    venue = models.CharField(
        _("naam van de plek"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: woonzorgcentrum Rosendael."),
    )
    address = models.CharField(_("adres"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        blank=True,
        validators=[validate_postcode],
        help_text=_("Voor de plek op de kaart, als er geen vestiging is gekozen."),
    )
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    # From the postcode's PC4 centroid, for an address that is not a location.
    latitude = models.FloatField(_("breedtegraad"), null=True, blank=True, editable=False)
    longitude = models.FloatField(_("lengtegraad"), null=True, blank=True, editable=False)
    is_online = models.BooleanField(_("online"), default=False)
    target_group = models.CharField(
        _("doelgroep"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.BOTH
    )
    expertise = models.ManyToManyField(
        ExpertiseTag, verbose_name=_("expertise"), related_name="events", blank=True
    )
    description = models.TextField(_("omschrijving"), blank=True)
    accreditation = models.CharField(
        _("accreditatie"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: 3 punten V&VN en NHG."),
    )
    capacity = models.PositiveIntegerField(
        _("aantal plaatsen"),
        null=True,
        blank=True,
        help_text=_("Leeg: geen grens. Wie zich aanmeldt als het vol is, komt op de wachtlijst."),
    )
    registration_mode = models.CharField(
        _("aanmelden"),
        max_length=10,
        choices=RegistrationMode.choices,
        default=RegistrationMode.NONE,
    )
    registration_url = models.URLField(_("aanmeldlink"), blank=True)
    professionals_only = models.BooleanField(
        _("alleen voor professionals"),
        default=False,
        help_text=_(
            "Bijvoorbeeld een casuïstiekbespreking: alleen ingelogde professionals zien haar."
        ),
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=True, db_index=True)
    # The iCalendar UID: stable when the title, slug or date changes, so calendars update the
    # event instead of adding a second one.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    history = HistoricalRecords(m2m_fields=["expertise"])
    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("agenda")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message=_("Een bijeenkomst eindigt na het begin."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # An address without a location is put on the map at its postcode's PC4 centroid.
        self.latitude = self.longitude = None
        if self.postcode and not self.location_id:
            area = PostcodeArea.for_postcode(self.postcode)
            if area is not None:
                self.latitude, self.longitude = area.latitude, area.longitude
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("netwerk:event", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Een bijeenkomst eindigt na het begin.")
        if not (self.location_id or self.address or self.is_online):
            errors["address"] = _("Kies een vestiging, vul een adres in of vink ‘online’ aan.")
        if self.registration_mode == RegistrationMode.EXTERNAL and not self.registration_url:
            errors["registration_url"] = _("Vul de link in waar men zich aanmeldt.")
        if self.postcode:
            try:
                self.postcode = normalise_postcode(self.postcode)
            except ValidationError:
                pass  # the field's own validator reports it
            else:
                if PostcodeArea.for_postcode(self.postcode) is None:
                    errors["postcode"] = _("Postcode %(pc4)s is onbekend.") % {
                        "pc4": self.postcode[:4]
                    }
        if errors:
            raise ValidationError(errors)

    @property
    def ical_uid(self) -> str:
        return f"{self.uid}@expertisekaart"

    def is_past(self, now: datetime | None = None) -> bool:
        return self.ends_at < (now or timezone.now())

    @property
    def has_builtin_registration(self) -> bool:
        return self.registration_mode == RegistrationMode.BUILT_IN

    @property
    def point(self) -> tuple[float, float] | None:
        if self.location_id and self.location.has_coordinates:
            return self.location.latitude, self.location.longitude
        if self.latitude is not None:
            return self.latitude, self.longitude
        return None

    @property
    def place_text(self) -> str:
        """Where, in one line: the venue or location and its address, or "online"."""
        if self.location_id:
            label = self.venue or self.location.name or self.location.organisation.name
            parts = [label, self.location.address]
        else:
            place = " ".join(part for part in (self.postcode, self.city) if part)
            parts = [self.venue, self.address, place]
        text = ", ".join(dict.fromkeys(part for part in parts if part))
        if self.is_online:
            return f"{text} {_('en online')}" if text else str(_("Online"))
        return text
