"""A juror scores three entries in the workspace, on a desktop and on a phone, counting the page loads it takes.

The walk is written against what the pages offer, not against their URLs (on the dashboard: the first "Score"
link; on a scorecard: fill it in and submit), so the same walk counts the page loads of any version of the flow.
"""

import re

import pytest

from jury.models import Assignment, Scorecard
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JUSTIFICATION = "Problem dobrze zdiagnozowany, rezultaty zmierzone i opisane wraz ze źródłem danych."
PHONE_WIDTH = 390


def _scene():
    edition = f.EditionFactory(phase="scoring", min_justification_length=30)
    f.CriterionFactory(edition=edition, name="Trafność diagnozy", max_points=10, weight=2, order=1)
    f.CriterionFactory(edition=edition, name="Trwałość", max_points=5, requires_justification=False, order=2)
    requirement = f.AttachmentRequirementFactory(edition=edition, name="Materiały o rezultatach", visible_to_jury=True)
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    entries = []
    for number, identity in enumerate(f.JURY_IDENTITIES[:3], 1):
        entry = f.identified_jury_entry(edition, identity, number)
        f.AttachmentFactory(application=entry, requirement=requirement)
        Assignment.objects.create(member=juror, application=entry)
        f.sign_off(entry)
        entries.append(entry)
    return edition, juror, entries


def _log_in(page):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("juror@example.com")
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _no_horizontal_scroll(page, width):
    if width == PHONE_WIDTH:
        assert page.evaluate("() => document.documentElement.scrollWidth") == PHONE_WIDTH, page.url


def score_three_entries(page, edition, check=lambda page: None):
    """Walk from the dashboard until the three entries are submitted; the number of page loads it took."""
    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    page.goto(f"/jury/{edition.year}/")
    check(page)
    for _step in range(20):
        if Scorecard.objects.filter(status="submitted").count() == 3 and "/scorecard/" not in page.url:
            break
        if page.locator("form.scorecard").count():
            page.locator("input[name^=points_]").nth(0).fill("8")
            page.locator("input[name^=points_]").nth(1).fill("4")
            page.locator("textarea[name^=justification_]").nth(0).fill(JUSTIFICATION)
            page.get_by_role("button", name="Złóż kartę oceny").click()
        else:
            page.get_by_role("link", name=re.compile(r"^Oceń")).first.click()
        page.wait_for_load_state()
        check(page)
    return len(loads)


@pytest.mark.parametrize("width", [1280, PHONE_WIDTH])
def test_juror_scores_three_entries_with_save_and_next(browser, live_server, check_accessibility, settings, width):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition, juror, entries = _scene()
    context = browser.new_context(base_url=live_server.url, locale="pl-PL", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page)

    # The workspace: the entry, its attachment shown in place, the scorecard, the live counter and total.
    page.goto(f"/jury/{edition.year}/entries/{entries[0].code}/scorecard/")
    check_accessibility(page)
    _no_horizontal_scroll(page, width)
    body = page.locator("main").inner_text()
    assert [s for s in f.identifying_strings(f.JURY_IDENTITIES[0]) if s in body] == []
    assert page.title().startswith(f"Karta oceny {entries[0].code}")
    page.locator("input[name^=points_]").nth(0).fill("7")
    page.locator("input[name^=points_]").nth(1).fill("3")
    assert page.locator("#weighted-total strong").inner_text() == "17"  # 7 × 2 + 3 × 1
    page.locator("textarea[name^=justification_]").nth(0).fill("Piętnaście znak")
    assert page.locator(".justification-counter").first.inner_text() == "15 z co najmniej 30 znaków"
    # Save and next keeps the draft and opens the second entry.
    page.get_by_role("button", name="Zapisz i przejdź dalej").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/entries/{entries[1].code}/scorecard/")
    assert Scorecard.objects.get(member=juror, application=entries[0]).status == "draft"
    check_accessibility(page)
    _no_horizontal_scroll(page, width)

    # The whole evening: from the dashboard, submit the three, counting page loads.
    def check(page):
        check_accessibility(page)
        _no_horizontal_scroll(page, width)

    loads = score_three_entries(page, edition, check)
    print(f"\nPage loads to score three entries at {width} px: {loads}")
    assert page.url.endswith(f"/jury/{edition.year}/")
    assert list(Scorecard.objects.filter(member=juror).values_list("status", flat=True)) == ["submitted"] * 3
    # The dashboard, then one workspace per entry; the last submission returns to the dashboard.
    assert loads == 5
    context.close()
