"""The chair's way in a real browser (issue 9): from the dashboard link to the ranking, a decision with a citation;
then an organiser locks the decisions with a reason, and the chair downloads the protocol that records them."""

import pytest
from pypdf import PdfReader

from jury.models import Decision, DecisionLock
from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Komisja-Konkursowa-2026"
CITATION = "Za wspólny bilet, który połączył miasto z gminami ościennymi."
REASON = "Posiedzenie Komisji Konkursowej zakończone."


def checked(page, check_accessibility):
    assert page.problems.console_errors == [], page.problems.console_errors
    check_accessibility(page)


def log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def pdf_text(path):
    """The PDF's text with every run of whitespace as one space (a table cell wraps a long citation)."""
    return " ".join(" ".join(sheet.extract_text().split()) for sheet in PdfReader(path).pages)


def test_chair_opens_the_ranking_records_a_decision_an_organiser_locks_and_the_chair_downloads_the_protocol(
    page, live_server, check_accessibility, settings
):
    settings.REQUIRE_MFA_FOR_STAFF = False
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    edition, entries, jurors = f.ranked_edition(phase="deliberation")
    chair = jurors[0].user
    organiser = f.UserFactory(email="organiser@example.com", is_organiser=True)
    for user in (chair, organiser):
        user.set_password(PASSWORD)
        user.save()
    code = entries[0].code

    # The chair: the dashboard's link to the ranking.
    log_in(page, chair)
    page.goto(f"/jury/{edition.year}/")
    checked(page, check_accessibility)
    chair_links = page.get_by_role("region", name="Chairing the committee")
    chair_links.get_by_role("link", name="Ranking").click()
    page.wait_for_url(f"**/jury/{edition.year}/ranking/")
    checked(page, check_accessibility)
    assert page.get_by_text(code).count() > 0

    # A decision with a citation, listed afterwards.
    page.goto(f"/jury/{edition.year}/")
    page.get_by_role("region", name="Chairing the committee").get_by_role("link", name="Decisions").click()
    page.wait_for_url(f"**/jury/{edition.year}/decisions/")
    checked(page, check_accessibility)
    row = page.get_by_role("row").filter(has_text=code)
    row.get_by_text("Record a decision").click()
    row.get_by_label("Outcome").select_option("laureate")
    row.get_by_label("Place").fill("1")
    row.get_by_label("Citation").fill(CITATION)
    row.get_by_role("button", name="Save the decision").click()
    page.wait_for_load_state()
    checked(page, check_accessibility)
    assert CITATION in page.get_by_role("row").filter(has_text=code).inner_text()
    assert Decision.objects.get(application=entries[0]).citation == CITATION

    # An organiser locks the decisions with a reason.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    log_in(page, organiser)
    page.goto(f"/jury/{edition.year}/decisions/")
    checked(page, check_accessibility)
    page.locator("#id_reason").fill(REASON)
    page.get_by_role("button", name="Lock the decisions").click()
    page.wait_for_load_state()
    checked(page, check_accessibility)
    assert page.get_by_role("button", name="Unlock the decisions").count() == 1
    assert DecisionLock.objects.get(edition=edition).reason == REASON

    # The chair downloads the protocol of the committee: a PDF with the locked decision and its citation.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    log_in(page, chair)
    page.goto(f"/jury/{edition.year}/decisions/")
    checked(page, check_accessibility)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Protocol of the committee (PDF)").click()
    download = download_info.value
    path = download.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    text = pdf_text(path)
    assert download.suggested_filename == f"protokol-komisji-{edition.year}.pdf"
    assert f"{code} Gminy 1" in text and CITATION in text and REASON in text
