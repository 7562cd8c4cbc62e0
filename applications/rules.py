"""When the applicants may change or submit an application: the one rule that permissions ask before a page is
shown and services ask again under the row lock. It answers (open, why); each caller words `why` for its place."""

from typing import NamedTuple

from django.utils import timezone

from contest import phases

from .models import Status

# Why the window is closed.
SUBMITTED = "submitted"  # not a draft and not sent back for corrections
SUBMISSIONS_CLOSED = "submissions_closed"  # a draft, but the edition no longer accepts submissions
CORRECTIONS_CLOSED = "corrections_closed"  # sent back for corrections, and their deadline has passed
NOT_ASKED = "not_asked"  # sent back for corrections, but not in this part


class Window(NamedTuple):
    open: bool
    why: str = ""


OPEN = Window(True)


def corrections_window_open(application, at=None):
    """Inclusive and to the second, as the submission deadline (phases.by_deadline), and as the formal review's
    on-time check reads it."""
    at = at or timezone.now()
    return application.corrections_deadline is None or phases.by_deadline(at, application.corrections_deadline)


def editing_window(application, at=None, section=None):
    """Whether the applicants may change `application` (only its `section`, "partners" or "attachments", when
    given) or submit it at `at`: a draft while the edition accepts submissions, an application sent back for
    corrections until their deadline (a section only when the organiser asked for it)."""
    at = at or timezone.now()
    if application.status == Status.DRAFT:
        return OPEN if phases.can_submit(application.edition, at) else Window(False, SUBMISSIONS_CLOSED)
    if application.status == Status.CORRECTIONS_REQUESTED:
        if not corrections_window_open(application, at):
            return Window(False, CORRECTIONS_CLOSED)
        if section is not None and section not in application.corrections_fields:
            return Window(False, NOT_ASKED)
        return OPEN
    return Window(False, SUBMITTED)
