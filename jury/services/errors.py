"""The refusal every jury service raises; its message is for the user."""

from django.core.exceptions import ValidationError


class JuryError(ValidationError):
    """A refused action; the message is for the user."""
