"""Logging a staff member in the real way in tests: password, then a TOTP code computed from the secret."""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def totp_code(secret, at=None):
    """RFC 6238 code (SHA-1, 30 s, 6 digits), computed independently of allauth."""
    counter = int(at if at is not None else time.time()) // 30
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def activate_totp(user):
    """Give `user` a TOTP authenticator; returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def login_with_mfa(client, user, secret=None, password=PASSWORD):
    """Log in through allauth's login page and its two-factor step, as a person does; returns the TOTP secret.

    A code is accepted once: log the same user in at most once per 30 seconds."""
    secret = secret or activate_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert (response.status_code, response.get("Location")) == (302, reverse("mfa_authenticate")), response
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] != reverse("mfa_authenticate"), response
    return secret


def login_with_password(client, user, password=PASSWORD):
    """allauth's login with the password alone (a user without an authenticator, or before the code step)."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response
    return response
