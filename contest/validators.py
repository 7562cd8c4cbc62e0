"""Text rules shared by the forms of every app: single-line fields refuse control and invisible format characters.

A line break in a title reaches e-mail subjects, CSV cells and headings; Django refuses to send an e-mail whose
subject holds one, so the message would be lost. Refusing it where it is typed is the one clear place.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_FORBIDDEN_CATEGORIES = {"Cc", "Zl", "Zp"}


def validate_single_line(value):
    text = str(value)
    if any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in text):
        raise ValidationError(
            _("Write this on a single line: line breaks, tabs and other control characters are not allowed."),
            code="control_characters",
        )
    # Format characters (category Cf) are invisible: text-direction controls (U+202A–U+202E, U+2066–U+2069) make a
    # name read differently from how it is stored, soft hyphens and zero-width spaces split a word so that it no
    # longer matches (a search, a conflict check, the jurors' redaction).
    if any(unicodedata.category(ch) == "Cf" for ch in text):
        raise ValidationError(
            _(
                "Remove the invisible formatting characters (text-direction marks, zero-width spaces, soft hyphens);"
                " they often come with text pasted from another document."
            ),
            code="format_characters",
        )


def is_single_line(field):
    """A text field drawn as one line (not a text area, not a password)."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, (forms.Textarea, forms.PasswordInput))


# Text-direction controls: embeddings, overrides, isolates, their pops, and the direction marks (LRM, RLM, ALM).
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def validate_no_direction_controls(value):
    """For text areas: line breaks and tabs stay, text-direction controls go.

    A right-to-left override makes the browser draw "kenyzsąbZ" as "Zbąszynek": a name shown to jurors and
    organisers differently from how it is stored (and from how redaction reads it).
    """
    if any(ch in DIRECTION_CONTROLS for ch in str(value)):
        raise ValidationError(
            _(
                "Remove the invisible text-direction characters; they make the text display differently from how"
                " it is saved. They often come with text pasted from another document."
            ),
            code="direction_characters",
        )


def is_multi_line(field):
    """A text field drawn as a text area."""
    return isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)


class MultiLineMixin:
    """For forms: every text area refuses text-direction controls (line breaks and tabs are fine there)."""

    def full_clean(self):
        for field in self.fields.values():
            if is_multi_line(field) and not field.disabled and validate_no_direction_controls not in field.validators:
                field.validators.append(validate_no_direction_controls)
        super().full_clean()


class SingleLineMixin:
    """For forms: every single-line text field refuses control characters, including fields added in __init__."""

    def full_clean(self):
        for field in self.fields.values():
            if is_single_line(field) and not field.disabled and validate_single_line not in field.validators:
                field.validators.append(validate_single_line)
        super().full_clean()


# Personal data in texts that are kept for good --------------------------------------------------------------------
#
# Reasons typed when a decision is locked, a conflict lifted or an entry rejected go into the audit trail, whose
# events are hashed into a chain and can never be changed or erased. Under RODO a person may ask for their data to be
# erased; the trail survives that only if it holds none. E-mail addresses and phone numbers are the personal data
# people actually type there ("as agreed with jan.kowalski@…", "call 600 700 800"), so those forms refuse them.

# An e-mail address anywhere in a text: something@domain.tld, however it ends.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# An address spelt out so that it slips past EMAIL: "jan (at) example.com", "jan [at] example [dot] com",
# "jan @ example.com", "jan małpa example kropka pl". A bare "at" is an English word, so only its bracketed form
# counts; whatever the "@" is written as, a domain ending in letters must follow it.
_AT = r"(?:@|[(\[{<]\s*(?:at|małpa|malpa)\s*[)\]}>]|\s(?:małpa|malpa)\s)"
_DOT = r"(?:\.|\s*[(\[{<]\s*(?:dot|kropka)\s*[)\]}>]\s*|\s+(?:dot|kropka)\s+)"
SPELT_EMAIL = re.compile(
    rf"[\w.+-]+\s*{_AT}\s*[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}(?![\w])", re.IGNORECASE
)


def fold(text):
    """The text as it reads, not as it is encoded: NFKC turns look-alikes into the plain characters (a full-width
    "＠" or a small "﹫" into "@", full-width digits into digits, thin and no-break spaces into spaces); every other
    space (Zs) becomes " " and every dash (Pd: en dash, em dash, figure dash) "-", so that the patterns below, written
    with plain characters, see what a reader sees."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(
        " " if unicodedata.category(ch) == "Zs" else "-" if unicodedata.category(ch) == "Pd" else ch for ch in text
    )


# A run of digits joined by up to three separators (spaces, dots, hyphens, underscores, slashes, brackets: "600 - 700
# - 800"), optionally after an international prefix; run on folded text. Dates (8 digits), postcodes (5), NIP (10),
# KRS (10), years and amounts are not phone numbers by the rules in _is_phone.
_DIGIT_RUN = re.compile(r"(?<![\w+])(?P<prefix>\+|00(?=[ ]?[1-9]))?[ ]?\(?\d(?:[ ._\-/()]{0,3}\d)+\)?")
_SEPARATORS = re.compile(r"[ ._\-/()]")
# Words that say the digits after them are a phone number, so that even an unbroken "600700800" counts.
_PHONE_CUE = re.compile(r"(?:tel|telefon\w*|phone|mobile|kom|komórk\w*|fax|gsm|sms|nr)\W{0,4}$", re.IGNORECASE)
# Words that say the digits before them are an amount ("150 000 000 zł"), not a number to call.
_AMOUNT_AFTER = re.compile(r"\s*(?:zł|złotych|pln|eur|euro|usd|%|proc)", re.IGNORECASE)


def _is_phone(match, text):
    digits = re.sub(r"\D", "", match.group(0))
    if match.group("prefix"):
        # +48 600 700 800, 0048 22 123 45 67, +44 20 7946 0958: country code and number, 8 to 15 digits.
        count = len(digits) - (2 if match.group("prefix") == "00" else 0)
        return 8 <= count <= 15
    if _AMOUNT_AFTER.match(text, match.end()):
        return False
    grouped = bool(_SEPARATORS.search(match.group(0).strip(" ()")))
    if len(digits) == 9:
        # 600 700 800, 600-700-800, (22) 123 45 67, 22 123 45 67; an unbroken nine digits may be a REGON, so only
        # after a word such as "tel." does it count.
        return grouped or bool(_PHONE_CUE.search(text[max(0, match.start() - 16) : match.start()]))
    # 48 600 700 800: the country code without its plus.
    return len(digits) == 11 and digits.startswith("48") and grouped


def find_email(text):
    """The first e-mail address in `text`, or None, however its "@" and dots are written."""
    text = fold(text)
    found = EMAIL.search(text) or SPELT_EMAIL.search(text)
    return found.group(0) if found else None


def find_phone(text):
    """The first phone number in `text`, or None, whatever spaces and dashes separate its digits."""
    text = fold(text)
    return next((match.group(0).strip() for match in _DIGIT_RUN.finditer(text) if _is_phone(match, text)), None)


def validate_no_contact_details(value):
    """For texts kept in the hash-chained audit trail (reasons): no e-mail addresses, no phone numbers.

    Used by every form that takes such a reason; contest.audit.record refuses an e-mail in a reason as well, as a
    guard for programmers (a form should have refused it first, with this message).
    """
    if find_email(value):
        raise ValidationError(
            _(
                "Remove the e-mail address: this reason is kept for good in the audit trail, which cannot be changed "
                "or erased, so it must not hold personal data. Refer to people by their role (for example “the "
                "juror”, “the applicant”)."
            ),
            code="email_in_reason",
        )
    if find_phone(value):
        raise ValidationError(
            _(
                "Remove the phone number: this reason is kept for good in the audit trail, which cannot be changed "
                "or erased, so it must not hold personal data. Refer to people by their role (for example “the "
                "juror”, “the applicant”)."
            ),
            code="phone_in_reason",
        )
