"""'Samenwerking': who works with whom, as a matrix by kind of organisation and as a list."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from netwerk.directory.organisations import Organisation
from netwerk.network.agreements import Agreement, AgreementKind, partnership_matrix


def published_agreements():
    """Published agreements with their published partners (an agreement shows only when at
    least two of them are on the map)."""
    partners = Organisation.objects.published().without_search_documents().order_by("name")
    return (
        Agreement.objects.published()
        .filter(partners__is_published=True)
        .distinct()
        .prefetch_related(Prefetch("partners", queryset=partners, to_attr="public_partners"))
    )


@require_safe
def network_view(request):
    agreements = [a for a in published_agreements() if len(a.public_partners) >= 2]
    by_kind = {kind: [] for kind in AgreementKind.values}
    for agreement in agreements:
        by_kind[agreement.kind].append(agreement)
    labels = dict(AgreementKind.choices)
    return render(
        request,
        "netwerk/agreements.html",
        {
            "groups": [(labels[kind], items) for kind, items in by_kind.items() if items],
            "matrix": partnership_matrix(
                Agreement.objects.filter(pk__in=[a.pk for a in agreements])
            ),
            "count": len(agreements),
        },
    )
