from django.core.management.base import BaseCommand

from netwerk.coordination.demo_figures import demo_past_load
from netwerk.demo import REGION_NAME, demo_data_load


class Command(BaseCommand):
    help = "Load the fictional demo region (needs the reference data)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even when present.")

    def handle(self, *args, force: bool = False, **options):
        loaded = demo_data_load(force=force)
        state = "loaded" if loaded else "already present"
        self.stdout.write(f"Demo data {state}: {REGION_NAME}.")
        # The past the indicators read (a step of its own: see netwerk.coordination.demo_figures).
        if demo_past_load(force=force or loaded):
            self.stdout.write("Demo history loaded: a year of availability updates.")
