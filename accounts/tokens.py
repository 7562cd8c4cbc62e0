"""Invitation tokens, one way for every app: the link carries the token, the database only its SHA-256."""
import hashlib
import secrets


def new_token():
    """A fresh token for a link: (token to send, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()
