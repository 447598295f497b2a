from django.core.management.base import BaseCommand

from netwerk.directory.organisations import Organisation
from netwerk.search.publishing import changes_published


class Command(BaseCommand):
    help = (
        "Rebuild every organisation's search document and the search vocabulary, and raise the "
        "published data's version (every cached page and map is then built anew): run it after "
        "changing data other than through the admin, the import or the forms."
    )

    def handle(self, *args, **options):
        changes_published(everything=True)
        count = Organisation.objects.count()
        self.stdout.write(f"Search documents rebuilt for {count} organisations.")
