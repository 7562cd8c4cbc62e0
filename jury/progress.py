"""Where each juror stands on the organisers' progress board: a pure function of their counts and whether scoring has
ended (no ORM; jury.queries counts, the view asks here). Each state has a word, not only a colour."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import pgettext_lazy

from .overview import percent


class JurorState(models.TextChoices):
    # Adjectives agreeing with "ocena" (f), the juror's scoring: "ocena zakończona", "ocena nierozpoczęta".
    DONE = "done", pgettext_lazy("juror's scoring", "done")
    IN_PROGRESS = "in_progress", pgettext_lazy("juror's scoring", "in progress")
    NOT_STARTED = "not_started", pgettext_lazy("juror's scoring", "not started")
    OVERDUE = "overdue", pgettext_lazy("juror's scoring", "overdue")
    NOTHING = "nothing", pgettext_lazy("juror's scoring", "nothing assigned")


def juror_state(assigned, submitted, drafts, *, scoring_ended):
    """The state of a juror with `assigned` openable entries, `submitted` and `drafts` of them scored so far."""
    if not assigned:
        return JurorState.NOTHING
    if submitted >= assigned:
        return JurorState.DONE
    if scoring_ended:
        return JurorState.OVERDUE
    if submitted or drafts:
        return JurorState.IN_PROGRESS
    return JurorState.NOT_STARTED


@dataclass(frozen=True)
class JurorRow:
    member: object  # the JuryMember (organisers' page: names are fine here)
    assigned: int
    submitted: int
    drafts: int
    last_activity: datetime | None
    state: JurorState
    reminded_at: datetime | None = None  # within the last hour: the "Remind" button is refused until an hour after

    @property
    def not_started(self):
        return self.assigned - self.submitted - self.drafts

    @property
    def percent(self):
        return percent(self.submitted, self.assigned)

    @property
    def state_label(self):
        return self.state.label


def juror_rows(members, totals, last_activity, *, scoring_ended, reminded=None):
    """One JurorRow per member, from jury.queries.juror_totals and last_scoring_activity."""
    reminded = reminded or {}
    rows = []
    for member in members:
        counts = totals.get(member.pk, {})
        assigned, submitted, drafts = (counts.get(k, 0) for k in ("assigned", "submitted", "drafts"))
        rows.append(
            JurorRow(
                member=member,
                assigned=assigned,
                submitted=submitted,
                drafts=drafts,
                last_activity=last_activity.get(member.pk),
                state=juror_state(assigned, submitted, drafts, scoring_ended=scoring_ended),
                reminded_at=reminded.get(member.pk),
            )
        )
    return rows
