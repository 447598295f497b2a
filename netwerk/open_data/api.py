"""The API's documents: each endpoint's JSON for a validated question, as plain dicts.

Each list is cut into its page before the page's objects are fetched with what they show, so a
page costs the same number of queries whatever its size or the size of the directory.
"""

from django.conf import settings
from django.core.paginator import Paginator

from netwerk.consultation.lines import ConsultationLine
from netwerk.open_data import hsds, queries
from netwerk.open_data.hsds import Context
from netwerk.open_data.parameters import Question


def _page_of(items, question: Question) -> tuple[list, int]:
    """The items of the question's page (a list or a queryset) and how many there are."""
    paginator = Paginator(items, question.per_page, allow_empty_first_page=True)
    total = paginator.count
    start = (question.page - 1) * question.per_page
    return list(items[start : start + question.per_page]) if start < total else [], total


def _envelope(contents, total, question: Question) -> dict:
    return hsds.page_envelope(
        contents, total_items=total, page_number=question.page, per_page=question.per_page
    )


def publisher(context: Context) -> dict:
    return {
        "name": settings.NETWORK_NAME,
        "email": settings.NETWORK_CONTACT_EMAIL,
        "website": context.url("/open-data/"),
    }


def root(question: Question, context: Context) -> dict:
    return hsds.api_root(context, publisher=publisher(context))


def organisations(question: Question, context: Context) -> dict:
    ids, total = _page_of(
        queries.organisations_for(question).values_list("pk", flat=True), question
    )
    contents = [
        hsds.organisation_dict(organisation, context)
        for organisation in queries.organisations_detailed(ids)
    ]
    return _envelope(contents, total, question)


def organisation(value, context: Context) -> dict | None:
    pk = queries.published_organisations().filter(uuid=value).values_list("pk", flat=True).first()
    if pk is None:
        return None
    (found,) = queries.organisations_detailed([pk])
    data = hsds.organisation_dict(found, context)
    services = queries.services_detailed(queries.service_keys(Question(organization_id=found.uuid)))
    data["services"] = [
        service_dict(service, context, with_organisation=False) for service in services
    ]
    return data


def service_dict(service, context: Context, *, with_organisation: bool = True) -> dict:
    if isinstance(service, ConsultationLine):
        return hsds.line_service(service, context, with_organisation=with_organisation)
    return hsds.place_service(service, context, with_organisation=with_organisation)


def services(question: Question, context: Context) -> dict:
    keys, total = _page_of(queries.service_keys(question), question)
    contents = [service_dict(service, context) for service in queries.services_detailed(keys)]
    return _envelope(contents, total, question)


def service(value, context: Context) -> dict | None:
    found = queries.service_by_uuid(value)
    return None if found is None else service_dict(found, context)


def service_at_locations(question: Question, context: Context) -> dict:
    ids, total = _page_of(
        queries.service_at_locations_for(question).values_list("pk", flat=True), question
    )
    places = queries.places_detailed(ids)
    contents = [hsds.place_at_location(places[pk]) for pk in ids if pk in places]
    return _envelope(contents, total, question)


def taxonomies(question: Question, context: Context) -> dict:
    found, total = _page_of(queries.taxonomies_for(question), question)
    return _envelope([hsds.taxonomy_dict(taxonomy) for taxonomy in found], total, question)


def taxonomy(value, context: Context) -> dict | None:
    for candidate in queries.taxonomies_for(Question()):
        if candidate.id == str(value):
            return hsds.taxonomy_dict(candidate)
    return None


def taxonomy_terms(question: Question, context: Context) -> dict:
    found, total = _page_of(queries.terms_for(question), question)
    return _envelope([hsds.term_dict(term) for term in found], total, question)


def taxonomy_term(value, context: Context) -> dict | None:
    for candidate in queries.all_terms():
        if candidate.id == str(value):
            return hsds.term_dict(candidate) | {
                "taxonomy_detail": hsds.taxonomy_dict(candidate.taxonomy)
            }
    return None
