from django.db import migrations, models


class Migration(migrations.Migration):
    """One version of the published data: the map keeps no count of its own, and the whole map
    lives in the cache instead of a table."""

    dependencies = [
        ("netwerk", "0008_backfill_m2m_history"),
    ]

    operations = [
        migrations.RemoveField(model_name="publishedchangecount", name="map_changes"),
        migrations.RenameField(
            model_name="publishedchangecount", old_name="public_changes", new_name="changes"
        ),
        migrations.AlterField(
            model_name="publishedchangecount",
            name="changes",
            field=models.BigIntegerField(default=0, verbose_name="wijzigingen"),
        ),
        migrations.DeleteModel(name="MapSnapshot"),
    ]
