"""The consent text a subscriber accepts, versioned like the applicants' declarations (applications.declarations):
the SubscriptionConsent row keeps the exact text shown and its version. Change VERSION whenever TEXT changes."""

from django.utils.translation import gettext_lazy as _

VERSION = "2026-1"

TEXT = _(
    "I want to receive announcements of the competition by e-mail (a new call, the approaching deadline, the "
    "results). The Association of Polish Cities processes my e-mail address only to send them, on the basis of "
    "this consent (Article 6(1)(a) GDPR), until I unsubscribe; I may withdraw my consent at any moment with the "
    "link in every message, which does not affect the lawfulness of earlier sending."
)


def current():
    """(version, text) of the consent shown now, in the active language."""
    return VERSION, str(TEXT)
