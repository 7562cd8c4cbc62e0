"""Load (or refresh) the TERC register of territorial units."""
from django.core.management.base import BaseCommand

from contest.teryt import DEFAULT_FILE, load_register


class Command(BaseCommand):
    help = "Load the TERC register (GUS) of Polish territorial units."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_FILE))

    def handle(self, *args, **options):
        created, updated = load_register(options["file"])
        self.stdout.write(f"TERC: {created} created, {updated} updated.")
