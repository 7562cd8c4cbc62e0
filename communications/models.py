"""An edition's own wording of the platform's e-mails, and the log of every e-mail the platform sent."""

from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import Kind


class EmailTemplate(models.Model):
    """The organisers' text for one kind of e-mail in one language of one edition; without it the file template
    is used."""

    edition = models.ForeignKey("contest.Edition", on_delete=models.CASCADE, related_name="email_templates")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), max_length=10_000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        constraints = [
            models.UniqueConstraint(fields=["edition", "kind", "language"], name="one_email_template_per_language")
        ]

    def __str__(self):
        return f"{self.edition_id} {self.kind} {self.language}"


class SentEmail(models.Model):
    """One message handed to the mail server: accepted by it ("sent") or refused or unreachable ("failed").
    Holds addresses (personal data): privacy.services anonymises them with the account, retention with the edition."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    at = models.DateTimeField(_("sent at"), db_index=True)
    edition = models.ForeignKey(
        "contest.Edition", null=True, blank=True, on_delete=models.SET_NULL, related_name="sent_emails"
    )
    template = models.CharField(_("template"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=30, blank=True)
    # One lowercased address per line, with a line break before the first and after the last, so one address is
    # found exactly with `recipients__contains="\na@b.pl\n"` on every database.
    recipients = models.TextField(_("recipients"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.CharField(_("error"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")
        indexes = [models.Index(fields=["edition", "-at"], name="sentemail_edition_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.template} {self.status}"

    @staticmethod
    def pack(addresses):
        found = [parseaddr(str(address))[1].strip().lower() for address in addresses]
        found = [address for address in found if address]
        return "".join(f"\n{address}" for address in found) + "\n" if found else ""

    @staticmethod
    def needle(address):
        return f"\n{address.strip().lower()}\n"

    @property
    def addresses(self):
        return [line for line in self.recipients.split("\n") if line]


class ApplicantMessage(models.Model):
    """A message organisers wrote to the applicants of a list of applications: sent one e-mail per application by
    a task each, logged like every e-mail."""

    edition = models.ForeignKey("contest.Edition", on_delete=models.CASCADE, related_name="applicant_messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), max_length=10_000)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applications = models.PositiveIntegerField(_("applications"), default=0)
    # The confirmation page's own token: posting it again (a second click, a second tab) sends nothing more.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("message to applicants")
        verbose_name_plural = _("messages to applicants")

    def __str__(self):
        return self.subject
