"""Issue 14's dead ends and wording on the public search: only our municipalities, plain chips."""

import pytest
from django.urls import reverse

from netwerk.reference.geography import Municipality, Region

pytestmark = pytest.mark.django_db


def test_the_municipality_filter_offers_only_the_networks_municipalities(client, demo):
    html = client.get(reverse("netwerk:search")).content.decode()
    ours = Municipality.objects.in_regions(Region.objects.all())
    assert 0 < ours.count() < Municipality.objects.count()
    for municipality in ours:
        assert f'value="{municipality.code}"' in html
    others = Municipality.objects.exclude(pk__in=ours.values("pk"))
    assert not [m.name for m in others if f'value="{m.code}"' in html]


def test_the_distance_chip_reads_as_a_phrase(client, demo):
    html = client.get(reverse("netwerk:search"), {"postcode": "3511", "afstand": "10"})
    text = html.content.decode()
    assert "binnen 10 km" in text
    assert "Binnen (km): 10" not in text


def test_the_care_setting_filter_has_plain_words(client, demo):
    text = client.get(reverse("netwerk:search"), {"zorgsetting": "hospice"}).content.decode()
    assert "Alle zorgsettings" not in text
    assert "Soort zorg: Hospice" in text


def test_the_public_search_does_not_say_geojson(client, demo):
    text = client.get(reverse("netwerk:search")).content.decode()
    assert ">GeoJSON<" not in text
    assert "Kaartgegevens (voor eigen kaarten)" in text
