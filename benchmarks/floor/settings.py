"""The project's own settings and URLs plus one page, /_floor/: a staff page with nothing on it.

It passes what every logged-in staff page passes (the project's middleware, the session and the user read from the
database, the staff-session policy with its second-factor check) and renders base.html around one heading: the least
a logged-in juror's or organiser's page can cost on this stack. benchmarks/pages.py measures it beside the pages, so
their ratios can be read against what no page of theirs can beat.
"""

from config.settings import *  # noqa: F403 (the project's settings, unchanged but for the two lines below)
from config.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "benchmarks.floor.urls"
# A new list and dict: the imported ones are config.settings' own, which benchmarks/pages.py measures the pages with.
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "benchmarks" / "floor"]}, *TEMPLATES[1:]]
