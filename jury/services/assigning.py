"""Who scores which entry: the automatic assignment (solved by jury.assignment) and manual changes."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from applications.models import Application, Status
from contest.audit import record

from .. import assignment as optimisation
from ..models import Assignment, ConflictOfInterest, Scorecard
from ..queries import accepted_entries, active_members
from .errors import JuryError

FROM_EDITION = object()  # assign_automatically: the edition's jurors_per_entry


def assign_automatically(edition, *, by, k=FROM_EDITION):
    """Replace the automatic part of the assignment by an optimal one; pairs with a scorecard are kept.

    k: jurors per entry; None means every juror scores every entry; by default edition.jurors_per_entry. A k given
    here becomes the edition's jurors per entry with the assignment it made (recorded in its audit event).
    Returns the optimisation's AssignmentResult; nothing changes when it is not ok (the edition's k neither).
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
        previous_k = edition.jurors_per_entry
        if k != previous_k:
            edition.jurors_per_entry = k
            edition.save(update_fields=["jurors_per_entry"])
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
            previous_k=previous_k,
            assignments=len(wanted),
            max_load=result.max_load,
            min_load=result.min_load,
            removed=len(stale),
        )
    return result


def explain(result, edition):
    """Translated sentences for an assignment that could not be made, naming entries by their codes.

    The sentences are the result's own (AssignmentResult.explain, pure); this only looks up the entries' codes.
    """
    return result.explain(dict(Application.objects.filter(pk__in=result.short_entries).values_list("pk", "code")))


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
