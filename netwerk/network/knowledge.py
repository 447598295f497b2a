"""The knowledge library: handreikingen, protocols and training material (links to documents),
tagged by expertise and target group, public or for signed-in professionals. Searched with the
organisations' search words (netwerk.search.documents: no accents, Dutch stems, word starts);
the library is small, so it is matched in Python, the same on SQLite and PostgreSQL."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netwerk.directory.organisations import Organisation
from netwerk.network.events import TargetGroup
from netwerk.reference.expertise import ExpertiseTag
from netwerk.search.documents import normalise, query_words, stem, with_stems


class KnowledgeKind(models.TextChoices):
    GUIDE = "handreiking", _("Handreiking")
    PROTOCOL = "protocol", _("Protocol")
    TRAINING_MATERIAL = "scholingsmateriaal", _("Scholingsmateriaal")
    OTHER = "overig", _("Overig")


class KnowledgeQuerySet(models.QuerySet):
    def visible_to(self, user):
        items = self.filter(is_published=True).filter(
            models.Q(organisation__isnull=True) | models.Q(organisation__is_published=True)
        )
        if not user.is_authenticated:
            items = items.filter(professionals_only=False)
        return items


class KnowledgeItem(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=KnowledgeKind.choices)
    url = models.URLField(_("link naar het document"), max_length=500)
    description = models.TextField(_("omschrijving"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="knowledge_items",
        null=True,
        blank=True,
        help_text=_("De organisatie die het document maakte of beheert; leeg voor het netwerk."),
    )
    expertise = models.ManyToManyField(
        ExpertiseTag, verbose_name=_("expertise"), related_name="knowledge_items", blank=True
    )
    target_group = models.CharField(
        _("doelgroep"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.BOTH
    )
    professionals_only = models.BooleanField(
        _("alleen voor professionals"),
        default=False,
        help_text=_("Alleen ingelogde professionals zien het."),
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    history = HistoricalRecords(m2m_fields=["expertise"])
    objects = KnowledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("kennisdocument")
        verbose_name_plural = _("kennisbank")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def search_document(self) -> str:
        """Title, description, kind and expertise (with synonyms), as the search reads them;
        the expertise must be prefetched."""
        parts = [self.title, self.description, str(self.get_kind_display())]
        for tag in self.expertise.all():
            parts += [tag.name, *tag.synonym_list]
        return with_stems(normalise(" ".join(parts)))


def knowledge_search(items, query: str) -> list[KnowledgeItem]:
    """The items (expertise prefetched) in which every word of the query, or its stem, starts a
    word; in their order."""
    words = query_words(query)
    if not words:
        return list(items)
    found = []
    for item in items:
        document = f" {item.search_document()}"
        if all(
            any(f" {spelling}" in document for spelling in {word, stem(word)}) for word in words
        ):
            found.append(item)
    return found
