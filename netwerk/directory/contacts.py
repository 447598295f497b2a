"""Contacts: a person or a function at an organisation, shown as visibility and consent allow."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from netwerk.directory.access import editable_organisations, two_factor_pending
from netwerk.directory.organisations import Organisation
from netwerk.reference.expertise import ExpertiseTag


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Openbaar")
    PROFESSIONALS = "professionals", _("Alleen voor professionals")
    COORDINATORS = "coordinators", _("Alleen voor coördinatoren")


def visibilities_for(user) -> list[str]:
    """The visibility levels a user may see anywhere: visitors public, signed-in users also
    professional. Contacts for coordinators only are added per organisation (visible_to)."""
    if user is None or not user.is_authenticated:
        return [Visibility.PUBLIC]
    return [Visibility.PUBLIC, Visibility.PROFESSIONALS]


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Contacts the user may see; a named person only once their consent is recorded.
        Contacts for coordinators only are for those who may change the organisation in the
        admin: administrators, its region's coordinators and its editors."""
        person_without_consent = models.Q(is_person=True, consent_recorded_on__isnull=True)
        visible = models.Q(visibility__in=visibilities_for(user))
        if user is not None and user.is_authenticated and not two_factor_pending(user):
            visible |= models.Q(
                visibility=Visibility.COORDINATORS,
                organisation__in=editable_organisations(user).values("pk"),
            )
        return self.filter(visible).exclude(person_without_consent)


class Contact(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(
        _("naam"),
        max_length=150,
        help_text=_("Een persoon (“Dr. A. de Vries”) of een functie (“dienstdoende psychiater”)."),
    )
    is_person = models.BooleanField(
        _("is een persoon"),
        default=True,
        help_text=_("Persoonsgegevens worden pas getoond als de toestemming is vastgelegd."),
    )
    role = models.CharField(_("rol of functie"), max_length=150, blank=True)
    phone = PhoneNumberField(_("telefoonnummer"), blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    expertise = models.ManyToManyField(
        ExpertiseTag, verbose_name=_("expertise"), related_name="contacts", blank=True
    )
    visibility = models.CharField(
        _("zichtbaarheid"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PROFESSIONALS,
    )
    consent_recorded_on = models.DateField(
        _("toestemming vastgelegd op"),
        null=True,
        blank=True,
        help_text=_("De datum waarop deze persoon toestemming gaf om gegevens te tonen."),
    )
    consent_note = models.CharField(
        _("toelichting toestemming"),
        max_length=250,
        blank=True,
        help_text=_("Hoe en door wie de toestemming is vastgelegd."),
    )

    # The open data's stable identifier (HSDS `id`): never changes, never reused.
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords(m2m_fields=["expertise"])
    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name

    def get_absolute_url(self) -> str:
        return self.organisation.get_absolute_url()
