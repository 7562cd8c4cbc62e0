"""The Polish catalogue is complete: every message the code and templates mark for translation has a Polish text.

makemessages runs on a copy of the sources (it rewrites the catalogue it scans, and the real one must not be
touched), then gettext's msgattrib lists what is untranslated or only guessed (fuzzy)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# Every app (a folder with apps.py), the project's templates and settings, and the catalogues themselves.
SOURCES = sorted(path.parent.name for path in BASE_DIR.glob("*/apps.py")) + ["config", "templates", "locale"]


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext is installed by make test (system-deps)")
def test_every_marked_message_has_a_polish_translation(tmp_path):
    for name in SOURCES:
        shutil.copytree(BASE_DIR / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(BASE_DIR / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "pl", "--no-location", "--verbosity", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    catalogue = tmp_path / "locale" / "pl" / "LC_MESSAGES" / "django.po"
    statistics = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(catalogue)], check=True, capture_output=True, text=True
    ).stderr
    if "untranslated" in statistics or "fuzzy" in statistics:
        listed = subprocess.run(
            ["msgattrib", "--untranslated", "--no-obsolete", str(catalogue)], capture_output=True, text=True
        ).stdout + subprocess.run(
            ["msgattrib", "--only-fuzzy", "--no-obsolete", str(catalogue)], capture_output=True, text=True
        ).stdout
        pytest.fail(f"{statistics.strip()}:\n{listed}")
    assert "translated messages" in statistics
