"""Apply every edition's retention policy: delete drafts never submitted (with their files) and anonymise the contact
data of entries not awarded, once due and once the edition's results and appeal window are behind it.

Meant for cron once a day; safe to run twice at once (each edition's row is locked). --dry-run prints what the run
would do and changes nothing. One line per edition, with counts only; the real run also writes one audit event per
edition it changed."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from retention import services


class Command(BaseCommand):
    help = (
        "Delete drafts never submitted and anonymise contact data of entries not awarded, as each edition's "
        "retention policy says."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be done; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        outcomes = services.apply(dry_run=dry_run)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed. The next run would do this:"))
        for outcome in outcomes:
            self.stdout.write(outcome.line())
        if not outcomes:
            self.stdout.write(_("No editions."))
        failed = sum(outcome.files_failed for outcome in outcomes)
        if failed:
            self.stderr.write(
                _("%(count)s files could not be deleted from storage; the next run tries again.") % {"count": failed}
            )
