"""The verbs of the jury, one module per sub-domain: each checks state and phase (who may act is jury.permissions'
question), writes in one transaction and records an audit event. E-mails leave only after the transaction commits:
reminders through the task queue (jury.tasks), invitations sent directly by the process that made them, since a
queued task would store the plain token in the database (templates in templates/jury/email/, made by
contest.emails, links from SITE_URL).

`from jury import services; services.invite(...)` reaches every verb through the names re-exported here.
"""

from ..declarations import DECLARATION_VERSION, declaration_text
from .anonymisation import (
    MAX_TERM_LENGTH,
    MAX_TERMS,
    check_terms_count,
    parse_terms,
    reset_anonymised,
    save_anonymised,
    set_redaction_terms,
    sign_off_anonymisation,
)
from .assigning import FROM_EDITION, assign, assign_automatically, explain, unassign
from .conflicts import (
    add_conflict,
    conflict_reason,
    declare_conflict,
    detect_conflicts,
    detect_for_application,
    lift_conflict,
)
from .decisions import (
    check_decision_phase,
    check_leaving_the_competition,
    decisions_locked,
    lock_decisions,
    record_decision,
    unlock_decisions,
    validate_decision,
)
from .errors import JuryError
from .invitations import (
    INVITATION_DAYS,
    REPEATED_REGISTRATION_WINDOW,
    accept_invitation,
    find_invitation,
    invite,
    parse_emails,
    register_and_accept,
    repeated_registration,
    resend_invitation,
    revoke_invitation,
)
from .membership import (
    AFFILIATIONS_LOCKED,
    UNCHANGED,
    add_affiliation,
    affiliations_locked,
    check_affiliation_dates,
    declare_impartiality,
    remove_affiliation,
    set_member,
)
from .reminders import (
    JUROR_REMINDER_INTERVAL,
    last_reminded_at,
    next_reminder_at,
    recently_reminded,
    reminder_interval,
    send_reminder,
    send_reminders,
)
from .scoring import justification_field, points_field, save_scorecard_draft, submit_scorecard, validate_scores

__all__ = [
    "AFFILIATIONS_LOCKED",
    "DECLARATION_VERSION",
    "FROM_EDITION",
    "INVITATION_DAYS",
    "JUROR_REMINDER_INTERVAL",
    "MAX_TERM_LENGTH",
    "MAX_TERMS",
    "REPEATED_REGISTRATION_WINDOW",
    "UNCHANGED",
    "JuryError",
    "accept_invitation",
    "add_affiliation",
    "add_conflict",
    "affiliations_locked",
    "assign",
    "assign_automatically",
    "check_affiliation_dates",
    "check_terms_count",
    "conflict_reason",
    "declaration_text",
    "declare_conflict",
    "declare_impartiality",
    "detect_conflicts",
    "detect_for_application",
    "explain",
    "find_invitation",
    "invite",
    "justification_field",
    "last_reminded_at",
    "lift_conflict",
    "next_reminder_at",
    "parse_emails",
    "parse_terms",
    "points_field",
    "register_and_accept",
    "recently_reminded",
    "reminder_interval",
    "remove_affiliation",
    "repeated_registration",
    "resend_invitation",
    "reset_anonymised",
    "revoke_invitation",
    "save_anonymised",
    "save_scorecard_draft",
    "send_reminder",
    "send_reminders",
    "set_member",
    "set_redaction_terms",
    "sign_off_anonymisation",
    "submit_scorecard",
    "unassign",
    "validate_scores",
    "check_decision_phase",
    "check_leaving_the_competition",
    "decisions_locked",
    "lock_decisions",
    "record_decision",
    "unlock_decisions",
    "validate_decision",
]

from .ranking import (  # noqa: E402 (appended after the list above, to ease merging)
    CategoryRanking,
    EditionRanking,
    Recomputed,
    freeze_ranking,
    ranking_for,
    recompute,
)

__all__ += ["CategoryRanking", "EditionRanking", "Recomputed", "freeze_ranking", "ranking_for", "recompute"]
