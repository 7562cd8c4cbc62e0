"""App config for the announcements by e-mail: subscriptions with double opt-in and the dispatches sent to them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Announcements by e-mail")
