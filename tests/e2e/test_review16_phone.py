"""Review 16: the ranking and the decisions pages on a 375-pixel phone. Before, the page itself grew sideways: the
ranking's two SVG charts kept their 640-pixel width, the snapshots' SHA-256 did not break (735 px for an organiser,
652 px for the chair), and the organiser's decisions table with its title column was 441 px wide."""

import pytest

from jury import services
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Komisja-Konkursowa-2026"
PHONE_WIDTH = 375


def _widths(browser, live_server, user, paths):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": PHONE_WIDTH, "height": 800}, locale="pl-PL"
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    widths = {}
    for path in paths:
        page.goto(path)
        widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    return widths


def test_ranking_and_decisions_fit_a_phone_screen_for_the_organiser_and_the_chair(browser, live_server, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition, entries, jurors = f.ranked_edition(phase="deliberation")
    organiser = f.UserFactory(email="organiser@example.com", is_organiser=True)
    services.record_decision(
        entries[0],
        outcome="laureate",
        place=1,
        prize_tier="Nagroda główna",
        citation="Za wzorowe zarządzanie projektem międzygminnym. " * 5,
        by=organiser,
    )
    services.freeze_ranking(edition, by=organiser)
    chair = jurors[0].user
    for user in (organiser, chair):
        user.set_password(PASSWORD)
        user.save()
    paths = [f"/jury/{edition.year}/ranking/", f"/jury/{edition.year}/decisions/"]

    widths = {
        "organiser": _widths(browser, live_server, organiser, [*paths, f"/jury/{edition.year}/ranking/?names=1"]),
        "chair": _widths(browser, live_server, chair, paths),
    }

    assert widths == {who: dict.fromkeys(found, PHONE_WIDTH) for who, found in widths.items()}
