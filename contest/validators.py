"""Text rules shared by the forms of every app: single-line fields refuse control and invisible format characters.

A line break in a title reaches e-mail subjects, CSV cells and headings; Django refuses to send an e-mail whose
subject holds one, so the message would be lost. Refusing it where it is typed is the one clear place.
"""

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
