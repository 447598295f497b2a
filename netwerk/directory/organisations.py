"""Organisations: the hospices, GGZ institutions, teams and services on the map."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, PostcodeArea, Region


class OrganisationKind(models.TextChoices):
    """Values appear in public URLs (`?soort=hospice`), so they are Dutch and stable."""

    HOSPICE = "hospice", _("Hospice")
    MENTAL_HEALTH = "ggz", _("GGZ-instelling")
    ADDICTION_CARE = "verslavingszorg", _("Verslavingszorg")
    HOME_CARE = "thuiszorg", _("Thuiszorg")
    GENERAL_PRACTICE = "huisarts", _("Huisartsenpraktijk / PaTz-groep")
    HOSPITAL = "ziekenhuis", _("Ziekenhuis")
    NURSING_HOME = "verpleeghuis", _("Verpleeghuis")
    CONSULTATION_TEAM = "consultatieteam", _("Consultatieteam palliatieve zorg")
    VOLUNTEERS = "vptz", _("Vrijwilligers palliatieve terminale zorg (VPTZ)")
    PUBLIC_HEALTH = "ggd", _("GGD")
    SHELTER = "opvang", _("Maatschappelijke opvang")
    OTHER = "overig", _("Overig")


class OrganisationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def without_search_documents(self):
        """Leave the (large) search columns in the database when only showing organisations."""
        return self.defer("search_name", "search_document", "search_vector")

    def serving(self, municipality: Municipality):
        """Organisations whose service area includes the municipality, or with a location whose
        postcode lies in it (the postcode decides, not the location's stored municipality)."""
        serving = Organisation.service_area.through.objects.filter(municipality=municipality)
        locations = self.model._meta.get_field("locations").related_model.objects
        located = locations.filter(postcode_area__municipality=municipality)
        return self.filter(
            models.Q(pk__in=serving.values("organisation"))
            | models.Q(pk__in=located.values("organisation"))
        )

    def in_regions(self, regions: models.QuerySet[Region]):
        """Organisations in any of the regions: a location's postcode or the service area
        reaches one of their PC4 areas (the rule is in Region's docstring)."""
        # Locations belong to organisations (locations.py imports this module): reached
        # through the relation rather than imported.
        locations = self.model._meta.get_field("locations").related_model.objects
        areas = PostcodeArea.objects.in_regions(regions)
        located = locations.in_postcode_areas(areas).values("organisation")
        serving = Organisation.service_area.through.objects.filter(
            municipality__in=areas.values("municipality")
        ).values("organisation")
        return self.filter(models.Q(pk__in=located) | models.Q(pk__in=serving))

    def in_region(self, region: Region):
        return self.in_regions(Region.objects.filter(pk=region.pk))


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(
        _("soort"), max_length=30, choices=OrganisationKind.choices, db_index=True
    )
    description = models.TextField(_("omschrijving"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = PhoneNumberField(_("telefoonnummer"), blank=True)
    service_area = models.ManyToManyField(
        Municipality,
        verbose_name=_("werkgebied"),
        related_name="organisations_serving",
        blank=True,
        help_text=_("De gemeenten waar de organisatie zorg of ondersteuning biedt."),
    )
    expertise = models.ManyToManyField(
        ExpertiseTag, verbose_name=_("expertise"), related_name="organisations", blank=True
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("redacteuren"),
        related_name="edited_organisations",
        blank=True,
        help_text=_(
            "Gebruikers die de gegevens en beschikbaarheid van deze organisatie bijwerken."
        ),
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=True, db_index=True)
    last_verified_on = models.DateField(_("laatst gecontroleerd op"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("laatst gecontroleerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Maintained by netwerk.search.documents.organisations_search_refresh; never edited by hand.
    search_name = models.TextField(editable=False, default="")
    search_document = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(editable=False, null=True)
    # The open data's stable identifier (HSDS `id`): never changes, never reused.
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True, db_index=True)

    # Every change is kept, with who made it; the service area and expertise too. Not the
    # editors: who may edit is access, managed by administrators, and a coordinator reverting
    # the organisation's details must neither grant nor take away anyone's access.
    history = HistoricalRecords(
        m2m_fields=["service_area", "expertise"],
        excluded_fields=["search_name", "search_document", "search_vector"],
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("netwerk:organisation", kwargs={"slug": self.slug})

    def regions(self) -> models.QuerySet[Region]:
        """The regions the organisation lies in (the rule is in Region's docstring)."""
        reached = PostcodeArea.objects.filter(
            models.Q(pk__in=self.locations.values("postcode_area"))
            | models.Q(municipality__in=self.service_area.values("pk"))
        )
        return Region.objects.reaching(reached)

    def mark_verified(self, *, by, on=None) -> None:
        """Record that a coordinator checked the details (the caller saves)."""
        self.last_verified_on = on or timezone.localdate()
        self.last_verified_by = by if by is not None and by.is_authenticated else None
