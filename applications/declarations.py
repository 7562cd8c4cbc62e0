"""The texts of the applicants' declarations, versioned: a Declaration row keeps the text and version accepted."""

from django.utils.translation import gettext_lazy as _

VERSION = "2026-1"

TEXTS = {
    "truth": _(
        "I declare that the information given in this application and its attachments is true and complete, "
        "and that I am authorised to submit it on behalf of the partnership."
    ),
    "publication": _(
        "On behalf of the partnership I consent to the publication of the project's description, results and "
        "attachments marked for publication by the Association of Polish Cities as an example of good practice."
    ),
    "privacy": _(
        "I have read the information clause: the Association of Polish Cities processes the personal data given "
        "in this application to run the competition (Article 6(1)(e) and (f) GDPR), keeps it for five years after "
        "the edition ends, and I may request access to, correction or erasure of the data."
    ),
}


def current(kind):
    """(version, text) of the declaration shown now, in the active language."""
    return VERSION, str(TEXTS[kind])
