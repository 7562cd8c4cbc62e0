"""App config for the retention of personal data: per-edition retention policies, the daily run that applies them,
the register of processing activities (RODO art. 30) and the organisers' report."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = _("Retention of personal data")
