"""App config for the jury: the jury's answers to events of other apps are wired here, in one place."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = _("Jury")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from applications.signals import application_changed

        from . import receivers

        user_logged_in.connect(receivers.remember_juror, dispatch_uid="jury.remember_juror")
        application_changed.connect(receivers.application_changed, dispatch_uid="jury.detect_conflicts")
