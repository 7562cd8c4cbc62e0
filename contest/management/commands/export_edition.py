"""Write one edition (its records, files and audit events, with SHA-256 checksums) to a zip archive."""

from django.core.management.base import BaseCommand, CommandError

from contest import backup


class Command(BaseCommand):
    help = "Write an edition with all its data and files to one zip archive (see contest/backup.py)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="the edition's year")
        parser.add_argument("path", help="the archive to write, e.g. slz-2025.zip")

    def handle(self, year, path, **options):
        try:
            report = backup.export_edition(year, path)
        except backup.ArchiveError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Exported the edition of {report.year} to {path}: {sum(report.counts.values())} records, "
            f"{report.files} files ({report.bytes / 1e6:.1f} MB), {report.audit_events} audit events in "
            f"{report.seconds:.2f} s; archive SHA-256 {report.archive_sha256}."
        )
        if options["verbosity"] > 1:
            for label, count in report.counts.items():
                self.stdout.write(f"  {label}: {count}")
