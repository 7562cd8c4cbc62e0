"""Remember at login whether the user is on a jury, so the navigation needs no query on every page."""
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SESSION_FLAG = "is_juror"


@receiver(user_logged_in, dispatch_uid="jury.remember_juror")
def remember_juror(sender, request, user, **kwargs):
    from .models import JuryMember

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_FLAG] = JuryMember.objects.filter(user=user, is_active=True).exists()
