"""Use of the site counted without personal data (issue 15): aggregated counters per month,
question kind, municipality, expertise tag and hour of the week. Never an IP address, a
session, a cookie or a row per request: a question adds one to the counter of its bucket (one
UPDATE; an INSERT only the first time a bucket is used)."""

from datetime import date, datetime

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SEARCH = "search", _("Zoeken")
    WHO_TO_CALL = "who_to_call", _("Wie bel ik nu?")
    PLACE_FINDER = "place_finder", _("Plek zoeken")


class UsageCount(models.Model):
    """One counter. Municipality and tag are stored as their codes ("" when the question named
    none), so that an empty key is an ordinary value in the unique constraint on every
    database."""

    month = models.DateField(_("maand"), help_text=_("De eerste dag van de maand."))
    kind = models.CharField(_("soort vraag"), max_length=20, choices=QuestionKind.choices)
    municipality_code = models.CharField(_("gemeentecode"), max_length=6, blank=True, default="")
    tag_slug = models.CharField(_("expertise"), max_length=100, blank=True, default="")
    hour_of_week = models.PositiveSmallIntegerField(
        _("uur van de week"), help_text=_("0 is maandag 00:00–01:00, 167 zondag 23:00–24:00.")
    )
    count = models.PositiveIntegerField(_("aantal"), default=0)

    class Meta:
        verbose_name = _("gebruiksteller")
        verbose_name_plural = _("gebruikstellers")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind", "municipality_code", "tag_slug", "hour_of_week"],
                name="usage_count_bucket",
            ),
            models.CheckConstraint(
                condition=models.Q(hour_of_week__lte=167), name="usage_count_hour_of_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind} {self.hour_of_week}: {self.count}"


def bucket_of(moment: datetime) -> tuple[date, int]:
    local = timezone.localtime(moment)
    return local.date().replace(day=1), local.weekday() * 24 + local.hour


def count_question(
    kind: str, *, municipality_code: str = "", tag_slug: str = "", now: datetime | None = None
) -> None:
    """Add one to the bucket of this question (the caller passes only known codes)."""
    month, hour = bucket_of(now or timezone.now())
    key = {
        "month": month,
        "kind": kind,
        "municipality_code": municipality_code,
        "tag_slug": tag_slug,
        "hour_of_week": hour,
    }
    if UsageCount.objects.filter(**key).update(count=models.F("count") + 1):
        return
    try:
        with transaction.atomic():
            UsageCount.objects.create(**key, count=1)
    except IntegrityError:  # another request made the bucket in between
        UsageCount.objects.filter(**key).update(count=models.F("count") + 1)


# --- What a question may name: reference data, read once per KNOWN_SECONDS, not per question.

KNOWN_KEY = "netwerk:usage:known"
KNOWN_SECONDS = 600


def known_names() -> dict:
    """{"codes": municipality codes, "by_id": municipality id → code, "tags": tag slugs}."""
    from django.core.cache import cache

    from netwerk.reference.expertise import ExpertiseTag
    from netwerk.reference.geography import Municipality

    known = cache.get(KNOWN_KEY)
    if known is None:
        by_id = dict(Municipality.objects.values_list("pk", "code"))
        known = {
            "codes": set(by_id.values()),
            "by_id": by_id,
            "tags": set(ExpertiseTag.objects.values_list("slug", flat=True)),
        }
        cache.set(KNOWN_KEY, known, KNOWN_SECONDS)
    return known


def count_named_question(
    kind: str,
    *,
    municipality_code: str = "",
    municipality_id: int | None = None,
    tag_slug: str = "",
) -> None:
    """`count_question` for what a request named, keeping only codes and slugs that exist (a
    made-up one counts as none: counters must not grow with whatever is typed in a URL)."""
    known = known_names()
    if municipality_id is not None:
        municipality_code = known["by_id"].get(municipality_id, "")
    count_question(
        kind,
        municipality_code=municipality_code if municipality_code in known["codes"] else "",
        tag_slug=tag_slug if tag_slug in known["tags"] else "",
    )
