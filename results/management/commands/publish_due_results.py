"""Publish the results whose announced moment has passed: statuses and one outcome e-mail per applicant.

Cron-friendly: safe to run every minute, and twice at once (results.services.publish locks the edition; a second run
finds nothing to move). Exits 1 if some due edition was refused (its reason is printed)."""

from django.core.management.base import BaseCommand, CommandError

from results import services


class Command(BaseCommand):
    help = "Publish every edition whose results_at has passed, with locked decisions, not yet published."

    def handle(self, *args, **options):
        done = services.publish_due()
        refused = []
        for edition, outcome in done:
            if isinstance(outcome, services.Published):
                self.stdout.write(f"{edition.year}: published, {outcome.moved} outcome e-mails")
            else:
                refused.append(f"{edition.year}: {outcome.message}")
        if not done:
            self.stdout.write("nothing due")
        if refused:
            raise CommandError("; ".join(refused))
