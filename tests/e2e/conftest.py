"""Browser tests: the system Chromium driven by Playwright against pytest-django's live server, checked by axe-core."""
import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's package, Ubuntu's name for it, or Chrome; E2E_CHROMIUM wins (.ci/system-deps.sh looks for the same).
CHROMIUM = os.environ.get("E2E_CHROMIUM") or next(
    (found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))),
    "/usr/bin/chromium",
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM} (install the 'chromium' package or set E2E_CHROMIUM).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Close the connections opened under Playwright's loop, or PostgreSQL refuses to drop the test database.
        connections.close_all()


class PageProblems:
    """What went wrong while browsing: failed requests and console errors (a CSP violation is one)."""

    def __init__(self, page):
        self.failed_responses = []
        self.console_errors = []
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _on_response(self, response):
        if response.status >= 400:
            self.failed_responses.append(f"{response.status} {response.url}")

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)


@pytest.fixture(autouse=True)
def _register_of_units(live_server, transactional_db):
    """Put back the TERC register the migration loads: each browser test's flush removes it, and a bulk insert
    takes a moment where a serialized rollback of the 1.4 MB snapshot costs seconds per test."""
    from tests.factories import ensure_terc

    ensure_terc()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = PageProblems(page)
    yield page
    # Let the last requests finish before the database is flushed: with SQLite in memory the live server
    # shares the test's connection, and a request still running would mix its transaction with the flush.
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except Exception:  # a page that never settles must not hide the test's own result
        pass
    context.close()


@pytest.fixture
def check_accessibility():
    """Run axe-core on the current page; fail on any serious or critical violation, listing them."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        violations = axe.run(page).response["violations"]
        blocking = [violation for violation in violations if violation.get("impact") in BLOCKING_IMPACTS]
        report = "\n".join(
            f"{v['impact']}: {v['id']} ({v['help']}) at {[node['target'] for node in v['nodes']]}" for v in blocking
        )
        assert blocking == [], f"Accessibility violations on {page.url}:\n{report}"

    return check
