"""Who may do what with an application: one entry point, `check(user, action, obj)`, answering (allowed, reason)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_organiser
from contest import phases

from .models import TRANSITIONS, Status

ALLOWED = (True, "")


def is_member(user, application):
    """The owner or an invited co-editor."""
    if not user.is_authenticated:
        return False
    if application.owner_id == user.pk:
        return True
    return application.editors.filter(pk=user.pk).exists()


def _view(user, application):
    if is_organiser(user) or is_member(user, application):
        return ALLOWED
    return False, _("You do not have access to this application.")


def _member(user, application):
    if is_member(user, application):
        return ALLOWED
    return False, _("Only the partnership's editors can do this.")


def corrections_window_open(application, at=None):
    at = at or timezone.now()
    return application.corrections_deadline is None or at <= application.corrections_deadline


def _edit(user, application):
    allowed, reason = _member(user, application)
    if not allowed:
        return allowed, reason
    if application.status == Status.DRAFT:
        if not phases.can_submit(application.edition):
            return False, _("The edition is not accepting submissions, so the draft can no longer be changed.")
        return ALLOWED
    if application.status == Status.CORRECTIONS_REQUESTED:
        if not corrections_window_open(application):
            return False, _("The deadline for corrections has passed.")
        return ALLOWED
    return False, _("A submitted application can no longer be edited.")


def _edit_section(section):
    """Partners and attachments may change in a draft, or during corrections when the organiser asked for them."""

    def rule(user, application):
        allowed, reason = _edit(user, application)
        if not allowed:
            return allowed, reason
        if application.status == Status.CORRECTIONS_REQUESTED and section not in application.corrections_fields:
            return False, _("The organiser did not ask for corrections in this part.")
        return ALLOWED

    return rule


def _submit(user, application):
    allowed, reason = _member(user, application)
    if not allowed:
        return allowed, reason
    if application.status == Status.DRAFT:
        if not phases.can_submit(application.edition):
            return False, _("The submission deadline has passed.")
        return ALLOWED
    if application.status == Status.CORRECTIONS_REQUESTED:
        if not corrections_window_open(application):
            return False, _("The deadline for corrections has passed.")
        return ALLOWED
    return False, _("This application has already been submitted.")


def _withdraw(user, application):
    allowed, reason = _member(user, application)
    if not allowed:
        return allowed, reason
    if Status.WITHDRAWN not in TRANSITIONS[application.status]:
        return False, _("This application can no longer be withdrawn.")
    if not phases.can_submit(application.edition):
        return False, _("Applications can be withdrawn only before the submission deadline.")
    return ALLOWED


def _invite(user, application):
    if not user.is_authenticated or application.owner_id != user.pk:
        return False, _("Only the coordinator can invite co-editors.")
    if application.status not in Status.EDITABLE:
        return False, _("Co-editors can be invited only while the application can be edited.")
    return ALLOWED


def _review(user, application):
    if not is_organiser(user):
        return False, _("Only organisers review applications.")
    if application.status not in Status.IN_FORMAL_REVIEW:
        return False, _("Only submitted applications can be reviewed.")
    return ALLOWED


def _organise(user, application=None):
    if is_organiser(user):
        return ALLOWED
    return False, _("Only organisers can do this.")


def _receipt(user, application):
    allowed, reason = _view(user, application)
    if not allowed:
        return allowed, reason
    if not application.code:
        return False, _("A receipt exists only after submission.")
    return ALLOWED


def _start(user, edition):
    if not user.is_authenticated:
        return False, _("Log in to start an application.")
    if not phases.can_submit(edition):
        return False, _("This edition is not accepting submissions.")
    return ALLOWED


RULES = {
    "view": _view,
    "edit": _edit,
    "edit_partners": _edit_section("partners"),
    "edit_attachments": _edit_section("attachments"),
    "submit": _submit,
    "withdraw": _withdraw,
    "invite": _invite,
    "review": _review,
    "organise": _organise,
    "receipt": _receipt,
    "start": _start,
}


def check(user, action, obj=None):
    """(allowed, reason) for `user` doing `action` on `obj` (an application, an edition for "start")."""
    return RULES[action](user, obj)


def can(user, action, obj=None):
    return check(user, action, obj)[0]


def require(user, action, application):
    """For views: 404 when the user may not even see the application, 403 with the reason otherwise."""
    if not check(user, "view", application)[0]:
        raise Http404
    allowed, reason = check(user, action, application)
    if not allowed:
        if action == "organise":  # organisers' pages do not exist for anyone else
            raise Http404
        raise PermissionDenied(reason)


def actions_for(user, application):
    """Every action's answer at once, for templates."""
    return {name: rule(user, application)[0] for name, rule in RULES.items() if name not in ("start", "organise")}
