"""Review 17: an empty DJANGO_STATIC_ROOT (or DJANGO_MEDIA_ROOT), as an env file writes `DJANGO_STATIC_ROOT=`, must
not make the working directory the static root: whitenoise then served every file under it at /static/ (.env,
db.sqlite3, private-media/ ...) with DEBUG off."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def _settings(tmp_path, **extra):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(BASE_DIR),
        **extra,
    )
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STATIC_ROOT); print(settings.MEDIA_ROOT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return [Path(line) for line in result.stdout.split()]


@pytest.mark.parametrize("variable", ["DJANGO_STATIC_ROOT", "DJANGO_MEDIA_ROOT"])
def test_an_empty_root_variable_is_the_default_not_the_working_directory(tmp_path, variable):
    static_root, media_root = _settings(tmp_path, **{variable: ""})

    assert static_root == BASE_DIR / "staticfiles"
    assert media_root == BASE_DIR / "private-media"


def test_an_empty_static_root_does_not_serve_the_working_directory(tmp_path):
    (tmp_path / ".env").write_text("DJANGO_SECRET_KEY=do-not-serve-me\n")
    alphabet = string.ascii_letters + string.digits
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_STATIC_ROOT="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PYTHONPATH=str(BASE_DIR),
    )
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(raise_request_exception=False).get('/static/.env', secure=True); "
        "print('STATUS', r.status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )

    # Without collected files the error page itself fails (500); what matters is that the file is not sent.
    status = result.stdout.split("STATUS")[-1].strip()
    assert status != "200", (result.stdout[-2000:], result.stderr[-2000:])
