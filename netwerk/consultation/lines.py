"""Consultation and crisis lines: who can be called, for which area, and when."""

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from netwerk.consultation import opening_hours
from netwerk.consultation.holiday_choice import network_holiday_calendar
from netwerk.directory.organisations import Organisation
from netwerk.reference.audience import Audience  # re-exported: its home was here
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, PostcodeArea, Region

# Schedule exceptions and the moment asked about on "Wie bel ik nu?" lie between this date and the
# end of the year this many years ahead; anything else (year 0001, 9999) is a typo. The first day
# is fixed so that an exception once accepted stays valid.
PLANNABLE_FROM = date(2000, 1, 1)
PLANNABLE_YEARS_AHEAD = 10


def plannable_period() -> tuple[date, date]:
    """The first and the last local date that a schedule exception or a chosen moment may use."""
    return PLANNABLE_FROM, date(timezone.localdate().year + PLANNABLE_YEARS_AHEAD, 12, 31)


def is_plannable(moment: datetime) -> bool:
    """Whether the aware ``moment`` lies within :func:`plannable_period`.

    Compares without converting ``moment`` to another zone, which overflows near year 1 or 9999.
    """
    first, last = plannable_period()
    zone = timezone.get_default_timezone()
    starts = datetime.combine(first, time(), zone)
    ends = datetime.combine(last + timedelta(days=1), time(), zone)
    return starts <= moment < ends


def plannable_period_text() -> dict[str, str]:
    """The period's first and last date, written out for a message (``first``, ``last``)."""
    first, last = plannable_period()
    return {"first": date_format(first, "j F Y"), "last": date_format(last, "j F Y")}


class Purpose(models.TextChoices):
    CRISIS = "crisis", _("Acute crisis")
    CONSULTATION = "consultation", _("Consultatie")
    ADVICE = "advice", _("Advies")


class HolidayRule(models.TextChoices):
    REGULAR = opening_hours.HolidayRule.REGULAR, _("Gewone openingstijden")
    CLOSED = opening_hours.HolidayRule.CLOSED, _("Gesloten op feestdagen")
    SUNDAY = opening_hours.HolidayRule.SUNDAY, _("Op feestdagen de zondagtijden")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class ConsultationLineQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organisation__is_published=True)

    def for_audience_of(self, user):
        if user is not None and user.is_authenticated:
            return self
        return self.filter(audience=Audience.PUBLIC)

    def with_schedule(self):
        return self.prefetch_related("schedule_rows", "exceptions")

    def serving_postcode_area(self, area: PostcodeArea):
        regions = Region.objects.containing(area).values("pk")
        return self.filter(
            models.Q(municipalities=area.municipality_id) | models.Q(regions__in=regions)
        ).distinct()

    def serving_municipality(self, municipality: Municipality):
        """Lines for the municipality, or for a region that reaches any of its PC4 areas (the
        rule in Region's docstring: a municipality is a whole, like a service area)."""
        areas = PostcodeArea.objects.filter(municipality=municipality)
        regions = Region.objects.reaching(areas).values("pk")
        return self.filter(
            models.Q(municipalities=municipality) | models.Q(regions__in=regions)
        ).distinct()

    def serving_region(self, region: Region):
        return self.serving_regions(Region.objects.filter(pk=region.pk))

    def serving_regions(self, regions):
        """Lines for the regions, or for a municipality that has PC4 areas in them."""
        areas = PostcodeArea.objects.in_regions(regions)
        return self.filter(
            models.Q(regions__in=regions)
            | models.Q(municipalities__in=areas.values("municipality"))
        ).distinct()


class ConsultationLine(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="consultation_lines",
    )
    name = models.CharField(_("naam"), max_length=200)
    phone = PhoneNumberField(_("telefoonnummer"))
    purpose = models.CharField(_("doel"), max_length=20, choices=Purpose.choices, db_index=True)
    audience = models.CharField(
        _("voor wie"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.PROFESSIONALS,
        db_index=True,
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regio's"), related_name="consultation_lines", blank=True
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("gemeenten"),
        related_name="consultation_lines",
        blank=True,
        help_text=_("Gemeenten die de lijn bedient naast de gekozen regio's."),
    )
    expertise = models.ManyToManyField(
        ExpertiseTag, verbose_name=_("expertise"), related_name="consultation_lines", blank=True
    )
    is_always_open = models.BooleanField(_("24/7 bereikbaar"), default=False)
    holiday_rule = models.CharField(
        _("op feestdagen"),
        max_length=10,
        choices=HolidayRule.choices,
        default=HolidayRule.REGULAR,
    )
    escalates_to = models.ForeignKey(
        "self",
        verbose_name=_("bij geen gehoor of buiten openingstijden"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_from",
        help_text=_("De lijn die gebeld wordt als deze gesloten is of niet opneemt."),
    )
    notes = models.TextField(
        _("aanwijzingen"),
        blank=True,
        help_text=_("Bijvoorbeeld: vraag naar de dienstdoende psychiater."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    # The open data's stable identifier (HSDS `id`): never changes, never reused.
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)

    # Where a line serves and for what decide who sees it in "Wie bel ik nu?": kept too.
    history = HistoricalRecords(m2m_fields=["regions", "municipalities", "expertise"])
    objects = ConsultationLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultatielijn")
        verbose_name_plural = _("consultatielijnen")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(escalates_to=models.F("pk")),
                name="consultationline_not_escalating_to_itself",
                violation_error_message=_("Een lijn kan niet naar zichzelf doorverwijzen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"

    def get_absolute_url(self) -> str:
        return reverse("netwerk:organisation", kwargs={"slug": self.organisation.slug})

    @property
    def is_round_the_clock_crisis_line(self) -> bool:
        """Shown in 'Wie bel ik nu?' whatever expertise is asked for."""
        return self.purpose == Purpose.CRISIS and self.is_always_open

    def schedule(
        self, calendar: opening_hours.HolidayCalendar | None = None
    ) -> opening_hours.Schedule:
        """The line as the opening-hours engine sees it (uses prefetched rows when present).

        ``calendar`` is the network's holiday choice; a page with several lines reads it once
        (``network_holiday_calendar``) and passes it, since leaving it out costs a query.
        """
        if calendar is None:
            calendar = network_holiday_calendar()
        return opening_hours.Schedule(
            ranges=tuple(self.weekly_ranges()),
            always_open=self.is_always_open,
            exceptions=tuple(exception.as_exception() for exception in self.exceptions.all()),
            holiday_rule=opening_hours.HolidayRule(self.holiday_rule),
            calendar=calendar,
        )

    def status_at(
        self,
        moment: datetime | None = None,
        calendar: opening_hours.HolidayCalendar | None = None,
    ) -> opening_hours.Status:
        return opening_hours.status_at(self.schedule(calendar), moment or timezone.now())

    def weekly_ranges(self) -> list[opening_hours.WeeklyRange]:
        """The schedule rows as the engine's ranges (uses prefetched rows when present)."""
        return [row.as_range() for row in self.schedule_rows.all()]

    def replace_weekly_ranges(self, ranges: Iterable[opening_hours.WeeklyRange]) -> None:
        """Make the weekly schedule exactly ``ranges``; removed and added rows keep history."""
        self.schedule_rows.all().delete()
        bulk_create_with_history(
            [
                ScheduleRow(line=self, weekday=r.weekday, opens_at=r.opens, closes_at=r.closes)
                for r in ranges
            ],
            ScheduleRow,
        )
        getattr(self, "_prefetched_objects_cache", {}).pop("schedule_rows", None)


class ScheduleRow(models.Model):
    line = models.ForeignKey(
        ConsultationLine,
        verbose_name=_("lijn"),
        on_delete=models.CASCADE,
        related_name="schedule_rows",
    )
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    opens_at = models.TimeField(_("van"))
    closes_at = models.TimeField(
        _("tot"),
        help_text=_(
            "Een eindtijd vóór de begintijd loopt door tot de volgende dag; "
            "dezelfde begin- en eindtijd betekent 24 uur (00:00–00:00 is de hele dag)."
        ),
    )

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("openingstijd")
        verbose_name_plural = _("openingstijden")
        ordering = ["line", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="schedulerow_weekday_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def as_range(self) -> opening_hours.WeeklyRange:
        return opening_hours.WeeklyRange(self.weekday, self.opens_at, self.closes_at)


class ScheduleException(models.Model):
    line = models.ForeignKey(
        ConsultationLine,
        verbose_name=_("lijn"),
        on_delete=models.CASCADE,
        related_name="exceptions",
    )
    starts_at = models.DateTimeField(_("van"))
    ends_at = models.DateTimeField(_("tot"))
    is_open = models.BooleanField(
        _("extra open"),
        default=False,
        help_text=_("Aangevinkt: extra bereikbaar. Niet aangevinkt: gesloten in deze periode."),
    )
    reason = models.CharField(_("reden"), max_length=200, blank=True)
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uitzondering")
        verbose_name_plural = _("uitzonderingen")
        ordering = ["line", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="scheduleexception_ends_after_start",
                violation_error_message=_("Het einde moet na het begin liggen."),
            ),
        ]

    def __str__(self) -> str:
        state = _("extra open") if self.is_open else _("gesloten")
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{state} {start:%d-%m-%Y %H:%M} – {end:%d-%m-%Y %H:%M}"

    def clean(self) -> None:
        super().clean()
        message = _("Kies een datum tussen %(first)s en %(last)s.") % plannable_period_text()
        errors = {
            field: message
            for field in ("starts_at", "ends_at")
            if getattr(self, field) is not None and not is_plannable(getattr(self, field))
        }
        if errors:
            raise ValidationError(errors)

    def as_exception(self) -> opening_hours.ScheduleException:
        return opening_hours.ScheduleException(self.starts_at, self.ends_at, self.is_open)
