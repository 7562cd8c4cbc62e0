"""Inviting jurors by e-mail, and accepting an invitation (with an account or by registering through it)."""

import datetime
import re

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.tokens import hash_token, new_token
from communications import mail
from communications.kinds import Kind, moment
from contest import clause
from contest.audit import record
from contest.emails import absolute_url

from ..models import Invitation, JuryMember
from .conflicts import detect_conflicts
from .errors import JuryError

INVITATION_DAYS = 14


EMAIL_SPLIT = re.compile(r"[\s,;]+")


def parse_emails(text):
    """Addresses from a pasted list; returns (valid, invalid)."""
    from django.core.validators import validate_email

    valid, invalid = [], []
    for item in EMAIL_SPLIT.split(text or ""):
        item = item.strip().strip("<>").lower()
        if not item:
            continue
        try:
            validate_email(item)
        except ValidationError:
            invalid.append(item)
        else:
            if item not in valid:
                valid.append(item)
    return valid, invalid


def _send_invitation(invitation, token):
    """Sent in this process after the commit, not through a task: the plain token must never reach the database
    (a queued task stores its arguments), as with the co-editor invitations of applications.services."""
    link = absolute_url(reverse("jury:invitation", args=[token]))

    def send():
        language = mail.languages_of([invitation.email]).get(invitation.email.lower(), settings.LANGUAGE_CODE)
        mail.message(
            Kind.JUROR_INVITATION,
            edition=invitation.edition,
            values={"link": link, "expires_at": moment(invitation.expires_at, language)},
            to=[invitation.email],
            template="jury/email/invitation",
            context={"invitation": invitation, "link": link},
            language=language,
        ).send()

    transaction.on_commit(send)


def invite(edition, emails, *, by, is_chair=False, days=INVITATION_DAYS):
    """Invite one or many people by e-mail; earlier pending invitations to the same address are revoked."""
    if not emails:
        raise JuryError(_("Give at least one e-mail address."))
    created = []
    now = timezone.now()
    with transaction.atomic():
        for email in emails:
            email = email.strip().lower()
            Invitation.objects.filter(
                edition=edition, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
            ).update(revoked_at=now)
            token, token_hash = new_token()
            invitation = Invitation.objects.create(
                edition=edition,
                email=email,
                token_hash=token_hash,
                is_chair=is_chair,
                invited_by=by,
                expires_at=now + datetime.timedelta(days=days),
                sent_at=now,
                send_count=1,
            )
            record("jury.invite", actor=by, target=invitation, edition=edition, is_chair=is_chair)
            _send_invitation(invitation, token)
            created.append((invitation, token))
    return created


def resend_invitation(invitation, *, by, days=INVITATION_DAYS):
    """A new secret (the old link stops working) and a new expiry."""
    token, token_hash = new_token()
    now = timezone.now()
    with transaction.atomic():
        # Locked, and checked under the lock: an acceptance committed meanwhile must not be saved over.
        locked = Invitation.objects.select_for_update().select_related("edition").get(pk=invitation.pk)
        if locked.accepted_at:
            raise JuryError(_("This invitation has already been accepted."))
        locked.token_hash = token_hash
        locked.expires_at = now + datetime.timedelta(days=days)
        locked.revoked_at = None
        locked.sent_at = now
        locked.send_count += 1
        locked.save(update_fields=["token_hash", "expires_at", "revoked_at", "sent_at", "send_count"])
        record("jury.invite_resent", actor=by, target=locked, edition=locked.edition)
        _send_invitation(locked, token)
    _copy_lifecycle(locked, invitation)
    return token


def revoke_invitation(invitation, *, by):
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().select_related("edition").get(pk=invitation.pk)
        if locked.accepted_at:
            raise JuryError(_("This invitation has already been accepted."))
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            record("jury.invite_revoked", actor=by, target=locked, edition=locked.edition)
    _copy_lifecycle(locked, invitation)


def _copy_lifecycle(source, target):
    """The caller's instance shows what was saved through the locked row."""
    for name in ("token_hash", "expires_at", "revoked_at", "sent_at", "send_count", "accepted_at"):
        setattr(target, name, getattr(source, name))


def find_invitation(token):
    """The usable invitation for a token, or JuryError saying why it cannot be used."""
    if not token or len(token) > 100:
        raise JuryError(_("This invitation link is not valid. Check that you copied the whole link."))
    invitation = Invitation.objects.select_related("edition").filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise JuryError(_("This invitation link is not valid. Check that you copied the whole link."))
    if invitation.accepted_at:
        raise JuryError(_("This invitation has already been used. Log in to reach the jury pages."))
    if invitation.revoked_at:
        raise JuryError(_("This invitation has been withdrawn. Ask the organisers for a new one."))
    if invitation.expires_at <= timezone.now():
        raise JuryError(_("This invitation has expired. Ask the organisers to send it again."))
    return invitation


def accept_invitation(token, user):
    """The logged-in user with the invited address joins the jury of the edition."""
    with transaction.atomic():
        invitation = find_invitation(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            raise JuryError(_("This invitation has already been used. Log in to reach the jury pages."))
        if user.email.lower() != invitation.email.lower():
            raise JuryError(
                _("This invitation was sent to %(email)s. Log in with that address to accept it.")
                % {"email": invitation.email}
            )
        member, created = JuryMember.objects.get_or_create(
            edition=invitation.edition, user=user, defaults={"is_chair": invitation.is_chair}
        )
        if not created:
            member.is_active = True
            member.is_chair = member.is_chair or invitation.is_chair
            member.save(update_fields=["is_active", "is_chair"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record("jury.invite_accepted", actor=user, target=member, edition=invitation.edition, invitation=invitation.pk)
        clause.record_shown(user, "juror")
        detect_conflicts(invitation.edition, members=[member], by=user)
    return member


# How long a repeated registration (a double click, a resent form) still gets the account the first one created.
REPEATED_REGISTRATION_WINDOW = datetime.timedelta(minutes=10)


def repeated_registration(token, *, password):
    """The account a registration through this invitation just created, if this is the same person repeating it.

    Same person means: the invitation was accepted within the window by an account created with it, the password
    matches, and the account has no second factor yet (with one, they log in properly). Otherwise None.
    """
    with transaction.atomic():
        return _repeated_registration(_locked_invitation(token), password)


def _locked_invitation(token):
    # The row lock makes a second request wait until the first one's account and membership are committed.
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()


def _repeated_registration(invitation, password):
    from allauth.mfa.models import Authenticator

    if invitation is None or invitation.accepted_at is None or invitation.accepted_by_id is None:
        return None
    if timezone.now() - invitation.accepted_at > REPEATED_REGISTRATION_WINDOW:
        return None
    user = invitation.accepted_by
    if (
        user.email.lower() != invitation.email.lower()
        or abs(invitation.accepted_at - user.date_joined) > REPEATED_REGISTRATION_WINDOW
        or not user.check_password(password)
        or Authenticator.objects.filter(user=user).exists()
    ):
        return None
    return user


def register_and_accept(token, *, password, full_name=""):
    """A new person registers through the invitation: their e-mail is verified by the link itself.

    Sending the same registration twice (a double click) gives the account the first one created, not an error.
    """
    User = get_user_model()
    with transaction.atomic():
        repeated = _repeated_registration(_locked_invitation(token), password)
        if repeated is not None:
            return repeated
        invitation = find_invitation(token)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise JuryError(_("An account with this e-mail address exists already. Log in to accept the invitation."))
        user = User.objects.create_user(invitation.email, password, full_name=full_name)
        EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
        record("jury.registered", actor=user, target=user, edition=invitation.edition)
        accept_invitation(token, user)
    return user
