"""One vocabulary for the words coordinators and visitors use: organisation kinds and expertise.

Every kind and every expertise tag is known by its label, the parts of its label ("PaTz-groep"
in "Huisartsenpraktijk / PaTz-groep", the "VPTZ" in "(VPTZ)"), its synonyms (the tag's synonym
list, the built-in ones of a kind below) and the aliases coordinators add in the admin (`Alias`).
Words are compared without case, accents, spaces or punctuation, so "ggz", "G.G.Z." and "GGZ"
are one word. The spreadsheet import, the search (a tag's aliases are part of the search
documents) and the search filters (`?soort=patz`, `?expertise=nah`) read values through it.

A value that matches nothing gets the closest known words as suggestions ("bedoelt u …?").
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netwerk.directory.organisations import OrganisationKind
from netwerk.reference.expertise import ExpertiseTag

# The everyday words for the kinds, beside their labels (which are always known).
KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    OrganisationKind.HOSPICE: ("bijna-thuis-huis", "bijna thuis huis", "hospice-unit"),
    OrganisationKind.MENTAL_HEALTH: ("GGZ", "geestelijke gezondheidszorg", "psychiatrie"),
    OrganisationKind.ADDICTION_CARE: ("verslaving", "verslavingskliniek", "verslavingsinstelling"),
    OrganisationKind.HOME_CARE: ("wijkverpleging", "thuiszorgorganisatie", "wijkteam"),
    OrganisationKind.GENERAL_PRACTICE: (
        "huisarts",
        "huisartsen",
        "huisartsenpraktijk",
        "huisartspraktijk",
        "PaTz",
        "PaTz-groep",
        "huisartsenpost",
        "gezondheidscentrum",
    ),
    OrganisationKind.HOSPITAL: ("ziekenhuizen", "academisch ziekenhuis", "UMC"),
    OrganisationKind.NURSING_HOME: ("verpleeghuizen", "verpleeg- en verzorgingshuis", "VVT"),
    OrganisationKind.CONSULTATION_TEAM: (
        "consultatieteam",
        "palliatief team",
        "palliatief consultatieteam",
        "CPT",
        "PCT",
    ),
    OrganisationKind.VOLUNTEERS: (
        "VPTZ",
        "vrijwilligers",
        "vrijwilligers VPTZ",
        "vrijwilligersorganisatie",
        "vrijwilligers palliatieve zorg",
    ),
    OrganisationKind.PUBLIC_HEALTH: ("gemeentelijke gezondheidsdienst",),
    OrganisationKind.SHELTER: ("opvang", "daklozenopvang", "nachtopvang", "MO"),
    OrganisationKind.OTHER: ("anders", "overige"),
}

WORD_PART = re.compile(r"\(([^)]*)\)|/")
MAX_SUGGESTIONS = 3


def term_key(text: str) -> str:
    """The form words are compared in: lower case, no accents, only letters and digits."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(
        char for char in decomposed if char.isalnum() and not unicodedata.combining(char)
    )


def word_parts(text: str) -> list[str]:
    """A label's parts: "A / B (C)" gives "A", "B" and "C" besides the whole."""
    inside = re.findall(r"\(([^)]*)\)", text)
    outside = re.sub(r"\([^)]*\)", " ", text)
    return [part.strip() for part in [*outside.split("/"), *inside] if part.strip()]


class Alias(models.Model):
    """A word a coordinator adds for a kind or an expertise tag ("SPV", "Hospice-unit")."""

    text = models.CharField(_("woord"), max_length=100)
    kind = models.CharField(
        _("soort organisatie"),
        max_length=30,
        choices=OrganisationKind.choices,
        blank=True,
        help_text=_("Vul óf de soort óf de expertise in."),
    )
    expertise = models.ForeignKey(
        ExpertiseTag,
        verbose_name=_("expertise"),
        on_delete=models.CASCADE,
        related_name="aliases",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ander woord")
        verbose_name_plural = _("andere woorden (soorten en expertise)")
        ordering = ["text"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="") & models.Q(expertise__isnull=False))
                | (~models.Q(kind="") & models.Q(expertise__isnull=True)),
                name="alias_for_a_kind_or_an_expertise",
                violation_error_message=_("Vul óf de soort óf de expertise in, niet allebei."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.meaning()}"

    def meaning(self) -> str:
        if self.expertise_id:
            return str(self.expertise)
        return str(OrganisationKind(self.kind).label) if self.kind else ""

    def clean(self) -> None:
        super().clean()
        if not term_key(self.text):
            raise ValidationError({"text": _("Vul een woord met letters of cijfers in.")})
        vocabulary = Vocabulary.load(without_alias=self.pk)
        if self.kind:
            taken = vocabulary.kinds.get(term_key(self.text))
            if taken is not None and taken != self.kind:
                raise ValidationError(
                    {
                        "text": _("'%(text)s' betekent al de soort %(other)s.")
                        % {"text": self.text, "other": OrganisationKind(taken).label}
                    }
                )
        elif self.expertise_id:
            taken = vocabulary.tags.get(term_key(self.text))
            if taken is not None and taken.pk != self.expertise_id:
                raise ValidationError(
                    {
                        "text": _("'%(text)s' betekent al de expertise %(other)s.")
                        % {"text": self.text, "other": taken.name}
                    }
                )


@dataclass
class Vocabulary:
    """The known words, by their compared form: kind value, or expertise tag."""

    kinds: dict[str, str] = field(default_factory=dict)
    tags: dict[str, ExpertiseTag] = field(default_factory=dict)

    @classmethod
    def load(cls, *, without_alias: int | None = None) -> "Vocabulary":
        """Two queries: the tags and the aliases."""
        vocabulary = cls()
        aliases = list(Alias.objects.exclude(pk=without_alias).order_by("pk"))
        # Labels first: a label always means its own kind, whatever a synonym elsewhere says.
        for value, label in OrganisationKind.choices:
            vocabulary.add_kind(value, [label, value])
        for value, label in OrganisationKind.choices:
            vocabulary.add_kind(value, [*word_parts(str(label)), *KIND_SYNONYMS.get(value, ())])
        for alias in aliases:
            if alias.kind:
                vocabulary.add_kind(alias.kind, [alias.text])
        tags = list(ExpertiseTag.objects.order_by("name"))
        by_pk = {tag.pk: tag for tag in tags}
        for tag in tags:
            vocabulary.add_tag(tag, [tag.name, tag.slug])
        for tag in tags:
            vocabulary.add_tag(tag, word_parts(tag.name))
        for alias in aliases:
            if alias.expertise_id in by_pk:
                vocabulary.add_tag(by_pk[alias.expertise_id], [alias.text])
        for tag in tags:
            vocabulary.add_tag(tag, tag.synonym_list)
        return vocabulary

    def add_kind(self, value: str, words) -> None:
        for word in words:
            if term_key(word):
                self.kinds.setdefault(term_key(word), str(value))

    def add_tag(self, tag: ExpertiseTag, words) -> None:
        for word in words:
            if term_key(word):
                self.tags.setdefault(term_key(word), tag)

    def kind(self, text: str) -> str | None:
        return self.lookup(self.kinds, text)

    def tag(self, text: str) -> ExpertiseTag | None:
        return self.lookup(self.tags, text)

    @staticmethod
    def lookup(known: dict, text: str):
        """The meaning of the whole text, else of its parts when they all mean the same thing
        ("Vrijwilligers (VPTZ)": both parts are the volunteers)."""
        found = known.get(term_key(text))
        if found is not None or not term_key(text):
            return found
        meanings = [known.get(term_key(part)) for part in word_parts(text)]
        meanings = [meaning for meaning in meanings if meaning is not None]
        if meanings and all(meaning == meanings[0] for meaning in meanings):
            return meanings[0]
        return None

    def kind_suggestions(self, text: str) -> list[str]:
        return [str(OrganisationKind(value).label) for value in self.closest(self.kinds, text)]

    def tag_suggestions(self, text: str) -> list[str]:
        return [tag.name for tag in self.closest(self.tags, text)]

    @staticmethod
    def closest(known: dict, text: str) -> list:
        """Up to three meanings of the words closest to the text, best first."""
        key = term_key(text)
        if not key:
            return []
        words = difflib.get_close_matches(key, list(known), n=10, cutoff=0.6)
        words += [word for word in known if len(key) >= 3 and (key in word or word in key)]
        meanings = []
        for word in words:
            if known[word] not in meanings:
                meanings.append(known[word])
        return meanings[:MAX_SUGGESTIONS]


def vocabulary_listing() -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """For the import page: each kind and each tag with the other words it is known by."""
    aliases = list(Alias.objects.select_related("expertise").order_by("text"))
    kinds = [
        (
            str(label),
            unique_words(
                [*word_parts(str(label)), *KIND_SYNONYMS.get(value, ())]
                + [alias.text for alias in aliases if alias.kind == value],
                besides=str(label),
            ),
        )
        for value, label in OrganisationKind.choices
    ]
    tags = [
        (
            tag.name,
            unique_words(
                [*word_parts(tag.name), *tag.synonym_list]
                + [alias.text for alias in aliases if alias.expertise_id == tag.pk],
                besides=tag.name,
            ),
        )
        for tag in ExpertiseTag.objects.order_by("name")
    ]
    return kinds, tags


def unique_words(words, *, besides: str) -> list[str]:
    seen = {term_key(besides)}
    unique = []
    for word in words:
        if term_key(word) and term_key(word) not in seen:
            seen.add(term_key(word))
            unique.append(word)
    return unique
