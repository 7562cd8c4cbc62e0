"""App config for the published results: the answers to the jury's decision events are wired here."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results")

    def ready(self):
        from jury.signals import decisions_changed

        from . import receivers

        decisions_changed.connect(receivers.decisions_changed, dispatch_uid="results.prepare_publication")
