from django.core.management.base import BaseCommand

from netwerk.directory.locations import Location
from netwerk.reference.loaders import (
    expertise_tags_load,
    reference_data_load,
    reference_lines_load,
)
from netwerk.search.publishing import changes_published


class Command(BaseCommand):
    help = (
        "Load (or update) the municipalities and PC4 postcode areas from fixtures/, and add the "
        "expertise tags and national numbers that are missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even when up to date.")

    def handle(self, *args, force: bool = False, **options):
        result = reference_data_load(force=force)
        tags_added = expertise_tags_load()
        lines_added = reference_lines_load()
        if not result.skipped:
            # Postcodes that were unknown before may be known now: the region rule joins on them.
            Location.objects.filter(postcode_area__isnull=True).link_postcode_areas()
        if not result.skipped or tags_added or lines_added:
            # Municipality names are part of the search documents and the pages' filters.
            changes_published(everything=True)
        state = "already up to date" if result.skipped else "loaded"
        self.stdout.write(
            f"Reference data {state}: {result.municipalities} municipalities, "
            f"{result.postcode_areas} postcode areas; {tags_added} expertise tags and "
            f"{lines_added} national numbers added."
        )
