"""Signal receivers of the jury: remember at login whether the user is on a jury (so the navigation needs no query
on every page), and re-run conflict detection when an entry's partners or status change."""

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from applications.models import Application, Partner, Status

SESSION_FLAG = "is_juror"
# Drafts and withdrawn applications never reach the jury; their partners need no checking.
DETECTED_STATUSES = {Status.SUBMITTED, Status.CORRECTIONS_REQUESTED, Status.ACCEPTED, Status.IN_JURY_REVIEW}


@receiver(user_logged_in, dispatch_uid="jury.remember_juror")
def remember_juror(sender, request, user, **kwargs):
    from .models import JuryMember

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_FLAG] = JuryMember.objects.filter(user=user, is_active=True).exists()


def _detect_for(application_id):
    from .models import JuryMember
    from .services import detect_conflicts

    application = (
        Application.objects.filter(pk=application_id, status__in=DETECTED_STATUSES).select_related("edition").first()
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
    if instance.status in DETECTED_STATUSES:
        application_id = instance.pk
        transaction.on_commit(lambda: _detect_for(application_id))
