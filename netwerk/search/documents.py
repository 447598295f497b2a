"""Full-text search over organisations: Dutch stemming, accents and typos forgiven, synonyms.

Each organisation keeps a search document: its name, kind, description, expertise with the tags'
synonyms, and the places and municipalities of its locations — lower-cased and without accents,
so that "suicide" finds "Suïcidepreventie" on every database. Synonyms work because they are part of
the document of every organisation with the tag.

A query word that starts no word of any document (a typo) is replaced by the closest words of
the documents' vocabulary (the SearchWord table) by trigram similarity: on PostgreSQL with
pg_trgm through a GIN index, on SQLite computed in Python the same way.

PostgreSQL: a stored tsvector (`dutch` configuration, the name weighted above the rest) with a GIN
index; every query word (or its Snowball stem) must match as a lexeme prefix; ranked by ts_rank.
SQLite: the same documents, matched on word starts; the name counts more than the rest.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramSimilarity
from django.db import connection, models
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from netwerk.directory.organisations import Organisation, OrganisationKind

WORD = re.compile(r"[a-z0-9]+")
MIN_SIMILARITY = 0.3  # pg_trgm's default similarity_threshold
MAX_CORRECTIONS = 3
MAX_WORD_LENGTH = 100
MAX_QUERY_WORDS = 8
MIN_WORD_LENGTH = 2
_stemmer = snowballstemmer.stemmer("dutch")


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: the form of both documents and queries."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(WORD.findall(plain))


def query_words(query: str) -> list[str]:
    words = [word for word in normalise(query).split() if len(word) >= MIN_WORD_LENGTH]
    return words[:MAX_QUERY_WORDS]


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def with_stems(text: str) -> str:
    """The words of a normalised text followed by the stems that differ from them."""
    words = text.split()
    stems = [stem(word) for word in words]
    return " ".join(words + [s for s, w in zip(stems, words, strict=True) if s != w])


def document_for(organisation: Organisation) -> tuple[str, str]:
    """(name, rest) of the organisation's search document, normalised."""
    parts = [*kind_names(organisation.kind), organisation.description]
    for tag in organisation.expertise.all():
        # The vocabulary's words for the tag: its English name, synonyms and the coordinators'
        # aliases.
        parts += [
            tag.name,
            tag.name_en,
            *tag.synonym_list,
            *(alias.text for alias in tag.aliases.all()),
        ]
    for location in organisation.locations.all():
        parts += [location.name, location.city]
        if location.municipality:
            parts.append(location.municipality.name)
    return normalise(organisation.name), normalise(" ".join(str(part) for part in parts if part))


def kind_names(kind: str) -> list[str]:
    """The kind's label in every language of the site (Dutch, and English from locale/en), so
    that "home care" on /en/zoeken/ finds what "thuiszorg" finds; the same in any request."""
    names = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.append(str(OrganisationKind(kind).label))
    return names


class SearchWord(models.Model):
    """A word of the search documents: the vocabulary that a misspelt query word is matched to."""

    word = models.CharField(_("woord"), max_length=MAX_WORD_LENGTH, unique=True)

    class Meta:
        verbose_name = _("zoekwoord")
        verbose_name_plural = _("zoekwoorden")

    def __str__(self) -> str:
        return self.word


def organisations_search_refresh(organisations: QuerySet[Organisation] | None = None) -> int:
    """Rebuild the search documents, the vocabulary and (PostgreSQL) the stored vectors.

    Without an argument every organisation is rebuilt and the vocabulary starts afresh; with a
    queryset only those organisations, and their words are added to the vocabulary.
    """
    everything = organisations is None
    batch = list(
        (Organisation.objects.all() if everything else organisations)
        .prefetch_related("expertise__aliases", "locations__municipality")
        .only("pk", "name", "kind", "description")
    )
    for organisation in batch:
        name, rest = document_for(organisation)
        organisation.search_name = with_stems(name)
        organisation.search_document = with_stems(f"{name} {rest}")
    Organisation.objects.bulk_update(batch, ["search_name", "search_document"], batch_size=500)
    if is_postgresql() and batch:
        Organisation.objects.filter(pk__in=[o.pk for o in batch]).update(
            search_vector=SearchVector("search_name", weight="A", config="dutch")
            + SearchVector("search_document", weight="B", config="dutch")
        )
    vocabulary_add({word for o in batch for word in o.search_document.split()}, afresh=everything)
    return len(batch)


def vocabulary_add(words: set[str], *, afresh: bool = False) -> None:
    if afresh:
        SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        [
            SearchWord(word=word)
            for word in words
            if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search(queryset: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    """Organisations matching every word of `query` (or a near spelling), annotated `relevance`."""
    words = query_words(query)
    if is_postgresql():
        words = _without_stop_words(words)
    words = [spellings(word) for word in words]
    if not words:
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField()))
    if not all(words):  # a word that is close to nothing the documents hold
        return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))
    if is_postgresql():
        return _search_postgresql(queryset, words)
    return _search_portable(queryset, words)


def spellings(word: str) -> list[str]:
    """The word and its stem when the documents know them (as word starts); otherwise, for a
    typo, the closest words of the vocabulary by trigram similarity (none when nothing is close)."""
    own = sorted({word, stem(word)})
    known = Q()
    for spelling in own:
        known |= Q(word__startswith=spelling)
    if SearchWord.objects.filter(known).exists():
        return own
    return closest_words(word)


def closest_words(word: str) -> list[str]:
    if is_postgresql():
        # The trigram GIN index on the vocabulary answers `%` (similarity above the threshold).
        return list(
            SearchWord.objects.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:MAX_CORRECTIONS]
        )
    scored = [
        (trigram_similarity(word, known), known)
        for known in SearchWord.objects.values_list("word", flat=True)
    ]
    close = sorted((item for item in scored if item[0] >= MIN_SIMILARITY), reverse=True)
    return [known for _score, known in close[:MAX_CORRECTIONS]]


# --- PostgreSQL ----------------------------------------------------------------------------------


def _search_postgresql(queryset, words: list[list[str]]):
    # Every query word must match one of its spellings as a prefix of a lexeme (so "verslaving"
    # finds "verslavingszorg"), through the GIN index on the stored tsvector.
    condition = Q()
    for spellings_of_word in words:
        condition &= Q(search_vector=_prefix_query(spellings_of_word))
    any_word = _prefix_query([spelling for group in words for spelling in group])
    return queryset.filter(condition).annotate(relevance=SearchRank(F("search_vector"), any_word))


def _without_stop_words(words: list[str]) -> list[str]:
    """Leave out the words that the `dutch` configuration drops ("het", "de", "en"): a tsquery of
    a stop word is empty and would match nothing. One query for all words."""
    if not words:
        return words
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM unnest(%s::text[]) AS word "
            "WHERE numnode(plainto_tsquery('dutch', word)) > 0",
            [words],
        )
        kept = {row[0] for row in cursor.fetchall()}
    return [word for word in words if word in kept]


def _prefix_query(spellings_of_word: list[str]) -> SearchQuery:
    # Spellings are [a-z0-9]+ after normalise(), so nothing of tsquery's syntax can slip in.
    raw = " | ".join(f"{spelling}:*" for spelling in spellings_of_word)
    return SearchQuery(raw, search_type="raw", config="dutch")


# --- Portable fallback (SQLite) ------------------------------------------------------------------


def _search_portable(queryset, words: list[list[str]]):
    condition = Q()
    relevance = Value(0.0, output_field=FloatField())
    for spellings_of_word in words:
        condition &= _starts_a_word("search_document", spellings_of_word)
        relevance = relevance + Case(
            When(_starts_a_word("search_name", spellings_of_word), then=Value(1.0)),
            default=Value(0.3),
            output_field=FloatField(),
        )
    return queryset.filter(condition).annotate(relevance=relevance)


def _starts_a_word(field: str, spellings_of_word: list[str]) -> Q:
    condition = Q()
    for spelling in spellings_of_word:
        condition |= Q(**{f"{field}__startswith": spelling}) | Q(
            **{f"{field}__contains": f" {spelling}"}
        )
    return condition


def trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): the shared trigrams of two words over all their trigrams."""
    first, second = trigrams(a), trigrams(b)
    return len(first & second) / len(first | second)
