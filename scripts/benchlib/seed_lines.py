"""The bench network's consultation and crisis lines: schedules from the demo lines, Christmas
closures, a region and the owner's expertise each, and escalation to another line of the region."""

from datetime import UTC, datetime, timedelta

from benchlib import BATCH, progress, with_ids
from benchlib.vocabulary import LINE_KINDS

LINES_PER_100_ORGANISATIONS = 3


def seed_lines(seeder, organisations) -> int:
    from netwerk.consultation.lines import ConsultationLine, ScheduleException, ScheduleRow
    from netwerk.demo import LINES

    rng = seeder.rng
    count = max(3, seeder.n * LINES_PER_100_ORGANISATIONS // 100)
    candidates = [o for o in organisations if o.kind in LINE_KINDS and o.is_published]
    owners = rng.sample(candidates, min(count, len(candidates)))
    lines, schedules = [], []
    for number, organisation in enumerate(owners):
        _org, name, purpose, audience, _phone, always, rule, rows, notes, _ = rng.choice(LINES)
        lines.append(
            ConsultationLine(
                organisation_id=organisation.pk,
                name=name,
                phone=f"+3188{5000000 + number:07d}",
                purpose=purpose,
                audience=audience,
                is_always_open=always,
                holiday_rule=rule,
                notes=notes,
                is_active=rng.random() < 0.95,
            )
        )
        schedules.append(rows)
    with_ids(ConsultationLine.objects.bulk_create(lines, batch_size=BATCH), ConsultationLine)
    ScheduleRow.objects.bulk_create(
        [
            ScheduleRow(line_id=line.pk, weekday=day, opens_at=opens, closes_at=closes)
            for line, rows in zip(lines, schedules, strict=True)
            for day, opens, closes in rows
        ],
        batch_size=BATCH,
    )
    christmas = datetime(seeder.now.year, 12, 24, 17, 0, tzinfo=UTC)
    closed = [line for line in lines if rng.random() < 0.2]
    ScheduleException.objects.bulk_create(
        ScheduleException(
            line_id=line.pk,
            starts_at=christmas,
            ends_at=christmas + timedelta(hours=40),
            is_open=False,
            reason="Kerst",
        )
        for line in closed
    )
    region_of = {
        o.pk: seeder.regions[seeder.province_of[seeder.home_area[o.slug].municipality_id]]
        for o in owners
    }
    RegionLink, TagLink = ConsultationLine.regions.through, ConsultationLine.expertise.through
    RegionLink.objects.bulk_create(
        RegionLink(consultationline_id=line.pk, region_id=region_of[line.organisation_id].pk)
        for line in lines
    )
    tag_ids = {o.pk: o.tag_ids for o in owners}
    TagLink.objects.bulk_create(
        TagLink(consultationline_id=line.pk, expertisetag_id=t)
        for line in lines
        for t in tag_ids[line.organisation_id]
    )
    # Lines outside office hours escalate to another line of their network.
    by_region: dict[int, list] = {}
    for line in lines:
        by_region.setdefault(region_of[line.organisation_id].pk, []).append(line)
    escalating = []
    for line in lines:
        others = [o for o in by_region[region_of[line.organisation_id].pk] if o.pk != line.pk]
        if others and not line.is_always_open and rng.random() < 0.5:
            line.escalates_to_id = rng.choice(others).pk
            escalating.append(line)
    ConsultationLine.objects.bulk_update(escalating, ["escalates_to"], batch_size=500)
    progress(f"{len(lines)} consultation lines with schedules")
    return len(lines)
