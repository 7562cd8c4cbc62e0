"""Review 17: the benchmark's logged-in floor (benchmarks/floor/) is never part of the project: config.urls does not
serve /_floor/, and importing the floor's settings (benchmarks/pages.py does, in the process that measures the real
pages through the project's settings) leaves the project's own settings as they were."""

import subprocess
import sys
from pathlib import Path

from django.urls import Resolver404, resolve

BASE_DIR = Path(__file__).resolve().parent.parent


def test_the_project_does_not_serve_the_floor():
    try:
        resolve("/_floor/", urlconf="config.urls")
    except Resolver404:
        pass
    else:
        raise AssertionError("/_floor/ resolves in config.urls")


def test_importing_the_floor_settings_leaves_the_project_templates_alone():
    script = (
        "import config.settings as project; before = repr(project.TEMPLATES); "
        "import benchmarks.floor.settings as floor; "
        "print(repr(project.TEMPLATES) == before, 'floor' in repr(floor.TEMPLATES))"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, capture_output=True, text=True, timeout=120)

    assert result.stdout.split() == ["True", "True"], result.stderr[-2000:]
