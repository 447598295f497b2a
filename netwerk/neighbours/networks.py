"""Neighbouring networks and what we copied from them.

A neighbour is registered by its API address (the `/api/v1/` of another instance). Its
organisations and lines are copies, replaced as a whole by each successful sync
(`netwerk.neighbours.sync`): they are read-only here, carry the neighbour they came from and the
moment they were fetched, and keep no history of their own (the neighbour keeps that). The
neighbour's registration keeps its history (who added or changed which address or area); the
outcome of the last sync is not part of it.

A neighbour may also be entered without an API, by its area alone (its municipalities, as
reference data): then a postcode there is answered with the name of the network that covers it
(`netwerk.neighbours.outside`), and nothing is synced.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from netwerk.reference.geography import Municipality


class SyncOutcome(models.TextChoices):
    NEVER = "", _("Nog niet gesynchroniseerd")
    SUCCEEDED = "succeeded", _("Gelukt")
    FAILED = "failed", _("Mislukt")


def normalise_api_url(url: str) -> str:
    """The API's base address always ends in a slash: `…/api/v1/`."""
    url = (url or "").strip()
    return url if url.endswith("/") else url + "/"


class NeighbourNetworkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def to_sync(self):
        """The active neighbours with an API to read."""
        return self.active().exclude(api_url="")


class NeighbourNetwork(models.Model):
    name = models.CharField(_("naam"), max_length=150)
    api_url = models.URLField(
        _("adres van de API"),
        max_length=300,
        blank=True,
        help_text=_(
            "Het adres van de HSDS-API van het andere netwerk, eindigend op /api/v1/, "
            "bijvoorbeeld https://kaart.buurnetwerk.nl/api/v1/. Leeg: het netwerk heeft geen "
            "API; dan noemen we alleen zijn naam bij een postcode in zijn werkgebied."
        ),
    )
    website = models.URLField(
        _("website"),
        max_length=300,
        blank=True,
        help_text=_("De openbare website van het netwerk, voor wie buiten ons gebied zoekt."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("werkgebied (gemeenten)"),
        related_name="covering_neighbours",
        blank=True,
        help_text=_(
            "De gemeenten die dit netwerk dekt. Een postcode daar krijgt op de antwoordpagina's "
            "de naam van dit netwerk."
        ),
    )
    is_active = models.BooleanField(
        _("actief"),
        default=True,
        help_text=_(
            "Alleen actieve buren worden gesynchroniseerd en getoond. Zet uit in plaats van "
            "verwijderen om de buren tijdelijk niet te tonen."
        ),
    )
    created_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)
    last_synced_at = models.DateTimeField(_("laatst gesynchroniseerd"), null=True, blank=True)
    last_sync_outcome = models.CharField(
        _("uitkomst"), max_length=10, choices=SyncOutcome.choices, blank=True, default=""
    )
    last_sync_message = models.TextField(_("melding van de laatste synchronisatie"), blank=True)

    history = HistoricalRecords(
        excluded_fields=["last_synced_at", "last_sync_outcome", "last_sync_message"],
        m2m_fields=["municipalities"],
    )

    objects = NeighbourNetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("buurnetwerk")
        verbose_name_plural = _("buurnetwerken")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["api_url"], condition=~models.Q(api_url=""), name="neighbour_api_url_once"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if not (self.api_url or "").strip():
            self.api_url = ""
            return
        self.api_url = normalise_api_url(self.api_url)
        if settings.NEIGHBOUR_HTTPS_ONLY and not self.api_url.startswith("https://"):
            raise ValidationError(
                {"api_url": _("Het adres moet met https:// beginnen.")}, code="https_only"
            )

    def record_outcome(self, outcome: str, message: str, moment) -> None:
        """The sync's outcome, written without a history row (it is not a change of the
        registration)."""
        NeighbourNetwork.objects.filter(pk=self.pk).update(
            last_synced_at=moment, last_sync_outcome=outcome, last_sync_message=message
        )
        self.last_synced_at, self.last_sync_outcome, self.last_sync_message = (
            moment,
            outcome,
            message,
        )


class CopiesQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(neighbour__is_active=True)


class NeighbourOrganisation(models.Model):
    """An organisation of a neighbour, as it was when fetched."""

    neighbour = models.ForeignKey(
        NeighbourNetwork,
        verbose_name=_("buurnetwerk"),
        on_delete=models.CASCADE,
        related_name="organisations",
    )
    source_id = models.UUIDField(_("id bij de buren"))
    name = models.CharField(_("naam"), max_length=300)
    description = models.TextField(_("omschrijving"), blank=True)
    phone = PhoneNumberField(_("telefoon"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("gemeenten"),
        related_name="neighbour_organisations",
        blank=True,
        help_text=_("De gemeenten van haar adressen."),
    )
    fetched_at = models.DateTimeField(_("opgehaald op"))

    objects = CopiesQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisatie van de buren")
        verbose_name_plural = _("organisaties van de buren")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbour", "source_id"], name="neighbour_organisation_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class NeighbourLine(models.Model):
    """A service of a neighbour that one can call (it has a phone number), as it was when
    fetched: their consultation and crisis lines."""

    neighbour = models.ForeignKey(
        NeighbourNetwork,
        verbose_name=_("buurnetwerk"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    source_id = models.UUIDField(_("id bij de buren"))
    organisation = models.ForeignKey(
        NeighbourOrganisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="lines",
        null=True,
        blank=True,
    )
    name = models.CharField(_("naam"), max_length=300)
    description = models.TextField(_("omschrijving"), blank=True)
    phone = PhoneNumberField(_("telefoon"))
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("gemeenten"),
        related_name="neighbour_lines",
        blank=True,
        help_text=_(
            "De gemeenten van haar werkgebied, en die van de adressen van haar organisatie."
        ),
    )
    fetched_at = models.DateTimeField(_("opgehaald op"))

    objects = CopiesQuerySet.as_manager()

    class Meta:
        verbose_name = _("lijn van de buren")
        verbose_name_plural = _("lijnen van de buren")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["neighbour", "source_id"], name="neighbour_line_once")
        ]

    def __str__(self) -> str:
        return self.name
