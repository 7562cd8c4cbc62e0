"""Hostile review of issue 11 in a browser: the juror's live counter counts as the server does."""

import pytest

from jury.models import Assignment
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_justification_counter_counts_characters_as_the_server_does(browser, live_server, settings):
    """An emoji is one character to the server (Python's len) but two UTF-16 units to JavaScript's .length: the
    counter must not turn green on a justification the server then refuses as too short."""
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = f.EditionFactory(phase="scoring", min_justification_length=10)
    f.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, order=1)
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    entry = f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    f.sign_off(entry)
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("juror@example.com")
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"/jury/{edition.year}/entries/{entry.code}/scorecard/")
    page.locator("textarea[name^=justification_]").fill("👍" * 6)
    counter = page.locator(".justification-counter")
    assert counter.inner_text() == "6 z co najmniej 10 znaków"
    assert "text-success" not in (counter.get_attribute("class") or "")
