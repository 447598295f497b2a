"""Availability updates of places and their history.

Every write of a place's availability — the admin (place form and organisation inline),
"Mijn plekken" and the update links — goes through `place_availability_update`, which stamps the
place and keeps an `AvailabilityChange`: when, by whom or through which link, old and new status.
A confirmation of an unchanged status is kept too: it is what makes the status fresh again.
"""

from collections import defaultdict
from datetime import date, datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerk.places.places import Availability, CareSetting, Place, free_places_error


class AvailabilityChange(models.Model):
    place = models.ForeignKey(
        Place, verbose_name=_("plek"), on_delete=models.CASCADE, related_name="availability_changes"
    )
    changed_at = models.DateTimeField(_("op"), default=timezone.now, db_index=True)
    old_availability = models.CharField(
        _("was"), max_length=20, choices=Availability.choices, blank=True
    )
    new_availability = models.CharField(_("werd"), max_length=20, choices=Availability.choices)
    free_places = models.PositiveSmallIntegerField(_("vrije plekken"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=250, blank=True)
    expected_on = models.DateField(_("verwacht beschikbaar op"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    link = models.ForeignKey(
        "netwerk.UpdateLink",
        verbose_name=_("via bijwerklink"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="availability_changes",
    )

    class Meta:
        verbose_name = _("wijziging van beschikbaarheid")
        verbose_name_plural = _("wijzigingen van beschikbaarheid")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        old = self.get_old_availability_display() or "–"
        return f"{self.place}: {old} → {self.get_new_availability_display()}"

    @property
    def source(self) -> str:
        """Who made the change, as coordinators read it."""
        if self.link_id:
            return _("bijwerklink #%(number)d") % {"number": self.link_id}
        if self.changed_by_id:
            return self.changed_by.get_username()
        return _("onbekend")


@transaction.atomic
def place_availability_update(
    *,
    place: Place,
    availability: str,
    free_places: int | None = None,
    note: str = "",
    expected_on: date | None = None,
    by=None,
    link=None,
    at: datetime | None = None,
) -> AvailabilityChange:
    """Set the place's availability (and how many places are free, when known), stamp it as
    fresh and keep the change. "Vol" is 0 free places, whatever number came with it; a number
    that does not fit the status or the capacity is a ValueError (the forms say why in Dutch
    first).

    A place that is not yet saved is saved in full; a saved one only in its availability fields,
    so that a form saving the rest afterwards (the admin) loses nothing.
    """
    if availability not in Availability.values:
        raise ValueError(f"Unknown availability {availability!r}")
    if availability == Availability.FULL:
        free_places = 0
    elif error := free_places_error(availability, free_places, place.capacity):
        raise ValueError(str(error))
    at = at or timezone.now()
    previous = ""
    if place.pk is not None:
        previous = (
            Place.objects.select_for_update()
            .filter(pk=place.pk)
            .values_list("availability", flat=True)
            .first()
        ) or ""
    place.availability = availability
    place.free_places = free_places
    place.availability_note = note or ""
    place.availability_expected_on = expected_on
    place.mark_availability_updated(by=by, at=at)
    if place.pk is None or not previous:
        place.save()
    else:
        place.save(
            update_fields=[
                "availability",
                "free_places",
                "availability_note",
                "availability_expected_on",
                "availability_updated_at",
                "availability_updated_by",
            ]
        )
    if link is not None:
        type(link).objects.filter(pk=link.pk).update(last_used_at=at)
    return AvailabilityChange.objects.create(
        place=place,
        changed_at=at,
        old_availability=previous,
        new_availability=availability,
        free_places=free_places,
        note=place.availability_note,
        expected_on=expected_on,
        changed_by=place.availability_updated_by,
        link=link,
    )


def monthly_counts(changes, year: int) -> list[dict]:
    """Per month and setting: how many updates, and how many said available / on request / full.

    Input for the yearly evaluation ("how often were places available?"). One query.
    """
    rows = (
        changes.filter(changed_at__year=year)
        .annotate(month=TruncMonth("changed_at"))
        .values("month", "place__setting", "new_availability")
        .annotate(count=models.Count("pk"))
        .order_by()
    )
    table: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(Availability.values, 0))
    for row in rows:
        table[(row["month"].date(), row["place__setting"])][row["new_availability"]] += row["count"]
    setting_labels = dict(CareSetting.choices)
    setting_order = {value: index for index, value in enumerate(CareSetting.values)}
    return [
        {
            "month": month,
            "setting": setting_labels.get(setting, setting),
            "total": sum(counts.values()),
            **counts,
        }
        for (month, setting), counts in sorted(
            table.items(), key=lambda item: (item[0][0], setting_order.get(item[0][1], 99))
        )
    ]
