"""English on /en/zoeken/ (issue 14): the English word for an expertise or a kind finds what the
Dutch word finds through that expertise or kind. The words are data: English synonyms beside the
Dutch ones in fixtures/expertise_tags.csv, and the kinds' English labels from locale/en in every
organisation's search document (netwerk.search.documents.kind_names)."""

import pytest
from django.core.cache import cache

from netwerk.directory.organisations import Organisation

pytestmark = pytest.mark.django_db


def found(client, words: str) -> list[str]:
    """Every result's name, best first, across all pages (past the page cache)."""
    cache.clear()
    response = client.get("/en/zoeken/", {"q": words})
    assert response.status_code == 200
    return [o.name for o in response.context["page"].paginator.object_list]


def by_tag_or_kind(*, tag: str = "", kind: str = "") -> set[str]:
    organisations = Organisation.objects.published()
    if tag:
        return set(organisations.filter(expertise__slug=tag).values_list("name", flat=True))
    return set(organisations.filter(kind=kind).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("english", "dutch", "concept"),
    [
        ("addiction", "verslaving", {"tag": "verslaving"}),
        ("addiction", "verslaving", {"kind": "verslavingszorg"}),
        ("psychiatry", "psychiatrie", {"tag": "psychiatrie"}),
        ("psychiatry", "psychiatrie", {"kind": "ggz"}),
        ("hospice", "hospice", {"kind": "hospice"}),
        ("home care", "thuiszorg", {"kind": "thuiszorg"}),
    ],
)
def test_the_english_word_finds_what_the_dutch_word_finds_through_the_expertise_or_kind(
    client, demo, english, dutch, concept
):
    expected = by_tag_or_kind(**concept)
    assert expected, "the demo has organisations with this expertise or kind"
    dutch_found, english_found = set(found(client, dutch)), set(found(client, english))
    assert expected <= dutch_found
    assert expected <= english_found


@pytest.mark.parametrize(
    ("english", "dutch"), [("addiction", "verslaving"), ("hospice", "hospice")]
)
def test_english_and_dutch_agree_but_for_dutch_free_text(client, demo, english, dutch):
    """What only the Dutch word finds is found through a description written in Dutch."""
    only_dutch = set(found(client, dutch)) - set(found(client, english))
    for organisation in Organisation.objects.filter(name__in=only_dutch):
        assert dutch in organisation.description.lower()
    assert set(found(client, english)) <= set(found(client, dutch))
