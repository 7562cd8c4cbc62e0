"""Recording audit events (every state change that matters calls record() inside its transaction) and reading them
back."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def record(action, *, actor=None, target=None, edition=None, from_state="", to_state="", reason="", **data):
    event = AuditEvent(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        edition=edition,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        data=data,
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
    event.save()
    return event


def history(target, *, action):
    """The events of one kind recorded about `target`, newest first, with their actors."""
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        action=action,
    ).select_related("actor")
