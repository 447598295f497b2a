"""Reference geography: municipalities, PC4 postcode areas and the network regions built on them."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")
# Letter pairs that PostNL never issues.
FORBIDDEN_LETTERS = {"SA", "SD", "SS"}


def parse_postcode(value: str) -> tuple[str, str]:
    """Split a Dutch postcode ("3511 ab", "3511AB", "3511") into (PC4, letters) or raise."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        raise ValidationError(
            _("%(value)s is geen geldige Nederlandse postcode (bijvoorbeeld 3511 AB of 3511)."),
            code="invalid_postcode",
            params={"value": value},
        )
    digits, letters = match.group(1), (match.group(2) or "").upper()
    if letters in FORBIDDEN_LETTERS:
        raise ValidationError(
            _("%(value)s is geen geldige Nederlandse postcode: %(letters)s wordt niet gebruikt."),
            code="invalid_postcode",
            params={"value": value, "letters": letters},
        )
    return digits, letters


def normalise_postcode(value: str) -> str:
    """The canonical spelling: "3511 AB", or "3511" when only the PC4 is known."""
    digits, letters = parse_postcode(value)
    return f"{digits} {letters}" if letters else digits


def validate_postcode(value: str) -> None:
    parse_postcode(value)


class MunicipalityQuerySet(models.QuerySet):
    def in_regions(self, regions: "RegionQuerySet"):
        """Municipalities with at least one PC4 area in the regions: one whose areas are all
        left out is not in them, one with only an extra area is (partly)."""
        return self.filter(pk__in=PostcodeArea.objects.in_regions(regions).values("municipality"))

    def partly_in(self, regions: "RegionQuerySet") -> set[int]:
        """Ids of the municipalities some, not all, of whose PC4 areas lie in the regions (shown
        as "(deels)")."""
        return {pk for pk, partly in self.covered_by(regions).items() if partly}

    def covered_by(self, regions: "RegionQuerySet") -> dict[int, bool]:
        """The ids of the municipalities in the regions (`in_regions`), each with whether only
        part of it is ("(deels)"): one query, per municipality its areas and those of them in
        the regions (a set the database builds once)."""
        inside = models.Q(pk__in=PostcodeArea.objects.in_regions(regions).values("pk"))
        rows = (
            PostcodeArea.objects.order_by()
            .values("municipality")
            .annotate(total=models.Count("pk"), inside=models.Count("pk", filter=inside))
            .values_list("municipality", "total", "inside")
        )
        return {pk: inside < total for pk, total, inside in rows if inside}


class Municipality(models.Model):
    code = models.CharField(_("CBS-code"), max_length=6, unique=True, help_text="GM0344")
    name = models.CharField(_("naam"), max_length=100)
    province_code = models.CharField(_("provinciecode"), max_length=4)
    province_name = models.CharField(_("provincie"), max_length=50)
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^GM[0-9]{4}$"), name="municipality_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PostcodeAreaQuerySet(models.QuerySet):
    def in_regions(self, regions: "RegionQuerySet"):
        """The PC4 areas that lie in any of the regions (each region with its own edges).

        The rule of `where_region`, written for a set of regions fixed before the query: two
        subqueries that do not depend on the area (the areas of the regions' municipalities,
        the extra areas; each without the areas its own region leaves out), which the database
        builds once and looks the areas up in. Asked per area (`where_region`'s correlated
        form) the same set took 100-140 ms on PostgreSQL for the 4,086 areas; this takes 8."""
        region_ids = regions.values("pk")
        excluded = Region.excluded_postcode_areas.through.objects
        # In one filter() call, so that OuterRef("municipality__regions") is the same link row
        # as the condition on it (Django joins a many-to-many relation anew per call).
        by_municipality = PostcodeArea.objects.filter(
            models.Q(municipality__regions__in=region_ids),
            ~models.Exists(
                excluded.filter(
                    region=OuterRef("municipality__regions"), postcodearea=OuterRef("pk")
                )
            ),
        )
        as_extra = Region.extra_postcode_areas.through.objects.filter(
            region__in=region_ids
        ).exclude(
            models.Exists(
                excluded.filter(region=OuterRef("region"), postcodearea=OuterRef("postcodearea"))
            )
        )
        return self.filter(
            models.Q(pk__in=by_municipality.values("pk"))
            | models.Q(pk__in=as_extra.values("postcodearea"))
        )

    def where_region(self, **region):
        """The areas that lie in a region picked by `region` (a condition on a link row's
        `region`, such as `region__in=...` or `region=OuterRef(...)`).

        This is the one implementation of the rule in Region's docstring, written on the link
        tables so that the database answers it with semi-joins."""
        by_municipality = Region.municipalities.through.objects.filter(
            municipality=OuterRef("municipality"), **region
        )
        as_extra = Region.extra_postcode_areas.through.objects.filter(
            postcodearea=OuterRef("pk"), **region
        )
        return self.filter(
            models.Exists(by_municipality.filter(not_excluded_from_the_link_region()))
            | models.Exists(as_extra.filter(not_excluded_from_the_link_region()))
        )


def not_excluded_from_the_link_region() -> models.Q:
    """On a region's link row inside `PostcodeAreaQuerySet.where_region`: that region does not
    leave the area out."""
    excluded = Region.excluded_postcode_areas.through.objects.filter(
        region=OuterRef("region"), postcodearea=OuterRef(OuterRef("pk"))
    )
    return ~models.Exists(excluded)


class PostcodeArea(models.Model):
    pc4 = models.CharField(_("postcode (PC4)"), max_length=4, unique=True)
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))
    place_names = models.CharField(_("plaatsnamen"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="postcode_areas",
    )

    objects = PostcodeAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")
        ordering = ["pc4"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pc4__regex=r"^[1-9][0-9]{3}$"), name="postcodearea_pc4_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pc4} {self.place_names.replace('|', ', ')}".strip()

    @classmethod
    def for_postcode(cls, postcode: str) -> "PostcodeArea | None":
        """The PC4 area of a full or partial postcode; None when unknown or invalid."""
        try:
            digits, _letters = parse_postcode(postcode)
        except ValidationError:
            return None
        return cls.objects.select_related("municipality").filter(pc4=digits).first()


class RegionQuerySet(models.QuerySet):
    def containing(self, area: PostcodeArea):
        """Regions that include the PC4 area, honouring the areas added and left out."""
        return self.reaching(PostcodeArea.objects.filter(pk=area.pk))

    def with_municipality_counts(self):
        """Annotated with `municipality_count`: the municipalities with a PC4 area in the region
        (by the rule, so a municipality left out entirely does not count)."""
        areas = PostcodeArea.objects.where_region(region=OuterRef(OuterRef("pk")))
        counted = (
            areas.order_by()
            .annotate(everything=models.Value(1))
            .values("everything")
            .annotate(count=models.Count("municipality", distinct=True))
            .values("count")
        )
        return self.annotate(municipality_count=Coalesce(models.Subquery(counted), 0))

    def reaching(self, areas: models.QuerySet[PostcodeArea]):
        """Regions in which at least one of the PC4 areas lies."""
        this_region = OuterRef(OuterRef("pk"))  # two queries out from the deciding link rows
        return self.filter(models.Exists(areas.where_region(region=this_region)))


class Region(models.Model):
    """A network region: a set of municipalities, with PC4 areas added or left out at the edges.

    What lies in a region, wherever it matters ("Wie bel ik nu?", a coordinator's scope, the
    coordinators an error report reaches, the region filter of the search):

    - a PC4 area lies in the region when its municipality is one of the region's, or it is one
      of the extra areas, and it is not one of the excluded areas
      (`PostcodeAreaQuerySet.where_region`);
    - an organisation lies in the region when the postcode of one of its locations is in such
      an area, or its service area (municipalities) covers such an area. A service area is a
      whole municipality, so it reaches the region through any of that municipality's areas
      in the region: an exclusion takes a municipality out only when all its areas are
      excluded, and an extra area brings in the organisations that serve its municipality
      (`Organisation.objects.in_regions`, `Organisation.regions`). A location's postcode is
      its `postcode_area` key, kept by every save, so this is a join on integers;
    - a municipality is offered as part of the region when one of its areas lies in it, with
      "(deels)" when not all do (`Municipality.objects.in_regions`, `partly_in`).

    `tests/test_region_rule.py` checks every place that asks against this definition.
    """

    name = models.CharField(_("naam"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("gemeenten"), related_name="regions", blank=True
    )
    extra_postcode_areas = models.ManyToManyField(
        PostcodeArea,
        verbose_name=_("extra postcodegebieden"),
        related_name="regions_added_to",
        blank=True,
        help_text=_("Postcodegebieden buiten de gemeenten hierboven die toch bij de regio horen."),
    )
    excluded_postcode_areas = models.ManyToManyField(
        PostcodeArea,
        verbose_name=_("uitgesloten postcodegebieden"),
        related_name="regions_excluded_from",
        blank=True,
        help_text=_("Postcodegebieden binnen de gemeenten hierboven die niet bij de regio horen."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coördinatoren"),
        related_name="coordinated_regions",
        blank=True,
    )

    # Its areas decide what lies in the region, so they are part of its history (and move the
    # data versions of the public pages); who coordinates it is access, not content.
    history = HistoricalRecords(
        m2m_fields=["municipalities", "extra_postcode_areas", "excluded_postcode_areas"]
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def postcode_areas(self) -> models.QuerySet[PostcodeArea]:
        """The region's PC4 areas: its municipalities' areas, plus extras, minus exclusions."""
        return PostcodeArea.objects.in_regions(Region.objects.filter(pk=self.pk))

    def contains(self, area: PostcodeArea) -> bool:
        return Region.objects.filter(pk=self.pk).containing(area).exists()
