"""A fictional demo region: about 40 organisations in 14 municipalities around Utrecht.

Every organisation, person and phone number here is invented (phone numbers are in ranges that are
not issued to subscribers). Loading is keyed on slugs and names, so it can run again safely.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from netwerk.consultation.lines import Audience, ConsultationLine, HolidayRule, Purpose, ScheduleRow
from netwerk.directory.contacts import Contact, Visibility
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation, OrganisationKind
from netwerk.directory.vocabulary import Alias
from netwerk.network.agreements import Agreement, AgreementKind
from netwerk.network.events import Event, EventKind, RegistrationMode, TargetGroup
from netwerk.network.knowledge import KnowledgeItem, KnowledgeKind
from netwerk.places.places import Acceptance, Availability, CareSetting, Place
from netwerk.places.update_links import UpdateLink, update_link_create
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.reference.loaders import expertise_tag_rows, reference_lines_load
from netwerk.search.publishing import changes_published

REGION_SLUG = "demoregio-utrecht"
REGION_NAME = "Demoregio Utrecht e.o."
MUNICIPALITY_CODES = [
    "GM0344",  # Utrecht
    "GM0307",  # Amersfoort
    "GM0355",  # Zeist
    "GM0356",  # Nieuwegein
    "GM0321",  # Houten
    "GM0310",  # De Bilt
    "GM1581",  # Utrechtse Heuvelrug
    "GM1904",  # Stichtse Vecht
    "GM0353",  # IJsselstein
    "GM0632",  # Woerden
    "GM0345",  # Veenendaal
    "GM0342",  # Soest
    "GM0352",  # Wijk bij Duurstede
    "GM0312",  # Bunnik
]


@dataclass
class DemoOrganisation:
    name: str
    kind: OrganisationKind
    municipality: str
    description: str
    tags: list[str]
    places: list[tuple[CareSetting, int]] = field(default_factory=list)
    extra_location_in: str | None = None


K = OrganisationKind
H, INST, T = CareSetting.HOSPICE, CareSetting.INSTITUTION, CareSetting.HOME
ORGANISATIONS = [
    DemoOrganisation(
        "Hospice De Lindeboom",
        K.HOSPICE,
        "GM0344",
        "Hospice met zes kamers in een rustige wijk; ervaring met bewoners met een psychiatrische achtergrond.",
        ["Palliatieve zorg", "Psychiatrie", "Zingeving"],
        [(H, 6)],
    ),
    DemoOrganisation(
        "Hospice Het Rozenhuis",
        K.HOSPICE,
        "GM0307",
        "Bijna-thuis-huis gedragen door vrijwilligers, met verpleegkundige zorg dag en nacht.",
        ["Palliatieve zorg", "Rouw en verlies"],
        [(H, 4)],
    ),
    DemoOrganisation(
        "Bijna Thuis Huis De Vlinder",
        K.HOSPICE,
        "GM0355",
        "Kleinschalig huis voor de laatste levensfase; roken is in overleg mogelijk.",
        ["Palliatieve zorg", "Verslaving"],
        [(H, 3)],
    ),
    DemoOrganisation(
        "Hospice De Kapel",
        K.HOSPICE,
        "GM0356",
        "Hospice met een eigen team voor bewoners met verslavingsproblematiek.",
        ["Palliatieve zorg", "Verslaving", "Opiaatvervanging"],
        [(H, 5)],
    ),
    DemoOrganisation(
        "Hospice De Heuvelrug",
        K.HOSPICE,
        "GM1581",
        "Hospice in het bos met ruimte voor naasten om te blijven slapen.",
        ["Palliatieve zorg", "Palliatieve sedatie"],
        [(H, 4)],
    ),
    DemoOrganisation(
        "Hospice De Waterlelie",
        K.HOSPICE,
        "GM0345",
        "High-care hospice met verpleegkundigen en een eigen hospice-arts.",
        ["Palliatieve zorg", "Pijnbestrijding", "Dementie"],
        [(H, 8)],
    ),
    DemoOrganisation(
        "Bijna Thuis Huis Woerden",
        K.HOSPICE,
        "GM0632",
        "Twee kamers, vrijwilligers en de eigen huisarts.",
        ["Palliatieve zorg"],
        [(H, 2)],
    ),
    DemoOrganisation(
        "GGZ Stichtse Oevers",
        K.MENTAL_HEALTH,
        "GM0344",
        "Specialistische GGZ met klinische bedden en FACT-teams in de stad.",
        ["Psychiatrie", "Ernstige psychiatrische aandoening (EPA)", "Suïcidepreventie"],
        [(INST, 4), (T, 10)],
        "GM0356",
    ),
    DemoOrganisation(
        "GGZ Eemvallei",
        K.MENTAL_HEALTH,
        "GM0307",
        "Ambulante en klinische GGZ voor Amersfoort en omgeving.",
        ["Psychiatrie", "Ernstige psychiatrische aandoening (EPA)"],
        [(INST, 2)],
    ),
    DemoOrganisation(
        "Kliniek Bosrand",
        K.MENTAL_HEALTH,
        "GM1581",
        "Langdurige psychiatrische zorg met een palliatieve unit.",
        ["Psychiatrie", "Palliatieve zorg", "Ernstige psychiatrische aandoening (EPA)"],
        [(INST, 3)],
    ),
    DemoOrganisation(
        "FACT-team De Bilt",
        K.MENTAL_HEALTH,
        "GM0310",
        "Outreachende zorg thuis voor mensen met een ernstige psychiatrische aandoening.",
        ["Ernstige psychiatrische aandoening (EPA)", "Psychiatrie"],
        [(T, 6)],
    ),
    DemoOrganisation(
        "Ambulante GGZ Nieuwegein",
        K.MENTAL_HEALTH,
        "GM0356",
        "Behandeling en consultatie voor huisartsen en wijkteams.",
        ["Psychiatrie", "Suïcidepreventie"],
    ),
    DemoOrganisation(
        "GGZ Woerden Midden",
        K.MENTAL_HEALTH,
        "GM0632",
        "Basis- en specialistische GGZ in het Groene Hart.",
        ["Psychiatrie"],
    ),
    DemoOrganisation(
        "Verslavingszorg Domstad",
        K.ADDICTION_CARE,
        "GM0344",
        "Behandeling van verslaving, methadonverstrekking en consultatie.",
        ["Verslaving", "Opiaatvervanging", "Korsakov"],
        [(INST, 3), (T, 8)],
    ),
    DemoOrganisation(
        "Herstelhuis De Brug",
        K.ADDICTION_CARE,
        "GM0307",
        "Beschermd wonen voor mensen met een verslaving, ook in de laatste levensfase.",
        ["Verslaving", "Palliatieve zorg"],
        [(INST, 2)],
    ),
    DemoOrganisation(
        "Verslavingszorg Heuvelrug",
        K.ADDICTION_CARE,
        "GM1581",
        "Kliniek voor alcoholverslaving en Korsakov.",
        ["Verslaving", "Korsakov"],
        [(INST, 2)],
    ),
    DemoOrganisation(
        "Woonvoorziening De Overloop",
        K.SHELTER,
        "GM0344",
        "Woonvoorziening met begeleiding voor dak- en thuisloze mensen met verslaving.",
        ["Dak- en thuisloosheid", "Verslaving"],
        [(INST, 2)],
    ),
    DemoOrganisation(
        "Thuiszorg Vechtstreek",
        K.HOME_CARE,
        "GM1904",
        "Wijkverpleging, palliatieve terminale zorg thuis en nachtzorg.",
        ["Palliatieve zorg", "Dementie"],
        [(T, 12)],
    ),
    DemoOrganisation(
        "Buurtzorgteam Houten-Oost",
        K.HOME_CARE,
        "GM0321",
        "Klein wijkteam met ervaring in psychiatrie thuis.",
        ["Palliatieve zorg", "Psychiatrie"],
        [(T, 5)],
    ),
    DemoOrganisation(
        "Thuiszorg IJsselstein",
        K.HOME_CARE,
        "GM0353",
        "Thuiszorg en palliatieve zorg thuis, dag en nacht.",
        ["Palliatieve zorg"],
        [(T, 8)],
    ),
    DemoOrganisation(
        "Thuiszorg Soest en Baarn",
        K.HOME_CARE,
        "GM0342",
        "Wijkverpleging met gespecialiseerde verpleegkundigen palliatieve zorg.",
        ["Palliatieve zorg", "Pijnbestrijding"],
        [(T, 6)],
    ),
    DemoOrganisation(
        "Wijkverpleging Wijk bij Duurstede",
        K.HOME_CARE,
        "GM0352",
        "Wijkverpleging voor Wijk bij Duurstede en omliggende dorpen.",
        ["Palliatieve zorg"],
        [(T, 4)],
    ),
    DemoOrganisation(
        "PaTz-groep Utrecht Oost",
        K.GENERAL_PRACTICE,
        "GM0344",
        "Huisartsen en wijkverpleegkundigen die palliatieve patiënten samen bespreken.",
        ["Palliatieve zorg"],
    ),
    DemoOrganisation(
        "Huisartsenpraktijk De Linde",
        K.GENERAL_PRACTICE,
        "GM0355",
        "Huisartsenpraktijk met een kaderhuisarts palliatieve zorg.",
        ["Palliatieve zorg", "Verslaving"],
    ),
    DemoOrganisation(
        "PaTz-groep Amersfoort Vathorst",
        K.GENERAL_PRACTICE,
        "GM0307",
        "PaTz-groep van vier praktijken.",
        ["Palliatieve zorg"],
    ),
    DemoOrganisation(
        "Huisartsenpost Utrecht Stad",
        K.GENERAL_PRACTICE,
        "GM0344",
        "Huisartsenzorg 's avonds, 's nachts en in het weekend.",
        ["Palliatieve zorg"],
    ),
    DemoOrganisation(
        "Ziekenhuis Stichtse Poort",
        K.HOSPITAL,
        "GM0344",
        "Algemeen ziekenhuis met een palliatief team en een afdeling psychiatrie (PAAZ).",
        ["Palliatieve zorg", "Psychiatrie", "Pijnbestrijding"],
    ),
    DemoOrganisation(
        "Ziekenhuis Eemland",
        K.HOSPITAL,
        "GM0307",
        "Ziekenhuis met een consultatieteam palliatieve zorg.",
        ["Palliatieve zorg", "Pijnbestrijding"],
    ),
    DemoOrganisation(
        "Zorgcentrum Bilthoven Hof",
        K.NURSING_HOME,
        "GM0310",
        "Verpleeghuis met een gerontopsychiatrische afdeling en palliatieve kamers.",
        ["Dementie", "Palliatieve zorg", "Psychiatrie"],
        [(INST, 2)],
    ),
    DemoOrganisation(
        "Verpleeghuis Het Houtens Hof",
        K.NURSING_HOME,
        "GM0321",
        "Verpleeghuis met twee palliatieve bedden.",
        ["Dementie", "Palliatieve zorg"],
        [(INST, 2)],
    ),
    DemoOrganisation(
        "Verpleeghuis De Vecht",
        K.NURSING_HOME,
        "GM1904",
        "Verpleeghuis aan de Vecht met een Korsakov-afdeling.",
        ["Korsakov", "Dementie"],
        [(INST, 1)],
    ),
    DemoOrganisation(
        "Zorgcentrum De Kromme Rijn",
        K.NURSING_HOME,
        "GM0312",
        "Zorgcentrum met palliatieve zorg en een hospicekamer.",
        ["Palliatieve zorg"],
        [(H, 1)],
    ),
    DemoOrganisation(
        "Consultatieteam Palliatieve Zorg Regio Utrecht",
        K.CONSULTATION_TEAM,
        "GM0344",
        "Advies aan zorgverleners over palliatieve zorg, ook bij psychiatrie en verslaving.",
        ["Palliatieve zorg", "Psychiatrie", "Verslaving", "Palliatieve sedatie"],
    ),
    DemoOrganisation(
        "Consultatieteam Palliatieve Zorg Eemland",
        K.CONSULTATION_TEAM,
        "GM0307",
        "Consultatie voor huisartsen, hospices en verpleeghuizen in Eemland.",
        ["Palliatieve zorg", "Pijnbestrijding"],
    ),
    DemoOrganisation(
        "VPTZ Utrecht Stad",
        K.VOLUNTEERS,
        "GM0344",
        "Vrijwilligers die thuis waken en ondersteunen in de laatste levensfase.",
        ["Palliatieve zorg", "Zingeving"],
        [(T, 10)],
    ),
    DemoOrganisation(
        "VPTZ Eemland",
        K.VOLUNTEERS,
        "GM0307",
        "Vrijwillige terminale zorg thuis in Amersfoort, Leusden en Soest.",
        ["Palliatieve zorg"],
        [(T, 6)],
    ),
    DemoOrganisation(
        "VPTZ Heuvelrug",
        K.VOLUNTEERS,
        "GM1581",
        "Inzet van vrijwilligers thuis en in het hospice.",
        ["Palliatieve zorg", "Rouw en verlies"],
    ),
    DemoOrganisation(
        "GGD Demoregio Utrecht",
        K.PUBLIC_HEALTH,
        "GM0356",
        "Openbare geestelijke gezondheidszorg (OGGZ) en bemoeizorg.",
        ["Dak- en thuisloosheid", "Psychiatrie"],
    ),
    DemoOrganisation(
        "Nachtopvang De Haven",
        K.SHELTER,
        "GM0344",
        "Nachtopvang en dagbesteding voor dakloze mensen.",
        ["Dak- en thuisloosheid"],
    ),
    DemoOrganisation(
        "Maatschappelijke Opvang Eemland",
        K.SHELTER,
        "GM0307",
        "Opvang en begeleid wonen met verpleegkundige zorg.",
        ["Dak- en thuisloosheid", "Verslaving"],
        [(INST, 1)],
    ),
    DemoOrganisation(
        "Centrum voor Levensvragen Domstad",
        K.OTHER,
        "GM0344",
        "Geestelijk verzorgers voor mensen thuis, ook bij psychiatrie en verslaving.",
        ["Zingeving", "Rouw en verlies"],
    ),
]

STREETS = [
    "Lindelaan",
    "Kerkstraat",
    "Dorpsweg",
    "Parkweg",
    "Stationsplein",
    "Molenweg",
    "Beukenlaan",
    "Wilhelminastraat",
]
FIRST_NAMES = [
    "Anne",
    "Sander",
    "Fatima",
    "Joost",
    "Esther",
    "Mehmet",
    "Lotte",
    "Ruben",
    "Ingrid",
    "Daan",
]
LAST_NAMES = [
    "de Wit",
    "Bakker",
    "el Idrissi",
    "van Leeuwen",
    "Smits",
    "Yilmaz",
    "Vermeer",
    "Kok",
    "Dijkstra",
    "Hendriks",
]
FUNCTIONS = {
    K.HOSPICE: "Coördinator zorg",
    K.MENTAL_HEALTH: "Dienstdoende psychiater",
    K.ADDICTION_CARE: "Verslavingsarts",
    K.HOME_CARE: "Verpleegkundige palliatieve zorg",
    K.CONSULTATION_TEAM: "Verpleegkundig specialist palliatieve zorg",
}
# Acceptance terms by setting: (EPA, active use, methadone, 1-on-1 supervision, smoking).
TERMS = {
    CareSetting.HOSPICE: ("consult", "consult", "yes", "no", "consult"),
    CareSetting.INSTITUTION: ("yes", "consult", "yes", "yes", "yes"),
    CareSetting.HOME: ("yes", "yes", "yes", "consult", "yes"),
}
AVAILABILITY_CYCLE = [
    (Availability.AVAILABLE, 1),
    (Availability.FULL, 2),
    (Availability.ON_REQUEST, 0),
    (Availability.AVAILABLE, 12),  # stale: shown as unknown
    (Availability.AVAILABLE, 3),
]


def weekdays(opens: time, closes: time, days=range(5)) -> list[tuple[int, time, time]]:
    return [(day, opens, closes) for day in days]


def evenings_nights_and_weekends(evening: time, morning: time) -> list[tuple[int, time, time]]:
    """ANW hours: weekday evenings until the next morning, weekends 24 hours from the morning."""
    return weekdays(evening, morning) + weekdays(morning, morning, days=(5, 6))


LINES = [
    # organisation, name, purpose, audience, phone, 24/7, holiday rule, schedule, notes, escalation
    (
        "GGZ Stichtse Oevers",
        "Crisisdienst GGZ",
        Purpose.CRISIS,
        Audience.PROFESSIONALS,
        "+31883001000",
        True,
        HolidayRule.REGULAR,
        [],
        "Vraag naar de dienstdoende psychiater.",
        None,
    ),
    (
        "Consultatieteam Palliatieve Zorg Regio Utrecht",
        "Consultatie palliatieve zorg (kantoortijd)",
        Purpose.CONSULTATION,
        Audience.PROFESSIONALS,
        "+31883001010",
        False,
        HolidayRule.CLOSED,
        weekdays(time(8, 30), time(17, 0)),
        "Een verpleegkundig specialist belt binnen een uur terug.",
        "Consultatie palliatieve zorg (avond, nacht en weekend)",
    ),
    (
        "Consultatieteam Palliatieve Zorg Regio Utrecht",
        "Consultatie palliatieve zorg (avond, nacht en weekend)",
        Purpose.CONSULTATION,
        Audience.PROFESSIONALS,
        "+31883001011",
        False,
        HolidayRule.SUNDAY,
        evenings_nights_and_weekends(time(17, 0), time(8, 30)),
        "Voor huisartsen en hospices; de dienstdoende arts belt terug.",
        "Crisisdienst GGZ",
    ),
    (
        "Ambulante GGZ Nieuwegein",
        "GGZ-consult voor huisartsen",
        Purpose.CONSULTATION,
        Audience.PROFESSIONALS,
        "+31883001020",
        False,
        HolidayRule.CLOSED,
        weekdays(time(9, 0), time(17, 0)),
        "Vraag naar de consulterend psychiater.",
        "Crisisdienst GGZ",
    ),
    (
        "Verslavingszorg Domstad",
        "Consultatielijn verslavingsarts",
        Purpose.CONSULTATION,
        Audience.PROFESSIONALS,
        "+31883001030",
        False,
        HolidayRule.CLOSED,
        weekdays(time(9, 0), time(12, 30)) + weekdays(time(13, 30), time(17, 0)),
        "Ook voor vragen over methadon in de laatste levensfase.",
        "Crisisdienst GGZ",
    ),
    (
        "Consultatieteam Palliatieve Zorg Eemland",
        "Advieslijn palliatieve zorg voor naasten",
        Purpose.ADVICE,
        Audience.PUBLIC,
        "+31883001040",
        False,
        HolidayRule.CLOSED,
        [*weekdays(time(9, 0), time(21, 0)), (5, time(10, 0), time(14, 0))],
        "Voor naasten en vrijwilligers met vragen over de laatste levensfase.",
        None,
    ),
    (
        "Huisartsenpost Utrecht Stad",
        "Huisartsenpost (avond, nacht en weekend)",
        Purpose.CRISIS,
        Audience.PUBLIC,
        "+31883001050",
        False,
        HolidayRule.SUNDAY,
        evenings_nights_and_weekends(time(17, 0), time(8, 0)),
        "Bel bij spoed buiten de openingstijden van de eigen huisarts; bij levensgevaar 112.",
        None,
    ),
]


def phone_for(index: int) -> str:
    # 088-range numbers that are fictional for the demo.
    return f"+3188300{2000 + index:04d}"


def tags_by_name() -> dict[str, ExpertiseTag]:
    tags = {}
    # The shipped vocabulary (fixtures/expertise_tags.csv), as the reference loader adds it.
    for row in expertise_tag_rows():
        tag, _created = ExpertiseTag.objects.update_or_create(
            slug=slugify(row["name"]),
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "category": row["category"],
                "synonyms": row["synonyms"],
            },
        )
        tags[row["name"]] = tag
    return tags


def is_loaded() -> bool:
    slugs = [slugify(spec.name) for spec in ORGANISATIONS]
    return (
        Region.objects.filter(slug=REGION_SLUG).exists()
        and Organisation.objects.filter(slug__in=slugs).count() == len(slugs)
        and ConsultationLine.objects.filter(name__in=[line[1] for line in LINES]).count()
        == len(LINES)
        and Event.objects.filter(slug__in=[slugify(e[0]) for e in EVENTS]).count() == len(EVENTS)
    )


@transaction.atomic
def demo_data_load(*, force: bool = False) -> bool:
    """Create or update the demo region; returns False when it was already there."""
    if not force and is_loaded():
        return False
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=MUNICIPALITY_CODES)}
    region, _created = Region.objects.update_or_create(
        slug=REGION_SLUG,
        defaults={
            "name": REGION_NAME,
            "description": "Fictieve regio om de expertisekaart te laten zien.",
        },
    )
    region.municipalities.set(municipalities.values())
    tags = tags_by_name()
    # A coordinator's own word for a tag, as the admin's "Andere woorden" holds them.
    Alias.objects.get_or_create(text="Levenseindezorg", expertise=tags["Palliatieve zorg"])
    postcodes = postcodes_by_municipality()
    organisations = {}
    for index, spec in enumerate(ORGANISATIONS):
        organisations[spec.name] = load_organisation(index, spec, municipalities, postcodes, tags)
    load_lines(organisations, region, tags)
    load_update_link(organisations)
    load_events(organisations, tags)
    load_agreements(organisations)
    load_knowledge(organisations, tags)
    reference_lines_load()  # the national numbers, as `load_reference_data` adds them
    changes_published(organisation_ids=[o.pk for o in organisations.values()])
    return True


def load_update_link(organisations) -> None:
    """One update link, so the coordinators' list of links is not empty (its token is unknown);
    made long enough ago that it expires in two weeks, as the start page then says."""
    hospice = next(o for o in organisations.values() if o.kind == OrganisationKind.HOSPICE)
    if not UpdateLink.objects.active().filter(organisation=hospice).exists():
        link, _token = update_link_create(organisation=hospice)
        made = timezone.now() - timedelta(days=settings.UPDATE_LINK_VALID_DAYS - 14)
        UpdateLink.objects.filter(pk=link.pk).update(created_at=made)


def postcodes_by_municipality() -> dict[str, list[PostcodeArea]]:
    areas: dict[str, list[PostcodeArea]] = {}
    for area in PostcodeArea.objects.filter(
        municipality__code__in=MUNICIPALITY_CODES
    ).select_related("municipality"):
        areas.setdefault(area.municipality.code, []).append(area)
    return areas


def load_organisation(index, spec, municipalities, postcodes, tags) -> Organisation:
    organisation, _created = Organisation.objects.update_or_create(
        slug=slugify(spec.name),
        defaults={
            "name": spec.name,
            "kind": spec.kind,
            "description": spec.description,
            "website": f"https://{slugify(spec.name)}.example.org",
            "email": f"info@{slugify(spec.name)}.example.org",
            "phone": phone_for(index),
            "is_published": True,
            "last_verified_on": timezone.localdate() - timedelta(days=20 * (index % 12)),
        },
    )
    organisation.expertise.set([tags[name] for name in spec.tags])
    served = {spec.municipality, spec.extra_location_in or spec.municipality}
    organisation.service_area.set([municipalities[code] for code in served])
    location_codes = [spec.municipality] + (
        [spec.extra_location_in] if spec.extra_location_in else []
    )
    locations = [
        load_location(organisation, index + offset, code, postcodes)
        for offset, code in enumerate(location_codes)
    ]
    for place_index, (setting, capacity) in enumerate(spec.places):
        load_place(
            organisation,
            locations[place_index % len(locations)],
            index + place_index,
            setting,
            capacity,
        )
    load_contacts(organisation, index, spec.kind)
    return organisation


def load_location(organisation, index, code, postcodes) -> Location:
    areas = postcodes[code]
    area = areas[(index * 7) % len(areas)]
    letters = "ABCDEFGHJKLMNPRTVXZ"
    postcode = f"{area.pc4} {letters[index % len(letters)]}{letters[(index * 3) % len(letters)]}"
    location, _created = Location.objects.update_or_create(
        organisation=organisation,
        postcode=postcode,
        defaults={
            "street": STREETS[index % len(STREETS)],
            "house_number": str(3 + (index * 11) % 140),
            "city": area.place_names.split("|")[0],
            "latitude": None,
            "longitude": None,
            "municipality": None,
        },
    )
    return location


def load_place(organisation, location, index, setting, capacity) -> None:
    availability, days_ago = AVAILABILITY_CYCLE[index % len(AVAILABILITY_CYCLE)]
    epa, active_use, methadone, supervision, smoking = TERMS[setting]
    Place.objects.update_or_create(
        organisation=organisation,
        location=location,
        setting=setting,
        defaults={
            "capacity": capacity,
            "accepts_severe_mental_illness": Acceptance(epa),
            "accepts_active_substance_use": Acceptance(active_use),
            "accepts_opioid_substitution": Acceptance(methadone),
            "accepts_one_to_one_supervision": Acceptance(supervision),
            "allows_smoking": Acceptance(smoking),
            "availability": availability,
            "free_places": demo_free_places(availability, capacity, index),
            "availability_updated_at": timezone.now() - timedelta(days=days_ago, hours=index % 9),
        },
    )


def demo_free_places(availability: str, capacity: int, index: int) -> int | None:
    """A number that fits the status: some free when available, 0 when full, now and then
    unknown (an editor who only sets the status)."""
    if availability == Availability.FULL:
        return 0
    if availability == Availability.AVAILABLE and capacity > 0:
        return 1 + index % capacity
    return None


def load_contacts(organisation, index, kind) -> None:
    person = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 3) % len(LAST_NAMES)]}"
    with_consent = index % 3 != 0
    Contact.objects.update_or_create(
        organisation=organisation,
        name=person,
        defaults={
            "is_person": True,
            "role": "Aandachtsvelder palliatieve zorg",
            "phone": phone_for(100 + index),
            "email": f"{slugify(person)}@{organisation.slug}.example.org",
            "visibility": Visibility.PUBLIC if index % 2 else Visibility.PROFESSIONALS,
            "consent_recorded_on": timezone.localdate() - timedelta(days=90)
            if with_consent
            else None,
            "consent_note": "Schriftelijke toestemming (demo)" if with_consent else "",
        },
    )
    if kind in FUNCTIONS:
        Contact.objects.update_or_create(
            organisation=organisation,
            name=FUNCTIONS[kind],
            defaults={
                "is_person": False,
                "role": "Bereikbaar via de centrale",
                "phone": phone_for(200 + index),
                "visibility": Visibility.PROFESSIONALS,
            },
        )


def load_lines(organisations, region, tags) -> None:
    lines = {}
    for org_name, name, purpose, audience, phone, always, holiday_rule, rows, notes, _next in LINES:
        line, _created = ConsultationLine.objects.update_or_create(
            organisation=organisations[org_name],
            name=name,
            defaults={
                "purpose": purpose,
                "audience": audience,
                "phone": phone,
                "is_always_open": always,
                "holiday_rule": holiday_rule,
                "notes": notes,
                "is_active": True,
            },
        )
        line.regions.set([region])
        line.expertise.set(organisations[org_name].expertise.all())
        line.schedule_rows.all().delete()
        ScheduleRow.objects.bulk_create(
            ScheduleRow(line=line, weekday=day, opens_at=opens, closes_at=closes)
            for day, opens, closes in rows
        )
        lines[name] = line
    for _org, name, *_rest, escalates_to in LINES:
        if escalates_to:
            ConsultationLine.objects.filter(pk=lines[name].pk).update(
                escalates_to=lines[escalates_to]
            )


# --- The network's own work: agenda, agreements, knowledge library. ------------------------------

# (title, kind, days from today, start, end, organiser, place, registration, capacity, tags,
#  target group, professionals only, accreditation)
# place: None for the organiser's first location, "online", or (venue, address, postcode, city).
EVENTS = [
    (
        "Scholing psychiatrie in de laatste levensfase",
        EventKind.TRAINING,
        21,
        time(13, 30),
        time(17),
        "Consultatieteam Palliatieve Zorg Regio Utrecht",
        None,
        RegistrationMode.BUILT_IN,
        30,
        ["Psychiatrie", "Palliatieve zorg"],
        TargetGroup.BOTH,
        False,
        "3 punten V&VN en NHG",
    ),
    (
        "Regionaal overleg palliatieve zorg en psychiatrie",
        EventKind.REGIONAL_MEETING,
        45,
        time(14),
        time(16),
        "Consultatieteam Palliatieve Zorg Regio Utrecht",
        ("Woonzorgcentrum Rosendael", "Rosendaellaan 1", "3514 AA", "Utrecht"),
        RegistrationMode.BUILT_IN,
        40,
        ["Palliatieve zorg", "Ernstige psychiatrische aandoening (EPA)"],
        TargetGroup.PROFESSIONALS,
        False,
        "",
    ),
    (
        "Casuïstiekbespreking GGZ en hospice",
        EventKind.CASE_DISCUSSION,
        10,
        time(12, 30),
        time(14),
        "GGZ Stichtse Oevers",
        None,
        RegistrationMode.BUILT_IN,
        12,
        ["Psychiatrie", "Suïcidepreventie"],
        TargetGroup.PROFESSIONALS,
        True,
        "",
    ),
    (
        "PaTz-bijeenkomst Utrecht Oost",
        EventKind.PATZ,
        30,
        time(17),
        time(18, 30),
        "PaTz-groep Utrecht Oost",
        None,
        RegistrationMode.NONE,
        None,
        ["Palliatieve zorg"],
        TargetGroup.PROFESSIONALS,
        False,
        "",
    ),
    (
        "Scholing voor vrijwilligers: verslaving en levenseinde",
        EventKind.TRAINING,
        60,
        time(19),
        time(21, 30),
        "VPTZ Utrecht Stad",
        "online",
        RegistrationMode.EXTERNAL,
        None,
        ["Verslaving", "Zingeving"],
        TargetGroup.VOLUNTEERS,
        False,
        "",
    ),
    (
        "Regionaal overleg najaar",
        EventKind.REGIONAL_MEETING,
        -30,
        time(14),
        time(16),
        "Consultatieteam Palliatieve Zorg Regio Utrecht",
        ("Woonzorgcentrum Rosendael", "Rosendaellaan 1", "3514 AA", "Utrecht"),
        RegistrationMode.NONE,
        None,
        ["Palliatieve zorg"],
        TargetGroup.PROFESSIONALS,
        False,
        "",
    ),
    (
        "Scholing zingeving bij psychisch lijden",
        EventKind.TRAINING,
        -90,
        time(13),
        time(17),
        "Centrum voor Levensvragen Domstad",
        None,
        RegistrationMode.NONE,
        None,
        ["Zingeving", "Psychiatrie"],
        TargetGroup.BOTH,
        False,
        "2 punten V&VN",
    ),
]

# (title, kind, partners, started days ago, review in days (negative: overdue), description)
AGREEMENTS = [
    (
        "Consultatie psychiatrie voor hospices",
        AgreementKind.CONSULTATION,
        [
            "GGZ Stichtse Oevers",
            "Hospice De Lindeboom",
            "Consultatieteam Palliatieve Zorg Regio Utrecht",
        ],
        400,
        200,
        "De GGZ denkt binnen een werkdag mee over gasten met een psychiatrische aandoening; het consultatieteam stemt af.",
    ),
    (
        "Opname bij verslaving in het hospice",
        AgreementKind.ADMISSION,
        ["Verslavingszorg Domstad", "Hospice Het Rozenhuis"],
        700,
        -20,
        "Afspraken over opname van mensen met een verslaving in de laatste levensfase, met begeleiding door de verslavingszorg.",
    ),
    (
        "Gedeeld zorgprotocol thuis",
        AgreementKind.SHARED_CARE,
        ["Thuiszorg Vechtstreek", "GGZ Stichtse Oevers", "Huisartsenpraktijk De Linde"],
        300,
        400,
        "Eén zorgplan voor thuiswonende patiënten met een ernstige psychiatrische aandoening in de palliatieve fase.",
    ),
    (
        "Vrijwilligers en levensvragen",
        AgreementKind.OTHER,
        ["VPTZ Utrecht Stad", "Centrum voor Levensvragen Domstad"],
        200,
        165,
        "Vrijwilligers kunnen voor levensvragen terecht bij het centrum; samen scholing.",
    ),
]

# (title, kind, organisation or None, tags, target group, professionals only, description)
KNOWLEDGE = [
    (
        "Handreiking palliatieve zorg bij psychiatrische aandoeningen",
        KnowledgeKind.GUIDE,
        None,
        ["Psychiatrie", "Palliatieve zorg"],
        TargetGroup.BOTH,
        False,
        "Wat er anders is in de laatste levensfase van mensen met een psychiatrische aandoening, en wie u kunt vragen.",
    ),
    (
        "Protocol opname in het hospice bij verslaving",
        KnowledgeKind.PROTOCOL,
        "Verslavingszorg Domstad",
        ["Verslaving", "Opiaatvervanging"],
        TargetGroup.PROFESSIONALS,
        True,
        "Stappen en afspraken bij opname, met methadon en buprenorfine.",
    ),
    (
        "Scholingsmateriaal suïcidaliteit in de laatste levensfase",
        KnowledgeKind.TRAINING_MATERIAL,
        "Consultatieteam Palliatieve Zorg Regio Utrecht",
        ["Suïcidepreventie", "Palliatieve zorg"],
        TargetGroup.PROFESSIONALS,
        False,
        "Dia's en casussen van de scholing van het consultatieteam.",
    ),
    (
        "Gesprekskaart zingeving en levensvragen",
        KnowledgeKind.OTHER,
        "Centrum voor Levensvragen Domstad",
        ["Zingeving", "Rouw en verlies"],
        TargetGroup.VOLUNTEERS,
        False,
        "Vragen om een gesprek over zingeving te beginnen.",
    ),
]


def load_events(organisations, tags) -> None:
    today = timezone.localdate()
    for (
        title,
        kind,
        days,
        start,
        end,
        organiser_name,
        place,
        registration,
        capacity,
        tag_names,
        target_group,
        professionals_only,
        accreditation,
    ) in EVENTS:
        organiser = organisations[organiser_name]
        day = today + timedelta(days=days)
        where = {
            "location": None,
            "venue": "",
            "address": "",
            "postcode": "",
            "city": "",
            "is_online": False,
        }
        if place is None:
            where["location"] = organiser.locations.order_by("pk").first()
        elif place == "online":
            where["is_online"] = True
        else:
            where.update(zip(("venue", "address", "postcode", "city"), place, strict=True))
        event, _created = Event.objects.update_or_create(
            slug=slugify(title),
            defaults={
                "title": title,
                "kind": kind,
                "starts_at": timezone.make_aware(datetime.combine(day, start)),
                "ends_at": timezone.make_aware(datetime.combine(day, end)),
                "organiser": organiser,
                **where,
                "registration_mode": registration,
                "registration_url": "https://vptz-utrecht-stad.example.org/scholing"
                if registration == RegistrationMode.EXTERNAL
                else "",
                "capacity": capacity,
                "target_group": target_group,
                "professionals_only": professionals_only,
                "accreditation": accreditation,
                "description": f"{title}. Fictieve bijeenkomst om de agenda te laten zien.",
            },
        )
        event.expertise.set([tags[name] for name in tag_names])


def load_agreements(organisations) -> None:
    today = timezone.localdate()
    for title, kind, partner_names, started, review, description in AGREEMENTS:
        agreement, _created = Agreement.objects.update_or_create(
            title=title,
            defaults={
                "kind": kind,
                "starts_on": today - timedelta(days=started),
                "review_on": today + timedelta(days=review),
                "description": description,
            },
        )
        agreement.partners.set([organisations[name] for name in partner_names])


def load_knowledge(organisations, tags) -> None:
    for (
        title,
        kind,
        organisation_name,
        tag_names,
        target_group,
        professionals_only,
        description,
    ) in KNOWLEDGE:
        item, _created = KnowledgeItem.objects.update_or_create(
            title=title,
            defaults={
                "kind": kind,
                "url": f"https://kennis.example.org/{slugify(title)}",
                "organisation": organisations.get(organisation_name),
                "target_group": target_group,
                "professionals_only": professionals_only,
                "description": description,
            },
        )
        item.expertise.set([tags[name] for name in tag_names])
