from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from netwerk.geography import Region
from netwerk.organisations import Organisation, OrganisationKind


@require_safe
def home(request):
    organisations = Organisation.objects.published()
    kind_labels = dict(OrganisationKind.choices)
    kinds = [
        (kind_labels[row["kind"]], row["count"])
        for row in organisations.values("kind").annotate(count=Count("pk")).order_by("-count")
    ]
    regions = Region.objects.annotate(
        municipality_count=Count("municipalities", distinct=True)
    ).order_by("name")
    return render(
        request,
        "netwerk/home.html",
        {
            "organisation_count": sum(count for _label, count in kinds),
            "kinds": kinds,
            "regions": regions,
            "recent_organisations": organisations.order_by("-updated_at")[:8],
            # The overview map loads the (cached, ETag'd) GeoJSON of the whole map.
            "geojson_url": reverse("netwerk:search_geojson"),
        },
    )
