"""Delete the files of data downloads whose links have expired (run daily from cron)."""

from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = "Delete the files of expired personal-data downloads."

    def handle(self, **options):
        count = services.delete_expired_exports()
        self.stdout.write(f"{count} expired downloads deleted.")
