"""A juror's place on the jury: their settings, their impartiality declaration and their affiliations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contest import phases
from contest.audit import record

from ..declarations import DECLARATION_VERSION, declaration_text
from ..matching import IDENTIFIER_CLEANERS
from ..models import Affiliation, ImpartialityDeclaration, JuryMember
from .conflicts import detect_conflicts
from .errors import JuryError

UNCHANGED = object()  # set_member: leave the field as it is

# The phases in which a signed juror may have entries on their dashboard: from formal review to the results.
DECLARED_PHASES = (phases.Phase.FORMAL_REVIEW, phases.Phase.SCORING, phases.Phase.DELIBERATION)
AFFILIATIONS_LOCKED = gettext_lazy(
    "Your affiliations are part of your signed declaration; to change them ask the organisers."
)


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


def affiliations_locked(user):
    """Whether the juror's affiliations are frozen by their own hand: they signed the impartiality declaration of an
    edition whose entries they may be seeing. Otherwise an affiliation added and taken back would tell them, by the
    entry that leaves their dashboard, whose it is; a tie with one entry is declared on that entry instead."""
    for member in JuryMember.objects.filter(user=user, is_active=True, declaration__isnull=False).select_related(
        "edition"
    ):
        if phases.phase_at(member.edition) in DECLARED_PHASES:
            return True
    return False


def _check_not_locked(user, by):
    if by.pk == user.pk and affiliations_locked(user):
        raise JuryError(AFFILIATIONS_LOCKED)


def check_affiliation_dates(started_on, ended_on):
    if started_on and ended_on and ended_on < started_on:
        raise JuryError({"ended_on": [_("The end must not be before the start.")]})


def add_affiliation(user, *, by, **fields):
    _check_not_locked(user, by)
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
    check_affiliation_dates(affiliation.started_on, affiliation.ended_on)
    with transaction.atomic():
        affiliation.save()
        record("jury.affiliation_added", actor=by, target=affiliation, juror=user.pk)
        _redetect_for_user(user, by=by)
    return affiliation


def remove_affiliation(affiliation, *, by):
    user = affiliation.user
    _check_not_locked(user, by)
    with transaction.atomic():
        record("jury.affiliation_removed", actor=by, target=affiliation, juror=user.pk)
        affiliation.delete()
        _redetect_for_user(user, by=by)


def _clean_identifiers(affiliation):
    """Registry numbers stored as compact ASCII digits, so they compare equal to the partners' numbers."""
    errors = {}
    for name, clean in IDENTIFIER_CLEANERS.items():
        try:
            setattr(affiliation, name, clean(getattr(affiliation, name)))
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise JuryError(errors)


def _redetect_for_user(user, *, by):
    # The juror's own change only adds conflicts (conflicts.detect_conflicts says why); an organiser's may lift.
    lift = by.pk != user.pk
    for member in JuryMember.objects.filter(user=user, is_active=True).select_related("edition"):
        if phases.phase_at(member.edition) not in (phases.Phase.RESULTS, phases.Phase.ARCHIVED):
            detect_conflicts(member.edition, members=[member], by=by, lift=lift)
