"""What the open data publishes, fetched with what the HSDS mapping reads, and the API's filters.

The one rule for privacy lives here: published organisations only; their places; their active
lines meant for everyone (`for_audience_of(None)`); the contacts a visitor may see
(`Contact.objects.visible_to(None)`: public ones, a person only with consent recorded). Nothing
here takes a user: the open data is the same for everyone, signed in or not.
"""

from django.db.models import (
    DateTimeField,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest, Lower

from netwerk.consultation.lines import (
    Audience,
    ConsultationLine,
    ScheduleException,
    ScheduleRow,
)
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.open_data.parameters import Question
from netwerk.open_data.vocabularies import (
    category_terms,
    expertise_term,
    fixed_terms,
    taxonomies,
)
from netwerk.places.places import Place
from netwerk.reference.expertise import ExpertiseTag
from netwerk.search.documents import search as search_organisations


def search_columns(path: str) -> list[str]:
    """The large search columns of a related organisation, left in the database."""
    return [f"{path}__{name}" for name in ("search_name", "search_document", "search_vector")]


# --- What is published ---------------------------------------------------------------------------


def published_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.published().without_search_documents()


def published_places() -> QuerySet[Place]:
    return Place.objects.filter(organisation__is_published=True)


def published_lines() -> QuerySet[ConsultationLine]:
    return ConsultationLine.objects.active().for_audience_of(None)


def public_contacts() -> QuerySet[Contact]:
    return Contact.objects.visible_to(None)


# --- Last modified: the newest history row of the object and what it shows ----------------------


def _latest(model, link: str, outer: str = "pk"):
    history = model.history.model
    return Subquery(
        history.objects.filter(**{link: OuterRef(outer)})
        .order_by()
        .values(link)
        .annotate(latest=Max("history_date"))
        .values("latest")[:1],
        output_field=DateTimeField(),
    )


def _greatest(first, *others):
    return Greatest(first, *(Coalesce(other, first) for other in others))


def with_modified_organisations(queryset):
    return queryset.annotate(
        modified=_greatest(
            F("updated_at"),
            _latest(Location, "organisation_id"),
            _latest(Contact, "organisation_id"),
        )
    )


def with_modified_places(queryset):
    return queryset.annotate(modified=Coalesce(_latest(Place, "id"), F("organisation__updated_at")))


def with_modified_lines(queryset):
    own = Coalesce(_latest(ConsultationLine, "id"), F("organisation__updated_at"))
    return queryset.annotate(
        modified=_greatest(
            own, _latest(ScheduleRow, "line_id"), _latest(ScheduleException, "line_id")
        )
    )


# --- Taxonomy terms in filters --------------------------------------------------------------------


def resolve_term(term_id) -> tuple[str, str] | None:
    """(taxonomy code, term code) of a term id, or None when no published term has it."""
    tag = ExpertiseTag.objects.filter(uuid=term_id).values_list("slug", flat=True).first()
    if tag is not None:
        return ("expertise", tag)
    for term in [*fixed_terms(), *category_terms()]:
        if term.id == str(term_id):
            return (term.taxonomy.code, term.code)
    return None


def _term_condition(term, *, organisation: str, expertise: str, extra: dict) -> Q | None:
    """The condition a term puts on a queryset, or None when it cannot match anything there.
    `organisation` is the path to the organisation, `expertise` to the expertise tags, `extra`
    maps taxonomy codes of the model's own fields to those fields."""
    taxonomy, code = term
    if taxonomy == "expertise":
        if code.startswith("categorie-"):
            return Q(**{f"{expertise}__category": code.removeprefix("categorie-")})
        return Q(**{f"{expertise}__slug": code})
    if taxonomy == "soort":
        return Q(**{f"{organisation}kind": code})
    if taxonomy in extra:
        return Q(**{extra[taxonomy]: code})
    return None


def _apply_term(queryset, question: Question, **paths):
    if question.taxonomy_term_id is None:
        return queryset
    term = resolve_term(question.taxonomy_term_id)
    condition = None if term is None else _term_condition(term, **paths)
    if condition is None:
        return queryset.none()
    return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


def _matching_organisations(text: str):
    return search_organisations(published_organisations(), text).order_by().values("pk")


# --- Organisations ---------------------------------------------------------------------


def organisations_for(question: Question) -> QuerySet[Organisation]:
    organisations = published_organisations()
    if question.search:
        organisations = organisations.filter(pk__in=_matching_organisations(question.search))
    organisations = _apply_term(
        organisations, question, organisation="", expertise="expertise", extra={}
    )
    if question.postcode_area is not None:
        organisations = organisations.filter(
            pk__in=published_organisations()
            .serving(question.postcode_area.municipality)
            .values("pk")
        )
    if question.region is not None:
        organisations = organisations.filter(
            pk__in=Organisation.objects.in_region(question.region).values("pk")
        )
    if question.organization_id is not None:
        organisations = organisations.filter(uuid=question.organization_id)
    if question.modified_after is not None:
        organisations = with_modified_organisations(organisations).filter(
            modified__gte=question.modified_after
        )
    return organisations.order_by(Lower("name"), "pk")


def organisations_detailed(ids: list[int]) -> list[Organisation]:
    """The organisations with everything their full HSDS object shows, in the order of `ids`."""
    found = (
        published_organisations()
        .filter(pk__in=ids)
        .prefetch_related(
            "expertise",
            Prefetch(
                "locations",
                queryset=Location.objects.select_related("municipality").order_by("city", "pk"),
            ),
            Prefetch(
                "contacts",
                queryset=public_contacts().order_by("name", "pk"),
                to_attr="visible_contacts",
            ),
        )
    )
    by_pk = {organisation.pk: organisation for organisation in found}
    return [by_pk[pk] for pk in ids if pk in by_pk]


# --- Services: places and lines ------------------------------------------------------------------


def places_for(question: Question) -> QuerySet[Place]:
    places = published_places()
    if question.search:
        places = places.filter(
            Q(organisation__in=_matching_organisations(question.search))
            | Q(name__icontains=question.search)
        )
    places = _apply_term(
        places,
        question,
        organisation="organisation__",
        expertise="organisation__expertise",
        extra={"zorgsetting": "setting"},
    )
    if question.postcode_area is not None:
        places = places.filter(
            organisation__in=published_organisations()
            .serving(question.postcode_area.municipality)
            .values("pk")
        )
    if question.region is not None:
        places = places.filter(
            organisation__in=Organisation.objects.in_region(question.region).values("pk")
        )
    if question.organization_id is not None:
        places = places.filter(organisation__uuid=question.organization_id)
    if question.modified_after is not None:
        places = with_modified_places(places).filter(modified__gte=question.modified_after)
    return places


def lines_for(question: Question) -> QuerySet[ConsultationLine]:
    lines = published_lines()
    if question.search:
        lines = lines.filter(
            Q(organisation__in=_matching_organisations(question.search))
            | Q(name__icontains=question.search)
        )
    lines = _apply_term(
        lines,
        question,
        organisation="organisation__",
        expertise="expertise",
        extra={"doel": "purpose"},
    )
    if question.postcode_area is not None:
        lines = lines.filter(
            pk__in=published_lines().serving_postcode_area(question.postcode_area).values("pk")
        )
    if question.region is not None:
        lines = lines.filter(pk__in=published_lines().serving_region(question.region).values("pk"))
    if question.organization_id is not None:
        lines = lines.filter(organisation__uuid=question.organization_id)
    if question.modified_after is not None:
        lines = with_modified_lines(lines).filter(modified__gte=question.modified_after)
    return lines


def service_keys(question: Question) -> list[tuple[str, int]]:
    """Every matching service as ("line" | "place", pk), ordered by organisation, lines first,
    then name: two queries of ids, so that the page can be cut before anything is fetched."""
    rows = [
        (org.lower(), 0, name.lower(), "line", pk)
        for pk, name, org in lines_for(question).values_list("pk", "name", "organisation__name")
    ] + [
        (org.lower(), 1, f"{setting}{name}".lower(), "place", pk)
        for pk, name, setting, org in places_for(question).values_list(
            "pk", "name", "setting", "organisation__name"
        )
    ]
    rows.sort()
    return [(kind, pk) for *_sort, kind, pk in rows]


def places_detailed(ids: list[int]) -> dict[int, Place]:
    places = (
        published_places()
        .filter(pk__in=ids)
        .select_related("organisation", "location__municipality")
        .defer(*search_columns("organisation"))
        .prefetch_related("organisation__service_area")
    )
    found = {}
    for place in places:
        place.location.organisation = place.organisation  # the same row: no second fetch
        found[place.pk] = place
    return found


def lines_detailed(ids: list[int]) -> dict[int, ConsultationLine]:
    lines = (
        published_lines()
        .filter(pk__in=ids)
        .select_related("organisation", "escalates_to__organisation")
        .defer(*search_columns("organisation"), *search_columns("escalates_to__organisation"))
        .prefetch_related("schedule_rows", "exceptions", "regions", "municipalities", "expertise")
    )
    found = {}
    for line in lines:
        target = line.escalates_to
        line.public_escalation = (
            target
            if target is not None
            and target.is_active
            and target.audience == Audience.PUBLIC
            and target.organisation.is_published
            else None
        )
        found[line.pk] = line
    return found


def services_detailed(keys: list[tuple[str, int]]) -> list[Place | ConsultationLine]:
    """The services of `keys`, in that order, with what their HSDS objects show."""
    lines = lines_detailed([pk for kind, pk in keys if kind == "line"])
    places = places_detailed([pk for kind, pk in keys if kind == "place"])
    chosen = [(lines if kind == "line" else places).get(pk) for kind, pk in keys]
    return [service for service in chosen if service is not None]


def service_by_uuid(value) -> Place | ConsultationLine | None:
    line = published_lines().filter(uuid=value).values_list("pk", flat=True).first()
    if line is not None:
        return lines_detailed([line]).get(line)
    place = published_places().filter(uuid=value).values_list("pk", flat=True).first()
    if place is not None:
        return places_detailed([place]).get(place)
    return None


def service_at_locations_for(question: Question) -> QuerySet[Place]:
    """Places are the services delivered at a location; lines are called, not visited."""
    return places_for(question).order_by(Lower("organisation__name"), "setting", "name", "pk")


# --- Taxonomies ------------------------------------------------------------------------


def all_terms():
    """Every published term: the expertise categories and tags, then the fixed vocabularies."""
    tags = ExpertiseTag.objects.order_by("category", "name")
    return [*category_terms(), *(expertise_term(tag) for tag in tags), *fixed_terms()]


def terms_for(question: Question):
    terms = all_terms()
    if question.taxonomy_id is not None:
        terms = [term for term in terms if term.taxonomy.id == str(question.taxonomy_id)]
    if question.search:
        text = question.search.lower()
        terms = [t for t in terms if text in t.name.lower() or text in t.code.lower()]
    return terms


def taxonomies_for(question: Question):
    found = list(taxonomies().values())
    if question.search:
        text = question.search.lower()
        found = [taxonomy for taxonomy in found if text in taxonomy.name.lower()]
    return found
