"""Open data: every published object gets a stable UUID (its HSDS `id`).

A UUIDField with unique=True cannot be added in one step: the default is evaluated once for the
whole table, so every existing row would get the same value. Three steps instead: add the column
nullable without a unique index, give every existing row its own UUID, then make it unique and
not null. History rows get the UUID of the object they record (a deleted object's rows share one
new UUID), so that an object's history keeps one identifier.
"""

import uuid

from django.db import migrations, models

MODELS = [
    "organisation",
    "location",
    "contact",
    "place",
    "consultationline",
    "schedulerow",
    "scheduleexception",
    "expertisetag",
]


def fill_uuids(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("netwerk", name)
        history = apps.get_model("netwerk", f"historical{name}")
        given = {}
        for pk in model.objects.filter(uuid__isnull=True).values_list("pk", flat=True).iterator():
            given[pk] = uuid.uuid4()
            model.objects.filter(pk=pk).update(uuid=given[pk])
        for pk, value in model.objects.values_list("pk", "uuid").iterator():
            given[pk] = value
        recorded = history.objects.filter(uuid__isnull=True).values_list("id", flat=True)
        for pk in sorted(set(recorded.iterator())):
            value = given.get(pk) or given.setdefault(pk, uuid.uuid4())
            history.objects.filter(id=pk).update(uuid=value)


def add_nullable(name):
    return [
        migrations.AddField(
            model_name=name,
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="UUID"),
        ),
        migrations.AddField(
            model_name=f"historical{name}",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="UUID"),
        ),
    ]


def make_unique(name):
    return [
        migrations.AlterField(
            model_name=name,
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"
            ),
        ),
        migrations.AlterField(
            model_name=f"historical{name}",
            name="uuid",
            field=models.UUIDField(
                db_index=True, default=uuid.uuid4, editable=False, verbose_name="UUID"
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("netwerk", "0010_network_agenda_agreements_knowledge"),
    ]

    operations = [
        *[operation for name in MODELS for operation in add_nullable(name)],
        migrations.RunPython(fill_uuids, migrations.RunPython.noop, elidable=False),
        *[operation for name in MODELS for operation in make_unique(name)],
    ]
