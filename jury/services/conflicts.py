"""Conflicts of interest: detected from accounts, e-mails and affiliations, declared by jurors, added or lifted by
organisers."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Partner, Status
from contest.audit import record

from ..matching import APPLICANT_MATCHES, match_affiliation, match_applicant
from ..models import Affiliation, ConflictOfInterest
from ..permissions import entry_visible
from ..queries import active_members
from .errors import JuryError


def conflict_reason(matches):
    """The sentence organisers read for an automatic conflict; jurors never see it."""
    kinds = {match.split(":", 1)[0] for match in matches}
    sentences = []
    if "owner" in kinds:
        sentences.append(_("The juror's account owns the entry."))
    if "co-editor" in kinds:
        sentences.append(_("The juror is a co-editor of the entry."))
    if "contact-email" in kinds:
        sentences.append(_("The juror's e-mail address is the entry's contact e-mail."))
    if kinds - set(APPLICANT_MATCHES):
        sentences.append(_("An affiliation of the juror matches a partner of the entry."))
    return " ".join(sentences)


def audited_matches(matches):
    """What the audit trail keeps of a match: its kind and, for units, the TERC code (a public register).

    Identifiers, organisation names and e-mails stay on the conflict itself, which can be corrected or erased; a
    sole trader's NIP or an e-mail is personal data and hashed audit records are never rewritten.
    """
    return sorted({match if match.startswith("terc:") else match.split(":", 1)[0] for match in matches})


def _juror_emails(user_ids):
    """Every address of each juror in case-folded form: the login address and the verified others."""
    emails = {}
    for user_id, email in get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email"):
        emails.setdefault(user_id, set()).add(email.strip().casefold())
    for user_id, email in EmailAddress.objects.filter(user_id__in=user_ids, verified=True).values_list(
        "user_id", "email"
    ):
        emails.setdefault(user_id, set()).add(email.strip().casefold())
    return emails


def detect_conflicts(edition, *, members=None, applications=None, by=None, lift=True):
    """Create automatic conflicts for matching (member, entry) pairs and, with `lift`, lift automatic ones that no
    longer match.

    A pair matches when the juror owns, co-edits or is the contact e-mail of the entry, or when one of the juror's
    affiliations matches one of its partners. Conflicts lifted by an organiser stay lifted: detection never
    overrides a human decision; those detection lifted itself come back when the match does.

    `lift=False` when the juror's own change set detection off: a juror who could take an affiliation back and see
    the entry return would learn whose it is and score it anyway, so only creating follows from their changes.
    """
    members = list(members if members is not None else active_members(edition))
    if applications is None:
        applications = Application.objects.filter(edition=edition, status__in=Status.CONFLICT_RELEVANT)
    applications = list(applications)
    if not members or not applications:
        return {"created": 0, "lifted": 0}
    user_ids = [m.user_id for m in members]
    affiliations = {}
    for affiliation in Affiliation.objects.filter(user__in=user_ids).select_related("territorial_unit"):
        affiliations.setdefault(affiliation.user_id, []).append(affiliation)
    partners = {}
    for partner in Partner.objects.filter(application__in=applications).select_related("territorial_unit"):
        partners.setdefault(partner.application_id, []).append(partner)
    editors = {}
    for application_id, user_id in Application.editors.through.objects.filter(
        application__in=applications, user__in=user_ids
    ).values_list("application_id", "user_id"):
        editors.setdefault(application_id, set()).add(user_id)
    emails = _juror_emails(user_ids)
    # An anonymised (inactive) account lost its affiliations and address by erasure, not because the link ended:
    # its conflicts stay as they were, or a card excluded for one would count again (privacy.services).
    closed = set(get_user_model().objects.filter(pk__in=user_ids, is_active=False).values_list("pk", flat=True))
    existing = {
        (c.member_id, c.application_id): c
        for c in ConflictOfInterest.objects.filter(member__in=members, application__in=applications)
    }
    created = lifted = 0
    now = timezone.now()
    with transaction.atomic():
        for member in members:
            for application in applications:
                found = set(
                    match_applicant(
                        member.user_id, emails.get(member.user_id, set()), application, editors.get(application.pk, ())
                    )
                )
                found.update(
                    match
                    for affiliation in affiliations.get(member.user_id, [])
                    for partner in partners.get(application.pk, [])
                    if (match := match_affiliation(affiliation, partner))
                )
                matches = sorted(found)
                current = existing.get((member.pk, application.pk))
                is_auto = current is not None and current.source == ConflictOfInterest.Source.AUTO
                if matches and current is None:
                    conflict = ConflictOfInterest.objects.create(
                        member=member,
                        application=application,
                        source=ConflictOfInterest.Source.AUTO,
                        matched=matches,
                        reason=conflict_reason(matches),
                        created_by=by,
                    )
                    record(
                        "jury.conflict_detected",
                        actor=by,
                        target=conflict,
                        edition=edition,
                        to_state="active",
                        matched=audited_matches(matches),
                    )
                    created += 1
                elif matches and is_auto and current.lifted_at is not None and current.lifted_by_id is None:
                    current.matched = matches
                    current.reason = conflict_reason(matches)
                    current.lifted_at = None
                    current.lift_reason = ""
                    current.save(update_fields=["matched", "reason", "lifted_at", "lift_reason"])
                    record(
                        "jury.conflict_detected",
                        actor=by,
                        target=current,
                        edition=edition,
                        from_state="lifted",
                        to_state="active",
                        matched=audited_matches(matches),
                    )
                    created += 1
                elif lift and not matches and is_auto and current.lifted_at is None and member.user_id not in closed:
                    current.lifted_at = now
                    current.lift_reason = _("Nothing links the juror to the entry any more.")
                    current.save(update_fields=["lifted_at", "lift_reason"])
                    record(
                        "jury.conflict_lifted",
                        actor=by,
                        target=current,
                        edition=edition,
                        from_state="active",
                        to_state="lifted",
                        reason=current.lift_reason,
                    )
                    lifted += 1
    return {"created": created, "lifted": lifted}


def detect_for_application(application, *, by=None):
    """Re-check one entry against the jury after its status, partners, co-editors or contact e-mail changed.

    The entry point for the applications app: its services send `applications.signals.application_changed` with
    the acting user, and jury.receivers calls this, inside the transaction of the change. Entries outside
    Status.CONFLICT_RELEVANT (drafts, withdrawn, rejected, decided) are left as they are.
    """
    if application.status not in Status.CONFLICT_RELEVANT:
        return {"created": 0, "lifted": 0}
    return detect_conflicts(application.edition, applications=[application], by=by)


def _open_conflict(member, application, source, reason, by):
    reason = (reason or "").strip()
    if not reason:
        raise JuryError(_("Give a reason."))
    with transaction.atomic():
        conflict, created = ConflictOfInterest.objects.select_for_update().get_or_create(
            member=member,
            application=application,
            defaults={"source": source, "reason": reason, "created_by": by},
        )
        if not created:
            if conflict.lifted_at is None:
                raise JuryError(_("This conflict of interest is already recorded."))
            conflict.source = source
            conflict.reason = reason
            conflict.created_by = by
            conflict.created_at = timezone.now()
            conflict.lifted_at = None
            conflict.lifted_by = None
            conflict.lift_reason = ""
            conflict.save()
        record(
            "jury.conflict_added",
            actor=by,
            target=conflict,
            edition=member.edition,
            to_state="active",
            reason=reason,
            source=source,
        )
    return conflict


def declare_conflict(member, application, reason, *, by):
    """The juror recognises an entry they see and steps back from it."""
    if member.user_id != by.pk:
        raise JuryError(_("Only the juror can declare their own conflict."))
    allowed, message = entry_visible(member, application)
    if not allowed:
        raise JuryError(message)
    return _open_conflict(member, application, ConflictOfInterest.Source.DECLARED, reason, by)


def add_conflict(member, application, reason, *, by):
    if application.edition_id != member.edition_id:
        raise JuryError(_("The entry and the juror belong to different editions."))
    return _open_conflict(member, application, ConflictOfInterest.Source.ORGANISER, reason, by)


def lift_conflict(conflict, reason, *, by):
    reason = (reason or "").strip()
    if not reason:
        raise JuryError(_("Give a reason for lifting the conflict of interest."))
    if conflict.lifted_at is not None:
        raise JuryError(_("This conflict of interest has already been lifted."))
    with transaction.atomic():
        conflict.lifted_at = timezone.now()
        conflict.lifted_by = by
        conflict.lift_reason = reason
        conflict.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        record(
            "jury.conflict_lifted",
            actor=by,
            target=conflict,
            edition=conflict.member.edition,
            from_state="active",
            to_state="lifted",
            reason=reason,
        )
    return conflict
