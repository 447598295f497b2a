"""Places (beschikbare plekken): hospice beds, institution places and care at home, with terms."""

import operator
import uuid
from datetime import datetime, timedelta
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.functions import Collate, Concat, Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.places.finder import (
    ACCEPTANCE_RANK,
    ADDICTION,
    AVAILABILITY_RANK,
    BOTH,
    IN_CONSULTATION,
    NO,
    PSYCHIATRY,
    UNKNOWN,
    YES,
    Candidate,
    rank,
)
from netwerk.reference.distance import Point, distance_expression


class CareSetting(models.TextChoices):
    """Values appear in public URLs (`?zorgsetting=hospice`)."""

    HOSPICE = "hospice", _("Hospice")
    INSTITUTION = "instelling", _("Instelling")
    HOME = "thuis", _("Thuis")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Beschikbaar")
    ON_REQUEST = "on_request", _("Op aanvraag")
    FULL = "full", _("Vol")


class Acceptance(models.TextChoices):
    YES = "yes", _("Ja")
    IN_CONSULTATION = "consult", _("In overleg")
    NO = "no", _("Nee")


def acceptance_field(label: str) -> models.CharField:
    return models.CharField(
        label, max_length=10, choices=Acceptance.choices, default=Acceptance.IN_CONSULTATION
    )


class PlaceQuerySet(models.QuerySet):
    def fresh(self, now: datetime | None = None):
        """Places whose availability was updated within their setting's freshness period."""
        return self.filter(fresh_condition(now))

    def stale(self, now: datetime | None = None):
        return self.exclude(fresh_condition(now))

    def available(self, now: datetime | None = None):
        """Places known to be available: the status says so and it is fresh."""
        return self.fresh(now).filter(availability=Availability.AVAILABLE)


AVAILABILITY_FIELDS = {
    "availability",
    "free_places",
    "availability_note",
    "availability_expected_on",
}


def free_places_error(availability: str, free: int | None, capacity: int | None) -> str | None:
    """Why a number of free places does not fit the status or the capacity, in Dutch; None when
    it fits. The number is optional. "Vol" wins: a full place has 0 free places whatever number
    came with it (`Place.save` and the availability update make it 0, so one tap on "vol"
    never fails on a number left in the field); "beschikbaar" with 0 free places is refused,
    since which of the two is wrong cannot be guessed."""
    if free is None or availability == Availability.FULL:
        return None
    if free < 0:
        return _("Het aantal vrije plekken kan niet negatief zijn.")
    if capacity is not None and free > capacity:
        return _("Er zijn niet meer dan %(capacity)s plekken: kies 0 tot en met %(capacity)s.") % {
            "capacity": capacity
        }
    if availability == Availability.AVAILABLE and free == 0:
        return _("Bij 0 vrije plekken is de plek vol: kies “vol” of vul het aantal in.")
    return None


def freshness_days(setting: str | None = None) -> int:
    """How many days an availability status stays trustworthy for places in this setting."""
    by_setting = getattr(settings, "PLACE_FRESHNESS_DAYS_BY_SETTING", {})
    return by_setting.get(setting, settings.PLACE_FRESHNESS_DAYS)


def freshness_cutoff(now: datetime | None = None, setting: str | None = None) -> datetime:
    """Availability updated before this moment is stale."""
    return (now or timezone.now()) - timedelta(days=freshness_days(setting))


def fresh_condition(now: datetime | None = None) -> models.Q:
    # One branch per setting, so that each setting keeps its own freshness period in one query.
    return reduce(
        operator.or_,
        (
            models.Q(setting=setting, availability_updated_at__gte=freshness_cutoff(now, setting))
            for setting in CareSetting.values
        ),
    )


class Place(models.Model):
    # The organisation is kept beside the location so that places are edited inline on the
    # organisation's admin page and scoped by organisation without a join.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.CASCADE, related_name="places"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("vestiging"), on_delete=models.CASCADE, related_name="places"
    )
    name = models.CharField(
        _("naam"), max_length=150, blank=True, help_text=_("Bijvoorbeeld “Kamer 3” of “GGZ-bed”.")
    )
    setting = models.CharField(
        _("zorgsetting"), max_length=20, choices=CareSetting.choices, db_index=True
    )
    capacity = models.PositiveSmallIntegerField(_("aantal plekken"), default=1)
    accepts_severe_mental_illness = acceptance_field(_("ernstige psychiatrische aandoening (EPA)"))
    accepts_active_substance_use = acceptance_field(_("actief middelengebruik"))
    accepts_opioid_substitution = acceptance_field(_("opiaatvervanging (methadon)"))
    accepts_one_to_one_supervision = acceptance_field(_("gedrag dat 1-op-1-begeleiding vraagt"))
    allows_smoking = acceptance_field(_("roken toegestaan"))
    admission_conditions = models.TextField(_("overige opnamevoorwaarden"), blank=True)
    availability = models.CharField(
        _("beschikbaarheid"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.ON_REQUEST,
        db_index=True,
    )
    free_places = models.PositiveSmallIntegerField(
        _("vrije plekken"),
        null=True,
        blank=True,
        help_text=_(
            "Hoeveel van de plekken nu vrij zijn (niet verplicht). Bij “vol” is dit 0; leeg: "
            "alleen de status wordt getoond."
        ),
    )
    availability_note = models.CharField(
        _("toelichting beschikbaarheid"), max_length=250, blank=True
    )
    availability_expected_on = models.DateField(_("verwacht beschikbaar op"), null=True, blank=True)
    availability_updated_at = models.DateTimeField(
        _("beschikbaarheid bijgewerkt op"), null=True, blank=True, db_index=True
    )
    availability_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beschikbaarheid bijgewerkt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The open data's stable identifier (HSDS `id`): never changes, never reused.
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()
    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("plek")
        verbose_name_plural = _("plekken")
        ordering = ["organisation__name", "setting", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=0),
                name="place_capacity_not_negative",
                violation_error_message=_("Het aantal plekken kan niet negatief zijn."),
            ),
            models.CheckConstraint(
                condition=models.Q(free_places__isnull=True)
                | models.Q(free_places__lte=models.F("capacity")),
                name="place_free_places_within_capacity",
                violation_error_message=_("Er kunnen niet meer plekken vrij zijn dan er zijn."),
            ),
        ]

    def __str__(self) -> str:
        label = self.name or self.get_setting_display()
        return f"{label} – {self.location}"

    def save(self, *args, **kwargs):
        # "Vol" is 0 free places, whatever path the status came by (an import, a shell).
        if self.availability == Availability.FULL:
            self.free_places = 0
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.location.get_absolute_url()

    def clean(self) -> None:
        if (
            self.location_id
            and self.organisation_id
            and self.location.organisation_id != self.organisation_id
        ):
            raise ValidationError({"location": _("Kies een vestiging van deze organisatie.")})
        error = free_places_error(self.availability, self.free_places, self.capacity)
        if error:
            raise ValidationError({"free_places": error})

    @property
    def free_places_text(self) -> str:
        """ "2 van 6 plekken vrij", or "" when the number is not known."""
        if self.free_places is None:
            return ""
        return ngettext(
            "%(free)s van %(capacity)s plek vrij",
            "%(free)s van %(capacity)s plekken vrij",
            self.capacity,
        ) % {"free": self.free_places, "capacity": self.capacity}

    def mark_availability_updated(self, *, by, at: datetime | None = None) -> None:
        self.availability_updated_at = at or timezone.now()
        self.availability_updated_by = by if by is not None and by.is_authenticated else None

    def is_stale(self, now: datetime | None = None) -> bool:
        updated = self.availability_updated_at
        return updated is None or updated < freshness_cutoff(now, self.setting)

    def availability_age_days(self, now: datetime | None = None) -> int | None:
        """Whole days since the last update (0 within the first 24 hours); None if never."""
        if self.availability_updated_at is None:
            return None
        return max(0, ((now or timezone.now()) - self.availability_updated_at).days)

    def staleness_warning(self, now: datetime | None = None) -> str:
        """In words, for the coordinator: why the public site does not show this availability."""
        if not self.is_stale(now):
            return ""
        if self.availability_updated_at is None:
            return _(
                "De beschikbaarheid van deze plek is nog nooit bijgewerkt. Op de openbare site "
                "staat ze als ‘onbekend’ tot u haar bijwerkt."
            )
        return _(
            "De beschikbaarheid is voor het laatst bijgewerkt op %(date)s, %(age)s dagen geleden: "
            "langer dan de %(limit)s dagen dat ze geldig blijft. Op de openbare site staat ze als "
            "‘onbekend’ tot u haar bijwerkt."
        ) % {
            "date": date_format(timezone.localtime(self.availability_updated_at), "j F Y"),
            "age": self.availability_age_days(now),
            "limit": freshness_days(self.setting),
        }

    def public_availability(self, now: datetime | None = None) -> str | None:
        """The status a visitor may rely on: None when it is too old to be trusted."""
        return None if self.is_stale(now) else self.availability


RANKING_COLUMNS = (
    "pk",
    "setting",
    "name",
    "organisation_id",
    "organisation__name",
    "accepts_severe_mental_illness",
    "accepts_active_substance_use",
    "availability",
    "availability_updated_at",
    "location__latitude",
    "location__longitude",
)


def places_ranked_for(
    *, setting, expertise, background: str, area, limit: int | None = None
) -> tuple[int, list[dict]]:
    """'Plek zoeken': how many published places fit the question, and the best `limit` of them
    (all when None), ranked by fit, availability and distance from the postcode area
    (netwerk.places.finder). Ranking reads plain rows; only the places shown become objects.

    With a limit the database orders the places by the same keys first and only the best
    `limit + RANKING_MARGIN` rows are ranked in Python (`finder.rank` decides the order), so
    the page costs the same at 100 and at 10,000 organisations."""
    rows = Place.objects.filter(organisation__is_published=True)
    if setting:
        rows = rows.filter(setting=setting)
    expert_ids = set(expertise.organisations.values_list("pk", flat=True)) if expertise else set()
    cutoffs = {value: freshness_cutoff(setting=value) for value in CareSetting.values}
    origin = Point(area.latitude, area.longitude) if area else None
    count = None
    if limit is not None:
        count = rows.count()
        rows = best_first(rows, background, expertise, cutoffs, origin)[: limit + RANKING_MARGIN]
    candidates = [candidate_from(row, expert_ids, cutoffs) for row in rows.values(*RANKING_COLUMNS)]
    matches = rank(candidates, background=background, origin=origin)
    shown = matches if limit is None else matches[:limit]
    places = Place.objects.select_related("organisation", "location").in_bulk(
        [match.candidate.key for match in shown]
    )
    results = [{"match": match, "place": places[match.candidate.key]} for match in shown]
    return (len(matches) if count is None else count), results


# Rows ranked in Python beyond those shown: the database's distances may differ from Python's in
# the last bits, which can only swap places whose distances are equal to within those bits.
RANKING_MARGIN = 25


def best_first(rows, background: str, expertise, cutoffs: dict, origin: Point | None):
    """The places in the order of `finder.sort_key`, written in SQL: fit, expertise,
    availability (unknown when stale), distance (unknown last), name (by code point, as Python
    compares strings); places equal in all of these by setting and id (the full ranking leaves
    them in the order of Place's default ordering, which is the same up to the id)."""

    def acceptance(field):
        return models.Case(
            models.When(**{field: YES}, then=ACCEPTANCE_RANK[YES]),
            models.When(**{field: IN_CONSULTATION}, then=ACCEPTANCE_RANK[IN_CONSULTATION]),
            default=ACCEPTANCE_RANK[NO],
        )

    psychiatry = acceptance("accepts_severe_mental_illness")
    addiction = acceptance("accepts_active_substance_use")
    fit = {PSYCHIATRY: psychiatry, ADDICTION: addiction, BOTH: Greatest(psychiatry, addiction)}
    fresh = reduce(
        operator.or_,
        (
            models.Q(setting=value, availability_updated_at__gte=cutoff)
            for value, cutoff in cutoffs.items()
        ),
    )
    availability = models.Case(
        *(
            models.When(fresh & models.Q(availability=value), then=AVAILABILITY_RANK[value])
            for value in Availability.values
        ),
        default=AVAILABILITY_RANK[UNKNOWN],
    )
    keys = {"rank_fit": fit[background]}
    if expertise:  # (a constant in ORDER BY would name a column)
        keys["rank_expertise"] = models.Case(
            models.When(organisation__in=expertise.organisations.values("pk"), then=0),
            default=1,
        )
    keys["rank_availability"] = availability
    order = [*keys]
    if origin:
        keys["rank_distance"] = distance_expression(origin, "location__")
        order.append(models.F("rank_distance").asc(nulls_last=True))
    byte_order = "C" if connection.vendor == "postgresql" else "BINARY"
    keys["rank_name"] = Collate(Concat("organisation__name", models.Value(" "), "name"), byte_order)
    return rows.alias(**keys).order_by(*order, "rank_name", "setting", "pk")


def candidate_from(row: dict, expert_ids: set, cutoffs: dict) -> Candidate:
    updated = row["availability_updated_at"]
    fresh = updated is not None and updated >= cutoffs[row["setting"]]
    latitude, longitude = row["location__latitude"], row["location__longitude"]
    return Candidate(
        key=row["pk"],
        name=f"{row['organisation__name']} {row['name']}",
        accepts_psychiatry=row["accepts_severe_mental_illness"],
        accepts_addiction=row["accepts_active_substance_use"],
        availability=row["availability"] if fresh else UNKNOWN,
        point=Point(latitude, longitude)
        if latitude is not None and longitude is not None
        else None,
        has_expertise=row["organisation_id"] in expert_ids,
    )
