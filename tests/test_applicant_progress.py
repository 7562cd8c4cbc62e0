"""The applicant's progress: each tab's state, required fields marked in the form, where the edition stands in
words with the button beside it, and the current stage marked on the timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import standing as standing_module
from applications.progress import Part, progress
from applications.standing import standing
from tests import factories
from tests.conftest import warsaw

pytestmark = pytest.mark.django_db


def test_progress_of_a_complete_draft_is_full_in_every_part(applicant):
    application = factories.complete_application(owner=applicant)
    parts = progress(application)
    assert {name: part.complete for name, part in parts.items()} == {
        "edit": True,
        "partners": True,
        "attachments": True,
    }


def test_progress_counts_what_is_missing(applicant):
    edition = factories.EditionFactory(phase="submissions")
    factories.AttachmentRequirementFactory(edition=edition, allowed_types=["pdf"], is_required=True)
    factories.AttachmentRequirementFactory(edition=edition, allowed_types=["pdf"], is_required=False)
    application = factories.complete_application(edition=edition, owner=applicant, goals="", summary="")
    application.declarations.filter(kind="privacy").delete()
    application.partners.update(is_leader=False)
    parts = progress(application)
    assert parts["edit"] == Part(parts["edit"].total - 3, parts["edit"].total)
    assert (parts["partners"], parts["attachments"]) == (Part(0, 1), Part(1, 1))


def test_tabs_show_each_parts_state(client, applicant):
    edition = factories.EditionFactory(phase="submissions")
    first = factories.AttachmentRequirementFactory(edition=edition, allowed_types=["pdf"], is_required=True)
    factories.AttachmentRequirementFactory(edition=edition, allowed_types=["pdf"], is_required=True)
    application = factories.complete_application(edition=edition, owner=applicant)
    assert application.attachments.get().requirement == first
    client.force_login(applicant)
    page = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert 'data-part-state="1/2"' in page
    assert "1 of 2 required items done" in page


@pytest.mark.polish
def test_attachments_tab_reads_in_polish(client, applicant):
    edition = factories.EditionFactory(phase="submissions")
    factories.AttachmentRequirementFactory(edition=edition, allowed_types=["pdf"], is_required=True)
    factories.AttachmentRequirementFactory(edition=edition, allowed_types=["pdf"], is_required=True)
    application = factories.complete_application(edition=edition, owner=applicant)
    client.force_login(applicant)
    page = client.get(reverse("applications:attachments", args=[application.pk])).content.decode()
    assert "Załączniki" in page and "uzupełniono 1 z 2 wymaganych elementów" in page


def test_form_marks_the_fields_required_to_submit(client, applicant):
    application = factories.ApplicationFactory(owner=applicant, edition=factories.EditionFactory(phase="submissions"))
    client.force_login(applicant)
    page = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    goals = page[page.index('for="id_goals"') :][:300]
    krs = page[page.index('for="id_partnership_krs"') :][:300]
    assert ("required to submit" in goals, "required to submit" in krs) == (True, False)
    assert "Fields marked * are required to submit the application." in page


@pytest.mark.polish
def test_standing_during_submissions_reads_as_the_issue_asks():
    edition = factories.EditionFactory(phase="submissions")
    edition.submission_deadline = warsaw(2027, 1, 30, 23, 59)
    at = warsaw(2026, 12, 1, 10, 0)
    assert (
        standing_module.sentence(edition, "submissions", at)
        == "Trwa nabór – do 30 stycznia 2027, 23:59, zostało 60 dni."
    )


@pytest.mark.polish
@pytest.mark.parametrize(
    "days, expected",
    [(1, "został 1 dzień"), (3, "zostały 3 dni"), (5, "zostało 5 dni"), (22, "zostały 22 dni")],
)
def test_days_left_agree_in_polish(days, expected):
    edition = factories.EditionFactory(phase="submissions")
    at = timezone.now()
    edition.submission_deadline = at + datetime.timedelta(days=days)
    assert expected in standing_module.sentence(edition, "submissions", at)


def test_last_day_says_today():
    edition = factories.EditionFactory(phase="submissions")
    edition.submission_deadline = warsaw(2027, 1, 30, 23, 59)
    assert standing_module.sentence(edition, "submissions", warsaw(2027, 1, 30, 8, 0)) == (
        "Submissions are open – the last day: until 23:59 today."
    )


def test_timeline_marks_the_current_stage_only_once():
    edition = factories.EditionFactory(phase="formal_review")
    steps = standing(edition).steps
    assert [s.state for s in steps].count("current") == 1
    assert [s.label for s in steps if s.state == "current"] == ["Submission deadline"]


def test_dashboard_says_where_the_open_edition_stands_with_the_button_beside(client, applicant):
    edition = factories.EditionFactory(phase="submissions")
    client.force_login(applicant)
    page = client.get(reverse("applications:dashboard")).content.decode()
    section = page[page.index(f'data-edition="{edition.year}"') :]
    assert "Submissions are open – until" in section
    assert reverse("applications:start", args=[edition.year]) in section
    assert 'aria-current="step"' in section


def test_dashboard_shows_the_state_of_a_finished_edition(client, applicant):
    edition = factories.EditionFactory(phase="archived")
    factories.ApplicationFactory(edition=edition, owner=applicant)
    client.force_login(applicant)
    page = client.get(reverse("applications:dashboard")).content.decode()
    section = page[page.index(f'data-edition="{edition.year}"') :]
    assert 'data-standing="archived"' in section
    assert reverse("applications:start", args=[edition.year]) not in section
