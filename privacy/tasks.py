"""Background work of the data rights: building a download and mailing its link, telling organisers of a request."""

from django.tasks import task
from django.urls import reverse

from contest import emails


@task
def build_export(export_id):
    from . import services
    from .models import DataExport

    export = DataExport.objects.select_related("user").filter(pk=export_id, status=DataExport.Status.PENDING).first()
    if export is None:
        return
    try:
        export = services.write_export(export)
    except Exception:
        pending = DataExport.objects.filter(pk=export.pk, status=DataExport.Status.PENDING)
        pending.update(status=DataExport.Status.FAILED)
        raise
    if export is None:
        return
    # The address now, not when the task started: an erasure or a verified change may have replaced it.
    user = type(export.user).objects.get(pk=export.user_id)
    if not user.is_active:
        return
    link = emails.absolute_url(reverse("privacy:download", args=[export.public_id]))
    emails.message("privacy/email/export_ready", {"export": export, "link": link}, [user.email]).send()


@task
def send_erasure_received(erasure_id):
    """Tell the organisers a request is waiting: they answer within a month (RODO art. 12(3))."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from .models import ErasureRequest

    erasure = ErasureRequest.objects.filter(pk=erasure_id).first()
    if erasure is None:
        return
    organisers = get_user_model().objects.filter(Q(is_organiser=True) | Q(is_superuser=True), is_active=True)
    addresses = sorted(organisers.values_list("email", flat=True))
    if addresses:
        link = emails.absolute_url(reverse("privacy:erasure_detail", args=[erasure.pk]))
        emails.message("privacy/email/erasure_received", {"erasure": erasure, "link": link}, addresses).send()


@task
def delete_expired_exports():
    from . import services

    return services.delete_expired_exports()
