"""A person's requests about their own data: a download of everything we hold (art. 15, 20) and erasure (art. 17)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataExport(models.Model):
    """One requested download: built by a background task into private storage, mailed as a link, expiring."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired")

    # The link names this, not the row's number: numbers are guessable (the view checks the owner anyway).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    file = models.FileField(max_length=200, blank=True, default="")
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Two tabs (or two clicks) asking at once get one export, not two tasks.
            models.UniqueConstraint(fields=["user"], condition=Q(status="pending"), name="one_pending_export_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} {self.requested_at:%Y-%m-%d %H:%M} ({self.status})"

    def is_expired(self, now=None):
        if self.status == self.Status.EXPIRED:
            return True
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class ErasureRequest(models.Model):
    """A person's request to erase their data, and the organiser's decision on it. The row holds no personal data,
    so it stays after the account is anonymised, as the record that the request was answered."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved: account anonymised")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="erasure_requests")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="pending"), name="one_pending_erasure_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} {self.requested_at:%Y-%m-%d} ({self.status})"
