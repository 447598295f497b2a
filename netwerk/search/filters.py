"""The search filters. One FilterSet drives the list, the GeoJSON and the CSV, so a URL means the
same thing everywhere. Parameter names are the public, Dutch ones of DESIGN.md."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.directory.vocabulary import Vocabulary
from netwerk.places.places import CareSetting, Place
from netwerk.reference.distance import Point, bounding_box, distance_expression
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.fields import PostcodeField, choice_error
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.search.documents import search

MAX_DISTANCE_KM = 300
DEFAULT_DISTANCE_KM = 25


class Sorting:
    RELEVANCE = "relevantie"
    DISTANCE = "afstand"
    NAME = "naam"
    CHOICES = [
        (RELEVANCE, _("relevantie")),
        (DISTANCE, _("afstand")),
        (NAME, _("naam")),
    ]


class SearchForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("afstand") is not None and not self.data.get("postcode"):
            self.add_error("afstand", _("Vul ook een postcode in om op afstand te zoeken."))
        return cleaned


class KindField(django_filters.fields.MultipleChoiceField):
    """`?soort=` takes the kind's value, or any word the vocabulary knows for it (`patz`)."""

    def to_python(self, value):
        values = super().to_python(value)
        if all(value in OrganisationKind.values for value in values):
            return values
        vocabulary = Vocabulary.load()
        return [
            value if value in OrganisationKind.values else (vocabulary.kind(value) or value)
            for value in values
        ]


class ExpertiseField(django_filters.fields.ModelMultipleChoiceField):
    """`?expertise=` takes the tag's slug, or any word the vocabulary knows for it (`nah`)."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError:
            vocabulary = Vocabulary.load()
            words = [getattr(vocabulary.tag(str(word)), "slug", word) for word in value]
            return super()._check_values(words)


class KindFilter(django_filters.MultipleChoiceFilter):
    field_class = KindField


class ExpertiseFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = ExpertiseField


class PostcodeFilter(django_filters.Filter):
    field_class = PostcodeField

    def filter(self, queryset, value):
        return queryset  # the centre is applied in OrganisationFilterSet.qs, with the distance


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Zoek op naam, expertise of plaats"), method="filter_text", max_length=200
    )
    soort = KindFilter(
        label=_("Soort organisatie"),
        field_name="kind",
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_error(_("soort")),
    )
    zorgsetting = django_filters.ChoiceFilter(
        label=_("Soort zorg"),
        choices=CareSetting.choices,
        method="filter_setting",
        empty_label=_("Hospice, instelling en thuis"),
        error_messages=choice_error(_("zorgsetting")),
    )
    expertise = ExpertiseFilter(
        label=_("Expertise"),
        queryset=ExpertiseTag.objects.all(),
        to_field_name="slug",
        field_name="expertise__slug",
        distinct=True,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Expertise %(value)s kennen we niet.")},
    )
    gemeente = django_filters.ModelChoiceFilter(
        label=_("Gemeente"),
        queryset=Municipality.objects.all(),
        to_field_name="code",
        method="filter_municipality",
        empty_label=_("Alle gemeenten"),
        error_messages=choice_error(_("gemeente")),
    )
    regio = django_filters.ModelChoiceFilter(
        label=_("Regio"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_region",
        empty_label=_("Alle regio's"),
        error_messages=choice_error(_("regio")),
    )
    postcode = PostcodeFilter(label=_("Postcode"))
    afstand = django_filters.NumberFilter(
        label=_("Binnen (km)"),
        method="filter_nothing",
        min_value=1,
        max_value=MAX_DISTANCE_KM,
        error_messages={
            "invalid": _("Vul de afstand in als een getal in kilometers."),
            "min_value": _("De afstand moet minstens 1 km zijn."),
            "max_value": _("De afstand kan hoogstens %(limit_value)s km zijn."),
        },
    )
    beschikbaar = django_filters.BooleanFilter(
        label=_("Alleen met een beschikbare plek"),
        method="filter_available",
        widget=forms.CheckboxInput,
    )
    sortering = django_filters.ChoiceFilter(
        label=_("Sorteren op"),
        choices=Sorting.CHOICES,
        method="filter_nothing",
        empty_label=None,
        error_messages=choice_error(_("sortering")),
    )

    class Meta:
        model = Organisation
        fields = []
        form = SearchForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["sortering"].required = False
        self.form.fields["beschikbaar"].required = False

    # --- the filters ---

    def filter_text(self, queryset, name, value):
        return search(queryset, value)

    def filter_setting(self, queryset, name, value):
        return queryset.filter(
            Exists(Place.objects.filter(organisation=OuterRef("pk"), setting=value))
        )

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(pk__in=Organisation.objects.serving(value).values("pk"))

    def filter_region(self, queryset, name, value):
        return queryset.filter(pk__in=Organisation.objects.in_region(value).values("pk"))

    def filter_available(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(Place.objects.available().filter(organisation=OuterRef("pk")))
        )

    def filter_nothing(self, queryset, name, value):
        return queryset

    # --- the whole search ---

    @property
    def centre(self) -> PostcodeArea | None:
        return self.cleaned("postcode")

    @property
    def distance_km(self) -> float | None:
        if self.centre is None:
            return None
        km = self.cleaned("afstand")
        return float(km) if km is not None else None

    @property
    def sorting(self) -> str:
        chosen = self.cleaned("sortering")
        if chosen == Sorting.DISTANCE and self.centre is None:
            chosen = None
        if chosen:
            return chosen
        if self.cleaned("q"):
            return Sorting.RELEVANCE
        return Sorting.DISTANCE if self.centre is not None else Sorting.NAME

    def cleaned(self, name):
        self.form.is_valid()
        return self.form.cleaned_data.get(name)

    @property
    def qs(self) -> QuerySet[Organisation]:
        """The filtered organisations; invalid parameters are reported and left out, not fatal."""
        if not hasattr(self, "_qs"):
            self.form.is_valid()
            queryset = self.filter_queryset(self.queryset.all())
            if self.centre is not None:
                queryset = with_distance(queryset, self.centre, self.distance_km)
            self._qs = order(queryset, self.sorting, has_text=bool(self.cleaned("q")))
        return self._qs

    def filter_queryset(self, queryset):
        for name, value in self.form.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset


def centre_point(area: PostcodeArea) -> Point:
    return Point(area.latitude, area.longitude)


def with_distance(queryset, area: PostcodeArea, km: float | None):
    """Annotate `distance` (km to the nearest location); keep only those within `km`."""
    centre = centre_point(area)
    nearest = Location.objects.filter(organisation=OuterRef("pk"), latitude__isnull=False)
    if km is not None:
        nearest = nearest.filter(**bounding_box(centre, km))
        queryset = queryset.filter(Exists(nearest))
    distances = nearest.annotate(distance=distance_expression(centre)).order_by("distance")
    queryset = queryset.annotate(distance=Subquery(distances.values("distance")[:1]))
    return queryset.filter(distance__lte=km) if km is not None else queryset


def order(queryset, sorting: str, *, has_text: bool):
    if sorting == Sorting.DISTANCE:
        return queryset.order_by(F("distance").asc(nulls_last=True), "name", "pk")
    if sorting == Sorting.RELEVANCE and has_text:
        return queryset.order_by("-relevance", "name", "pk")
    return queryset.order_by("name", "pk")
