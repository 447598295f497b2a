"""Expertise tags: what an organisation, contact or line knows about, with search synonyms."""

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ExpertiseCategory(models.TextChoices):
    PSYCHIATRY = "psychiatry", _("Psychiatrie")
    ADDICTION = "addiction", _("Verslaving")
    PALLIATIVE = "palliative", _("Palliatieve zorg")
    SOMATIC = "somatic", _("Somatiek")
    MEANING = "meaning", _("Zingeving en spiritualiteit")
    INTELLECTUAL_DISABILITY = "intellectual_disability", _("Verstandelijke beperking")
    SOCIAL = "social", _("Sociaal domein")
    OTHER = "other", _("Overig")


def name_in_language(name: str, name_en: str) -> str:
    language = get_language() or ""
    return name_en if name_en and language.startswith("en") else name


class ExpertiseTag(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    name_en = models.CharField(
        _("naam in het Engels"),
        max_length=100,
        blank=True,
        help_text=_("Op de Engelse pagina's; leeg: de Nederlandse naam."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    category = models.CharField(
        _("categorie"), max_length=30, choices=ExpertiseCategory.choices, db_index=True
    )
    description = models.TextField(_("omschrijving"), blank=True)
    synonyms = models.TextField(
        _("synoniemen"),
        blank=True,
        help_text=_(
            "Andere woorden waarop gezocht wordt, één per regel of gescheiden door komma's."
        ),
    )

    # The open data's stable identifier (HSDS `id`): never changes, never reused.
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expertise")
        verbose_name_plural = _("expertises")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language: the English one on English pages when there is one,
        else the Dutch one."""
        return name_in_language(self.name, self.name_en)

    @property
    def synonym_list(self) -> list[str]:
        words = self.synonyms.replace(",", "\n").splitlines()
        return [word.strip() for word in words if word.strip()]
