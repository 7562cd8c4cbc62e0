"""Restore one edition from an archive written by export_edition: all or nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contest import backup


class Command(BaseCommand):
    help = "Restore an edition from an export_edition archive into a database and storage without it."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by export_edition")
        parser.add_argument(
            "--grant-roles",
            action="store_true",
            help="give the accounts this import creates the archive's roles (organiser, staff, superuser); without "
            "it they are created without them. Existing accounts are never changed.",
        )

    def handle(self, path, **options):
        try:
            report = backup.import_edition(path, grant_roles=options["grant_roles"])
        except backup.ArchiveError as error:
            raise CommandError(str(error)) from None
        # Public pages are cached under a generation: a restored edition with published results must show at once.
        # (The command is an entry point like a view, so it may reach the results app above contest.)
        from results.cache import bump

        transaction.on_commit(bump)
        self.stdout.write(
            f"Imported the edition of {report.year}: {sum(report.counts.values())} records, {report.files} files "
            f"({report.bytes / 1e6:.1f} MB), {report.users_created} accounts created, {report.audit_events} audit "
            f"events kept beside the chain in {report.seconds:.2f} s."
        )
        if report.roles_granted:
            self.stdout.write(
                "Accounts created with the archive's roles (organiser, staff or superuser): "
                + ", ".join(report.roles_granted)
            )
        if report.roles_withheld:
            self.stdout.write(
                "Accounts created WITHOUT the roles the archive gives them (an archive is not proof of who may "
                "administer this site; grant them in the admin, or import again with --grant-roles into a fresh "
                "database): " + ", ".join(report.roles_withheld)
            )
        if report.existing_jurors:
            self.stdout.write(
                "Accounts that were already here and are now jurors of the restored edition (they see its entries; "
                "check they should): " + ", ".join(report.existing_jurors)
            )
        if options["verbosity"] > 1:
            for label, count in report.counts.items():
                self.stdout.write(f"  {label}: {count}")
