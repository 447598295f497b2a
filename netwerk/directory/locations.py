"""Locations (vestigingen): where an organisation is, and so where its map markers stand."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from netwerk.directory.geocoding import address_position
from netwerk.directory.organisations import Organisation
from netwerk.reference.geography import (
    Municipality,
    PostcodeArea,
    normalise_postcode,
    validate_postcode,
)


class PositionSource(models.TextChoices):
    ADDRESS = "adres", _("adres (PDOK Locatieserver)")
    POSTCODE = "postcode", _("midden van het PC4-gebied")


class LocationQuerySet(models.QuerySet):
    def link_postcode_areas(self) -> int:
        """Give each of these locations the PC4 area of its postcode (after reference data
        arrive, or a change outside `save`); how many were updated."""
        area = PostcodeArea.objects.filter(pc4=Substr(OuterRef("postcode"), 1, 4)).values("pk")
        return self.update(postcode_area=Subquery(area[:1]))

    def in_postcode_areas(self, areas: models.QuerySet[PostcodeArea]):
        """Locations whose postcode lies in one of the PC4 areas (an integer join)."""
        return self.filter(postcode_area__in=areas.values("pk"))


class Location(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="locations",
    )
    name = models.CharField(
        _("naam van de vestiging"),
        max_length=200,
        blank=True,
        help_text=_("Alleen invullen als de vestiging een eigen naam heeft."),
    )
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[validate_postcode])
    city = models.CharField(_("plaats"), max_length=100)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="locations",
        null=True,
        blank=True,
        help_text=_("Wordt bij opslaan uit de postcode afgeleid als dit leeg is."),
    )
    # The PC4 area of the postcode, kept by every save: what the region rule joins on.
    postcode_area = models.ForeignKey(
        PostcodeArea,
        verbose_name=_("postcodegebied"),
        on_delete=models.SET_NULL,
        related_name="locations",
        null=True,
        blank=True,
        editable=False,
    )
    latitude = models.FloatField(
        _("breedtegraad"),
        null=True,
        blank=True,
        help_text=_("Wordt bij opslaan uit de postcode afgeleid als dit leeg is."),
    )
    longitude = models.FloatField(_("lengtegraad"), null=True, blank=True)
    position_source = models.CharField(
        _("plaats op de kaart volgens"),
        max_length=10,
        choices=PositionSource.choices,
        blank=True,
        help_text=_("Waar de coördinaten vandaan komen; leeg: met de hand ingevuld."),
    )
    phone = PhoneNumberField(_("telefoonnummer"), blank=True)
    notes = models.TextField(_("opmerkingen"), blank=True)

    # The open data's stable identifier (HSDS `id`): never changes, never reused.
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()
    objects = LocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")
        ordering = ["organisation__name", "city", "pk"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_coordinates")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_in_range",
                violation_error_message=_("De breedtegraad moet tussen -90 en 90 liggen."),
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_in_range",
                violation_error_message=_("De lengtegraad moet tussen -180 en 180 liggen."),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="location_coordinates_both_or_neither",
                violation_error_message=_(
                    "Vul zowel breedte- als lengtegraad in, of geen van beide."
                ),
            ),
        ]

    def __str__(self) -> str:
        label = self.name or self.organisation.name
        return f"{label}, {self.city}" if self.city else label

    def save(self, *args, **kwargs) -> None:
        # Geocoding fills this row's own empty fields from the PC4 centroid; nothing else changes.
        self.fill_from_postcode()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.organisation.get_absolute_url()

    @property
    def address(self) -> str:
        street = " ".join(part for part in (self.street, self.house_number) if part)
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (street, place) if part)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def clean(self) -> None:
        try:
            self.postcode = normalise_postcode(self.postcode)
        except ValidationError:
            return  # the field's own validator reports it
        if self.area_of_postcode() is None:
            raise ValidationError(
                {"postcode": _("Postcode %(pc4)s is onbekend.") % {"pc4": self.postcode[:4]}}
            )

    def area_of_postcode(self) -> PostcodeArea | None:
        return PostcodeArea.for_postcode(self.postcode)

    def fill_from_postcode(self) -> None:
        """The postcode's PC4 area; empty coordinates from the address (PDOK, when on) or else
        the PC4 centroid; an empty municipality from the postcode."""
        self.fill_from_area(self.area_of_postcode())

    def fill_from_area(self, area: PostcodeArea | None) -> None:
        """`fill_from_postcode` with the postcode's area already known: a spreadsheet import
        looks up the areas of the whole file at once and writes its locations in bulk."""
        self.postcode_area = area
        if area is None:
            return
        if not self.has_coordinates:
            self.place_on_map(area)
        if not self.municipality_id:
            self.municipality = area.municipality

    def place_on_map(self, area: PostcodeArea) -> None:
        position = address_position(self.postcode, self.house_number)
        if position is not None:
            self.latitude, self.longitude = position
            self.position_source = PositionSource.ADDRESS
        else:
            self.latitude, self.longitude = area.latitude, area.longitude
            self.position_source = PositionSource.POSTCODE
