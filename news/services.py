"""The verbs of the announcements: subscribe (double opt-in), confirm, unsubscribe, and the dispatches (which
announcements are due, each created once, sent in batches by the task worker).

Tokens: the confirmation e-mail carries a random token whose SHA-256 the Subscription keeps; every other message
carries a fresh token of its own (a Delivery row keeps its hash). Either ends the subscription at the unsubscribe
address, so an old message's link keeps working (even after the reader subscribed again: it then ends the address's
current subscription); none is ever stored as it was sent.
"""

import logging
import re
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.tokens import hash_token, new_token
from contest import audit, emails
from contest.errors import ServiceError
from contest.models import Edition
from contest.phases import Phase, _to_second, by_deadline, phase_at, results_visible

from . import consent
from .models import Delivery, Dispatch, Subscription, SubscriptionConsent

logger = logging.getLogger(__name__)

# Tokens come from secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet. Anything else is not looked up.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


class NewsError(ServiceError):
    """A refused request of a subscriber; the message is for them."""


class TooManyRequests(NewsError):
    """Too many subscription requests from one address of the network."""


def setting(name, default):
    return getattr(settings, name, default)


def confirmation_interval():
    """At most one confirmation (or "already subscribed") e-mail per address in this time."""
    return timedelta(minutes=setting("NEWS_CONFIRMATION_INTERVAL_MINUTES", 10))


def confirmation_validity():
    return timedelta(days=setting("NEWS_CONFIRMATION_DAYS", 7))


def normalise_email(value):
    """The form of an address that is stored and compared: trimmed, lower case (as accounts store logins)."""
    return (value or "").strip().lower()


def unsubscribe_url(token):
    return emails.absolute_url(reverse("news:unsubscribe", args=[token]))


def _with_unsubscribe(message, token):
    """Every message carries the link in its text (the template) and RFC 8058's one-click headers."""
    message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_url(token)}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


# --- subscribing -------------------------------------------------------------------------------------------------


def _throttle_network(client_ip):
    """A cap per network address, so nobody can use the form to mail thousands of strangers."""
    if not client_ip:
        return
    limit = setting("NEWS_SUBSCRIBE_PER_IP_PER_HOUR", 20)
    key = f"news:subscribe-ip:{hash_token(client_ip)}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, 3600)
        count = 1
    if count > limit:
        raise TooManyRequests(_("Too many subscription requests came from your network. Please try again in an hour."))


def _may_mail(email):
    """True at most once per address per interval (atomic in the shared cache): the confirmation e-mail cannot be
    used to flood someone's inbox, and a repeated request answers the same whether the address is known or not."""
    return cache.add(f"news:mail:{hash_token(email)}", 1, int(confirmation_interval().total_seconds()))


def subscribe(email, *, language, consent_version, client_ip=None):
    """Ask for announcements at `email`. The answer is the same whatever the address's state: new or pending, it
    gets a confirmation link; already confirmed, a note saying so. Nothing is sent when the address had an e-mail
    from us in the last interval. Raises NewsError when the consent text changed since the form was shown."""
    email = normalise_email(email)
    version, text = consent.current()
    if consent_version != version:
        raise NewsError(
            {"consent": _("The consent text has changed since the page was opened. Read it again and confirm.")}
        )
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    _throttle_network(client_ip)
    now = timezone.now()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().active().filter(email=email).first()
        if subscription is not None and subscription.confirmed_at is not None:
            if _may_mail(email):
                token, token_hash = new_token()
                Delivery.objects.create(subscription=subscription, token_hash=token_hash)
                transaction.on_commit(partial(_send_already_subscribed, subscription.pk, token))
            return
        if subscription is None:
            token, token_hash = new_token()
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email, language=language, token_hash=token_hash, token_sent_at=now, created_at=now
                    )
            except IntegrityError:
                return  # the same address at the same moment in another request: that one sends the e-mail
            mail = _may_mail(email)
        else:
            mail = _may_mail(email)
            if not mail:
                return  # the link sent a moment ago stays the valid one
            token, token_hash = new_token()
            subscription.token_hash, subscription.token_sent_at, subscription.language = token_hash, now, language
            subscription.save(update_fields=["token_hash", "token_sent_at", "language"])
        SubscriptionConsent.objects.create(
            subscription=subscription, text_version=version, text=text, language=language, given_at=now
        )
        if mail:
            transaction.on_commit(partial(_send_confirmation, subscription.pk, token))


def _send_confirmation(subscription_id, token):
    # In the process, not through a task: the message carries a token and a task would store it in the database.
    subscription = Subscription.objects.get(pk=subscription_id)
    context = {
        "confirm_url": emails.absolute_url(reverse("news:confirm", args=[token])),
        "unsubscribe_url": unsubscribe_url(token),
        "valid_days": confirmation_validity().days,
    }
    message = emails.message("news/email/confirm", context, [subscription.email], language=subscription.language)
    _with_unsubscribe(message, token).send()


def _send_already_subscribed(subscription_id, token):
    subscription = Subscription.objects.get(pk=subscription_id)
    context = {"unsubscribe_url": unsubscribe_url(token)}
    message = emails.message("news/email/already", context, [subscription.email], language=subscription.language)
    _with_unsubscribe(message, token).send()


# --- confirming and unsubscribing ----------------------------------------------------------------------------------


def _valid_format(token):
    return bool(token) and TOKEN_PATTERN.fullmatch(token) is not None


def subscription_for_confirmation(token, at=None):
    """The subscription a confirmation link opens, or NewsError saying why the link cannot be used."""
    found = Subscription.objects.filter(token_hash=hash_token(token)).first() if _valid_format(token) else None
    if found is None:
        raise NewsError(
            _("This confirmation link is not valid. Copy the whole link from the e-mail, or subscribe again.")
        )
    if found.unsubscribed_at:
        raise NewsError(_("This subscription has been cancelled. You can subscribe again."))
    if found.confirmed_at is None and found.token_sent_at + confirmation_validity() < (at or timezone.now()):
        raise NewsError(_("This confirmation link has expired. Subscribe again to get a new one."))
    return found


def confirm(token, at=None):
    """Confirm the subscription of a confirmation link (by POST only: mail scanners open links). Confirming twice
    changes nothing."""
    at = at or timezone.now()
    with transaction.atomic():
        found = subscription_for_confirmation(token, at)
        subscription = Subscription.objects.select_for_update().get(pk=found.pk)
        if subscription.confirmed_at is None and subscription.unsubscribed_at is None:
            subscription.confirmed_at = at
            subscription.save(update_fields=["confirmed_at"])
            audit.record("news.subscription_confirmed", target=subscription)
    return subscription


def subscription_for_token(token):
    """The subscription of any link we sent (the confirmation's or an announcement's), or NewsError."""
    found = None
    if _valid_format(token):
        token_hash = hash_token(token)
        found = Subscription.objects.filter(token_hash=token_hash).first()
        if found is None:
            delivery = Delivery.objects.select_related("subscription").filter(token_hash=token_hash).first()
            found = delivery.subscription if delivery else None
    if found is None:
        raise NewsError(_("This link is not valid. Copy the whole link from the e-mail."))
    return found


def subscription_to_end(token):
    """The subscription a link's unsubscribe ends: the link's own, or when that one ended already, the address's
    current one (the reader subscribed again; a message of the old subscription still reached the same inbox, so
    its link speaks for the address). NewsError for a link we never sent."""
    found = subscription_for_token(token)
    if found.unsubscribed_at is not None:
        return Subscription.objects.active().filter(email=found.email).first() or found
    return found


def unsubscribe(token, at=None):
    """End the subscription of a link, or the address's current one when the link's ended earlier (a pending one
    is cancelled). Unsubscribing twice changes nothing."""
    with transaction.atomic():
        found = subscription_to_end(token)
        subscription = Subscription.objects.select_for_update().get(pk=found.pk)
        if subscription.unsubscribed_at is None:
            subscription.unsubscribed_at = at or timezone.now()
            subscription.save(update_fields=["unsubscribed_at"])
            audit.record("news.unsubscribed", target=subscription, from_state=found.state, to_state="unsubscribed")
    return subscription


def forget_unconfirmed(at=None):
    """Delete requests never confirmed within twice the link's validity (with their consents): an address that
    never confirmed is not kept. Returns how many."""
    cutoff = (at or timezone.now()) - 2 * confirmation_validity()
    _total, per_model = Subscription.objects.filter(confirmed_at__isnull=True, token_sent_at__lt=cutoff).delete()
    return per_model.get(Subscription._meta.label, 0)


# --- announcements -----------------------------------------------------------------------------------------------


def deadline_notice():
    return timedelta(days=setting("NEWS_DEADLINE_NOTICE_DAYS", 7))


def results_recent():
    """Results published longer ago than this are not announced (a first run must not mail the whole archive)."""
    return timedelta(days=setting("NEWS_RESULTS_RECENT_DAYS", 14))


def batch_size():
    return max(1, setting("NEWS_BATCH_SIZE", 100))


def due_announcements(at=None):
    """(kind, edition) of every announcement due at a moment and not dispatched yet, in the order to send."""
    at = _to_second(at or timezone.now())
    editions = list(Edition.objects.filter(is_draft=False, call_published_at__lt=at + timedelta(seconds=1)))
    done = set(
        Dispatch.objects.filter(edition__in=editions).values_list("kind", "edition_id")
    )
    recent_calls = set(
        Dispatch.objects.filter(
            edition__in=editions, kind=Dispatch.Kind.CALL_PUBLISHED, created_at__gt=at - timedelta(days=1)
        ).values_list("edition_id", flat=True)
    )
    # The results app's own rule for what is public (its SQL twin of results_visible), so both always agree.
    # Only editions with something published (a late committee's results_at announces nothing), counted from the
    # moment they became public, so the later publication is still announced.
    from results.visibility import announced_result_editions

    public = dict(
        announced_result_editions(at).filter(pk__in=[e.pk for e in editions]).values_list("pk", "public_since")
    )
    due = []
    for edition in editions:
        phase = phase_at(edition, at)
        call_open = phase in (Phase.ANNOUNCED, Phase.SUBMISSIONS)
        call_due = call_open and (Dispatch.Kind.CALL_PUBLISHED, edition.pk) not in done
        if call_due:
            due.append((Dispatch.Kind.CALL_PUBLISHED, edition))
        # Not on the heels of the call itself: a call published a few days before its deadline says the date.
        if (
            call_open
            and by_deadline(at, edition.submission_deadline)
            and _to_second(edition.submission_deadline) - at <= deadline_notice()
            and not call_due
            and edition.pk not in recent_calls
            and (Dispatch.Kind.DEADLINE_APPROACHING, edition.pk) not in done
        ):
            due.append((Dispatch.Kind.DEADLINE_APPROACHING, edition))
        if (
            edition.pk in public
            and results_visible(edition, at)
            and _to_second(public[edition.pk]) > at - results_recent()
            and (Dispatch.Kind.RESULTS_PUBLISHED, edition.pk) not in done
        ):
            due.append((Dispatch.Kind.RESULTS_PUBLISHED, edition))
    return due


def start_dispatch(kind, edition, at=None):
    """Create the dispatch of one announcement and queue its batches after the commit; None when it already exists
    (another run made it: the unique constraint decides, whichever process gets there first)."""
    at = at or timezone.now()
    from . import tasks

    with transaction.atomic():
        try:
            with transaction.atomic():
                dispatch = Dispatch.objects.create(kind=kind, edition=edition, created_at=at)
        except IntegrityError:
            return None
        ids = list(
            Subscription.objects.receiving()
            .filter(confirmed_at__lte=at)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        size = batch_size()
        batches = [ids[start : start + size] for start in range(0, len(ids), size)]
        dispatch.recipients, dispatch.batches = len(ids), len(batches)
        dispatch.save(update_fields=["recipients", "batches"])
        audit.record(
            "news.dispatch_started",
            target=dispatch,
            edition=edition,
            kind=kind,
            recipients=len(ids),
            batches=len(batches),
        )
        for batch in batches:
            transaction.on_commit(partial(tasks.send_announcement_batch.enqueue, dispatch.pk, batch))
    return dispatch


def send_due_announcements(at=None):
    """What `manage.py send_announcements` runs: every due announcement dispatched once. Returns the new ones."""
    at = at or timezone.now()
    started = [start_dispatch(kind, edition, at) for kind, edition in due_announcements(at)]
    return [dispatch for dispatch in started if dispatch is not None]


def announcement_message(dispatch, subscription, token):
    context = {
        "edition": dispatch.edition,
        "kind": dispatch.kind,
        "edition_url": emails.absolute_url(reverse("contest:edition", args=[dispatch.edition.year])),
        "unsubscribe_url": unsubscribe_url(token),
    }
    message = emails.message(
        f"news/email/{dispatch.kind}", context, [subscription.email], language=subscription.language
    )
    return _with_unsubscribe(message, token)


def _results_still_public(dispatch):
    """Whether the results a dispatch announces are public when its batch runs (never earlier than the dispatch's
    own moment: a batch does not run before its dispatch)."""
    from results.visibility import announced_result_editions

    at = max(timezone.now(), dispatch.created_at)
    return announced_result_editions(at).filter(pk=dispatch.edition_id).exists()


def send_batch(dispatch_id, subscription_ids):
    """Send one batch of a dispatch: a message with its own unsubscribe token to each subscriber of the batch who
    still receives announcements and has not had this one. A delivery is recorded before its message is sent, so
    a batch run twice sends nothing twice (at most once, never twice)."""
    dispatch = Dispatch.objects.select_related("edition").get(pk=dispatch_id)
    if dispatch.kind == Dispatch.Kind.RESULTS_PUBLISHED and not _results_still_public(dispatch):
        # Withdrawn between the dispatch and this batch: every page says there are no results, so the mail does not.
        logger.info("results of %s withdrawn: batch of dispatch %s not sent", dispatch.edition.year, dispatch.pk)
        return 0
    already = set(
        Delivery.objects.filter(dispatch=dispatch, subscription_id__in=subscription_ids).values_list(
            "subscription_id", flat=True
        )
    )
    recipients = list(
        Subscription.objects.receiving().filter(pk__in=subscription_ids).exclude(pk__in=already).order_by("pk")
    )
    tokens, deliveries = [], []
    for subscription in recipients:
        token, token_hash = new_token()
        tokens.append(token)
        deliveries.append(Delivery(subscription=subscription, dispatch=dispatch, token_hash=token_hash))
    with transaction.atomic():
        Delivery.objects.bulk_create(deliveries)
    sent, failed = [], 0
    for subscription, token in zip(recipients, tokens, strict=True):
        try:
            announcement_message(dispatch, subscription, token).send()
        except Exception:  # noqa: BLE001 - one refused address must not stop the batch
            logger.exception("announcement %s to subscription %s not sent", dispatch.pk, subscription.pk)
            failed += 1
        else:
            sent.append(subscription.pk)
    Delivery.objects.filter(dispatch=dispatch, subscription_id__in=sent).update(sent_at=timezone.now())
    Dispatch.objects.filter(pk=dispatch.pk).update(sent=F("sent") + len(sent), failed=F("failed") + failed)
    return len(sent)
