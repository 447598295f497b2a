from django.db.models import Count
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.reference.geography import Region
from netwerk.search.page_cache import MAX_SECONDS, cached_body
from netwerk.views.embedding import embeddable


@embeddable
@require_safe
def home(request):
    """The front page. Its body is the same for every visitor in a language, so it is cached
    until the data changes (see netwerk.search.page_cache)."""
    body = cached_body("home", request, lambda: (render_home_body(request), MAX_SECONDS))
    return render(request, "netwerk/home.html", {"body": body})


def render_home_body(request) -> str:
    organisations = Organisation.objects.published()
    kind_labels = dict(OrganisationKind.choices)
    kinds = [
        (kind_labels[row["kind"]], row["count"])
        for row in organisations.values("kind").annotate(count=Count("pk")).order_by("-count")
    ]
    regions = Region.objects.with_municipality_counts().order_by("name")
    return render_to_string(
        "netwerk/home_body.html",
        {
            "organisation_count": sum(count for _label, count in kinds),
            "kinds": kinds,
            "regions": regions,
            "recent_organisations": organisations.order_by("-updated_at")[:8],
            # The overview map loads the GeoJSON of the whole map (stored, ETag'd).
            "geojson_url": reverse("netwerk:search_geojson"),
        },
        request=request,
    )
