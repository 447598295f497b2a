"""Versions saved before their many-to-many sets were tracked hold no copy of them, and a revert
to one would empty the sets. They get the sets the objects have now: the best knowledge there is,
and a revert to them leaves the sets as they are instead of emptying them."""

from collections import defaultdict

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

# Model, the migration that started tracking its sets, and the sets.
TRACKED_SINCE = [
    ("ConsultationLine", "0004_history_m2m", ["expertise", "municipalities", "regions"]),
    ("Contact", "0004_history_m2m", ["expertise"]),
    ("Region", "0006_region_areas_history", ["municipalities", "extra_postcode_areas", "excluded_postcode_areas"]),
]


def copy_current_sets(apps, schema_editor):
    applied = dict(
        MigrationRecorder(schema_editor.connection)
        .migration_qs.filter(app="netwerk")
        .values_list("name", "applied")
    )
    for model_name, since, field_names in TRACKED_SINCE:
        model = apps.get_model("netwerk", model_name)
        records = apps.get_model("netwerk", f"Historical{model_name}").objects.all()
        if since in applied:  # applied in an earlier run: only the versions from before it
            records = records.filter(history_date__lt=applied[since])
        records = list(records.values_list("history_id", "id"))
        for field_name in field_names:
            copy_field(apps, model, model_name, field_name, records)


def copy_field(apps, model, model_name, field_name, records):
    """Give each record without a copy of the set the object's current link rows."""
    through = model._meta.get_field(field_name).remote_field.through
    source = model._meta.get_field(field_name).m2m_field_name()
    columns = [field.attname for field in through._meta.concrete_fields]
    kept = apps.get_model("netwerk", f"Historical{model_name}_{field_name}")
    already = set(kept.objects.values_list("history_id", flat=True))
    current = defaultdict(list)
    for row in through.objects.values(*columns):
        current[row[f"{source}_id"]].append(row)
    kept.objects.bulk_create(
        (
            kept(history_id=history_id, **row)
            for history_id, object_id in records
            if history_id not in already
            for row in current[object_id]
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("netwerk", "0007_published_change_count"),
    ]

    operations = [
        migrations.RunPython(copy_current_sets, migrations.RunPython.noop),
    ]
