from django.core.management.base import BaseCommand

from netwerk.search import organisations_search_refresh


class Command(BaseCommand):
    help = "Rebuild every organisation's search document and the search vocabulary."

    def handle(self, *args, **options):
        count = organisations_search_refresh()
        self.stdout.write(f"Search documents rebuilt for {count} organisations.")
