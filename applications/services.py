"""Verbs of the applications domain: drafts, partners, attachments, submission, formal review.

Every status change goes through change_status(): it checks TRANSITIONS, saves, records the audit
event and queues the e-mail after the transaction commits. A change other apps care about (status, partners,
co-editors, contact e-mail) sends signals.application_changed with the acting user, inside its transaction.
"""

import datetime
import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.tokens import hash_token, new_token
from contest import audit, clause, phases
from contest.emails import absolute_url
from contest.emails import message as email_message
from contest.errors import ServiceError
from contest.models import Edition

from . import declarations as declaration_texts
from . import files, rules
from .models import (
    JURY_VISIBLE_FIELDS,
    TRANSITIONS,
    Application,
    ApplicationVersion,
    Attachment,
    ChecklistResult,
    CoEditorInvitation,
    Declaration,
    Partner,
    ResultIndicator,
    Status,
)
from .signals import application_changed

logger = logging.getLogger(__name__)

# Fields the applicant fills in on the main form, in the order of the form.
PARTNERSHIP_FIELDS = ["partnership_name", "legal_form", "formed_on", "partnership_krs"]
# Jury-visible content first (models.JURY_VISIBLE_FIELDS), then the period of implementation.
CONTENT_FIELDS = [*JURY_VISIBLE_FIELDS, "implementation_start", "implementation_end"]
CONTACT_FIELDS = ["contact_name", "contact_position", "contact_email", "contact_phone"]
# Text for the public results page if the entry is awarded: never shown to the jury.
PUBLIC_FIELDS = ["public_summary"]
FORM_FIELDS = PARTNERSHIP_FIELDS + CONTENT_FIELDS + PUBLIC_FIELDS + CONTACT_FIELDS
OPTIONAL_FIELDS = {"partnership_krs", "contact_position", "public_summary"}
# Parts that an organiser can ask to correct besides single fields.
SECTIONS = {
    "partners": gettext_lazy("partners"),
    "attachments": gettext_lazy("attachments"),
    "indicators": gettext_lazy("result indicators"),
}


class TransitionNotAllowed(ServiceError):
    pass


class StaleVersion(ServiceError):
    pass


class NotAllowed(ServiceError):
    pass


class StaleChecklist(ServiceError):
    pass


class SubmissionInvalid(ServiceError):
    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = problems


StorageUnavailable = files.StorageUnavailable


class TooManyInvitations(NotAllowed):
    pass


# How each reason rules.editing_window gives is said when a submission, or a change to partners or attachments, is
# refused under the lock (the page that sent it was shown while the window was open).
SUBMIT_CLOSED = {
    rules.SUBMITTED: (TransitionNotAllowed, gettext_lazy("This application has already been submitted.")),
    rules.SUBMISSIONS_CLOSED: (
        NotAllowed,
        gettext_lazy("The submission deadline has passed; the application was not submitted."),
    ),
    rules.CORRECTIONS_CLOSED: (NotAllowed, gettext_lazy("The deadline for corrections has passed.")),
}
CHANGE_CLOSED = {
    rules.SUBMISSIONS_CLOSED: gettext_lazy(
        "The edition is not accepting submissions, so the draft can no longer be changed. Nothing was changed."
    ),
    rules.CORRECTIONS_CLOSED: gettext_lazy("The deadline for corrections has passed. Nothing was changed."),
    rules.NOT_ASKED: gettext_lazy("The organiser did not ask for corrections in this part. Nothing was changed."),
    rules.SUBMITTED: gettext_lazy(
        "The application has been submitted in the meantime, so its partners and attachments can no longer "
        "change. Nothing was changed."
    ),
}


class Problem:
    """One reason an application cannot be submitted, tied to the field (or part) to fix."""

    def __init__(self, field, message, section="edit"):
        self.field = field
        self.message = message
        self.section = section  # which page holds the field: edit, partners, attachments

    def __repr__(self):
        return f"Problem({self.field!r}, {str(self.message)!r})"


# --- status changes ---------------------------------------------------------------------------


def change_status(application, to, *, by, reason="", notify=True, email_note="", **fields):
    """The one way to change an application's status. `notify=False` for an intermediate step whose news is the
    next change (publication moves an accepted entry through jury review to its outcome: one e-mail, the outcome);
    `email_note` is extra text for the applicant's e-mail (the committee's citation at publication)."""
    to = Status(to)
    from_status = Status(application.status)
    if to not in TRANSITIONS[from_status]:
        raise TransitionNotAllowed(
            _("An application cannot go from “%(from)s” to “%(to)s”.") % {"from": from_status.label, "to": to.label}
        )
    with audit.atomic():
        application.status = to
        for name, value in fields.items():
            setattr(application, name, value)
        application.version = (application.version or 0) + 1
        application.save(update_fields=["status", "version", "updated_at", *fields])
        audit.record(
            "application.status",
            actor=by,
            target=application,
            edition=application.edition,
            from_state=from_status,
            to_state=to,
            reason=reason,
        )
        application_changed.send(sender=Application, application=application, by=by)
        application_id = application.pk

        def send():
            from .tasks import send_status_email

            send_status_email.enqueue(application_id, str(to), reason, email_note)

        if notify:
            transaction.on_commit(send)
    return application


def _locked(application):
    # Only the application's row (of=self: a plain FOR UPDATE would lock the joined edition too, serialising every
    # applicant's changes), and FOR NO KEY UPDATE: it still excludes every other writer of the row, but not the key
    # share lock an insert referencing the application takes (attachments, declarations), so such an insert that
    # already holds the audit chain's lock is never waited for by us while we wait for it.
    rows = Application.objects.select_for_update(no_key=True, of=("self",)).select_related("edition")
    return rows.get(pk=application.pk)


def _sync(target, source):
    for field in (
        "status",
        "code",
        "sequence",
        "version",
        "submitted_at",
        "corrections_deadline",
        "corrections_fields",
        "corrections_note",
        "updated_at",
    ):
        setattr(target, field, getattr(source, field))


@contextmanager
def _changing(application):
    """Lock the application's row for a status change; the caller's object gets the new state once committed."""
    with audit.atomic():
        locked = _locked(application)
        yield locked
    _sync(application, locked)


def submit(application, *, by, at=None):
    """Send the application to the organisers: a draft once, before the submission deadline, numbered then; an
    application sent back for corrections, within its corrections window. Either way its content is checked and a
    version frozen."""
    at = at or timezone.now()
    with _changing(application) as locked:
        window = rules.editing_window(locked, at)
        if not window.open:
            refusal, message = SUBMIT_CLOSED[window.why]
            raise refusal(message)
        # A draft reopened after its submission keeps its code: only a draft never submitted is numbered.
        first = locked.status == Status.DRAFT and not locked.code
        problems = validate_for_submission(locked)
        if problems:
            raise SubmissionInvalid(_("The application is not complete."), problems)
        # The version is read before the numbering: the edition's lock below is held only for the writes.
        frozen = snapshot(locked)
        if first:
            # Locking the edition row serialises numbering across applications of the same edition. FOR NO KEY
            # UPDATE: other applicants' inserts that refer to the edition (audit events) take a key share lock on
            # it, often while holding the audit chain's lock that this transaction takes next; FOR UPDATE would
            # make each wait for the other (a deadlock found by benchmarks/rush.py).
            Edition.objects.select_for_update(no_key=True).filter(pk=locked.edition_id).first()
            last = Application.objects.filter(edition_id=locked.edition_id).aggregate(m=Max("sequence"))["m"] or 0
            sequence = last + 1
            code = f"{settings.APPLICATION_CODE_PREFIX}-{locked.edition.year}-{sequence:03d}"
            change_status(locked, Status.SUBMITTED, by=by, sequence=sequence, code=code, submitted_at=at)
        else:
            change_status(
                locked,
                Status.SUBMITTED,
                by=by,
                reason=_resubmission_reason(locked),
                submitted_at=at,
                corrections_fields=[],
            )
        _freeze_version(locked, by, {**frozen, "code": locked.code, "status": locked.status})
        if getattr(by, "is_authenticated", False):
            clause.record_shown(by, "submission", at)
    return application


def _resubmission_reason(application):
    if application.status == Status.DRAFT:
        return _("Submitted again after reopening")
    return _("Corrections submitted")


def reopen(application, *, by, at=None):
    """The applicants take a submitted application back to change it, before the submission deadline and before
    the formal review has decided anything. It becomes a draft again and keeps its code; submit() freezes a new
    version next to the earlier ones, which stay for the organisers."""
    at = at or timezone.now()
    with _changing(application) as locked:
        if locked.status != Status.SUBMITTED:
            raise TransitionNotAllowed(_("Only a submitted application waiting for the formal review can be reopened."))
        if not phases.can_submit(locked.edition, at):
            raise NotAllowed(
                _(
                    "The submission deadline has passed, so the application can no longer be reopened. "
                    "It stays submitted."
                )
            )
        change_status(locked, Status.DRAFT, by=by, reason=_("Reopened by the applicant"), notify=False)
    return application


def withdraw(application, *, by, reason=""):
    if not phases.can_submit(application.edition):
        raise NotAllowed(_("Applications can be withdrawn only before the submission deadline."))
    with _changing(application) as locked:
        change_status(locked, Status.WITHDRAWN, by=by, reason=reason)
    return application


def accept(application, *, by, reason=""):
    with _changing(application) as locked:
        change_status(locked, Status.ACCEPTED, by=by, reason=reason)
    return application


def reject(application, *, by, reason):
    if not (reason or "").strip():
        raise ServiceError(_("Give the justification of the rejection."))
    with _changing(application) as locked:
        change_status(locked, Status.REJECTED, by=by, reason=reason)
    return application


def request_corrections(application, *, by, deadline, fields, note):
    if not (note or "").strip():
        raise ServiceError(_("Say what should be corrected."))
    if deadline is None or deadline <= timezone.now():
        raise ServiceError(_("The corrections deadline must be in the future."))
    allowed = set(FORM_FIELDS) | set(SECTIONS)
    fields = [f for f in fields if f in allowed]
    if not fields:
        raise ServiceError(_("Choose at least one field or part to correct."))
    with _changing(application) as locked:
        change_status(
            locked,
            Status.CORRECTIONS_REQUESTED,
            by=by,
            reason=note,
            corrections_deadline=deadline,
            corrections_fields=fields,
            corrections_note=note,
        )
    return application


def _freeze_version(application, by, frozen):
    """Store `frozen` (snapshot()'s data) as the application's next version."""
    number = (application.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    ApplicationVersion.objects.create(
        application=application,
        number=number,
        snapshot=frozen,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )


def snapshot(application):
    """Everything submitted, as plain JSON: the fields, partners, indicators, files with checksums."""
    data = {}
    for name in FORM_FIELDS:
        value = getattr(application, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data["category"] = application.category.name
    data["code"] = application.code
    data["status"] = application.status
    data["partners"] = [
        {
            "kind": p.kind,
            "terc": p.territorial_unit.code if p.territorial_unit_id else "",
            "name": p.display_name,
            "nip": p.nip,
            "regon": p.regon,
            "krs": p.krs,
            "role": p.role,
            "is_leader": p.is_leader,
        }
        for p in application.partners.select_related("territorial_unit")
    ]
    data["indicators"] = [
        {"name": i.name, "baseline": i.baseline, "achieved": i.achieved, "source": i.source}
        for i in application.indicators.all()
    ]
    data["attachments"] = [
        {
            "requirement": a.requirement.name,
            "name": a.original_name,
            "size": a.size,
            "sha256": a.sha256,
            "storage_name": a.file.name,
        }
        for a in application.attachments.select_related("requirement")
    ]
    data["declarations"] = [
        {"kind": d.kind, "version": d.text_version, "accepted_at": d.accepted_at.isoformat()}
        for d in application.declarations.all()
    ]
    return data


# --- validation for submission ----------------------------------------------------------------


def validate_for_submission(application):
    """Every reason the application cannot be submitted yet, all at once."""
    problems = []
    for name in FORM_FIELDS:
        if name in OPTIONAL_FIELDS:
            continue
        value = getattr(application, name)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            label = Application._meta.get_field(name).verbose_name
            problems.append(Problem(name, _("Fill in “%(field)s”.") % {"field": label}))
    limit = application.edition.summary_max_length
    if len(application.summary or "") > limit:
        problems.append(Problem("summary", _("The summary is longer than %(limit)s characters.") % {"limit": limit}))
    if len(application.public_summary or "") > limit:
        problems.append(
            Problem("public_summary", _("The public summary is longer than %(limit)s characters.") % {"limit": limit})
        )
    start, end = application.implementation_start, application.implementation_end
    if start and end and end < start:
        problems.append(Problem("implementation_end", _("The end of implementation is before its start.")))
    if not application.indicators.exists():
        problems.append(Problem("indicators", _("Add at least one result indicator.")))
    problems += partner_problems(application)
    problems += attachment_problems(application)
    declared = set(application.declarations.values_list("kind", flat=True))
    for kind, label in Declaration.Kind.choices:
        if kind not in declared:
            problems.append(Problem(f"declaration_{kind}", _("Accept the declaration: %(name)s.") % {"name": label}))
    return problems


def partner_problems(application):
    edition = application.edition
    partners = list(application.partners.all())
    problems = []
    local = [p for p in partners if p.kind == Partner.Kind.LOCAL_GOVERNMENT]
    other = [p for p in partners if p.kind != Partner.Kind.LOCAL_GOVERNMENT]
    enough = len(local) >= edition.min_local_government_partners or (
        edition.allow_cross_sector_partnership and len(local) >= 1 and len(other) >= 1
    )
    if not enough:
        if edition.allow_cross_sector_partnership:
            message = _(
                "The partnership needs at least %(n)s local-government units, or one local-government unit "
                "and a partner from another sector."
            ) % {"n": edition.min_local_government_partners}
        else:
            message = _("The partnership needs at least %(n)s local-government units.") % {
                "n": edition.min_local_government_partners
            }
        problems.append(Problem("partners", message, "partners"))
    leaders = [p for p in partners if p.is_leader]
    if len(leaders) != 1 or leaders[0].kind != Partner.Kind.LOCAL_GOVERNMENT:
        problems.append(
            Problem("partners", _("Mark exactly one local-government unit as the leading partner."), "partners")
        )
    for partner in partners:
        if not (partner.role or "").strip():
            problems.append(
                Problem("partners", _("Describe the role of %(name)s.") % {"name": partner.display_name}, "partners")
            )
    return problems


def attachment_problems(application):
    present = set(application.attachments.values_list("requirement_id", flat=True))
    return [
        Problem(f"requirement_{r.pk}", _("Attach: %(name)s.") % {"name": r.name}, "attachments")
        for r in application.edition.attachment_requirements.all()
        if r.is_required and r.pk not in present
    ]


# --- drafts -----------------------------------------------------------------------------------


def start_application(edition, category, *, by):
    if not phases.can_submit(edition):
        raise NotAllowed(_("This edition is not accepting submissions."))
    if category.edition_id != edition.pk:
        raise NotAllowed(_("Choose a category of this edition."))
    with audit.atomic():
        application = Application.objects.create(
            edition=edition, category=category, owner=by, contact_email=by.email, contact_name=by.full_name
        )
        audit.record("application.created", actor=by, target=application, edition=edition)
    return application


def editable_fields(application):
    """The main-form fields the applicant may change now (all in a draft, only those asked for in corrections)."""
    if application.status == Status.DRAFT:
        return list(FORM_FIELDS) + ["category"]
    if application.status == Status.CORRECTIONS_REQUESTED:
        return [f for f in FORM_FIELDS if f in application.corrections_fields]
    return []


def save_draft(application, data, *, by, expected_version, indicators=None, declarations=None):
    """Save what was typed, whatever its completeness, unless someone else saved in between.

    UPDATE ... WHERE version = expected: of two people saving the same version only the first wins; the
    second gets StaleVersion and their text stays in their form.
    """
    allowed = set(editable_fields(application))
    values = {k: v for k, v in data.items() if k in allowed}
    if indicators is not None:
        _check_indicator_rows(indicators)
    with audit.atomic():
        updated = Application.objects.filter(
            pk=application.pk, version=expected_version, status__in=Status.EDITABLE
        ).update(**values, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            raise StaleVersion(
                _(
                    "Someone else saved this application after you opened it. Your text is still in the form "
                    "below: copy what you need, reload the page to see their changes, and save again."
                )
            )
        indicators_allowed = application.status == Status.DRAFT or "indicators" in application.corrections_fields
        if indicators is not None and indicators_allowed:
            application.indicators.all().delete()
            ResultIndicator.objects.bulk_create(
                [ResultIndicator(application=application, order=i, **row) for i, row in enumerate(indicators)]
            )
        if declarations is not None and application.status == Status.DRAFT:
            _record_declarations(application, declarations, by)
        audit.record(
            "application.saved", actor=by, target=application, edition=application.edition, fields=sorted(values)
        )
        application.refresh_from_db()
        if "contact_email" in values:
            application_changed.send(sender=Application, application=application, by=by)
    return application


INDICATOR_FIELDS = ("name", "baseline", "achieved", "source")


def _check_indicator_rows(rows):
    """Indicators are replaced as a whole, so one bad row must stop the replacement before anything is deleted."""
    for row in rows:
        for name, value in row.items():
            limit = ResultIndicator._meta.get_field(name).max_length if name in INDICATOR_FIELDS else None
            if limit is None or not isinstance(value, str) or len(value) > limit:
                raise ServiceError(_("A result indicator is not valid; the indicators were not changed."))
        if not (row.get("name") or "").strip():
            raise ServiceError(_("Every result indicator needs a name; the indicators were not changed."))


def _record_declarations(application, accepted_kinds, by):
    existing = {d.kind: d for d in application.declarations.all()}
    now = timezone.now()
    for kind in Declaration.Kind.values:
        if kind in accepted_kinds and kind not in existing:
            version, text = declaration_texts.current(kind)
            Declaration.objects.create(
                application=application, kind=kind, text_version=version, text=text, accepted_by=by, accepted_at=now
            )
        elif kind not in accepted_kinds and kind in existing:
            existing[kind].delete()


# --- partners and attachments ------------------------------------------------------------------
#
# Each change locks the application row first and checks, under the lock, that its state and phase still allow
# the change: submit() holds the same lock while it checks completeness, so a delete that raced a submission either
# happens before it (and the submission sees the gap) or is refused after it.


def _lock_for_change(application, section, at=None):
    locked = _locked(application)
    window = rules.editing_window(locked, at, section=section)
    if not window.open:
        raise NotAllowed(CHANGE_CLOSED[window.why])
    return locked


def save_partner(application, partner, *, by, at=None):
    """Add or change a partner; marking one as leader unmarks the others."""
    with audit.atomic():
        locked = _lock_for_change(application, "partners", at)
        partner.application = application
        if partner.pk is None:
            partner.order = (application.partners.aggregate(m=Max("order"))["m"] or 0) + 1
        if partner.kind == Partner.Kind.LOCAL_GOVERNMENT and partner.territorial_unit_id:
            partner.name = ""
        partner.save()
        if partner.is_leader:
            application.partners.exclude(pk=partner.pk).update(is_leader=False)
        Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
        audit.record(
            "application.partner_saved", actor=by, target=application, edition=application.edition, partner=partner.pk
        )
        application_changed.send(sender=Application, application=locked, by=by)
    return partner


def delete_partner(application, partner, *, by, at=None):
    with audit.atomic():
        locked = _lock_for_change(application, "partners", at)
        partner.delete()
        audit.record("application.partner_deleted", actor=by, target=application, edition=application.edition)
        application_changed.send(sender=Application, application=locked, by=by)


def add_attachment(application, requirement, upload, *, by, replace=None, at=None):
    """Check the file by its content, stream it to private storage, record name, size and SHA-256.

    If the storage fails, nothing changes in the database and the caller tells the user to retry. If the
    application stopped being editable while the file was stored, the stored copy is deleted again.
    """
    if requirement.edition_id != application.edition_id:
        raise NotAllowed(_("This attachment type belongs to another edition."))
    if replace is not None and replace.application_id != application.pk:
        raise NotAllowed(_("You can replace only this application's files."))
    kind, sha256, size = files.inspect_upload(upload, requirement)
    original_name = files.clean_filename(upload.name, kind)
    name = files.storage_name(application, kind)
    try:
        stored_name = files.store(upload, name)
    except Exception:  # any storage failure (disk, permissions, S3) is reported the same way
        logger.exception("Storage failed while saving an attachment of application %s", application.pk)
        raise StorageUnavailable(
            _(
                "The file could not be stored right now. Your application and other files are safe; "
                "please try uploading this file again in a moment."
            )
        ) from None
    try:
        with audit.atomic():
            _lock_for_change(application, "attachments", at)
            attachment = Attachment.objects.create(
                application=application,
                requirement=requirement,
                file=stored_name,
                original_name=original_name,
                size=size,
                content_type=files.TYPE_MIME[kind],
                sha256=sha256,
                uploaded_by=by,
            )
            if replace is not None:
                old_name = replace.file.name
                replace.delete()
                transaction.on_commit(lambda: _delete_stored(old_name))
            Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
            audit.record(
                "application.attachment_added",
                actor=by,
                target=application,
                edition=application.edition,
                attachment=attachment.pk,
                sha256=sha256,
                replaced=bool(replace),
            )
    except Exception:
        _delete_stored(stored_name)
        raise
    return attachment


def delete_attachment(application, attachment, *, by, at=None):
    with audit.atomic():
        _lock_for_change(application, "attachments", at)
        # The jurors' sanitised copy (jury.views.juror) is the same document: it goes with the original.
        names = [n for n in (attachment.file.name, attachment.jury_copy.name) if n]
        attachment.delete()
        audit.record(
            "application.attachment_deleted",
            actor=by,
            target=application,
            edition=application.edition,
            sha256=attachment.sha256,
        )
        transaction.on_commit(lambda: [_delete_stored(name) for name in names])


def _delete_stored(name):
    try:
        default_storage.delete(name)
    except Exception:
        logger.warning("Could not delete stored file %s", name, exc_info=True)


# --- co-editors -------------------------------------------------------------------------------


# How long an e-mailed link works, and how many e-mails one coordinator can make the platform send: an invitation
# carries the application's title to an address of the sender's choice, so it must not become a mailing service.
INVITATION_DAYS = 14
MAX_PENDING_INVITATIONS_PER_APPLICATION = 5
MAX_INVITATIONS_PER_USER_PER_DAY = 10


def _invitation_link(token):
    from django.urls import reverse

    return absolute_url(reverse("applications:accept_invitation", args=[token]))


def _send_invitation(invitation, token):
    """Rendered and sent in this process after the commit: the plain token never reaches the database (a queued
    task would store its arguments)."""
    context = {"invitation": invitation, "link": _invitation_link(token)}
    email_message("applications/email/invitation", context, [invitation.email]).send()


def pending_invitations(application, at=None):
    at = at or timezone.now()
    return application.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=at)


def invite_coeditor(application, email, *, by, at=None):
    """Invite one address; returns (invitation, token). Only the token's hash is stored, and the e-mail is the
    only place the token is written. An earlier pending invitation to the same address is revoked."""
    email = email.strip().lower()
    at = at or timezone.now()
    with audit.atomic():
        locked = _locked(application)
        if locked.status not in Status.EDITABLE:
            raise NotAllowed(_("Co-editors can be invited only while the application can be edited."))
        if locked.owner_id == getattr(by, "pk", None) and email == (by.email or "").lower():
            raise NotAllowed(_("You are the coordinator of this application already."))
        if locked.editors.filter(email__iexact=email).exists():
            raise NotAllowed(_("%(email)s is a co-editor of this application already.") % {"email": email})
        pending = pending_invitations(locked, at)
        pending.filter(email__iexact=email).update(revoked_at=at)
        if pending.count() >= MAX_PENDING_INVITATIONS_PER_APPLICATION:
            raise TooManyInvitations(
                _(
                    "This application already has %(n)s invitations waiting for an answer. Withdraw one of them "
                    "or wait until it is accepted or expires, then invite again."
                )
                % {"n": MAX_PENDING_INVITATIONS_PER_APPLICATION}
            )
        sent_today = CoEditorInvitation.objects.filter(
            invited_by=by, created_at__gt=at - timezone.timedelta(days=1)
        ).count()
        if sent_today >= MAX_INVITATIONS_PER_USER_PER_DAY:
            raise TooManyInvitations(
                _("You have sent %(n)s invitations in the last 24 hours, the most allowed. Try again tomorrow.")
                % {"n": MAX_INVITATIONS_PER_USER_PER_DAY}
            )
        token, token_hash = new_token()
        invitation = CoEditorInvitation.objects.create(
            application=locked,
            email=email,
            token_hash=token_hash,
            invited_by=by,
            created_at=at,
            expires_at=at + timezone.timedelta(days=INVITATION_DAYS),
        )
        audit.record(
            "application.coeditor_invited",
            actor=by,
            target=application,
            edition=application.edition,
            invitation=invitation.pk,
        )
        transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation, token


def revoke_invitation(invitation, *, by, at=None):
    """The coordinator withdraws a pending invitation: its link stops working at once."""
    at = at or timezone.now()
    with audit.atomic():
        locked = CoEditorInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise NotAllowed(_("This invitation has already been accepted; the person is a co-editor."))
        if locked.revoked_at is None:
            locked.revoked_at = at
            locked.save(update_fields=["revoked_at"])
            audit.record(
                "application.coeditor_invitation_revoked",
                actor=by,
                target=locked.application,
                edition=locked.application.edition,
                invitation=locked.pk,
            )
    invitation.revoked_at = locked.revoked_at
    return invitation


def find_invitation(token, at=None):
    """The usable invitation for a token, or NotAllowed saying why it cannot be used."""
    at = at or timezone.now()
    invalid = _("This invitation link is not valid. Check that you copied the whole link from the e-mail.")
    if not token or len(token) > 100:
        raise NotAllowed(invalid)
    invitation = (
        CoEditorInvitation.objects.select_related("application", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise NotAllowed(invalid)
    _check_usable(invitation, at)
    return invitation


def _check_usable(invitation, at):
    if invitation.accepted_at is not None:
        raise NotAllowed(_("This invitation has already been used."))
    if invitation.revoked_at is not None:
        raise NotAllowed(_("This invitation has been withdrawn by the coordinator. Ask them for a new one."))
    if invitation.expires_at <= at:
        raise NotAllowed(_("This invitation has expired. Ask the coordinator to send a new one."))


def accept_invitation(invitation, *, user, at=None):
    """The invited person joins as a co-editor; the invitation must be used by the address it was sent to."""
    at = at or timezone.now()
    with audit.atomic():
        invitation = CoEditorInvitation.objects.select_for_update().select_related("application").get(pk=invitation.pk)
        _check_usable(invitation, at)
        if invitation.email.lower() != user.email.lower():
            raise NotAllowed(_("This invitation was sent to another e-mail address. Log in with that address."))
        invitation.accepted_at = at
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        if invitation.application.owner_id != user.pk:
            invitation.application.editors.add(user)
        audit.record(
            "application.coeditor_joined",
            actor=user,
            target=invitation.application,
            edition=invitation.application.edition,
        )
        application_changed.send(sender=Application, application=invitation.application, by=user)
    return invitation.application


# --- formal review ----------------------------------------------------------------------------


def checklist_version(results):
    """The version a checklist form carries: the last moment any of its answers was saved ("" for none yet). A form
    sent with another version was opened before someone else saved (decisions do the same)."""
    latest = max((result.checked_at for result in results), default=None)
    return latest.astimezone(datetime.UTC).isoformat(timespec="microseconds") if latest else ""


def record_checklist(application, answers, *, by, checks=None, expected_version=None):
    """answers: {item_id: (passed: bool | None, note: str)}, as the reviewer submitted them. checks: the system's
    checks shown beside the items (formal_checks.system_checks), kept in the audit event next to the answers.
    `expected_version` (checklist_version when the form was drawn) refuses with StaleChecklist a form opened before
    someone else saved, unless it sends what is stored already (a double click); None skips the check."""
    items = {item.pk: item for item in application.edition.checklist_items.all()}
    with audit.atomic():
        if expected_version is not None:
            _locked(application)  # two saves of one checklist, one after the other
            stored = list(ChecklistResult.objects.filter(application=application))
            same = {r.item_id: (r.passed, r.note) for r in stored} == {
                pk: (passed, note or "") for pk, (passed, note) in answers.items() if pk in items
            }
            if checklist_version(stored) != expected_version and not same:
                raise StaleChecklist(
                    _(
                        "Someone else changed the checklist after you opened this page; nothing was overwritten. Your "
                        "answers are still in the form: open the page again to see theirs, or save yours again to "
                        "replace them."
                    )
                )
        for item_id, (passed, note) in answers.items():
            if item_id not in items:
                continue
            ChecklistResult.objects.update_or_create(
                application=application,
                item=items[item_id],
                defaults={"passed": passed, "note": note or "", "checked_by": by},
            )
        system = {key: check.passed for key, check in (checks or {}).items()}
        audit.record(
            "application.checklist",
            actor=by,
            target=application,
            edition=application.edition,
            **({"system_checks": system} if system else {}),
        )


def message_applicants(edition, applications, *, subject, body, by, token=None):
    """Write to the applicants of `applications` (of `edition`): one e-mail per application to its owner, co-editors
    and contact address, each sent by its own task after the commit. Returns the ApplicantMessage. `token` (the
    confirmation's) makes a second posting of the same confirmation send nothing."""
    from communications.models import ApplicantMessage

    from . import tasks

    ids = [application.pk for application in applications if application.edition_id == edition.pk]
    if not ids:
        raise ServiceError(_("No application is selected."))
    already = ServiceError(_("This message has already been sent; it is not sent again."))
    if token is not None and ApplicantMessage.objects.filter(token=token).exists():
        raise already
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = ApplicantMessage.objects.create(
                    edition=edition, subject=subject, body=body, sent_by=by, applications=len(ids), token=token
                )
        except IntegrityError:
            raise already from None  # the same confirmation posted twice at once
        audit.record("applications.applicants_messaged", actor=by, target=message, edition=edition, applications=ids)

        def enqueue():
            for application_id in ids:
                tasks.send_applicant_message.enqueue(message.pk, application_id)

        transaction.on_commit(enqueue)
    return message
