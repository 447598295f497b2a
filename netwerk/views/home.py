from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from netwerk.geography import Region
from netwerk.locations import Location
from netwerk.organisations import Organisation, OrganisationKind


@require_safe
def home(request):
    organisations = Organisation.objects.published()
    kinds = organisations.values("kind").annotate(count=Count("pk")).order_by("-count", "kind")
    kind_labels = dict(OrganisationKind.choices)
    regions = Region.objects.annotate(
        municipality_count=Count("municipalities", distinct=True)
    ).order_by("name")
    return render(
        request,
        "netwerk/home.html",
        {
            "organisation_count": organisations.count(),
            "kinds": [(kind_labels[row["kind"]], row["count"]) for row in kinds],
            "regions": regions,
            "recent_organisations": organisations.order_by("-updated_at")[:8],
            "map_points": map_points(
                Location.objects.filter(organisation__is_published=True, latitude__isnull=False)
            ),
        },
    )


def map_points(locations) -> list[dict]:
    """Marker data for the overview map, handed to the page script through json_script."""
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
            "url": reverse("netwerk:organisation", kwargs={"slug": slug}),
        }
        for lat, lon, name, slug, kind in rows
    ]
