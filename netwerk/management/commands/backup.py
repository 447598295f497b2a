from pathlib import Path

from django.core.management.base import BaseCommand

from expertisekaart.backups import backup_make


class Command(BaseCommand):
    help = (
        "Back up the database while the site runs: PostgreSQL as a pg_dump (custom format), "
        "SQLite as an online copy. Restore with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="the file to write")

    def handle(self, *args, target, **options):
        self.stdout.write(backup_make(target))
