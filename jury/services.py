"""The verbs of the jury: each checks state and phase (who may act is jury.permissions' question), writes in one
transaction, records an audit event and queues its e-mail (templates in templates/jury/email/, made by
contest.emails, links from SITE_URL)."""

import datetime
import re
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.tokens import hash_token
from applications.models import JURY_VISIBLE_FIELDS, Application, Partner, Status
from contest import identifiers, phases
from contest.audit import record
from contest.emails import message as email_message
from contest.identifiers import normalise_name

from . import assignment as optimisation
from . import tasks
from .models import (
    Affiliation,
    AnonymisedContent,
    Assignment,
    ConflictOfInterest,
    CriterionScore,
    ImpartialityDeclaration,
    Invitation,
    JuryMember,
    ReminderLog,
    Scorecard,
    ScorecardRevision,
)
from .permissions import entry_visible
from .queries import accepted_entries, active_members, unfinished_members

INVITATION_DAYS = 14
DECLARATION_VERSION = "2026.1"

# Defaults of arguments for which None is a meaningful value (no maximum; every juror scores every entry).
UNCHANGED = object()  # set_member: leave the field as it is
FROM_EDITION = object()  # assign_automatically: the edition's jurors_per_entry


def declaration_text():
    return _(
        "I declare that I am impartial towards every entry I will score in this edition of the competition. "
        "I have no personal, professional, financial or family ties with the partnerships, partners or people "
        "behind the entries assigned to me, other than those I have recorded as affiliations. If I recognise an "
        "entry I have a conflict of interest with, I will declare it at once and will not score it. I will keep "
        "the content of the entries and the work of the committee confidential."
    )


def reminder_interval():
    return datetime.timedelta(hours=getattr(settings, "JURY_REMINDER_INTERVAL_HOURS", 24))


class JuryError(ValidationError):
    """A refused action; the message is for the user."""




# Invitations ---------------------------------------------------------------------------------------------------


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
    context = {"invitation": invitation, "link": settings.SITE_URL + reverse("jury:invitation", args=[token])}
    transaction.on_commit(lambda: email_message("jury/email/invitation", context, [invitation.email]).send())


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
            token = secrets.token_urlsafe(32)
            invitation = Invitation.objects.create(
                edition=edition,
                email=email,
                token_hash=hash_token(token),
                is_chair=is_chair,
                invited_by=by,
                expires_at=now + datetime.timedelta(days=days),
                sent_at=now,
                send_count=1,
            )
            record("jury.invite", actor=by, target=invitation, edition=edition, email=email, is_chair=is_chair)
            _send_invitation(invitation, token)
            created.append((invitation, token))
    return created


def resend_invitation(invitation, *, by, days=INVITATION_DAYS):
    """A new secret (the old link stops working) and a new expiry."""
    if invitation.accepted_at:
        raise JuryError(_("This invitation has already been accepted."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        invitation.token_hash = hash_token(token)
        invitation.expires_at = now + datetime.timedelta(days=days)
        invitation.revoked_at = None
        invitation.sent_at = now
        invitation.send_count += 1
        invitation.save()
        record("jury.invite_resent", actor=by, target=invitation, edition=invitation.edition, email=invitation.email)
        _send_invitation(invitation, token)
    return token


def revoke_invitation(invitation, *, by):
    if invitation.accepted_at:
        raise JuryError(_("This invitation has already been accepted."))
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record("jury.invite_revoked", actor=by, target=invitation, edition=invitation.edition, email=invitation.email)


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
        record("jury.invite_accepted", actor=user, target=member, edition=invitation.edition, email=user.email)
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


def set_member(member, *, by, is_chair=UNCHANGED, max_entries=UNCHANGED, is_active=UNCHANGED):
    """Change the fields given; max_entries=None means no maximum."""
    with transaction.atomic():
        before = {"is_chair": member.is_chair, "max_entries": member.max_entries, "is_active": member.is_active}
        if is_chair is not UNCHANGED:
            member.is_chair = is_chair
        if max_entries is not UNCHANGED:
            member.max_entries = max_entries
        if is_active is not UNCHANGED:
            member.is_active = is_active
        member.save()
        after = {"is_chair": member.is_chair, "max_entries": member.max_entries, "is_active": member.is_active}
        record("jury.member_changed", actor=by, target=member, edition=member.edition, before=before, after=after)
    return member


# Impartiality and affiliations ---------------------------------------------------------------------------------


def declare_impartiality(member, *, by):
    if member.user_id != by.pk:
        raise JuryError(_("Only the juror can sign their own declaration."))
    with transaction.atomic():
        declaration, created = ImpartialityDeclaration.objects.get_or_create(
            member=member,
            defaults={"user": by, "text_version": DECLARATION_VERSION, "text": declaration_text()},
        )
        if created:
            record(
                "jury.impartiality_declared",
                actor=by,
                target=member,
                edition=member.edition,
                text_version=DECLARATION_VERSION,
            )
    return declaration


def add_affiliation(user, *, by, **fields):
    affiliation = Affiliation(user=user, **fields)
    _clean_identifiers(affiliation)
    if not (
        affiliation.territorial_unit_id
        or affiliation.organisation_name
        or affiliation.nip
        or affiliation.regon
        or affiliation.krs
    ):
        raise JuryError(_("Choose a local-government unit or give an organisation's name, NIP, REGON or KRS."))
    with transaction.atomic():
        affiliation.save()
        record("jury.affiliation_added", actor=by, target=affiliation, affiliation=str(affiliation))
        _redetect_for_user(user, by=by)
    return affiliation


def remove_affiliation(affiliation, *, by):
    user = affiliation.user
    with transaction.atomic():
        record("jury.affiliation_removed", actor=by, target=affiliation, affiliation=str(affiliation))
        affiliation.delete()
        _redetect_for_user(user, by=by)


IDENTIFIER_CLEANERS = {"nip": identifiers.clean_nip, "regon": identifiers.clean_regon, "krs": identifiers.clean_krs}


def _clean_identifiers(affiliation):
    """Registry numbers stored as compact ASCII digits, so they compare equal to the partners' numbers."""
    errors = []
    for name, clean in IDENTIFIER_CLEANERS.items():
        try:
            setattr(affiliation, name, clean(getattr(affiliation, name)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise JuryError(errors)


def _redetect_for_user(user, *, by):
    for member in JuryMember.objects.filter(user=user, is_active=True).select_related("edition"):
        if phases.phase_at(member.edition) not in (phases.Phase.RESULTS, phases.Phase.ARCHIVED):
            detect_conflicts(member.edition, members=[member], by=by)


# Conflicts of interest -----------------------------------------------------------------------------------------


def _unit_matches(affiliation, unit):
    mine = affiliation.territorial_unit
    if mine is None or unit is None:
        return False
    if affiliation.scope == Affiliation.Scope.VOIVODESHIP:
        return mine.woj == unit.woj
    if affiliation.scope == Affiliation.Scope.COUNTY:
        return mine.woj == unit.woj and mine.pow == unit.pow
    if mine.code == unit.code:
        return True
    # A municipality and its parts (town, rural area of an urban-rural gmina) are one local government.
    return bool(mine.gmi) and (mine.woj, mine.pow, mine.gmi) == (unit.woj, unit.pow, unit.gmi)


def match_affiliation(affiliation, partner):
    """Why an affiliation matches a partner (a short description for the organisers), or None."""
    unit = partner.territorial_unit
    if _unit_matches(affiliation, unit):
        return f"terc:{unit.code}"
    for name in IDENTIFIER_CLEANERS:
        # Stored values are compact already; compacting again costs nothing and covers rows written before that.
        mine = identifiers.compact(getattr(affiliation, name))
        theirs = identifiers.compact(getattr(partner, name))
        if mine and theirs and (mine == theirs or (name == "regon" and theirs[:9] == mine[:9])):
            return f"{name}:{theirs}"
    if affiliation.organisation_name:
        mine = normalise_name(affiliation.organisation_name)
        if mine and mine in {normalise_name(partner.name), normalise_name(partner.display_name)}:
            return f"name:{mine}"
    return None


# Kinds of automatic match that mean the juror is one of the entry's applicants, not merely affiliated.
APPLICANT_MATCHES = ("owner", "co-editor", "contact-email")


def match_applicant(user_id, emails, application, editor_ids):
    """Why the juror is one of the entry's applicants (owner, co-editor, contact e-mail), as match strings."""
    found = []
    if application.owner_id == user_id:
        found.append("owner")
    if user_id in editor_ids:
        found.append("co-editor")
    contact = (application.contact_email or "").strip().casefold()
    if contact and contact in emails:
        found.append(f"contact-email:{contact}")
    return found


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


def detect_conflicts(edition, *, members=None, applications=None, by=None):
    """Create automatic conflicts for matching (member, entry) pairs and lift automatic ones that no longer match.

    A pair matches when the juror owns, co-edits or is the contact e-mail of the entry, or when one of the juror's
    affiliations matches one of its partners. Conflicts lifted by an organiser stay lifted: detection never
    overrides a human decision; those detection lifted itself come back when the match does.
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
                        matched=matches,
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
                        matched=matches,
                    )
                    created += 1
                elif not matches and is_auto and current.lifted_at is None:
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


# Assignment ----------------------------------------------------------------------------------------------------


def assign_automatically(edition, *, by, k=FROM_EDITION):
    """Replace the automatic part of the assignment by an optimal one; pairs with a scorecard are kept.

    k: jurors per entry; None means every juror scores every entry; by default edition.jurors_per_entry.
    Returns the optimisation's AssignmentResult; nothing changes when it is not ok.
    """
    if k is FROM_EDITION:
        k = edition.jurors_per_entry
    members = list(active_members(edition))
    entries = list(accepted_entries(edition).values_list("pk", flat=True))
    conflicts = set(
        ConflictOfInterest.objects.filter(member__edition=edition, lifted_at__isnull=True).values_list(
            "application_id", "member_id"
        )
    )
    fixed = (
        set(
            Scorecard.objects.filter(member__in=members, application_id__in=entries).values_list(
                "application_id", "member_id"
            )
        )
        - conflicts
    )
    result = optimisation.solve(
        entries,
        [m.pk for m in members],
        k,
        conflicts=conflicts,
        caps={m.pk: m.max_entries for m in members},
        fixed=fixed,
    )
    if not result.ok:
        return result
    with transaction.atomic():
        wanted = set(result.pairs)
        current = {(a.application_id, a.member_id): a for a in Assignment.objects.filter(member__edition=edition)}
        stale = [a.pk for pair, a in current.items() if pair not in wanted]
        Assignment.objects.filter(pk__in=stale).delete()
        Assignment.objects.bulk_create(
            [
                Assignment(application_id=e, member_id=m, source=Assignment.Source.AUTO, created_by=by)
                for (e, m) in sorted(wanted - set(current))
            ]
        )
        record(
            "jury.assigned_automatically",
            actor=by,
            target=edition,
            edition=edition,
            k=k,
            assignments=len(wanted),
            max_load=result.max_load,
            min_load=result.min_load,
            removed=len(stale),
        )
    return result


def explain(result, edition):
    """Translated sentences for an assignment that could not be made, naming entries by their codes."""
    codes = dict(Application.objects.filter(pk__in=result.short_entries).values_list("pk", "code"))
    short = ", ".join(codes.get(pk) or str(pk) for pk in result.short_entries)
    messages = []
    for reason in result.reasons:
        kind, *numbers = reason
        if kind == "short":
            messages.append(
                ngettext(
                    "%(n)s entry has fewer than %(k)s jurors without a conflict of interest: %(entries)s.",
                    "%(n)s entries have fewer than %(k)s jurors without a conflict of interest: %(entries)s.",
                    len(result.short_entries),
                )
                % {"n": len(result.short_entries), "k": numbers[0], "entries": short}
            )
        elif kind == "capacity":
            messages.append(
                _("The jurors' maximum loads allow %(capacity)s assignments, but %(demand)s are needed.")
                % {"capacity": numbers[0], "demand": numbers[1]}
            )
        elif kind == "fixed_conflict":
            messages.append(_("A juror who has started a scorecard now has a conflict of interest with that entry."))
        elif kind == "over_cap":
            messages.append(
                _("%(n)s jurors would go over their maximum load if every juror scored every entry.")
                % {"n": numbers[0]}
            )
        elif kind == "uncovered":
            messages.append(
                _("Some entries have no juror without a conflict of interest: %(entries)s.") % {"entries": short}
            )
        elif kind == "k_invalid":
            messages.append(_("Give at least one juror per entry."))
        else:
            messages.append(
                _(
                    "No assignment meets every constraint: too many conflicts of interest or maximum loads too low "
                    "for %(k)s jurors per entry."
                )
                % {"k": numbers[0] if numbers else ""}
            )
    return messages


def assign(member, application, *, by):
    if application.edition_id != member.edition_id:
        raise JuryError(_("The entry and the juror belong to different editions."))
    if application.status not in Status.ACCEPTED_FOR_JURY:
        raise JuryError(_("Only formally accepted entries can be assigned."))
    if ConflictOfInterest.objects.filter(member=member, application=application, lifted_at__isnull=True).exists():
        raise JuryError(_("This juror has a conflict of interest with this entry."))
    if member.max_entries is not None and member.assignments.count() >= member.max_entries:
        raise JuryError(_("This juror has reached their maximum number of entries."))
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                member=member, application=application, source=Assignment.Source.MANUAL, created_by=by
            )
            record("jury.assigned", actor=by, target=assignment, edition=member.edition, entry=application.code)
    except IntegrityError:
        raise JuryError(_("This entry is already assigned to this juror.")) from None
    return assignment


def unassign(member, application, *, by):
    with transaction.atomic():
        deleted, _rows = Assignment.objects.filter(member=member, application=application).delete()
        if not deleted:
            raise JuryError(_("This entry is not assigned to this juror."))
        record("jury.unassigned", actor=by, target=member, edition=member.edition, entry=application.code)


# Scorecards ----------------------------------------------------------------------------------------------------


def _check_can_score(member, application, by, at=None):
    if member.user_id != by.pk or not member.is_active:
        raise JuryError(_("Only the assigned juror can score this entry."))
    allowed, message = entry_visible(member, application)
    if not allowed:
        raise JuryError(message)
    if not phases.can_score(member.edition, at):
        raise JuryError(_("Scoring is closed: it is outside the scoring window."))
    if not ImpartialityDeclaration.objects.filter(member=member).exists():
        raise JuryError(_("Sign the impartiality declaration first."))


def points_field(criterion):
    return f"points_{criterion.pk}"


def justification_field(criterion):
    return f"justification_{criterion.pk}"


def validate_scores(edition, criteria, values, *, complete):
    """Errors keyed by form field; ranges are always checked, completeness only when submitting.

    values: {criterion_id: (points or None, justification)}; points must already be int or None.
    """
    errors = {}
    for criterion in criteria:
        points, justification = values.get(criterion.pk, (None, ""))
        if points is not None and not (0 <= points <= criterion.max_points):
            errors[points_field(criterion)] = _("Give between 0 and %(max)s points.") % {"max": criterion.max_points}
        if not complete:
            continue
        if points is None:
            errors[points_field(criterion)] = _("Give the points for this criterion.")
        if criterion.requires_justification:
            length = len((justification or "").strip())
            if length < edition.min_justification_length:
                errors[justification_field(criterion)] = _(
                    "Write a justification of at least %(min)s characters (now %(now)s)."
                ) % {"min": edition.min_justification_length, "now": length}
    return errors


def _write(member, application, values, overall_comment, by, *, submit):
    edition = member.edition
    criteria = list(edition.criteria.all())
    unknown = set(values) - {c.pk for c in criteria}
    if unknown:
        raise JuryError(_("The form refers to criteria of another edition."))
    errors = validate_scores(edition, criteria, values, complete=submit)
    if errors:
        raise JuryError(errors)
    now = timezone.now()
    with transaction.atomic():
        card, _created = Scorecard.objects.select_for_update().get_or_create(member=member, application=application)
        previous = card.status
        if previous == Scorecard.Status.SUBMITTED and not submit:
            raise JuryError(_("This scorecard has been submitted; submit your changes as a revision."))
        card.overall_comment = overall_comment or ""
        card.updated_at = now
        existing = {s.criterion_id: s for s in card.scores.all()}
        for criterion in criteria:
            points, justification = values.get(criterion.pk, (None, ""))
            score = existing.get(criterion.pk) or CriterionScore(scorecard=card, criterion=criterion)
            score.points = points
            score.justification = justification or ""
            score.save()
        if submit:
            card.status = Scorecard.Status.SUBMITTED
            card.submitted_at = now
            card.revision += 1
        card.save()
        if submit:
            ScorecardRevision.objects.create(
                scorecard=card,
                number=card.revision,
                submitted_by=by,
                submitted_at=now,
                snapshot={
                    "overall_comment": card.overall_comment,
                    "scores": {
                        str(c.pk): {
                            "points": values.get(c.pk, (None, ""))[0],
                            "justification": values.get(c.pk, (None, ""))[1],
                        }
                        for c in criteria
                    },
                },
            )
            record(
                "jury.scorecard_submitted" if card.revision == 1 else "jury.scorecard_revised",
                actor=by,
                target=card,
                edition=edition,
                from_state=previous if not _created else "",
                to_state=card.status,
                revision=card.revision,
            )
    return card


def save_draft(member, application, values, overall_comment="", *, by, at=None):
    """Save without completeness checks (points still must be within the scale)."""
    _check_can_score(member, application, by, at)
    return _write(member, application, values, overall_comment, by, submit=False)


def submit_scorecard(member, application, values, overall_comment="", *, by, at=None):
    """Validate everything and submit; a submitted scorecard can be revised until scoring closes."""
    _check_can_score(member, application, by, at)
    return _write(member, application, values, overall_comment, by, submit=True)


# Anonymised content ---------------------------------------------------------------------------------------------


def save_anonymised(application, fields, *, by):
    clean = {name: (fields.get(name) or "") for name in JURY_VISIBLE_FIELDS}
    with transaction.atomic():
        content, _created = AnonymisedContent.objects.update_or_create(
            application=application, defaults={"fields": clean, "edited_by": by, "edited_at": timezone.now()}
        )
        record("jury.anonymised_edited", actor=by, target=application, edition=application.edition)
    return content


def reset_anonymised(application, *, by):
    with transaction.atomic():
        AnonymisedContent.objects.filter(application=application).delete()
        record("jury.anonymised_reset", actor=by, target=application, edition=application.edition)


# Reminders -----------------------------------------------------------------------------------------------------


def next_reminder_at(edition):
    last = ReminderLog.objects.filter(edition=edition).order_by("-sent_at").first()
    return last.sent_at + reminder_interval() if last else None


def send_reminders(edition, *, by):
    """One e-mail to each juror with unfinished work, at most once per interval."""
    with transaction.atomic():
        # Lock the edition row so two clicks cannot both pass the interval check.
        type(edition).objects.select_for_update().filter(pk=edition.pk).first()
        allowed_at = next_reminder_at(edition)
        if allowed_at and timezone.now() < allowed_at:
            raise JuryError(
                _("Reminders were sent recently. The next can go at %(at)s.")
                % {"at": timezone.localtime(allowed_at).strftime("%Y-%m-%d %H:%M")}
            )
        if not phases.can_score(edition):
            raise JuryError(_("Reminders can be sent only while scoring is open."))
        recipients = list(unfinished_members(edition).values_list("user__email", flat=True))
        log = ReminderLog.objects.create(edition=edition, sent_by=by, recipients=recipients)
        record("jury.reminders_sent", actor=by, target=log, edition=edition, count=len(recipients))
        if recipients:
            transaction.on_commit(lambda: tasks.send_reminders.enqueue(log.pk))
    return recipients


# Redaction terms and the anonymisation sign-off ------------------------------------------------------------------

MAX_TERM_LENGTH = 200


def parse_terms(text):
    """One term per line, blank lines dropped, repeats (in any letter case) kept once; refuses unusable terms."""
    terms, seen, errors = [], set(), []
    for number, line in enumerate((text or "").splitlines(), start=1):
        term = " ".join(line.split())
        if not term:
            continue
        if len(term) > MAX_TERM_LENGTH:
            errors.append(_("Line %(n)s is longer than %(max)s characters.") % {"n": number, "max": MAX_TERM_LENGTH})
        elif sum(c.isalnum() for c in term) < 2:
            errors.append(_("Line %(n)s needs at least two letters or digits.") % {"n": number})
        elif term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    if errors:
        raise JuryError(errors)
    return terms


# Every juror's page matches the edition's terms; a few hundred cover any edition, tens of thousands are a mistake.
MAX_TERMS = 300


def check_terms_count(terms):
    """Refuse a list of extra redaction terms longer than MAX_TERMS, saying how many were given."""
    if len(terms) > MAX_TERMS:
        raise JuryError(
            _("An edition can have at most %(max)s redaction terms; this list has %(count)s. Nothing was saved.")
            % {"max": MAX_TERMS, "count": len(terms)}
        )


def set_redaction_terms(edition, text, *, by):
    """Make the edition's extra redaction terms the lines of `text`; returns (added, removed).

    Every entry whose juror's view changes with the new terms loses its sign-off by itself (its hash differs).
    """
    from .models import RedactionTerm

    wanted = parse_terms(text)
    check_terms_count(wanted)
    with transaction.atomic():
        type(edition).objects.select_for_update().filter(pk=edition.pk).first()
        current = {t.term: t for t in RedactionTerm.objects.filter(edition=edition)}
        removed = [term for term in current if term not in wanted]
        added = [term for term in wanted if term not in current]
        RedactionTerm.objects.filter(edition=edition, term__in=removed).delete()
        RedactionTerm.objects.bulk_create([RedactionTerm(edition=edition, term=t, created_by=by) for t in added])
        if added or removed:
            record(
                "jury.redaction_terms_changed", actor=by, target=edition, edition=edition, added=added, removed=removed
            )
    return added, removed


def sign_off_anonymisation(application, content_hash, *, by):
    """Record that an organiser checked the juror's view of the entry whose fingerprint is `content_hash`.

    Refused when the view changed since the organiser's page was drawn: what was checked must be what jurors see.
    """
    from . import blind
    from .models import AnonymisationCheck

    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in Status.ACCEPTED_FOR_JURY:
            raise JuryError(_("Only formally accepted entries go to the jury."))
        current = blind.content_hash(blind.build_blind_entry(locked))
        if content_hash != current:
            raise JuryError(
                _("The anonymised version changed after you opened this page. Check it again, then confirm.")
            )
        check, _created = AnonymisationCheck.objects.update_or_create(
            application=locked, defaults={"content_hash": current, "checked_by": by, "checked_at": timezone.now()}
        )
        record("jury.anonymisation_checked", actor=by, target=locked, edition=locked.edition, content_hash=current)
    return check
