"""The verbs of a person's data rights: ask for a download and build it, ask for erasure, decide on it, and the one
function that anonymises an account (the retention app calls it too). Each writes in one transaction, records an
audit event holding ids and counts only (never the erased data), and sends e-mail after the commit."""

import json
import tempfile
import uuid
import zipfile
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.adapters import RESERVED_DOMAIN
from contest.audit import record
from contest.errors import ServiceError
from contest.validators import validate_no_contact_details

from . import collect, rules
from .models import DataExport, ErasureRequest
from .plan import applications_of, contact_clearable, named_as_contact, news_subscriptions, plan_for

MAX_REASON = 2000
ANONYMISED_DOMAIN = RESERVED_DOMAIN
EXPORTS_PER_DAY = 5


def export_days():
    return int(getattr(settings, "PRIVACY_EXPORT_DAYS", 7))


class PrivacyError(ServiceError):
    """A refused request about personal data; the message says why."""


# --- access and portability -------------------------------------------------------------------------------------


def request_export(user):
    """Queue a download of everything we hold about `user`. While one is being prepared, asking again returns it."""
    from .tasks import build_export

    if not user.is_active:
        raise PrivacyError(_("This account is closed."))
    pending = DataExport.objects.filter(user=user, status=DataExport.Status.PENDING).first()
    if pending:
        return pending
    # Each download reads every file of the person's applications: a few a day is what anyone needs.
    today = DataExport.objects.filter(user=user, requested_at__gt=timezone.now() - timedelta(days=1)).count()
    if today >= EXPORTS_PER_DAY:
        raise PrivacyError(
            _("You have asked for %(n)d downloads in the last 24 hours. Use the links you have or ask again tomorrow.")
            % {"n": EXPORTS_PER_DAY}
        )
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
            record("privacy.export_requested", actor=user, target=export)
            transaction.on_commit(lambda: build_export.enqueue(export.pk))
    except IntegrityError:
        # Another tab asked at the same moment: its export is the one.
        return DataExport.objects.get(user=user, status=DataExport.Status.PENDING)
    return export


def export_path(export):
    return f"privacy/exports/{export.user_id}/{export.public_id.hex}.zip"


def write_export(export):
    """Build the ZIP (data.json and the person's files) into private storage and mark the export ready. Returns it,
    or None when it stopped being pending meanwhile (the account was erased): nothing is then kept."""
    user = export.user
    data, files = collect.personal_data(user)
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as buffer:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
            for path, stored in files:
                try:
                    with stored.storage.open(stored.name, "rb") as source, archive.open(path, "w") as target:
                        for chunk in iter(lambda: source.read(1024 * 1024), b""):  # noqa: B023
                            target.write(chunk)
                except OSError:
                    archive.writestr(f"{path}.missing.txt", "The stored file could not be read.")
        size = buffer.tell()
        buffer.seek(0)
        name = default_storage.save(export_path(export), File(buffer, name="export.zip"))
    now = timezone.now()
    with transaction.atomic():
        # Only a still pending export becomes ready: the account may have been erased (its exports expired) while
        # the file was being built, and then the file goes and no link is mailed. The UPDATE waits for an erasure
        # in progress to commit, then finds the row no longer pending.
        ready = DataExport.objects.filter(pk=export.pk, status=DataExport.Status.PENDING).update(
            status=DataExport.Status.READY,
            file=name,
            size=size,
            ready_at=now,
            expires_at=now + timedelta(days=export_days()),
        )
        if ready:
            export.refresh_from_db()
            record("privacy.export_ready", target=export, size=size, files=len(files))
    if not ready:
        default_storage.delete(name)
        return None
    return export


def expire_export(export):
    """Delete the file of an export whose link has expired (or of an anonymised account) and mark it expired."""
    if export.file:
        try:
            export.file.storage.delete(export.file.name)
        except OSError:
            pass
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.EXPIRED, file="")
    export.status, export.file = DataExport.Status.EXPIRED, ""


def delete_expired_exports(now=None):
    """The cleanup (a daily command): every export past its date loses its file. Returns how many."""
    now = now or timezone.now()
    due = DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now)
    count = 0
    for export in due:
        expire_export(export)
        count += 1
    if count:
        record("privacy.exports_expired", count=count)
    return count


def delete_old_mail_log(now=None):
    """The cleanup (a daily command): rows of the sent-mail log that belong to no edition (sign-up and password
    e-mails, announcements, replies to requests) are kept SENT_EMAIL_LOG_DAYS for questions about a missing e-mail,
    then deleted with the addresses they hold. An edition's rows follow the edition's retention. Returns how many."""
    from communications.models import SentEmail

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SENT_EMAIL_LOG_DAYS)
    count, _by_model = SentEmail.objects.filter(edition__isnull=True, at__lt=cutoff).delete()
    if count:
        record("privacy.mail_log_deleted", count=count, days=settings.SENT_EMAIL_LOG_DAYS)
    return count


# --- erasure ------------------------------------------------------------------------------------------------------


def request_erasure(user):
    """Record the person's request; the organisers decide. Twice (two tabs) gives one request and a clear refusal."""
    if not user.is_active:
        raise PrivacyError(_("This account is closed."))
    if ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).exists():
        raise PrivacyError(_("Your request for erasure is already waiting for the organisers' decision."))
    try:
        with transaction.atomic():
            erasure = ErasureRequest.objects.create(user=user)
            record("privacy.erasure_requested", actor=user, target=erasure)
    except IntegrityError as error:
        raise PrivacyError(_("Your request for erasure is already waiting for the organisers' decision.")) from error
    transaction.on_commit(lambda: _notify_organisers(erasure.pk))
    return erasure


def _notify_organisers(erasure_id):
    from .tasks import send_erasure_received

    send_erasure_received.enqueue(erasure_id)


def _locked_pending(erasure):
    stored = ErasureRequest.objects.select_for_update().select_related("user").get(pk=erasure.pk)
    if stored.status != ErasureRequest.Status.PENDING:
        raise PrivacyError(_("This request has already been decided."))
    return stored


def validate_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise PrivacyError({"reason": [_("Give the reason: the person is told it.")]})
    if len(reason) > MAX_REASON:
        raise PrivacyError({"reason": [_("Keep the reason under %(n)d characters.") % {"n": MAX_REASON}]})
    from django.core.exceptions import ValidationError

    try:
        validate_no_contact_details(reason)
    except ValidationError as error:
        raise PrivacyError({"reason": error.messages}) from error
    return reason


def _names_the_person(reason, user):
    """Whether the reason names the person (their full name or surname, in any case and inflection that starts with
    it): the reason is hashed into the audit trail, which no later erasure can reach."""
    import re

    from contest.validators import fold

    words = re.findall(r"\w+", fold(reason).casefold())
    parts = re.findall(r"\w+", fold(user.full_name).casefold())
    surnames = [part for part in parts[1:] if len(part) >= 3]
    full = " ".join(parts)
    return bool(full and full in " ".join(words)) or any(w.startswith(s) for w in words for s in surnames)


def approve_erasure(erasure, *, by):
    """Anonymise the account now. Refused while the plan names something that stops it (privacy.plan)."""
    with transaction.atomic():
        stored = _locked_pending(erasure)
        if stored.user_id == by.pk:
            raise PrivacyError(_("Another organiser decides on your own request."))
        plan = plan_for(stored.user)
        if not plan.can_approve:
            raise PrivacyError([_("The account cannot be erased yet:")] + [f"{item.what}." for item in plan.blockers])
        address = stored.user.email
        anonymise_account(stored.user, by=by, erasure=stored)
        stored.status, stored.decided_at, stored.decided_by = ErasureRequest.Status.APPROVED, timezone.now(), by
        stored.save(update_fields=["status", "decided_at", "decided_by"])
        record("privacy.erasure_approved", actor=by, target=stored, from_state="pending", to_state="approved")
        transaction.on_commit(lambda: _tell_outcome(stored.pk, address))
    erasure.refresh_from_db()
    return erasure


def refuse_erasure(erasure, *, by, reason):
    reason = validate_reason(reason)
    with transaction.atomic():
        stored = _locked_pending(erasure)
        if stored.user_id == by.pk:
            raise PrivacyError(_("Another organiser decides on your own request."))
        if _names_the_person(reason, stored.user):
            raise PrivacyError(
                {"reason": [_("Do not name the person: the reason is kept in the audit trail, which is never erased.")]}
            )
        stored.status, stored.decided_at, stored.decided_by = ErasureRequest.Status.REFUSED, timezone.now(), by
        stored.refusal_reason = reason
        stored.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
        record(
            "privacy.erasure_refused", actor=by, target=stored, from_state="pending", to_state="refused", reason=reason
        )
        address = stored.user.email
        transaction.on_commit(lambda: _tell_outcome(stored.pk, address))
    erasure.refresh_from_db()
    return erasure


def _tell_outcome(erasure_id, address):
    """Straight from the process, not through a task: a task stores its arguments, and this one is the address
    that was just erased."""
    from contest import emails

    erasure = ErasureRequest.objects.get(pk=erasure_id)
    message = emails.message("privacy/email/erasure_outcome", {"erasure": erasure}, [address])
    # The sent-mail log must not write the erased address down again.
    message.extra_headers[emails.HIDE_RECIPIENTS_HEADER] = "1"
    message.send()


def _relabel_sent_emails(addresses, label):
    """Replace `addresses` by `label` in the sent-mail log; returns how many messages named one of them."""
    from communications.models import SentEmail

    needles = [SentEmail.needle(address) for address in addresses]
    found = Q(pk__in=[])
    for needle in needles:
        found |= Q(recipients__contains=needle)
    rows = list(SentEmail.objects.filter(found).only("pk", "recipients"))
    for row in rows:
        for needle in needles:
            row.recipients = row.recipients.replace(needle, SentEmail.needle(label))
    SentEmail.objects.bulk_update(rows, ["recipients"], batch_size=500)
    return len(rows)


def anonymised_email(user):
    return f"anonymised-{user.pk}@{ANONYMISED_DOMAIN}"


def _free_label(user):
    """The account's anonymous label; if an account made before sign-up refused that domain (or an administrator's)
    already holds it, the label with a random suffix: nothing may stop an erasure."""
    label = anonymised_email(user)
    taken = get_user_model().objects.filter(email__iexact=label).exclude(pk=user.pk).exists()
    return f"anonymised-{user.pk}-{uuid.uuid4().hex[:12]}@{ANONYMISED_DOMAIN}" if taken else label


def anonymise_account(user, *, by=None, erasure=None, reason_code="erasure_request"):
    """Anonymise one account in place: the row and its id stay (applications, scorecards, the audit trail and the
    frozen rankings refer to it), everything that tells who the person is goes.

    Removed or replaced: e-mail, name, phone, password (unusable), roles, allauth e-mail addresses, second factors,
    social accounts, sessions, juror affiliations, data downloads, the address in invitations, reminder lists and the
    sent-mail log, and the contact details of the person's applications that the record does not have to keep
    (privacy.plan).
    Kept: scorecards and declarations (as the juror's number), consents, audit events. One audit event with counts.
    `reason_code` says why ("erasure_request", or the retention app's own), never who.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.apps import apps

    from applications.models import Application, CoEditorInvitation, Status
    from jury.models import Affiliation, Invitation, JuryMember, ReminderLog

    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        old_email = user.email.lower()
        counts = {}
        applications = list(applications_of(user))
        cleared = [a.pk for a in applications if a.owner_id == user.pk and contact_clearable(a)]
        counts["applications_cleared"] = Application.objects.filter(pk__in=cleared).update(
            contact_name="", contact_position="", contact_email="", contact_phone=""
        )
        # Someone else's entry naming the person as its contact, once the record no longer keeps its contact.
        named = [a.pk for a in named_as_contact(user) if contact_clearable(a)]
        counts["contacts_cleared"] = Application.objects.filter(pk__in=named).update(
            contact_name="", contact_position="", contact_email="", contact_phone=""
        )
        # Drafts (never part of the record) lose the person's address wherever it was typed as the contact.
        counts["drafts_cleared"] = (
            Application.objects.filter(status=Status.DRAFT, contact_email__iexact=old_email)
            .exclude(pk__in=cleared)
            .update(contact_name="", contact_position="", contact_email="", contact_phone="")
        )
        placeholder = _free_label(user)
        counts["invitations"] = CoEditorInvitation.objects.filter(
            Q(accepted_by=user) | Q(email__iexact=old_email)
        ).update(email=placeholder) + Invitation.objects.filter(
            Q(accepted_by=user) | Q(email__iexact=old_email)
        ).update(email=placeholder)
        for log in ReminderLog.objects.filter(recipients__icontains=old_email):
            log.recipients = [placeholder if str(r).lower() == old_email else r for r in log.recipients]
            log.save(update_fields=["recipients"])
        # The sent-mail log: each of the account's addresses (allauth keeps the earlier ones too) becomes its label.
        addresses = {
            old_email,
            *(e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)),
        }
        counts["sent_emails"] = _relabel_sent_emails(addresses, placeholder)
        # Announcements: the outcome e-mail is the last one to this address. Every subscription row of the address
        # ends and loses it (its consent record stays, naming no one).
        subscriptions = news_subscriptions(user)
        subscriptions.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())
        counts["news_subscriptions"] = subscriptions.update(email=placeholder)
        # A juror of an edition whose scoring has not begun leaves its jury: an account no one can log in to would
        # be given entries and hold the scoring up. Where scoring has begun the membership stays (the scores count).
        from jury.services import set_member

        leaving = [m for m in JuryMember.objects.filter(user=user, is_active=True).select_related("edition")]
        leaving = [m for m in leaving if rules.before_scoring(m)]
        for member in leaving:
            set_member(member, by=by, is_active=False)
        counts["jury_memberships_ended"] = len(leaving)
        counts["affiliations"] = Affiliation.objects.filter(user=user).delete()[0]
        counts["email_addresses"] = EmailAddress.objects.filter(user=user).delete()[0]
        counts["second_factors"] = Authenticator.objects.filter(user=user).delete()[0]
        if apps.is_installed("allauth.socialaccount"):
            from allauth.socialaccount.models import SocialAccount

            counts["social_accounts"] = SocialAccount.objects.filter(user=user).delete()[0]
        counts["sessions"] = _delete_sessions(user)
        for export in DataExport.objects.filter(user=user):
            expire_export(export)
        user.email = placeholder
        user.full_name = ""
        user.phone = ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = user.is_organiser = False
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        record(
            "privacy.account_anonymised",
            actor=by,
            target=user,
            erasure_request=erasure.pk if erasure else None,
            why=reason_code,
            **counts,
        )
    return user


def _delete_sessions(user):
    """Database sessions of the account (the session engine stores the user's id inside the encoded data), through
    the session engine so a cached copy goes too (cached_db with Redis keeps one beside each row)."""
    ids = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500)
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in ids:
        store(session_key=session_key).delete()
    Session.objects.filter(pk__in=ids).delete()  # a row the engine did not own (another engine's), if any
    return len(ids)
