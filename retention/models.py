"""Retention policies per edition, the record of entries whose contact data was anonymised, and the register of
processing activities (RODO art. 30)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from contest.models import Edition

# The defaults, and why, are in the README ("Retention of personal data").
DEFAULT_DRAFT_MONTHS = 3
DEFAULT_CONTACT_YEARS = 5
DEFAULT_APPEAL_WINDOW_DAYS = 30


class RetentionPolicy(models.Model):
    """How long an edition keeps personal data. Created with the defaults the first time it is needed
    (retention.services.policy_for); the organisers confirm or change it on the edition's retention page."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="retention_policy")
    draft_months = models.PositiveSmallIntegerField(
        _("drafts never submitted: deleted after (months)"),
        default=DEFAULT_DRAFT_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Counted from the day of the submission deadline. Their attachments are deleted from storage too."),
    )
    contact_years = models.PositiveSmallIntegerField(
        _("contact data of entries not awarded: anonymised after (years)"),
        default=DEFAULT_CONTACT_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "Counted from the end of the edition's year: set the period the funding programme requires documents to "
            "be kept. The published data of laureates and distinctions stays as published."
        ),
    )
    appeal_window_days = models.PositiveSmallIntegerField(
        _("appeal window (days after the results)"),
        default=DEFAULT_APPEAL_WINDOW_DAYS,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "Nothing is deleted or anonymised before the results are published and this many days have passed."
        ),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self):
        return str(self.edition)


class AnonymisedContact(models.Model):
    """An entry whose contact data the retention run anonymised, and when (the row keeps the run idempotent)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="anonymised_contact")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("anonymised contact data")
        verbose_name_plural = _("anonymised contact data")

    def __str__(self):
        return str(self.application_id)


class ProcessingActivity(models.Model):
    """One entry of the register of processing activities (RODO art. 30(1)), kept by the organisers."""

    name = models.CharField(_("processing activity"), max_length=200)
    purpose = models.TextField(_("purposes of the processing"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    data_subjects = models.TextField(_("categories of data subjects"))
    data_categories = models.TextField(_("categories of personal data"))
    recipients = models.TextField(_("categories of recipients"))
    transfers = models.TextField(_("transfers to third countries"), blank=True)
    retention = models.TextField(_("time limits for erasure"))
    security_measures = models.TextField(_("technical and organisational security measures"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class FileToDelete(models.Model):
    """A stored file whose row retention deleted, until storage confirms it is gone: written in the run's transaction,
    removed once the file is deleted, so a storage failure is retried by the next run, not forgotten."""

    name = models.CharField(max_length=300, unique=True)
    since = models.DateTimeField()

    class Meta:
        verbose_name = _("file to delete")
        verbose_name_plural = _("files to delete")

    def __str__(self):
        return self.name
