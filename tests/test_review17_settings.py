"""Review 17: an empty DJANGO_STATIC_ROOT (or DJANGO_MEDIA_ROOT), as an env file writes `DJANGO_STATIC_ROOT=`, must
not make the working directory the static root: whitenoise then served every file under it at /static/ (.env,
db.sqlite3, private-media/ ...) with DEBUG off."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_settings import _production_env

BASE_DIR = Path(__file__).resolve().parent.parent


def _python(tmp_path, script, **extra):
    """Run `script` with the production settings from the environment plus `extra`, in `tmp_path` as the working
    directory; return its standard output."""
    env = {**_production_env(), "PYTHONPATH": str(BASE_DIR), **extra}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _settings(tmp_path, **extra):
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STATIC_ROOT); print(settings.MEDIA_ROOT)"
    )
    return [Path(line) for line in _python(tmp_path, script, **extra).split()]


@pytest.mark.parametrize("variable", ["DJANGO_STATIC_ROOT", "DJANGO_MEDIA_ROOT"])
def test_an_empty_root_variable_is_the_default_not_the_working_directory(tmp_path, variable):
    static_root, media_root = _settings(tmp_path, **{variable: ""})

    assert static_root == BASE_DIR / "staticfiles"
    assert media_root == BASE_DIR / "private-media"


def test_an_empty_static_root_does_not_serve_the_working_directory(tmp_path):
    (tmp_path / ".env").write_text("DJANGO_SECRET_KEY=do-not-serve-me\n")
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(raise_request_exception=False).get('/static/.env', secure=True, HTTP_HOST='example.org'); "
        "print('STATUS', r.status_code); print('LEAKED', b'do-not-serve-me' in b''.join(r))"
    )
    output = _python(tmp_path, script, DJANGO_STATIC_ROOT="", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    # Without collected files the error page itself may fail (500); what matters is that the file is not sent.
    assert "STATUS" in output, output
    assert output.split("STATUS")[-1].split()[0] != "200"
    assert "LEAKED False" in output
