"""Delete the files of data downloads whose links have expired, and the sent-mail log's rows of no edition older
than SENT_EMAIL_LOG_DAYS (run daily from cron)."""

from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = "Delete the files of expired personal-data downloads and old sent-mail log rows of no edition."

    def handle(self, **options):
        count = services.delete_expired_exports()
        self.stdout.write(f"{count} expired downloads deleted.")
        self.stdout.write(f"{services.delete_old_mail_log()} sent-mail log rows of no edition deleted.")
