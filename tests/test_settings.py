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


def test_check_deploy_production_settings_has_no_issues():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert (result.returncode, "no issues" in result.stdout, result.stderr) == (0, True, ""), result.stdout


def test_settings_without_secret_key_refuse_production():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )

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
