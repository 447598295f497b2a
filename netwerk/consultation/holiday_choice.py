"""Which days the network counts as holidays for the lines that close on them (or keep Sunday
hours), chosen once for every line by an administrator; the opening-hours engine's
:class:`~netwerk.consultation.opening_hours.HolidayCalendar` describes the default and the
difference with the ``holidays`` library and the Algemene termijnenwet.
"""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netwerk.consultation.opening_hours import DEFAULT_CALENDAR, HolidayCalendar

NOON = time(12, 0)


class HolidayChoice(models.Model):
    """One row (the first one counts): without it, the default calendar."""

    good_friday = models.BooleanField(
        _("Goede Vrijdag telt als feestdag"),
        default=False,
        help_text=_(
            "De Algemene termijnenwet stelt Goede Vrijdag gelijk aan een feestdag, maar de "
            "meeste werkgevers geven die dag niet vrij."
        ),
    )
    liberation_day_every_year = models.BooleanField(
        _("Bevrijdingsdag (5 mei) elk jaar"),
        default=False,
        help_text=_("Uit: alleen eens in de vijf jaar (2025, 2030, …), zoals in de meeste cao's."),
    )
    closes_december_afternoons = models.BooleanField(
        _("24 en 31 december ’s middags als feestdag"),
        default=False,
        help_text=_("Lijnen die op feestdagen sluiten, sluiten dan vanaf de gekozen tijd."),
    )
    afternoons_from = models.TimeField(_("vanaf"), default=NOON)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feestdagen van het netwerk")
        verbose_name_plural = _("feestdagen van het netwerk")

    def __str__(self) -> str:
        return str(_("Feestdagen van het netwerk"))

    def clean(self) -> None:
        super().clean()
        if self.afternoons_from is not None and self.afternoons_from == time(0):
            raise ValidationError(
                {"afternoons_from": _("Kies een tijd na 00:00; de hele dag is geen middag.")}
            )

    def calendar(self) -> HolidayCalendar:
        return HolidayCalendar(
            good_friday=self.good_friday,
            liberation_day_every_year=self.liberation_day_every_year,
            afternoons_from=self.afternoons_from if self.closes_december_afternoons else None,
        )


def network_holiday_calendar() -> HolidayCalendar:
    """The network's choice, in one query; callers read it once per page, not per line."""
    choice = HolidayChoice.objects.order_by("pk").first()
    return choice.calendar() if choice is not None else DEFAULT_CALENDAR


def holiday_list(calendar: HolidayCalendar) -> str:
    """The days that count, for the public: "Nieuwjaarsdag, Pasen, …; 24 en 31 december vanaf
    12:00"."""
    days = [gettext("Nieuwjaarsdag")]
    if calendar.good_friday:
        days.append(gettext("Goede Vrijdag"))
    days += [gettext("Pasen (beide dagen)"), gettext("Koningsdag")]
    if calendar.liberation_day_every_year:
        days.append(gettext("Bevrijdingsdag"))
    else:
        days.append(gettext("Bevrijdingsdag (eens in de vijf jaar: 2025, 2030, …)"))
    days += [
        gettext("Hemelvaartsdag"),
        gettext("Pinksteren (beide dagen)"),
        gettext("Kerst (beide dagen)"),
    ]
    text = ", ".join(days)
    if calendar.afternoons_from is not None:
        text += "; " + gettext("24 en 31 december vanaf %(time)s") % {
            "time": f"{calendar.afternoons_from:%H:%M}"
        }
    return text
