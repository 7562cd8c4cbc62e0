"""The formal review's checklist pre-filled from what the system knows: an item linked to a system check starts as
"met" when the check passes, with the reason beside it either way, and what the reviewer submits is what is kept."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from contest.audit import history
from contest.demo import CHECKLIST
from contest.models import ChecklistItem, Edition, SystemCheck
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def review_url(application):
    return reverse("applications:review", args=[application.pk])


def linked_items(edition, checks=tuple(SystemCheck.values)):
    return {
        check: factories.ChecklistItemFactory(edition=edition, system_check=check, text=f"Warunek {check or 'ręczny'}")
        for check in checks
    }


def selected(content, item):
    """The answer the select of `item` shows as chosen ("" for "not checked")."""
    select = re.search(rf'<select name="item_{item.pk}".*?</select>', content, re.S).group(0)
    chosen = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', select)
    return chosen.group(1) if chosen else ""


def note(content, item):
    """The system's note beside the item, or None."""
    found = re.search(rf'<p [^>]*id="id_item_{item.pk}_helptext"[^>]*>(.*?)</p>', content, re.S)
    return found.group(1).strip() if found else None


def test_an_on_time_complete_application_has_its_checked_items_pre_ticked(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    items = linked_items(edition_in_submissions)
    content = org.get(review_url(application)).content.decode()
    answers = {check: selected(content, item) for check, item in items.items()}
    assert answers == {
        SystemCheck.NONE: "",
        SystemCheck.ON_TIME: "yes",
        SystemCheck.DECLARATIONS: "yes",
        SystemCheck.ATTACHMENTS: "yes",
        SystemCheck.PARTNERSHIP: "yes",
        SystemCheck.PARTNERS_TERC: "yes",
    }
    when = timezone.localtime(application.submitted_at, ZoneInfo("Europe/Warsaw"))
    assert note(content, items[SystemCheck.NONE]) is None
    assert note(content, items[SystemCheck.ON_TIME]).startswith("Checked automatically: submitted ")
    assert note(content, items[SystemCheck.ON_TIME]).endswith(", before the deadline")
    assert f"{when.day} {when:%B} {when.year}, {when:%H:%M}, before" in note(content, items[SystemCheck.ON_TIME])
    assert note(content, items[SystemCheck.ATTACHMENTS]) == "Checked automatically: every required file present"
    # The note is read out with the answer.
    assert f'aria-describedby="id_item_{items[SystemCheck.ON_TIME].pk}_helptext"' in content


def test_a_late_application_is_not_ticked_and_says_it_was_late(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    Edition.objects.filter(pk=edition_in_submissions.pk).update(
        submission_deadline=application.submitted_at - datetime.timedelta(hours=1)
    )
    items = linked_items(edition_in_submissions, [SystemCheck.ON_TIME, SystemCheck.DECLARATIONS])
    content = org.get(review_url(application)).content.decode()
    assert selected(content, items[SystemCheck.ON_TIME]) == ""
    assert note(content, items[SystemCheck.ON_TIME]).startswith("Checked automatically, not met: submitted ")
    assert ", after the deadline (" in note(content, items[SystemCheck.ON_TIME])
    assert selected(content, items[SystemCheck.DECLARATIONS]) == "yes"


def test_a_missing_required_file_is_not_ticked_and_named(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    requirement = application.attachments.get().requirement
    application.attachments.all().delete()
    items = linked_items(edition_in_submissions, [SystemCheck.ATTACHMENTS])
    content = org.get(review_url(application)).content.decode()
    assert selected(content, items[SystemCheck.ATTACHMENTS]) == ""
    assert (
        note(content, items[SystemCheck.ATTACHMENTS]) == f"Checked automatically, not met: missing: {requirement.name}"
    )


def test_the_reviewers_untick_is_what_is_stored_and_shown_again(org, organiser, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    items = linked_items(edition_in_submissions, [SystemCheck.ON_TIME, SystemCheck.DECLARATIONS])
    on_time, declarations = items[SystemCheck.ON_TIME], items[SystemCheck.DECLARATIONS]
    response = org.post(
        review_url(application),
        {
            "action": "review",
            f"item_{on_time.pk}": "no",
            f"note_{on_time.pk}": "Poczta potwierdza złożenie po terminie",
            f"item_{declarations.pk}": "",
            "decision": "",
        },
    )
    assert response.status_code == 302
    stored = {r.item_id: (r.passed, r.note) for r in application.checklist_results.all()}
    assert stored == {on_time.pk: (False, "Poczta potwierdza złożenie po terminie"), declarations.pk: (None, "")}
    content = org.get(review_url(application)).content.decode()
    assert (selected(content, on_time), selected(content, declarations)) == ("no", "")
    # The system's answer is still shown beside the reviewer's, and the audit keeps what the system said.
    assert note(content, on_time).startswith("Checked automatically: submitted ")
    event = history(application, action="application.checklist")[0]
    assert event.data["system_checks"][SystemCheck.ON_TIME] is True


def test_the_pre_filled_answer_is_saved_as_submitted(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    item = linked_items(edition_in_submissions, [SystemCheck.ON_TIME])[SystemCheck.ON_TIME]
    org.post(review_url(application), {"action": "review", f"item_{item.pk}": "yes", "decision": ""})
    assert application.checklist_results.get().passed is True


def test_the_checks_cost_no_query_per_item(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    linked_items(edition_in_submissions, [SystemCheck.ON_TIME])
    org.get(review_url(application))  # warm the caches
    with CaptureQueriesContext(connection) as one:
        org.get(review_url(application))
    ChecklistItem.objects.filter(edition=edition_in_submissions).delete()
    linked_items(edition_in_submissions)
    linked_items(edition_in_submissions)
    with CaptureQueriesContext(connection) as twelve:
        org.get(review_url(application))
    assert len(twelve) == len(one)


def test_a_draft_is_checked_as_not_submitted(org, edition_in_submissions):
    application = factories.complete_application(edition=edition_in_submissions)
    item = linked_items(edition_in_submissions, [SystemCheck.ON_TIME])[SystemCheck.ON_TIME]
    Application.objects.filter(pk=application.pk).update(status="submitted")  # the review page of an odd record
    content = org.get(review_url(application)).content.decode()
    assert (selected(content, item), note(content, item)) == ("", "Checked automatically, not met: not submitted")


@pytest.mark.polish
def test_the_note_is_polish(client, organiser, edition_in_submissions):
    client.force_login(organiser)
    application = factories.submitted_application(edition_in_submissions)
    late = application.submitted_at - datetime.timedelta(hours=1)
    Edition.objects.filter(pk=edition_in_submissions.pk).update(submission_deadline=late)
    items = linked_items(edition_in_submissions, [SystemCheck.ON_TIME, SystemCheck.ATTACHMENTS])
    content = client.get(review_url(application)).content.decode()
    late_note = note(content, items[SystemCheck.ON_TIME])
    assert late_note.startswith("Sprawdzone automatycznie, niespełnione: złożony ")
    months = "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia"
    assert re.search(rf"złożony \d{{1,2}} ({months}) \d{{4}}, \d\d:\d\d, po terminie \(", late_note)
    files_note = note(content, items[SystemCheck.ATTACHMENTS])
    assert files_note == "Sprawdzone automatycznie: wszystkie wymagane pliki dołączone"


def test_the_demo_checklist_links_what_the_system_can_check():
    linked = {check for _text, check in CHECKLIST if check}
    assert linked == set(SystemCheck.values) - {""}


def test_a_copied_edition_keeps_its_checklist_links(edition_in_submissions):
    from contest.services import copy_edition

    linked_items(edition_in_submissions, [SystemCheck.ON_TIME, SystemCheck.NONE])
    new = copy_edition(
        edition_in_submissions, number=edition_in_submissions.number + 50, year=edition_in_submissions.year + 50
    )
    assert sorted(new.checklist_items.values_list("system_check", flat=True)) == ["", "on_time"]


def test_a_resubmission_within_the_corrections_deadline_counts_as_on_time(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    deadline = application.submitted_at - datetime.timedelta(hours=1)
    Edition.objects.filter(pk=edition_in_submissions.pk).update(submission_deadline=deadline)
    Application.objects.filter(pk=application.pk).update(
        corrections_deadline=application.submitted_at + datetime.timedelta(days=1)
    )
    item = linked_items(edition_in_submissions, [SystemCheck.ON_TIME])[SystemCheck.ON_TIME]
    content = org.get(review_url(application)).content.decode()
    assert selected(content, item) == "yes"
    assert note(content, item).endswith(", within the corrections deadline")


@pytest.mark.parametrize(
    ("days", "ending"),
    [(2, "corrections awaited until"), (-1, "corrections not submitted by")],
    ids=["before the corrections deadline", "after it"],
)
def test_while_corrections_are_awaited_the_on_time_check_does_not_pass(org, edition_in_submissions, days, ending):
    """The version to judge is the corrected one: the original submission's being on time says nothing of it."""
    from applications import services

    application = factories.submitted_application(edition_in_submissions)
    services.request_corrections(
        application,
        by=application.owner,
        deadline=timezone.now() + datetime.timedelta(days=2),
        fields=["partners"],
        note="Popraw.",
    )
    Application.objects.filter(pk=application.pk).update(
        corrections_deadline=timezone.now() + datetime.timedelta(days=days)
    )
    item = linked_items(edition_in_submissions, [SystemCheck.ON_TIME])[SystemCheck.ON_TIME]

    content = org.get(review_url(application)).content.decode()

    assert selected(content, item) == ""
    assert ending in note(content, item)
