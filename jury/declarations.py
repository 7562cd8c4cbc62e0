"""The text of the jurors' impartiality declaration, versioned: an ImpartialityDeclaration row keeps the text and
version signed (as applications.declarations does for the applicants' declarations)."""

from django.utils.translation import gettext as _

DECLARATION_VERSION = "2026.1"


def declaration_text():
    return _(
        "I declare that I am impartial towards every entry I will score in this edition of the competition. "
        "I have no personal, professional, financial or family ties with the partnerships, partners or people "
        "behind the entries assigned to me, other than those I have recorded as affiliations. If I recognise an "
        "entry I have a conflict of interest with, I will declare it at once and will not score it. I will keep "
        "the content of the entries and the work of the committee confidential."
    )
