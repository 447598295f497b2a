"""Read every active neighbour's HSDS API and replace our copies of its organisations and
lines, each neighbour all or nothing (netwerk.neighbours.sync). Run it nightly from cron."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from netwerk.neighbours.networks import NeighbourNetwork
from netwerk.neighbours.sync import sync_neighbour


class Command(BaseCommand):
    help = _("Haal de organisaties en lijnen van de actieve buurnetwerken op.")

    def handle(self, *args, **options):
        neighbours = list(NeighbourNetwork.objects.to_sync().order_by("name"))
        if not neighbours:
            self.stdout.write(_("Er zijn geen actieve buurnetwerken."))
            return
        failed = 0
        for neighbour in neighbours:
            outcome = sync_neighbour(neighbour)
            line = f"{neighbour.name}: {outcome.message}"
            if outcome.succeeded:
                self.stdout.write(self.style.SUCCESS(line))
            else:
                failed += 1
                self.stderr.write(
                    self.style.ERROR(_("%(line)s Er is niets veranderd.") % {"line": line})
                )
        if failed:  # a non-zero exit, so that cron reports it
            raise CommandError(
                _("%(failed)s van %(total)s buurnetwerken mislukt.")
                % {"failed": failed, "total": len(neighbours)}
            )
