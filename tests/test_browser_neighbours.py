"""What the neighbours know, in a real browser: "Wie bel ik nu?" and the search for a postcode
outside the demo region (Amsterdam) show the section without accessibility violations, readable
at 390 and 1366 px. With SCREENSHOTS=1 both pages are saved to docs/screenshots/."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from netwerk.neighbours.networks import NeighbourLine, NeighbourNetwork, NeighbourOrganisation
from netwerk.reference.geography import Municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1366}
PAGES = {"wie-bel-ik-nu": "/wie-bel-ik-nu/?postcode=1011+AB", "zoeken": "/zoeken/?postcode=1011"}


def neighbours_in_amsterdam():
    amsterdam = Municipality.objects.get(code="GM0363")
    neighbour = NeighbourNetwork.objects.create(
        name="Netwerk Palliatieve Zorg Amstelland", api_url="https://amstel.example/api/v1/"
    )
    now = timezone.now()
    organisation = NeighbourOrganisation.objects.create(
        neighbour=neighbour,
        source_id="3f7b145d-84af-42d7-8fae-eaca714b02b2",
        name="Hospice Aan de Amstel",
        description="Hospice met zes plekken, ook voor mensen met een psychiatrische aandoening.",
        phone="+31201234567",
        website="https://hospice-amstel.example/",
        postcode="1011 AB",
        city="Amsterdam",
        fetched_at=now,
    )
    organisation.municipalities.add(amsterdam)
    line = NeighbourLine.objects.create(
        neighbour=neighbour,
        source_id="6b0c1a9e-2f44-4f0e-9d3a-1c2b3d4e5f60",
        organisation=organisation,
        name="Consultatieteam Palliatieve Zorg Amstelland",
        description="Consultatie",
        phone="+31207654321",
        fetched_at=now,
    )
    line.municipalities.add(amsterdam)


@pytest.mark.parametrize("name", list(PAGES))
def test_the_neighbours_section_is_accessible_at_both_widths(
    site, desktop, assert_accessible, name
):
    neighbours_in_amsterdam()
    desktop.goto(f"{site.url}{PAGES[name]}")
    section = desktop.get_by_role("heading", name="Deze postcode ligt buiten ons netwerkgebied")
    assert section.is_visible()
    assert desktop.get_by_text("Bron: Netwerk Palliatieve Zorg Amstelland").count() == 2
    assert_accessible(desktop)
    for label, width in WIDTHS.items():
        desktop.set_viewport_size({"width": width, "height": 900})
        overflow = desktop.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, label
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            desktop.screenshot(path=SCREENSHOTS / f"neighbours-{name}-{label}.png", full_page=True)
