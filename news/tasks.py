"""Background work of the announcements: one batch of a dispatch per task. The arguments are ids only; the tokens
of the unsubscribe links are made inside the task, so the task queue never stores one."""

from django.tasks import task


@task
def send_announcement_batch(dispatch_id, subscription_ids):
    from . import services

    return services.send_batch(dispatch_id, subscription_ids)
