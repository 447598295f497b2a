from pathlib import Path

from django.core.management.base import BaseCommand

from expertisekaart.backups import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, which must be "
        "empty (a new database: create it, do not migrate it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the backup file")

    def handle(self, *args, source, **options):
        self.stdout.write(backup_restore(source))
