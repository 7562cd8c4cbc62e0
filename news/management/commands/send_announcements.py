"""Send the competition's due announcements (a new call, the deadline approaching, results published), each once.

Meant for cron (e.g. every 10 minutes): a run finds what is due, creates each dispatch once (two runs at the same
time cannot both create one) and queues its batches for the task worker; it also forgets requests never confirmed.
"""

from django.core.management.base import BaseCommand

from news import services


class Command(BaseCommand):
    help = "Queue the due announcements to subscribers (each one once) and forget unconfirmed requests."

    def handle(self, **options):
        started = services.send_due_announcements()
        for dispatch in started:
            self.stdout.write(
                f"{dispatch.kind} {dispatch.edition.year}: {dispatch.recipients} recipients in {dispatch.batches} "
                "batches queued"
            )
        forgotten = services.forget_unconfirmed()
        self.stdout.write(f"{len(started)} announcements queued; {forgotten} unconfirmed requests forgotten.")
