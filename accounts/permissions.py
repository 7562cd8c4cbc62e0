"""Role checks for accounts; every rule answers (allowed, reason)."""
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def is_organiser(user):
    return bool(user.is_authenticated and user.is_active and (user.is_organiser or user.is_superuser))


def has_mfa(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_satisfied(user):
    """Jurors and organisers must have two-factor authentication on unless the setting relaxes it."""
    if not getattr(settings, "REQUIRE_MFA_FOR_STAFF", False):
        return True, ""
    if has_mfa(user):
        return True, ""
    return False, _("Turn on two-factor authentication to continue.")
