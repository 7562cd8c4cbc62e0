"""The formal review's checklist in two tabs (or two reviewers): a tab opened before someone else saved the
checklist, whose pre-filled "met" was never looked at again, must not overwrite a colleague's "not met"; and the
system's "on time" must not be claimed for an application that is a draft again."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import formal_checks, services
from applications.models import ChecklistResult, Status
from contest.models import SystemCheck
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def _submitted(edition):
    application = factories.complete_application(edition=edition)
    services.submit(application, by=application.owner)
    application.refresh_from_db()
    return application


def _version(content):
    return re.search(r'name="checklist_version" value="([^"]*)"', content).group(1)


def _stored(application, item):
    result = ChecklistResult.objects.get(application=application, item=item)
    return (result.passed, result.note)


@pytest.fixture
def setting(client, organiser, edition_in_submissions):
    client.force_login(organiser)
    application = _submitted(edition_in_submissions)
    item = factories.ChecklistItemFactory(edition=edition_in_submissions, system_check=SystemCheck.ON_TIME)
    return client, application, item, reverse("applications:review", args=[application.pk])


def test_a_stale_tab_does_not_overwrite_a_colleagues_not_met(setting):
    client, application, item, url = setting
    stale = _version(client.get(url).text)  # tab 1: pre-filled "met", left open
    fresh = _version(client.get(url).text)  # tab 2 (or a colleague)
    client.post(
        url, {"action": "checklist", f"item_{item.pk}": "no", f"note_{item.pk}": "Podpis", "checklist_version": fresh}
    )

    page = client.post(url, {"action": "checklist", f"item_{item.pk}": "yes", "checklist_version": stale}, follow=True)

    assert _stored(application, item) == (False, "Podpis")
    assert "changed the checklist after you opened this page" in page.text


def test_a_stale_tab_may_save_again_once_it_has_seen_the_current_checklist(setting):
    client, application, item, url = setting
    stale = _version(client.get(url).text)
    client.post(url, {"action": "checklist", f"item_{item.pk}": "no", "checklist_version": stale})
    refused = client.post(url, {"action": "checklist", f"item_{item.pk}": "yes", "checklist_version": stale})

    client.post(url, {"action": "checklist", f"item_{item.pk}": "yes", "checklist_version": _version(refused.text)})

    assert _stored(application, item) == (True, "")


def test_sending_the_same_answers_twice_is_not_a_conflict(setting):
    client, application, item, url = setting
    version = _version(client.get(url).text)
    data = {"action": "checklist", f"item_{item.pk}": "yes", "checklist_version": version}
    client.post(url, data)

    second = client.post(url, data)

    assert (second.status_code, _stored(application, item)) == (302, (True, ""))


def test_a_reopened_draft_is_not_pre_filled_as_submitted_on_time(setting):
    client, application, item, url = setting
    services.change_status(application, Status.DRAFT, by=application.owner, notify=False)

    content = client.get(url).text

    select = re.search(rf'<select name="item_{item.pk}".*?</select>', content, re.S).group(0)
    assert "selected" not in select.replace('value="" selected', "")
    assert "not submitted" in content


def test_corrections_submitted_within_the_deadlines_second_go_through_and_are_checked_on_time(
    client, organiser, edition_in_submissions
):
    """The corrections deadline is kept to the second, as the submission deadline is (contest.phases.by_deadline):
    corrections sent at 23:59:59.4 for a deadline of 23:59:59 are on time, and the formal check says the same."""
    application = _submitted(edition_in_submissions)
    deadline = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    services.request_corrections(application, by=organiser, deadline=deadline, fields=["title"], note="Popraw tytuł")

    services.submit(application, by=application.owner, at=deadline + datetime.timedelta(milliseconds=400))

    application.refresh_from_db()
    checks = formal_checks.system_checks(application)
    assert (application.status, checks[SystemCheck.ON_TIME].passed) == (Status.SUBMITTED, True)
