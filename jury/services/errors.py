"""The refusal every jury service raises; its message is for the user (contest.errors says how views show it)."""

from contest.errors import ServiceError


class JuryError(ServiceError):
    """A refused action; the message is for the user."""
