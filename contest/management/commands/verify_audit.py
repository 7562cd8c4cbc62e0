"""Check the audit trail's hash chain: exit 0 with the number of events checked, or name the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from contest import audit


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain."

    def handle(self, **options):
        verdict = audit.verify()
        if not verdict.ok:
            raise CommandError(
                f"Audit trail broken after {verdict.checked - 1} good events: {verdict.broken}.", returncode=1
            )
        self.stdout.write(f"{verdict.checked} events checked, chain intact; last hash {verdict.head}.")
