"""Production settings pass Django's deployment checks; pages keep a strict Content-Security-Policy."""
import os
import re
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/edycje/"]


def _production_env():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        DJANGO_ALLOWED_HOSTS="example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def _run(args, env):
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_production_settings_has_no_issues():
    result = _run(["manage.py", "check", "--deploy"], _production_env())

    assert (result.returncode, "no issues" in result.stdout, result.stderr) == (0, True, ""), result.stdout


def test_production_email_goes_through_smtp_by_default():
    script = "import django; django.setup(); from django.conf import settings; print(settings.MAILERS)"

    result = _run(["-c", script], _production_env())

    assert "'BACKEND': 'django.core.mail.backends.smtp.EmailBackend'" in result.stdout, result.stderr


def test_check_deploy_console_email_in_production_is_reported():
    env = {**_production_env(), "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}

    result = _run(["manage.py", "check", "--deploy"], env)

    # communications.E001: Django's mail.E001 looks at the default mailer, which is the sent-mail log wrapping it.
    assert (result.returncode != 0, "communications.E001" in result.stderr) == (True, True)


def test_settings_without_secret_key_refuse_production():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]

    result = _run(["manage.py", "check"], env)

    assert (result.returncode != 0, "DJANGO_SECRET_KEY" in result.stderr) == (True, True)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_csp_header_forbids_inline_code(client, path):
    response = client.get(path)

    policy = response["Content-Security-Policy"]
    assert ("'unsafe-inline'" in policy, "script-src 'self'" in policy, "style-src 'self'" in policy) == (
        False,
        True,
        True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script(client, path):
    html = client.get(path).content.decode()

    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html, re.IGNORECASE) if "src=" not in tag]
    assert inline_scripts == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_style(client, path):
    html = client.get(path).content.decode()

    found = re.findall(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=", html, re.IGNORECASE)
    assert found == []


@pytest.mark.django_db
def test_pages_with_current_edition_have_no_inline_code(client):
    from tests.factories import CategoryFactory, CriterionFactory, EditionFactory

    edition = EditionFactory(phase="submissions", description="Opis <b>konkursu</b>")
    CategoryFactory(edition=edition)
    CriterionFactory(edition=edition)

    html = client.get("/").content.decode() + client.get(f"/edycje/{edition.year}/").content.decode()

    found = re.findall(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=|<script>", html, re.IGNORECASE)
    assert found == []
