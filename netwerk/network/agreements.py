"""Collaboration agreements between two or more organisations (consultation, admission, shared
care protocols), shown on each partner's page and in the network view. An agreement past its
review date is on the coordinators' "te controleren" list."""

from collections import Counter
from datetime import date
from itertools import combinations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netwerk.directory.organisations import Organisation, OrganisationKind


class AgreementKind(models.TextChoices):
    CONSULTATION = "consultatie", _("Consultatieafspraak")
    ADMISSION = "opname", _("Opname-afspraak")
    SHARED_CARE = "zorgprotocol", _("Gedeeld zorgprotocol")
    OTHER = "overig", _("Andere afspraak")


class AgreementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_partner(self, organisation: Organisation):
        return self.filter(
            pk__in=self.model.partners.through.objects.filter(organisation=organisation).values(
                "agreement"
            )
        )

    def due_for_review(self, today: date | None = None):
        """Agreements whose review date has passed, the longest overdue first."""
        return self.filter(review_on__lt=today or timezone.localdate()).order_by(
            "review_on", "title"
        )


class Agreement(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=AgreementKind.choices)
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partners"),
        related_name="agreements",
        help_text=_("Twee of meer organisaties."),
    )
    starts_on = models.DateField(_("ingangsdatum"))
    review_on = models.DateField(
        _("evaluatiedatum"),
        null=True,
        blank=True,
        help_text=_("Daarna staat de afspraak bij de coördinatoren op ‘te controleren’."),
    )
    description = models.TextField(
        _("korte omschrijving"), max_length=1000, help_text=_("Openbaar: staat op de kaart.")
    )
    document_url = models.URLField(
        _("document"), blank=True, help_text=_("Een link naar de afspraak zelf (niet verplicht).")
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    history = HistoricalRecords(m2m_fields=["partners"])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("samenwerkingsafspraak")
        verbose_name_plural = _("samenwerkingsafspraken")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


def partnership_matrix(agreements: models.QuerySet[Agreement]) -> dict:
    """Who works with whom, by kind of organisation: for every pair of kinds, the number of
    agreements joining an organisation of the one kind with one of the other. One query."""
    rows = Agreement.partners.through.objects.filter(agreement__in=agreements).values_list(
        "agreement_id", "organisation__kind"
    )
    partners_of = {}
    for agreement_id, kind in rows:
        partners_of.setdefault(agreement_id, []).append(kind)
    pairs = Counter()
    for kinds in partners_of.values():
        # Each agreement counts once per pair of kinds it joins (two hospices: hospice × hospice).
        joined = {tuple(sorted(pair)) for pair in combinations(kinds, 2)}
        for a, b in joined:
            pairs[(a, b)] += 1
            if a != b:
                pairs[(b, a)] += 1
    kinds_of = partners_of
    present = sorted({kind for kinds in kinds_of.values() for kind in kinds})
    labels = dict(OrganisationKind.choices)
    return {
        "kinds": [(kind, labels.get(kind, kind)) for kind in present],
        "rows": [
            (labels.get(kind, kind), [pairs.get((kind, other), 0) for other in present])
            for kind in present
        ],
    }
