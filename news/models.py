"""Subscriptions to the competition's announcements (double opt-in), the consents behind them, and the dispatches:
one announcement of one kind per edition, with one delivery per subscriber carrying its own unsubscribe token."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contest.models import Edition


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Pending or confirmed, not ended: at most one per address (the database guarantees it)."""
        return self.filter(unsubscribed_at__isnull=True)

    def receiving(self):
        """Who announcements go to: confirmed and not unsubscribed."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    """One address's subscription. Only the SHA-256 of the confirmation token is stored (accounts.tokens), so
    whoever reads the database cannot confirm or end a subscription; each announcement carries a token of its own
    (Delivery). Unsubscribing ends the row; subscribing again makes a new one, with a new consent."""

    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    token_hash = models.CharField(max_length=64, unique=True)
    token_sent_at = models.DateTimeField(_("confirmation link sent"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at"]
        constraints = [
            # The service stores addresses lower-cased, so this is unique whatever the case typed.
            models.UniqueConstraint(
                fields=["email"], condition=Q(unsubscribed_at__isnull=True), name="unique_active_news_subscription"
            )
        ]

    def __str__(self):
        return f"{self.pk} ({self.state})"

    @property
    def state(self):
        if self.unsubscribed_at:
            return "unsubscribed"
        return "confirmed" if self.confirmed_at else "pending"


class SubscriptionConsent(models.Model):
    """The consent given with a subscription request (RODO): the exact text shown, its version, language, time."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="consents")
    text_version = models.CharField(_("text version"), max_length=20)
    text = models.TextField(_("text shown"))
    language = models.CharField(_("language"), max_length=5)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription consent")
        verbose_name_plural = _("subscription consents")
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.subscription_id} ({self.text_version})"


class Dispatch(models.Model):
    """One announcement of an edition: created once (the unique constraint), whoever runs the command and however
    often; the recipients are fixed when it is created and sent in batches by the task worker."""

    class Kind(models.TextChoices):
        CALL_PUBLISHED = "call_published", _("call published")
        DEADLINE_APPROACHING = "deadline_approaching", _("deadline approaching")
        RESULTS_PUBLISHED = "results_published", _("results published")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="news_dispatches"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    batches = models.PositiveIntegerField(_("batches"), default=0)
    sent = models.PositiveIntegerField(_("messages sent"), default=0)
    failed = models.PositiveIntegerField(_("messages failed"), default=0)

    class Meta:
        verbose_name = _("announcement dispatch")
        verbose_name_plural = _("announcement dispatches")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "edition"], name="unique_news_dispatch")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.edition.year}"


class Delivery(models.Model):
    """One message to one subscriber: its unsubscribe token's hash (the token itself is only in the message), and
    for an announcement, the dispatch it belongs to, at most once per subscriber."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    dispatch = models.ForeignKey(Dispatch, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "subscription"], name="unique_news_delivery"),
        ]

    def __str__(self):
        return f"{self.dispatch_id}/{self.subscription_id}"
