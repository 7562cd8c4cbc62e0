"""The organiser's formal review in a real browser, with axe-core checks."""

import datetime

import pytest
from django.utils import timezone

from applications import services
from applications.models import Status
from contest.models import SystemCheck
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Organizator-Konkursu-2026"


def test_organiser_reviews_and_requests_corrections(page, check_accessibility):
    organiser = factories.UserFactory(email="org-e2e@example.com", is_organiser=True, is_staff=True, password=PASSWORD)
    applicant = factories.UserFactory(email="wniosek-e2e@example.com")
    application = factories.complete_application(owner=applicant)
    item = factories.ChecklistItemFactory(
        edition=application.edition, text="Wniosek złożony w terminie", system_check=SystemCheck.ON_TIME
    )
    services.submit(application, by=applicant)

    page.goto("/")
    english = page.get_by_role("button", name="English")
    if english.count():  # tests run in English unless marked polish; a browser may still start in Polish
        with page.expect_navigation():
            english.click()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(organiser.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)

    page.goto(f"/wnioski/organizator/{application.edition.year}/")
    check_accessibility(page)
    page.get_by_role("link", name=application.code).click()
    page.wait_for_url(f"**/wnioski/{application.pk}/ocena-formalna/")
    check_accessibility(page)

    # Pre-filled from what the system knows, with the reason read out with the answer.
    answer = page.get_by_role("combobox", name="Answer")
    assert answer.input_value() == "yes"
    assert "before the deadline" in page.locator(f"#id_item_{item.pk}_helptext").inner_text()

    page.get_by_label("Request corrections").check()
    page.locator("#id_reason").fill("Prosimy dołączyć podpisane porozumienie.")
    deadline = timezone.localtime() + datetime.timedelta(days=5)
    page.locator("#id_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("checkbox", name="Attachments").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save the review").click()
    check_accessibility(page)
    application.refresh_from_db()
    assert (application.status, application.corrections_fields) == (Status.CORRECTIONS_REQUESTED, ["attachments"])
    assert application.checklist_results.get().passed is True
    assert (page.problems.failed_responses, page.problems.console_errors) == ([], [])
