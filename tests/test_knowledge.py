"""The knowledge library: search with the organisations' search words, filters, visibility
for professionals, and the documents on their organisation's page."""

import pytest
from django.urls import reverse

from netwerk.network.knowledge import KnowledgeItem, KnowledgeKind
from netwerk.reference.expertise import ExpertiseTag

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(hospice):
    addiction = ExpertiseTag.objects.create(
        name="Verslaving", slug="verslaving", category="addiction", synonyms="middelengebruik"
    )
    meaning = ExpertiseTag.objects.create(name="Zingeving", slug="zingeving", category="meaning")
    guide = KnowledgeItem.objects.create(
        title="Handreiking palliatieve zorg bij psychiatrische aandoeningen",
        kind=KnowledgeKind.GUIDE,
        url="https://example.org/handreiking",
        description="Wat er anders is in de laatste levensfase.",
        target_group="beide",
    )
    guide.expertise.add(meaning)
    protocol = KnowledgeItem.objects.create(
        title="Protocol opname bij verslaving",
        kind=KnowledgeKind.PROTOCOL,
        url="https://example.org/protocol",
        organisation=hospice,
        target_group="professionals",
        professionals_only=True,
    )
    protocol.expertise.add(addiction)
    volunteers = KnowledgeItem.objects.create(
        title="Gesprekskaart levensvragen",
        kind=KnowledgeKind.OTHER,
        url="https://example.org/kaart",
        organisation=hospice,
        target_group="vrijwilligers",
    )
    volunteers.expertise.add(meaning)
    return {"guide": guide, "protocol": protocol, "volunteers": volunteers}


def titles(client, **query) -> list[str]:
    response = client.get(reverse("netwerk:knowledge"), query)
    assert response.status_code == 200, response.context["form"].errors
    return [item.title for item in response.context["items"]]


def test_documents_for_professionals_are_only_for_signed_in_users(client, professional, library):
    assert "Protocol opname bij verslaving" not in titles(client)
    client.force_login(professional)
    assert "Protocol opname bij verslaving" in titles(client)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("psychiatrische", ["Handreiking palliatieve zorg bij psychiatrische aandoeningen"]),
        ("psychiatrisch", ["Handreiking palliatieve zorg bij psychiatrische aandoeningen"]),
        ("PALLIATIEF", ["Handreiking palliatieve zorg bij psychiatrische aandoeningen"]),
        ("levensvragen", ["Gesprekskaart levensvragen"]),
        (
            "zingeving",
            [
                "Gesprekskaart levensvragen",
                "Handreiking palliatieve zorg bij psychiatrische aandoeningen",
            ],
        ),
        ("middelengebruik", ["Protocol opname bij verslaving"]),  # a tag's synonym
        ("protocol verslaving", ["Protocol opname bij verslaving"]),
        ("niets hiervan", []),
    ],
)
def test_the_library_is_searched_like_the_organisations(
    client, professional, library, query, expected
):
    client.force_login(professional)
    assert titles(client, q=query) == expected


def test_filters_by_expertise_and_target_group(client, library):
    assert titles(client, expertise="zingeving") == [
        "Gesprekskaart levensvragen",
        "Handreiking palliatieve zorg bij psychiatrische aandoeningen",
    ]
    # Documents for both groups are for volunteers too.
    assert titles(client, doelgroep="vrijwilligers") == [
        "Gesprekskaart levensvragen",
        "Handreiking palliatieve zorg bij psychiatrische aandoeningen",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"expertise": "onbekend"}, "Kies een bestaande expertise uit de lijst."),
        ({"doelgroep": "iedereen"}, "Kies een bestaande doelgroep uit de lijst."),
        ({"q": "x" * 201}, "Gebruik hoogstens 200 tekens."),
    ],
)
def test_bad_filters_are_explained_in_dutch(client, library, query, message):
    response = client.get(reverse("netwerk:knowledge"), query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_organisations_documents_are_on_its_page(client, professional, hospice, library):
    page = client.get(hospice.get_absolute_url()).content.decode()
    assert "Gesprekskaart levensvragen" in page
    assert "Protocol opname bij verslaving" not in page
    client.force_login(professional)
    assert (
        "Protocol opname bij verslaving" in client.get(hospice.get_absolute_url()).content.decode()
    )


def test_the_library_takes_a_fixed_number_of_queries(
    client, library, hospice, django_assert_max_num_queries
):
    tag = ExpertiseTag.objects.get(slug="zingeving")
    for index in range(20):
        item = KnowledgeItem.objects.create(
            title=f"Document {index}",
            kind="overig",
            url="https://example.org",
            organisation=hospice,
        )
        item.expertise.add(tag)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("netwerk:knowledge"), {"q": "document"}).status_code == 200
