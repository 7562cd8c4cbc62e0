"""The information clause (RODO art. 13) as shown to people, versioned: the organisers keep its text on the information
page "ochrona-danych" (contest.InfoPage); its version is a fingerprint of that text, so every edit makes a new
version by itself. Where the clause is shown (at sign-up, at the submission of an application, at a juror's
registration) an accounts.Consent row keeps the version and the exact text shown, as the other consent texts do."""

import hashlib

from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import Consent

from .models import InfoPage

# Where the clause was shown: the Consent.kind recorded for each place.
KINDS = {
    "signup": "information_clause_signup",
    "submission": "information_clause_submission",
    "juror": "information_clause_juror",
}


def version_of(page):
    """The version of the clause: the first 12 hex digits of the SHA-256 of both languages' titles and texts."""
    content = "\n\x1e\n".join([page.title_pl, page.body_pl, page.title_en, page.body_en])
    return hashlib.sha256(content.encode()).hexdigest()[:12]


def current():
    """(version, title, text) of the clause in the active language, or None when the page does not exist."""
    page = InfoPage.objects.filter(slug=InfoPage.Slug.PRIVACY).first()
    if page is None:
        return None
    title, body = page.in_language(get_language())
    return version_of(page), title, body


def record_shown(user, where, at=None):
    """Record that `user` was shown the current clause at `where` (a key of KINDS); None when there is no clause."""
    shown = current()
    if shown is None:
        return None
    version, title, body = shown
    return Consent.objects.create(
        user=user, kind=KINDS[where], text_version=version, text=f"{title}\n\n{body}", given_at=at or timezone.now()
    )
