from django.core.management.base import BaseCommand

from netwerk.search.documents import organisations_search_refresh
from netwerk.search.map_data import published_caches_clear


class Command(BaseCommand):
    help = (
        "Rebuild every organisation's search document and the search vocabulary, and forget the "
        "cached pages and maps: run it after changing data other than through the admin or imports."
    )

    def handle(self, *args, **options):
        count = organisations_search_refresh()
        published_caches_clear()
        self.stdout.write(f"Search documents rebuilt for {count} organisations.")
