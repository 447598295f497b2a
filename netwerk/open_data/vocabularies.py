"""The taxonomies the open data publishes, with identifiers that never change.

Expertise tags are data (each tag has its own UUID, the categories are its parent terms). The other
vocabularies are the code's choices: organisation kinds, care settings, the acceptance terms of a
place, the purposes of a consultation line and the availability of a place. Their ids are derived
with UUID version 5 from one fixed namespace and the term's code, so they are the same in every
installation: a neighbouring network's "hospice" term is ours.
"""

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from netwerk.consultation.lines import Purpose
from netwerk.directory.organisations import OrganisationKind
from netwerk.places.places import Acceptance, Availability, CareSetting, Place
from netwerk.reference.expertise import ExpertiseCategory, ExpertiseTag

# Never change: every published id of a fixed term is derived from it.
NAMESPACE = uuid.UUID("e08937e1-8720-49fb-b617-390a4b39791b")

# A place's acceptance terms: (model field, term code, Dutch name).
ACCEPTANCE_FIELDS = (
    ("accepts_severe_mental_illness", "epa"),
    ("accepts_active_substance_use", "middelengebruik"),
    ("accepts_opioid_substitution", "opiaatvervanging"),
    ("accepts_one_to_one_supervision", "een-op-een-begeleiding"),
    ("allows_smoking", "roken"),
)
UNKNOWN_AVAILABILITY = "onbekend"


def derived_id(*parts) -> str:
    """A stable UUID for something without a row of its own (a phone, an address, a fixed
    term), derived from stable identifiers."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


@dataclass(frozen=True)
class Taxonomy:
    code: str
    name: str
    description: str

    @property
    def id(self) -> str:
        return derived_id("taxonomy", self.code)


@dataclass(frozen=True)
class Term:
    taxonomy: Taxonomy
    code: str
    name: str
    description: str = ""
    id: str = ""
    parent_id: str | None = None

    def __post_init__(self):
        if not self.id:
            object.__setattr__(self, "id", derived_id("term", self.taxonomy.code, self.code))


def taxonomies() -> dict[str, Taxonomy]:
    """Every published taxonomy by code, with its Dutch name (called per request: translated)."""
    return {
        taxonomy.code: taxonomy
        for taxonomy in (
            Taxonomy(
                "expertise",
                _("Expertise"),
                _("De expertise van organisaties, contactpersonen en lijnen in het netwerk."),
            ),
            Taxonomy("soort", _("Soort organisatie"), _("Wat voor organisatie het is.")),
            Taxonomy(
                "zorgsetting",
                _("Zorgsetting"),
                _("Waar een beschikbare plek is: hospice, instelling of thuis."),
            ),
            Taxonomy(
                "opname",
                _("Opnamevoorwaarden"),
                _(
                    "Of een plek iemand opneemt met deze achtergrond; de waarde is "
                    "ja, in overleg of nee."
                ),
            ),
            Taxonomy(
                "doel",
                _("Doel van de lijn"),
                _("Waarvoor een consultatie- of crisislijn gebeld wordt."),
            ),
            Taxonomy(
                "beschikbaarheid",
                _("Beschikbaarheid"),
                _(
                    "Of een plek nu vrij is. Een status die ouder is dan de termijn van de "
                    "zorgsetting heet onbekend."
                ),
            ),
        )
    }


def _choice_terms(taxonomy: Taxonomy, choices) -> list[Term]:
    return [Term(taxonomy, value, str(label)) for value, label in choices]


def fixed_terms() -> list[Term]:
    """The terms of the vocabularies fixed in code, in a stable order."""
    by_code = taxonomies()
    acceptance = by_code["opname"]
    availability = by_code["beschikbaarheid"]
    return [
        *_choice_terms(by_code["soort"], OrganisationKind.choices),
        *_choice_terms(by_code["zorgsetting"], CareSetting.choices),
        *(Term(acceptance, code, _field_label(field)) for field, code in ACCEPTANCE_FIELDS),
        *_choice_terms(by_code["doel"], Purpose.choices),
        *_choice_terms(availability, Availability.choices),
        Term(availability, UNKNOWN_AVAILABILITY, _("Onbekend")),
    ]


def category_terms() -> list[Term]:
    """The expertise categories: the parent terms of the expertise tags."""
    expertise = taxonomies()["expertise"]
    return [
        Term(expertise, f"categorie-{value}", str(label))
        for value, label in ExpertiseCategory.choices
    ]


def expertise_term(tag: ExpertiseTag) -> Term:
    expertise = taxonomies()["expertise"]
    return Term(
        expertise,
        tag.slug,
        tag.name,
        tag.description,
        id=str(tag.uuid),
        parent_id=derived_id("term", "expertise", f"categorie-{tag.category}"),
    )


def fixed_term_index() -> dict[tuple[str, str], Term]:
    """The fixed terms by (taxonomy code, term code)."""
    return {(term.taxonomy.code, term.code): term for term in fixed_terms()}


def acceptance_label(value: str) -> str:
    return str(dict(Acceptance.choices)[value])


def _field_label(field: str) -> str:
    return str(Place._meta.get_field(field).verbose_name)
