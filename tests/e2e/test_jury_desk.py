"""The jury desk in a real browser: the organisers' board, members page and assignment grid on a 390-pixel phone
(tables scroll inside their box, the page does not), the "Remind" button, and the scorecard's live total agreeing
with what the server keeps for every kind of typed points."""

import pytest
from django.core import mail

from jury.models import Assignment, Scorecard
from tests import factories as f
from tests.test_jury_desk import POINTS_CASES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_desk_pages_on_a_phone_and_a_reminder(browser, live_server, check_accessibility, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = f.EditionFactory(phase="scoring")
    f.CriterionFactory(edition=edition)
    jurors = [
        f.declared_juror(edition, user=f.UserFactory(email=f"juror{n}@example.com", full_name=f"Juror Numer{n}"))
        for n in range(1, 6)
    ]
    for number in range(1, 9):
        entry = f.jury_entry(edition, number)
        for juror in jurors[:3]:
            Assignment.objects.create(member=juror, application=entry)
    Scorecard.objects.create(member=jurors[0], application=entry, status="submitted")
    f.UserFactory(email="organiser@example.com", is_organiser=True)
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": PHONE_WIDTH, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, "organiser@example.com")

    for path in ("manage/", "manage/members/", "manage/assignment/"):
        page.goto(f"/jury/{edition.year}/{path}")
        check_accessibility(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") == PHONE_WIDTH, path

    page.goto(f"/jury/{edition.year}/manage/assignment/")
    assert page.locator("td.cell-assigned").count() == 8 * 3
    assert page.locator("td.cell-assigned").first.inner_text().startswith("✓ przydzielony")

    page.goto(f"/jury/{edition.year}/manage/")
    page.get_by_role("button", name="Przypomnij Juror Numer2").click()
    page.wait_for_load_state()
    assert page.get_by_text("Wysłano przypomnienie do: Juror Numer2.").is_visible()
    assert [m.to for m in mail.outbox] == [["juror2@example.com"]]
    assert page.get_by_role("button", name="Przypomnij Juror Numer2").count() == 0
    check_accessibility(page)
    context.close()


def test_live_total_counts_what_the_server_keeps(browser, live_server, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = f.EditionFactory(phase="scoring")
    f.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, weight=2, order=1)
    f.CriterionFactory(edition=edition, name="Trwałość", max_points=5, weight=1, order=2)
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    entry = f.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    f.sign_off(entry)
    context = browser.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, "juror@example.com")
    page.goto(f"/jury/{edition.year}/entries/{entry.code}/scorecard/")
    points = page.locator("input[name^=points_]")
    points.nth(1).fill("3")
    shown = {}
    for typed, _kept in POINTS_CASES:
        points.nth(0).fill(typed)
        shown[typed] = page.locator("#weighted-total strong").inner_text()
    # 3 × 1 plus what the server keeps × 2 (tests/test_jury_desk.py asks the server the same list).
    assert shown == {typed: str(3 + 2 * (kept or 0)) for typed, kept in POINTS_CASES}
    context.close()
