"""Organisations on one point (imported without an address fix, on their PC4 centre) do not
hide each other on the map: the cluster says how many there are and a click fans them out
(issue 12)."""

import pytest

from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.search.publishing import changes_published
from tests.test_browser_search import MAP, wait_for_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIBLE_MARKERS = "() => document.querySelectorAll('#zoekkaart .leaflet-marker-icon').length"


def on_one_point(*names: str) -> None:
    made = []
    for name in names:
        organisation = Organisation.objects.create(
            name=name, slug=name.lower().replace(" ", "-"), kind=OrganisationKind.OTHER
        )
        Location.objects.create(organisation=organisation, postcode="3512 AB", city="Utrecht")
        made.append(organisation.pk)
    changes_published(organisation_ids=made)  # as the import does


def test_organisations_on_one_point_are_counted_and_fanned_out(site, desktop):
    on_one_point("Stapelhuis Noord", "Stapelhuis Zuid", "Stapelhuis West")
    positions = set(
        Location.objects.filter(organisation__name__startswith="Stapelhuis").values_list(
            "latitude", "longitude"
        )
    )
    assert len(positions) == 1  # the PC4 centre, for all three

    desktop.goto(f"{site.url}/zoeken/?q=Stapelhuis")
    wait_for_map(desktop)
    assert desktop.evaluate(f"{MAP}.markerLayer.getLayers().length") == 3
    cluster = desktop.locator("#zoekkaart .marker-cluster")
    assert cluster.count() == 1 and cluster.inner_text().strip() == "3"
    assert desktop.evaluate(VISIBLE_MARKERS) == 1

    cluster.click()
    desktop.wait_for_function(f"{VISIBLE_MARKERS.removeprefix('() => ')} >= 4")
    titles = desktop.locator("#zoekkaart .leaflet-marker-icon[title]").evaluate_all(
        "icons => icons.map(icon => icon.title)"
    )
    assert sorted(titles) == ["Stapelhuis Noord", "Stapelhuis West", "Stapelhuis Zuid"]
