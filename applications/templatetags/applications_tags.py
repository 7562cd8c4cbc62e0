"""Template helpers for applications: the next step for each status, status badges."""

from django import template
from django.utils.translation import gettext_lazy as _

from applications.models import Status

register = template.Library()

NEXT_STEPS = {
    Status.DRAFT: _("Complete the application and submit it before the deadline."),
    Status.SUBMITTED: _("Wait for the formal review; we will write to you by e-mail."),
    Status.CORRECTIONS_REQUESTED: _(
        "Correct what the organiser asked for and submit again before the corrections deadline."
    ),
    Status.ACCEPTED: _("Nothing to do: the application goes to the jury."),
    Status.REJECTED: _("The application did not pass the formal review; the justification was sent by e-mail."),
    Status.WITHDRAWN: _("The application was withdrawn."),
    Status.IN_JURY_REVIEW: _("The jury is scoring the entries; results are announced on the published date."),
    Status.LAUREATE: _("Congratulations: the partnership is a laureate."),
    Status.DISTINCTION: _("Congratulations: the partnership received a distinction."),
    Status.NOT_AWARDED: _("Thank you for taking part; the entry was not awarded this time."),
}
BADGES = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-primary",
    Status.CORRECTIONS_REQUESTED: "text-bg-warning",
    Status.ACCEPTED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
    Status.WITHDRAWN: "text-bg-dark",
}


# Phases in which a formally accepted entry is with the jury, until the results are published.
JURY_PHASES = frozenset({"scoring", "deliberation"})


def applicant_status(application):
    """The status an applicant sees: the stored one, except that a formally accepted entry reads "in jury review"
    from the start of scoring until publication (nothing moves the stored status before publication, and decisions
    must not show through), and an outcome shows only while the results are public (an organiser may withdraw
    them). Views set `published_outcome` (results.applicant.attach_outcomes): the outcome from the locked decision,
    from results_at to the second. Only the display changes; the stored status is left alone."""
    from contest import phases

    outcome = getattr(application, "published_outcome", None)
    if outcome:
        return Status(outcome)
    status = Status(application.status)
    if status in Status.DECIDED and not phases.results_visible(application.edition):
        return Status.IN_JURY_REVIEW
    if status == Status.ACCEPTED and phases.phase_at(application.edition) in JURY_PHASES:
        return Status.IN_JURY_REVIEW
    return status


@register.filter
def applicant_status_value(application):
    return applicant_status(application).value


@register.filter
def applicant_status_label(application):
    return applicant_status(application).label


@register.filter
def applicant_status_badge(application):
    return status_badge(applicant_status(application))


REOPENED_STEP = _(
    "Reopened for changes: submit it again before the deadline, or it will not take part in the competition."
)
REOPENED_TOO_LATE = _(
    "Reopened for changes and not submitted again before the deadline: it does not take part in the competition."
)


@register.filter
def next_step(application):
    status = applicant_status(application)
    if status == Status.DRAFT and application.code:
        from contest import phases

        return REOPENED_STEP if phases.can_submit(application.edition) else REOPENED_TOO_LATE
    return NEXT_STEPS.get(status, "")


@register.filter
def status_badge(status):
    return BADGES.get(status, "text-bg-info")


@register.filter
def field_label(name):
    from applications.models import Application
    from applications.services import SECTIONS

    if name in SECTIONS:
        return SECTIONS[name]
    try:
        return Application._meta.get_field(name).verbose_name
    except Exception:
        return name


@register.simple_tag
def problem_url(application, problem):
    from django.urls import reverse

    pages = {
        "edit": "applications:edit",
        "partners": "applications:partners",
        "attachments": "applications:attachments",
    }
    url = reverse(pages.get(problem.section, "applications:edit"), args=[application.pk])
    if problem.section == "edit":
        anchor = f"id_{problem.field}" if not problem.field.startswith("declaration_") else f"id_{problem.field}"
        if problem.field == "indicators":
            anchor = "indicators"
        return f"{url}#{anchor}"
    if problem.section == "attachments":
        return f"{url}#{problem.field}"
    return f"{url}#partners-list"


# A status change as the organisers' history says it: the new status in words, the old one where it matters.
STATUS_EVENTS = {
    Status.SUBMITTED: _("Submitted by the applicant"),
    Status.CORRECTIONS_REQUESTED: _("Corrections requested"),
    Status.ACCEPTED: _("Accepted formally"),
    Status.REJECTED: _("Rejected formally"),
    Status.WITHDRAWN: _("Withdrawn by the applicant"),
    Status.IN_JURY_REVIEW: _("Passed to the jury"),
    Status.LAUREATE: _("Announced as a laureate"),
    Status.DISTINCTION: _("Announced with a distinction"),
    Status.NOT_AWARDED: _("Announced as not awarded"),
}


@register.filter
def status_event(event):
    """'draft → submitted' in words: "Submitted by the applicant"; a resubmission after corrections says so."""
    if event.to_state == Status.SUBMITTED and event.from_state == Status.CORRECTIONS_REQUESTED:
        return _("Submitted again after corrections")
    if event.to_state == Status.SUBMITTED and event.from_state == Status.DRAFT and event.reason:
        # A draft reopened after its submission (services.reopen) records why it is submitted again.
        return _("Submitted again after reopening")
    if event.to_state == Status.DRAFT:
        return _("Reopened for changes by the applicant")
    if event.to_state in Status.values:
        return STATUS_EVENTS.get(Status(event.to_state), Status(event.to_state).label)
    return event.to_state


@register.simple_tag
def application_progress(application):
    """The state of each tab of an editable application (applications.progress), else nothing."""
    from applications.progress import progress

    return progress(application) if application.is_editable else {}


@register.filter
def accept_for(requirement):
    """The file input's `accept` for an attachment requirement's allowed types."""
    from applications.files import accept_attribute

    return accept_attribute(requirement.allowed_types)


@register.simple_tag
def signup_intent(request):
    """{"edition", "next"} when the login or sign-up page opened on the way to an edition's application form (the
    form's path in `next`), else None."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    from contest.models import Edition

    wanted = request.GET.get("next") or request.POST.get("next") or ""
    if not wanted.startswith("/") or wanted.startswith("//"):
        return None
    try:
        match = resolve(urlsplit(wanted).path)
    except Resolver404:
        return None
    if match.view_name != "applications:start":
        return None
    edition = Edition.objects.public().filter(year=match.kwargs.get("year")).first()
    return {"edition": edition, "next": wanted} if edition else None
