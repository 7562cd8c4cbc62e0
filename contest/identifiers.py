"""Polish registry numbers (NIP, REGON, KRS) and organisation names, cleaned one way for every form and service.

Numbers are stored as compact ASCII digits only: people type separators ("525-001-12-66"), a "PL" prefix on a NIP,
or full-width digits from a phone keyboard ("１２３４..."); all of these become "5250011266", so that an entry's
partner and a juror's affiliation compare equal. Anything that is not a digit 0–9 after that is refused.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

# Spaces (NFKC turns the no-break kinds into plain ones), dots, slashes and every dash people paste from documents.
SEPARATORS = re.compile(r"[\s./\-‐‑‒–—―−]+")
ASCII_DIGITS = re.compile(r"[0-9]*")
KRS_LENGTH = 10


def compact(value):
    """The value without separators, compatibility forms folded (full-width digits become ASCII); never raises.

    For comparing and for migrating stored values; forms and services use clean_nip/clean_regon/clean_krs.
    """
    value = unicodedata.normalize("NFKC", str(value or ""))
    return SEPARATORS.sub("", value).upper()


def _checked(value, validate, messages):
    """value (compact, non-empty) checked by a python-stdnum validator; messages: not digits, length, checksum."""
    not_digits, wrong_length, wrong_checksum = messages
    if not ASCII_DIGITS.fullmatch(value):
        raise ValidationError(not_digits, code="invalid")
    try:
        return validate(value)
    except InvalidLength:
        raise ValidationError(wrong_length, code="length") from None
    except InvalidChecksum:
        raise ValidationError(wrong_checksum, code="checksum") from None


def clean_nip(value):
    """A NIP as 10 ASCII digits ("" when empty), or ValidationError saying what is wrong."""
    value = compact(value)
    if value.startswith("PL") and len(value) > 2:  # the EU VAT form of a Polish NIP
        value = value[2:]
    if not value:
        return ""
    return _checked(
        value,
        stdnum_nip.validate,
        (
            _("A NIP has 10 digits 0–9, e.g. 5260250274; letters and other signs are not allowed."),
            _("A NIP has 10 digits, e.g. 5260250274."),
            _("This NIP is not valid (check the digits)."),
        ),
    )


def clean_regon(value):
    """A REGON as 9 or 14 ASCII digits ("" when empty), or ValidationError saying what is wrong."""
    value = compact(value)
    if not value:
        return ""
    return _checked(
        value,
        stdnum_regon.validate,
        (
            _("A REGON has 9 or 14 digits 0–9; letters and other signs are not allowed."),
            _("A REGON has 9 or 14 digits."),
            _("This REGON is not valid (check the digits)."),
        ),
    )


def clean_krs(value):
    """A KRS number as 10 ASCII digits, leading zeros added ("" when empty), or ValidationError.

    The register has no check digit; people often leave out the leading zeros (123456 is 0000123456).
    """
    value = compact(value)
    if not value:
        return ""
    if not ASCII_DIGITS.fullmatch(value):
        message = _("A KRS number has 10 digits 0–9, e.g. 0000123456; letters and other signs are not allowed.")
        raise ValidationError(message, code="invalid")
    if len(value) > KRS_LENGTH:
        raise ValidationError(_("A KRS number has 10 digits, e.g. 0000123456."), code="length")
    return value.zfill(KRS_LENGTH)


# Words that say what kind of organisation or unit a name belongs to, not which one: legal forms and types of local
# government, with their common inflections. Names are compared without them; redaction never hides them alone.
ORGANISATION_WORDS = frozenset(
    {
        "gmina",
        "gminy",
        "gminie",
        "gminą",
        "gmin",
        "miasto",
        "miasta",
        "mieście",
        "miejska",
        "miejsko",
        "wiejska",
        "miejsko-wiejska",
        "powiat",
        "powiatu",
        "powiecie",
        "województwo",
        "województwa",
        "urząd",
        "urzędu",
        "starostwo",
        "starostwa",
        "powiatowe",
        "stowarzyszenie",
        "stowarzyszenia",
        "fundacja",
        "fundacji",
        "związek",
        "związku",
        "spółka",
        "akcyjna",
        "sp",
        "sp.",
        "o.o.",
        "o.o",
        "s.a.",
        "sa",
    }
)

# Legal forms written as several abbreviated words ("sp. z o.o.", "S.A.", "spółka z ograniczoną odpowiedzialnością").
LEGAL_FORMS = re.compile(
    r"\b(sp\.?\s*z\s*o\.?\s*o\.?|s\.\s*a\.?|z\s+ograniczoną\s+odpowiedzialnością)(?!\w)", re.IGNORECASE
)
QUOTES = re.compile(r"[\"'„”“«»]")


def normalise_name(name):
    """An organisation name reduced for comparison: lower case, no legal form or kind of unit, no punctuation."""
    name = unicodedata.normalize("NFKC", name or "").casefold()
    name = LEGAL_FORMS.sub(" ", QUOTES.sub(" ", name))
    words = re.findall(r"\w+(?:-\w+)*", name)
    return " ".join(word for word in words if word not in ORGANISATION_WORDS)
