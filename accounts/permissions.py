"""Roles of an account. The session rules for staff pages (two-factor authentication, session age) live in
accounts.access, the one access policy."""

from .access import is_organiser, is_staff_user

__all__ = ["is_organiser", "is_staff_user"]
