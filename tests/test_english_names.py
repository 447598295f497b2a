"""English names of expertise tags (issue 14): filled for the shipped vocabulary, shown on the
English pages (/en/...), the Dutch name when a tag has none; kinds and care settings are fixed
choices whose English names come from locale/en."""

import re

import pytest
from django.core.cache import cache
from django.utils import translation

from netwerk.directory.organisations import Organisation
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.loaders import expertise_tag_rows, expertise_tags_load

pytestmark = pytest.mark.django_db


def tags_shown(html: str) -> set[str]:
    return set(re.findall(r'<li class="ek-tag">(?:<a [^>]*>)?([^<]+)<', html))


def page(client, path: str, **params) -> str:
    cache.clear()
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def test_every_shipped_tag_has_an_english_name():
    rows = expertise_tag_rows()
    assert rows and all(row["name_en"] and row["name_en"] != row["name"] for row in rows)


def test_the_search_shows_english_tag_names_in_english_and_dutch_ones_in_dutch(client, demo):
    english = page(client, "/en/zoeken/", expertise="verslaving")
    assert {"Addiction"} <= tags_shown(english) and "Verslaving" not in tags_shown(english)
    assert re.search(r">\s*Addiction\s*<", english)  # the filter's own label too
    dutch = page(client, "/zoeken/", expertise="verslaving")
    assert "Verslaving" in tags_shown(dutch) and "Addiction" not in dutch


def test_the_organisation_page_shows_english_tag_and_kind_names_in_english(client, demo):
    organisation = Organisation.objects.published().filter(expertise__slug="psychiatrie").first()
    english = page(client, f"/en/organisaties/{organisation.slug}/")
    assert "Psychiatry" in tags_shown(english) and "Psychiatrie" not in tags_shown(english)
    with translation.override("en"):
        assert organisation.get_kind_display() in english
    dutch = page(client, f"/organisaties/{organisation.slug}/")
    assert "Psychiatrie" in tags_shown(dutch) and "Psychiatry" not in tags_shown(dutch)


def test_a_tag_without_an_english_name_keeps_its_dutch_one():
    tag = ExpertiseTag(name="Levenseindekliniek", name_en="")
    with translation.override("en"):
        assert tag.display_name == "Levenseindekliniek" == str(tag)
    tag.name_en = "End-of-life clinic"
    with translation.override("en"):
        assert str(tag) == "End-of-life clinic"
    with translation.override("nl"):
        assert str(tag) == "Levenseindekliniek"


def test_the_migration_names_tags_loaded_before_the_names_existed(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("netwerk.migrations.0017_holidays_free_places_english_names")
    expertise_tags_load()
    ExpertiseTag.objects.filter(slug="verslaving").update(name_en="")
    ExpertiseTag.objects.filter(slug="dementie").update(name_en="Our own word")
    migration.add_english_names(apps, None)
    assert ExpertiseTag.objects.get(slug="verslaving").name_en == "Addiction"
    assert ExpertiseTag.objects.get(slug="dementie").name_en == "Our own word"


def test_the_english_name_is_in_the_search_documents(client, demo):
    from netwerk.search.documents import organisations_search_refresh

    with_tag = set(
        Organisation.objects.published()
        .filter(expertise__slug="korsakov")
        .values_list("name", flat=True)
    )
    assert with_tag, "the demo has organisations with this expertise"
    organisations_search_refresh()
    cache.clear()
    response = client.get("/en/zoeken/", {"q": "syndrome"})  # only in the English name
    assert with_tag <= {o.name for o in response.context["page"].paginator.object_list}
