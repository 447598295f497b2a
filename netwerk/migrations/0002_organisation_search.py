"""Search documents on organisations and their vocabulary; on PostgreSQL also the pg_trgm
extension and the GIN indexes (tsvector, and trigrams of the vocabulary)."""

import django.contrib.postgres.search
from django.db import migrations, models

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS organisation_search_vector ON netwerk_organisation "
    "USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS searchword_trigram ON netwerk_searchword "
    "USING gin (word gin_trgm_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS searchword_trigram",
    "DROP INDEX IF EXISTS organisation_search_vector",
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("netwerk", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="search_name",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="organisation",
            name="search_document",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="organisation",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, verbose_name="gewijzigd op"),
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=100, unique=True, verbose_name="woord")),
            ],
            options={"verbose_name": "zoekwoord", "verbose_name_plural": "zoekwoorden"},
        ),
        migrations.RunPython(
            run_on_postgresql(POSTGRESQL_FORWARD), run_on_postgresql(POSTGRESQL_BACKWARD)
        ),
    ]
