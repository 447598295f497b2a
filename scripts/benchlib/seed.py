"""The bench network: bulk_create in batches (no history rows, no signals), deterministic
(`random.Random(SEED)`), spread over the real reference data (CBS municipalities, PC4 areas).

Per organisation on average: 2 locations, 5 contacts, 1-4 expertise tags, a service area of
1-3 municipalities; places for hospices, institutions and home care (availability up to 14 days
old); 3 consultation lines with schedules per 100 organisations; one region per province.
"""

import time
from datetime import UTC, datetime, timedelta

from benchlib import BATCH, progress, with_ids
from benchlib.seed_lines import seed_lines
from benchlib.vocabulary import (
    EXTRA_SENTENCES,
    FIRST_NAMES,
    FUNCTION_NAMES,
    KINDS,
    LAST_NAMES,
    LETTERS,
    NAMES,
    ROLES,
    STREETS,
)

SEED = 20250101
# Raise when the generated data changes, so that --keep does not reuse an older data set.
DATA_VERSION = 1
LOCATIONS_PER_ORGANISATION = 2
CONTACTS_PER_ORGANISATION = 5


def seed(organisation_count: int, rng) -> dict:
    """Create the bench network and its search documents; returns the seconds each step took."""
    from django.db import transaction

    from netwerk.search.publishing import changes_published

    started = time.perf_counter()
    with transaction.atomic():
        created = Seeder(organisation_count, rng).run()
    bulk = round(time.perf_counter() - started, 1)
    progress(f"seeded {created} in {bulk} s")
    started = time.perf_counter()
    with transaction.atomic():
        changes_published(everything=True)  # the write path: search documents, data version
    refresh = round(time.perf_counter() - started, 1)
    progress(f"changes_published(everything=True) in {refresh} s")
    return {"bulk_create": bulk, "search_refresh": refresh}


class Seeder:
    def __init__(self, organisation_count: int, rng):
        self.n = organisation_count
        self.rng = rng
        self.now = datetime.now(UTC)

    def run(self) -> str:
        from netwerk.reference.geography import Municipality, PostcodeArea

        self.municipalities = list(Municipality.objects.order_by("code"))
        self.areas = list(PostcodeArea.objects.order_by("pc4"))
        self.province_of = {m.pk: m.province_name for m in self.municipalities}
        self.areas_by_municipality: dict[int, list] = {}
        self.areas_by_province: dict[str, list] = {}
        for area in self.areas:
            self.areas_by_municipality.setdefault(area.municipality_id, []).append(area)
            province = self.province_of[area.municipality_id]
            self.areas_by_province.setdefault(province, []).append(area)
        self.tags = self.seed_tags()
        self.regions = self.seed_regions()
        organisations = self.seed_organisations()
        locations = self.seed_locations(organisations)
        places = self.seed_places(organisations, locations)
        contacts = self.seed_contacts(organisations)
        lines = seed_lines(self, organisations)
        return (
            f"{len(organisations):,} organisations, {len(locations):,} locations, "
            f"{contacts:,} contacts, {places:,} places, {lines:,} consultation lines"
        )

    def seed_tags(self):
        from netwerk.reference.expertise import ExpertiseTag
        from netwerk.reference.loaders import expertise_tags_load

        expertise_tags_load()  # the shipped vocabulary (fixtures/expertise_tags.csv)
        return list(ExpertiseTag.objects.order_by("slug"))

    def seed_regions(self):
        from django.utils.text import slugify

        from netwerk.reference.geography import Region

        provinces = sorted({m.province_name for m in self.municipalities})
        Region.objects.bulk_create(
            [Region(name=f"Netwerk {p}", slug=f"netwerk-{slugify(p)}") for p in provinces]
        )
        regions = {r.name.removeprefix("Netwerk "): r for r in Region.objects.all()}
        Link = Region.municipalities.through
        Link.objects.bulk_create(
            [
                Link(region_id=regions[m.province_name].pk, municipality_id=m.pk)
                for m in self.municipalities
            ]
        )
        progress(f"{len(self.tags)} expertise tags, {len(regions)} regions")
        return regions

    def seed_organisations(self):
        from django.utils.text import slugify

        from netwerk.demo import ORGANISATIONS
        from netwerk.directory.organisations import Organisation

        rng, today = self.rng, self.now.date()
        descriptions: dict[str, list[str]] = {}
        tag_pool: dict[str, set[str]] = {}
        for spec in ORGANISATIONS:
            descriptions.setdefault(str(spec.kind), []).append(spec.description)
            tag_pool.setdefault(str(spec.kind), set()).update(spec.tags)
        tags_by_name = {tag.name: tag for tag in self.tags}
        kinds = list(KINDS)
        weights = [KINDS[kind][0] for kind in kinds]
        organisations, self.home_area = [], {}
        for index in range(self.n):
            kind = rng.choices(kinds, weights)[0]
            area = rng.choice(self.areas)
            town = area.place_names.split("|")[0]
            name = rng.choice(KINDS[kind][1]).format(n=rng.choice(NAMES), t=town)
            slug = f"{slugify(name)}-{index + 1}"
            description = rng.choice(descriptions.get(kind, descriptions["overig"]))
            if rng.random() < 0.6:
                description += " " + rng.choice(EXTRA_SENTENCES)
            published = rng.random() < 0.97
            verified = None if rng.random() < 0.1 else today - timedelta(days=rng.randrange(400))
            organisations.append(
                Organisation(
                    name=name,
                    slug=slug,
                    kind=kind,
                    description=description,
                    website=f"https://{slug}.example.org",
                    email=f"info@{slug}.example.org",
                    phone=f"+3188{3000000 + index:07d}",
                    is_published=published,
                    last_verified_on=verified,
                )
            )
            self.home_area[slug] = area
        Organisation.objects.bulk_create(organisations, batch_size=BATCH)
        with_ids(organisations, Organisation, key="slug")

        ExpertiseLink = Organisation.expertise.through
        ServiceLink = Organisation.service_area.through
        expertise, service = [], []
        for organisation in organisations:
            pool = sorted(tag_pool.get(organisation.kind, ())) or [t.name for t in self.tags]
            chosen = set(rng.sample(pool, min(len(pool), rng.randint(1, 4))))
            if rng.random() < 0.2:
                chosen.add(rng.choice(self.tags).name)
            organisation.tag_ids = sorted(tags_by_name[name].pk for name in chosen)
            expertise += [
                ExpertiseLink(organisation_id=organisation.pk, expertisetag_id=tag_id)
                for tag_id in organisation.tag_ids
            ]
            area = self.home_area[organisation.slug]
            served = {area.municipality_id}
            province = self.areas_by_province[self.province_of[area.municipality_id]]
            for _ in range(rng.choice([0, 0, 1, 2])):
                served.add(rng.choice(province).municipality_id)
            service += [
                ServiceLink(organisation_id=organisation.pk, municipality_id=municipality_id)
                for municipality_id in sorted(served)
            ]
        ExpertiseLink.objects.bulk_create(expertise, batch_size=BATCH)
        ServiceLink.objects.bulk_create(service, batch_size=BATCH)
        progress(
            f"{len(organisations):,} organisations, {len(expertise):,} expertise links, "
            f"{len(service):,} service-area links"
        )
        return organisations

    def seed_locations(self, organisations):
        from netwerk.directory.locations import Location

        rng = self.rng
        total = self.n * LOCATIONS_PER_ORGANISATION
        extra_weights = [KINDS[o.kind][2] for o in organisations]
        owners = list(organisations) + rng.choices(organisations, extra_weights, k=total - self.n)
        locations = []
        for number, organisation in enumerate(owners):
            home = self.home_area[organisation.slug]
            if number < self.n:
                area = home
            elif rng.random() < 0.6:
                area = rng.choice(self.areas_by_municipality[home.municipality_id])
            else:
                area = rng.choice(self.areas_by_province[self.province_of[home.municipality_id]])
            town = area.place_names.split("|")[0]
            letters = rng.choice(LETTERS) + rng.choice(LETTERS)
            locations.append(
                Location(
                    organisation_id=organisation.pk,
                    name="" if number < self.n or rng.random() < 0.5 else f"Locatie {town}",
                    street=rng.choice(STREETS),
                    house_number=str(rng.randint(1, 250)),
                    postcode=f"{area.pc4} {letters}",
                    city=town,
                    municipality_id=area.municipality_id,
                    postcode_area_id=area.pk,
                    # Location.save() would take the PC4 centroid; spread the markers a little.
                    latitude=round(area.latitude + rng.uniform(-0.008, 0.008), 6),
                    longitude=round(area.longitude + rng.uniform(-0.012, 0.012), 6),
                    phone="" if rng.random() < 0.6 else f"+3130{2000000 + number:07d}",
                )
            )
        Location.objects.bulk_create(locations, batch_size=BATCH)
        progress(f"{len(locations):,} locations")
        return with_ids(locations, Location)

    def seed_places(self, organisations, locations) -> int:
        from netwerk.places.places import Place

        rng = self.rng
        first_location = {}
        for location in locations:
            first_location.setdefault(location.organisation_id, location)
        acceptance = ["yes", "consult", "no"]
        places = []
        for organisation in organisations:
            settings = KINDS[organisation.kind][3]
            if not settings or rng.random() < 0.3:
                continue
            for setting in settings[: rng.randint(1, len(settings))]:
                for _ in range(1 if rng.random() < 0.8 else 2):
                    places.append(
                        Place(
                            organisation_id=organisation.pk,
                            location_id=first_location[organisation.pk].pk,
                            setting=setting,
                            capacity=rng.randint(1, 8),
                            accepts_severe_mental_illness=rng.choice(acceptance),
                            accepts_active_substance_use=rng.choice(acceptance),
                            accepts_opioid_substitution=rng.choice(acceptance),
                            accepts_one_to_one_supervision=rng.choice(acceptance),
                            allows_smoking=rng.choice(acceptance),
                            availability=rng.choice(
                                ["available", "available", "full", "on_request"]
                            ),
                            # Up to 14 days old: about half is fresher than the 7-day default.
                            availability_updated_at=self.now
                            - timedelta(minutes=rng.randrange(14 * 24 * 60)),
                        )
                    )
        Place.objects.bulk_create(places, batch_size=BATCH)
        progress(f"{len(places):,} places")
        return len(places)

    def seed_contacts(self, organisations) -> int:
        from django.utils.text import slugify

        from netwerk.directory.contacts import Contact

        rng, today = self.rng, self.now.date()
        total = self.n * CONTACTS_PER_ORGANISATION
        owners = list(organisations) + rng.choices(organisations, k=total - self.n)
        contacts = []
        for number, organisation in enumerate(owners):
            is_person = rng.random() < 0.8
            name = (
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                if is_person
                else rng.choice(FUNCTION_NAMES)
            )
            consent = is_person and rng.random() < 0.7
            role = rng.choice(ROLES)
            visibility = rng.choices(["public", "professionals", "coordinators"], [4, 5, 1])[0]
            contacts.append(
                Contact(
                    organisation_id=organisation.pk,
                    name=name,
                    is_person=is_person,
                    role=role,
                    phone=f"+3188{4000000 + number:07d}",
                    email=f"{slugify(name)}@{organisation.slug}.example.org" if is_person else "",
                    visibility=visibility,
                    consent_recorded_on=today - timedelta(days=rng.randrange(700))
                    if consent
                    else None,
                    consent_note="Schriftelijke toestemming (bench)" if consent else "",
                )
            )
        Contact.objects.bulk_create(contacts, batch_size=BATCH)
        progress(f"{total:,} contacts")
        return total
