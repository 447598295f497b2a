"""Numbers that are always there, whatever our network knows: the national ones (112, 113
Zelfmoordpreventie, the national palliative consultation line) and, where a network enters one,
the huisartsenpost of a set of municipalities.

They are reference data: shipped in fixtures/nl_national_lines.csv and added by
`load_reference_data` when missing (`netwerk.reference.loaders.reference_lines_load`); the
administrators keep them in the admin from then on. A number for professionals only is never
shown to a visitor who has not signed in (`ReferenceLineQuerySet.for_audience_of`).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netwerk.reference.audience import Audience, audiences_for
from netwerk.reference.geography import Municipality

# As people write them: "112", "0800-0113", "088 605 14 44", "+31 88 6051444".
NUMBER_RE = re.compile(r"^\+?[0-9](?:[0-9 \-]{0,18}[0-9])?$")


def validate_number(value: str) -> None:
    if not NUMBER_RE.match(value or "") or len(re.sub(r"\D", "", value)) < 3:
        raise ValidationError(
            _("Schrijf het nummer met cijfers, eventueel met spaties of streepjes (0800-0113)."),
            code="invalid_number",
        )


class ReferenceLineQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_audience_of(self, user):
        return self.filter(audience__in=audiences_for(user))

    def fitting(self, municipality: Municipality | None):
        """The national numbers, and those for the municipality when one is known."""
        national = models.Q(municipalities__isnull=True)
        if municipality is None:
            return self.filter(national)
        return self.filter(national | models.Q(municipalities=municipality)).distinct()


class ReferenceLine(models.Model):
    slug = models.SlugField(
        _("code"),
        max_length=100,
        unique=True,
        help_text=_(
            "Vaste sleutel van het nummer. Bij het laden van de referentiegegevens wordt een "
            "meegeleverd nummer met deze code niet opnieuw toegevoegd."
        ),
    )
    name = models.CharField(_("naam"), max_length=150)
    number = models.CharField(
        _("nummer"),
        max_length=20,
        validators=[validate_number],
        help_text=_("Zoals u het belt en schrijft: 112, 0800-0113, 088-6051444."),
    )
    audience = models.CharField(
        _("voor wie"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    when_to_call = models.CharField(
        _("wanneer bellen"),
        max_length=300,
        help_text=_("Eén korte zin, bijvoorbeeld: Direct levensgevaar."),
    )
    hours = models.CharField(_("bereikbaar"), max_length=100, default="24/7")
    source = models.CharField(
        _("bron"), max_length=200, blank=True, help_text=_("Waar het nummer is nagekeken.")
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("gemeenten"),
        related_name="reference_lines",
        blank=True,
        help_text=_(
            "Leeg: een landelijk nummer, getoond bij elke postcode. Gevuld: alleen voor deze "
            "gemeenten, zoals de huisartsenpost van die gemeenten."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("volgorde"), default=100, help_text=_("Lager staat eerder.")
    )
    is_active = models.BooleanField(
        _("actief"),
        default=True,
        help_text=_(
            "Zet uit in plaats van verwijderen: een verwijderd meegeleverd nummer komt bij het "
            "volgende laden van de referentiegegevens terug."
        ),
    )

    history = HistoricalRecords(m2m_fields=["municipalities"])

    objects = ReferenceLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("algemeen nummer")
        verbose_name_plural = _("algemene nummers (112, 113, huisartsenpost)")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    @property
    def dial(self) -> str:
        """What a tel: link dials: the digits, and a leading + when written."""
        digits = re.sub(r"\D", "", self.number)
        return f"+{digits}" if self.number.strip().startswith("+") else digits

    @property
    def for_professionals(self) -> bool:
        return self.audience == Audience.PROFESSIONALS
