"""Signal receivers of the jury: remember at login whether the user is on a jury (so the navigation needs no query
on every page), and re-run conflict detection when an entry's partners, co-editors or status change."""

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from applications.models import Application, Partner, Status

SESSION_FLAG = "is_juror"


@receiver(user_logged_in, dispatch_uid="jury.remember_juror")
def remember_juror(sender, request, user, **kwargs):
    from .models import JuryMember

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_FLAG] = JuryMember.objects.filter(user=user, is_active=True).exists()


def _detect_for(application_id):
    from .models import JuryMember
    from .services import detect_conflicts

    application = (
        Application.objects.filter(pk=application_id, status__in=Status.CONFLICT_RELEVANT)
        .select_related("edition")
        .first()
    )
    if application is None or not JuryMember.objects.filter(edition=application.edition, is_active=True).exists():
        return
    detect_conflicts(application.edition, applications=[application])


@receiver(post_save, sender=Partner, dispatch_uid="jury.partner_saved")
@receiver(post_delete, sender=Partner, dispatch_uid="jury.partner_deleted")
def partner_changed(sender, instance, **kwargs):
    application_id = instance.application_id
    transaction.on_commit(lambda: _detect_for(application_id))


@receiver(post_save, sender=Application, dispatch_uid="jury.application_saved")
def application_saved(sender, instance, **kwargs):
    if instance.status in Status.CONFLICT_RELEVANT:
        application_id = instance.pk
        transaction.on_commit(lambda: _detect_for(application_id))


@receiver(m2m_changed, sender=Application.editors.through, dispatch_uid="jury.editors_changed")
def editors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A juror who becomes a co-editor of an entry has a conflict with it (and loses it when removed)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    application_ids = pk_set if reverse else {instance.pk}
    for application_id in application_ids or ():
        transaction.on_commit(lambda application_id=application_id: _detect_for(application_id))
