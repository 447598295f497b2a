from pathlib import Path

from django.core.management.base import BaseCommand

from netwerk.open_data.export import export


class Command(BaseCommand):
    help = (
        "Write today's open data download (HSDS tabular ZIP with datapackage.json, and one JSON) "
        "into OPEN_DATA_EXPORT_DIR, keeping the newest OPEN_DATA_EXPORTS_KEPT days; run nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, help="elsewhere than OPEN_DATA_EXPORT_DIR")
        parser.add_argument("--site-url", help="the site's address for links (default SITE_URL)")

    def handle(self, *args, directory=None, site_url=None, **options):
        for path in export(directory, base_url=site_url):
            self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
