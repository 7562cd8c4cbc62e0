"""Account verbs that matter for access: changing a person's roles and setting their password, each audited."""
from django.contrib.auth import get_user_model
from django.db import transaction

from contest.audit import record

ROLE_FLAGS = ("is_superuser", "is_staff", "is_organiser", "is_active")
ROLE_SETS = ("groups", "user_permissions")
ROLE_FIELDS = ROLE_FLAGS + ROLE_SETS


@transaction.atomic
def change_roles(user, *, by, **changes):
    """Set the given role flags and sets (groups, user_permissions) and record one audit event of what changed.

    Callers decide who may change roles (the admin: superusers only). The event holds ids only: the flags
    before and after, and the ids of groups and permissions added or removed. Returns the event, or None
    when nothing changed.
    """
    unknown = sorted(set(changes) - set(ROLE_FIELDS))
    if unknown:
        raise TypeError(f"Not a role field: {', '.join(unknown)}")
    stored = get_user_model().objects.select_for_update().get(pk=user.pk)
    changed = {}
    flags = [name for name in ROLE_FLAGS if name in changes and getattr(stored, name) != bool(changes[name])]
    for name in flags:
        changed[name] = {"from": getattr(stored, name), "to": bool(changes[name])}
        setattr(stored, name, bool(changes[name]))
        setattr(user, name, bool(changes[name]))
    if flags:
        stored.save(update_fields=flags)
    for name in ROLE_SETS:
        if name not in changes:
            continue
        related = getattr(stored, name)
        before = set(related.values_list("pk", flat=True))
        after = {getattr(item, "pk", item) for item in changes[name]}
        if before != after:
            related.set(after)
            changed[name] = {"added": sorted(after - before), "removed": sorted(before - after)}
    if not changed:
        return None
    return record("user.roles_changed", actor=by, target=stored, **changed)


def record_password_set(user, *, by):
    """Record that an administrator set or disabled a person's password (the admin's password form)."""
    return record("user.password_set", actor=by, target=user)


PROFILE_FIELDS = ("full_name", "phone", "email_language")


@transaction.atomic
def update_profile(user, *, by, **values):
    """Correct the person's name and phone (RODO art. 16). The audit event names the fields changed, never their
    values: the trail outlives an erasure. Returns the event, or None when nothing changed."""
    unknown = sorted(set(values) - set(PROFILE_FIELDS))
    if unknown:
        raise TypeError(f"Not a profile field: {', '.join(unknown)}")
    stored = get_user_model().objects.select_for_update().get(pk=user.pk)
    changed = [name for name, value in values.items() if getattr(stored, name) != value]
    for name in changed:
        setattr(stored, name, values[name])
        setattr(user, name, values[name])
    if not changed:
        return None
    stored.save(update_fields=changed)
    return record("user.profile_changed", actor=by, target=stored, fields=sorted(changed))
