"""App config for user accounts."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from . import access

        user_logged_in.connect(access.on_login, dispatch_uid="accounts.staff_login")
        authenticator_added.connect(access.on_authenticator_added, dispatch_uid="accounts.mfa_activated")
