"""Who may do what with an application: every rule answers an accounts.access.Verdict, which unpacks as (allowed,
reason); `check(user, action, obj)` asks one, `require(user, action, obj)` adds how to refuse, and
`permission_required` is the one guard views use."""

from functools import wraps

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import ALLOWED, Verdict, is_organiser, refuse, staff_session_ok
from contest import phases

from . import rules
from .models import TRANSITIONS, Status

# How each reason rules.editing_window gives is said on a page that edits, and on one that submits.
EDIT_CLOSED = {
    rules.SUBMISSIONS_CLOSED: _("The edition is not accepting submissions, so the draft can no longer be changed."),
    rules.CORRECTIONS_CLOSED: _("The deadline for corrections has passed."),
    rules.NOT_ASKED: _("The organiser did not ask for corrections in this part."),
    rules.SUBMITTED: _("A submitted application can no longer be edited."),
}
SUBMIT_CLOSED = {
    rules.SUBMISSIONS_CLOSED: _("The submission deadline has passed."),
    rules.CORRECTIONS_CLOSED: _("The deadline for corrections has passed."),
    rules.SUBMITTED: _("This application has already been submitted."),
}


def is_editor(user, application):
    """The owner or an invited co-editor."""
    if not user.is_authenticated:
        return False
    if application.owner_id == user.pk:
        return True
    return application.editors.filter(pk=user.pk).exists()


def _view(user, application):
    if is_organiser(user) or is_editor(user, application):
        return ALLOWED
    return Verdict(False, _("You do not have access to this application."))


def _editor(user, application):
    if is_editor(user, application):
        return ALLOWED
    return Verdict(False, _("Only the partnership's editors can do this."))


def _in_window(refusals, section=None):
    """An editor's rule, open while rules.editing_window is (for `section` when given)."""

    def rule(user, application):
        verdict = _editor(user, application)
        if not verdict:
            return verdict
        window = rules.editing_window(application, section=section)
        return ALLOWED if window.open else Verdict(False, refusals[window.why])

    return rule


_edit = _in_window(EDIT_CLOSED)
_submit = _in_window(SUBMIT_CLOSED)


def _withdraw(user, application):
    verdict = _editor(user, application)
    if not verdict:
        return verdict
    if Status.WITHDRAWN not in TRANSITIONS[application.status]:
        return Verdict(False, _("This application can no longer be withdrawn."))
    if not phases.can_submit(application.edition):
        return Verdict(False, _("Applications can be withdrawn only before the submission deadline."))
    return ALLOWED


def _reopen(user, application):
    verdict = _editor(user, application)
    if not verdict:
        return verdict
    if application.status != Status.SUBMITTED:
        return Verdict(False, _("Only a submitted application waiting for the formal review can be reopened."))
    if not phases.can_submit(application.edition):
        return Verdict(
            False, _("The submission deadline has passed, so the application can no longer be reopened.")
        )
    return ALLOWED


def _invite(user, application):
    if not user.is_authenticated or application.owner_id != user.pk:
        return Verdict(False, _("Only the coordinator can invite co-editors."))
    if application.status not in Status.EDITABLE:
        return Verdict(False, _("Co-editors can be invited only while the application can be edited."))
    return ALLOWED


def _review(user, application):
    if not is_organiser(user):
        return Verdict(False, _("Only organisers review applications."))
    if application.status not in Status.IN_FORMAL_REVIEW:
        return Verdict(False, _("Only submitted applications can be reviewed."))
    return ALLOWED


def _organise(user, application=None):
    if is_organiser(user):
        return ALLOWED
    return Verdict(False, _("Only organisers can do this."))


def _receipt(user, application):
    verdict = _view(user, application)
    if not verdict:
        return verdict
    if not application.code:
        return Verdict(False, _("A receipt exists only after submission."))
    return ALLOWED


def _start(user, edition):
    if not user.is_authenticated:
        return Verdict(False, _("Log in to start an application."))
    if not phases.can_submit(edition):
        return Verdict(False, _("This edition is not accepting submissions."))
    return ALLOWED


RULES = {
    "view": _view,
    "edit": _edit,
    "edit_partners": _in_window(EDIT_CLOSED, "partners"),
    "edit_attachments": _in_window(EDIT_CLOSED, "attachments"),
    "submit": _submit,
    "withdraw": _withdraw,
    "reopen": _reopen,
    "invite": _invite,
    "review": _review,
    "organise": _organise,
    "receipt": _receipt,
    "start": _start,
}


def check(user, action, obj=None):
    """The Verdict for `user` doing `action` on `obj` (an application, an edition for "start"); it unpacks as
    (allowed, reason)."""
    return RULES[action](user, obj)


def can(user, action, obj=None):
    return bool(check(user, action, obj))


# Pages only organisers have: for anyone else they do not exist (404).
ORGANISER_ACTIONS = {"organise", "review"}


def require(user, action, obj=None):
    """The Verdict for `user` doing `action` on `obj`: 404 when the user may not even see the application (or it is
    an organisers' page), otherwise the reason shown on the application's page (or the dashboard, to start one)."""
    if not user.is_authenticated:
        return Verdict(False, _("Log in to continue."), "login")
    if action == "start":
        allowed, reason = check(user, action, obj)
        return ALLOWED if allowed else Verdict(False, reason, "redirect", then=reverse("applications:dashboard"))
    if action in ORGANISER_ACTIONS:
        allowed, reason = check(user, action, obj)
        if allowed:
            return ALLOWED
        return Verdict(False, reason, "denied" if is_organiser(user) else "hidden")
    if not check(user, "view", obj):
        return Verdict(False, _("You do not have access to this application."), "hidden")
    allowed, reason = check(user, action, obj)
    if allowed:
        return ALLOWED
    return Verdict(False, reason, "redirect", then=reverse("applications:detail", args=[obj.pk]))


def needs_staff_session(user, action, obj=None):
    """Organisers' pages, and an application an organiser opens through their role rather than as its editor."""
    if action in ORGANISER_ACTIONS:
        return True
    if action == "start" or not is_organiser(user):
        return False
    return not is_editor(user, obj)


def ask(request, action, obj=None):
    """The Verdict for this request: the staff session first when the page is an organiser's (so a session without
    its second factor learns nothing, not even why it may not act), then the rule."""
    if request.user.is_authenticated and needs_staff_session(request.user, action, obj):
        session = staff_session_ok(request)
        if not session:
            return session
    return require(request.user, action, obj)


def permission_required(action, *, post=None):
    """The one guard of application views: loads the application (`pk`) or the edition (`year`), asks `action`
    (`post` for a POST when given) and refuses through accounts.access.refuse. The view receives `application` or
    `edition` instead of the number."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            from contest.models import Edition

            from . import queries

            wanted = post if post and request.method == "POST" else action
            if not request.user.is_authenticated:
                return refuse(request, require(request.user, wanted))
            obj = None
            if "pk" in kwargs:
                obj = kwargs["application"] = get_object_or_404(queries.application_detail(), pk=kwargs.pop("pk"))
            elif "year" in kwargs:
                editions = Edition.objects.public() if wanted == "start" else Edition.objects.all()
                obj = kwargs["edition"] = get_object_or_404(editions, year=kwargs.pop("year"))
            verdict = ask(request, wanted, obj)
            if not verdict:
                return refuse(request, verdict)
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def refusal(request, action, obj=None):
    """For a view that must ask again mid-way (an edit that ends in a submission): the refusal, or None."""
    verdict = ask(request, action, obj)
    return None if verdict else refuse(request, verdict)


def actions_for(user, application):
    """Every action's answer at once, for templates."""
    return {name: bool(rule(user, application)) for name, rule in RULES.items() if name not in ("start", "organise")}
