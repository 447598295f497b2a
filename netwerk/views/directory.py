from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from netwerk.consultation.holiday_choice import network_holiday_calendar
from netwerk.consultation.lines import ConsultationLine
from netwerk.consultation.who_to_call import line_now
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.network.agreements import Agreement
from netwerk.network.events import Event
from netwerk.network.knowledge import KnowledgeItem
from netwerk.search.map_data import MARKER_GROUPS
from netwerk.views.embedding import embeddable

EVENTS_SHOWN = 5


@embeddable
@require_safe
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.published().prefetch_related(
            "expertise",
            Prefetch(
                "locations",
                queryset=Location.objects.prefetch_related("places").order_by("city", "pk"),
            ),
            Prefetch(
                "contacts",
                queryset=Contact.objects.visible_to(request.user).order_by("name"),
                to_attr="visible_contacts",
            ),
            Prefetch(
                "consultation_lines",
                queryset=ConsultationLine.objects.active()
                .for_audience_of(request.user)
                .with_schedule(),
                to_attr="visible_lines",
            ),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.published().prefetch_related(
                    Prefetch(
                        "partners",
                        queryset=Organisation.objects.published()
                        .without_search_documents()
                        .order_by("name"),
                        to_attr="public_partners",
                    )
                ),
                to_attr="public_agreements",
            ),
            Prefetch(
                "knowledge_items",
                queryset=KnowledgeItem.objects.visible_to(request.user).prefetch_related(
                    "expertise"
                ),
                to_attr="visible_knowledge",
            ),
        ),
        slug=slug,
    )
    now = timezone.now()
    upcoming_events = list(
        Event.objects.visible_to(request.user)
        .filter(organiser=organisation)
        .upcoming(now)
        .select_related("organiser", "location__organisation")[:EVENTS_SHOWN]
    )
    locations = list(organisation.locations.all())
    # The network's holidays, read once and only for an organisation with lines.
    calendar = network_holiday_calendar() if organisation.visible_lines else None
    return render(
        request,
        "netwerk/organisation_detail.html",
        {
            "organisation": organisation,
            "locations": locations,
            "places": [place for location in locations for place in location.places.all()],
            "lines": [line_now(line, now, calendar) for line in organisation.visible_lines],
            "now": now,
            "collaborations": collaborations(organisation),
            "upcoming_events": upcoming_events,
            "map_points": map_points(
                Location.objects.filter(organisation=organisation, latitude__isnull=False)
            ),
            "more_for_professionals": not request.user.is_authenticated
            and organisation.consultation_lines.active().exclude(audience="public").exists(),
        },
    )


def map_points(locations) -> list[dict]:
    """Marker data for a small map, handed to the page script through json_script."""
    rows = locations.values_list(
        "latitude", "longitude", "organisation__name", "organisation__slug", "organisation__kind"
    )
    kind_labels = dict(OrganisationKind.choices)
    return [
        {
            "lat": lat,
            "lon": lon,
            "name": name,
            "kind": str(kind_labels[kind]),
            "marker": MARKER_GROUPS.get(kind, "overig"),  # the shapes of the big maps
            "url": reverse("netwerk:organisation", kwargs={"slug": slug}),
        }
        for lat, lon, name, slug, kind in rows
    ]


def collaborations(organisation) -> list[tuple[Agreement, list[Organisation]]]:
    """ "Samenwerking met …": each published agreement with the other partners on the map."""
    rows = []
    for agreement in organisation.public_agreements:
        others = [p for p in agreement.public_partners if p.pk != organisation.pk]
        if others:
            rows.append((agreement, others))
    return rows
