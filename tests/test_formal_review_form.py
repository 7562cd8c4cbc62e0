"""The formal review page: one form for the checklist and the decision, what the system already knows, a
confirmation before accepting, previous and next entry, and the status history in words."""

import pytest
from django.core import mail
from django.urls import reverse

from applications import services
from applications.models import Application, Status
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def review_url(application):
    return reverse("applications:review", args=[application.pk])


def test_one_form_saves_checklist_and_decision_together(
    org, edition_in_submissions, django_capture_on_commit_callbacks
):
    application = factories.submitted_application(edition_in_submissions)
    item = factories.ChecklistItemFactory(edition=application.edition)
    with django_capture_on_commit_callbacks(execute=True):
        org.post(
            review_url(application),
            {
                "action": "review",
                f"item_{item.pk}": "no",
                f"note_{item.pk}": "Brak podpisu",
                "decision": "reject",
                "reason": "Brak podpisanego porozumienia.",
            },
        )
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.checklist_results.get().passed is False
    assert len(mail.outbox) == 1


def test_one_form_without_a_decision_saves_the_checklist_only(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    item = factories.ChecklistItemFactory(edition=application.edition)
    response = org.post(review_url(application), {"action": "review", f"item_{item.pk}": "yes", "decision": ""})
    application.refresh_from_db()
    assert (response.status_code, application.status) == (302, Status.SUBMITTED)
    assert application.checklist_results.get().passed is True


def test_a_refused_decision_keeps_the_checklist_unsaved_and_the_typed_answers(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    item = factories.ChecklistItemFactory(edition=application.edition)
    response = org.post(
        review_url(application),
        {"action": "review", f"item_{item.pk}": "no", f"note_{item.pk}": "Uwaga zachowana", "decision": "reject"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_reason"' in content
    assert 'value="Uwaga zachowana"' in content
    assert application.checklist_results.count() == 0


def test_accepting_asks_for_a_confirmation_first(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    response = org.post(review_url(application), {"action": "review", "decision": "accept"})
    application.refresh_from_db()
    content = response.content.decode()
    assert (response.status_code, application.status) == (200, Status.SUBMITTED)
    assert f"Accept {application.code} formally?" in content
    assert '<input type="hidden" name="confirmed" value="1">' in content


def test_confirmed_acceptance_is_recorded(org, edition_in_submissions, django_capture_on_commit_callbacks):
    application = factories.submitted_application(edition_in_submissions)
    with django_capture_on_commit_callbacks(execute=True):
        response = org.post(review_url(application), {"action": "review", "decision": "accept", "confirmed": "1"})
    application.refresh_from_db()
    assert (response.status_code, application.status) == (302, Status.ACCEPTED)
    assert len(mail.outbox) == 1


def test_facts_say_what_the_system_knows(org, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    content = org.get(review_url(application)).content.decode()
    assert content.count('data-met="yes"') == 5  # on time, declarations, files, partnership, TERC
    application.declarations.filter(kind="privacy").delete()
    application.attachments.all().delete()
    content = org.get(review_url(application)).content.decode()
    assert content.count('data-met="no"') == 2
    assert "Declarations signed: missing: information clause on personal data" in content


def test_previous_and_next_follow_the_codes(org, edition_in_submissions):
    first, second, third = (factories.submitted_application(edition_in_submissions) for _ in range(3))
    factories.ApplicationFactory(edition=edition_in_submissions)  # a draft has no place in the sequence
    content = org.get(review_url(second)).content.decode()
    assert f'href="{review_url(first)}" rel="prev"' in content
    assert f'href="{review_url(third)}" rel="next"' in content
    assert 'rel="prev"' not in org.get(review_url(first)).content.decode()
    assert 'rel="next"' not in org.get(review_url(third)).content.decode()


def test_history_is_in_words(org, organiser, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    services.accept(application, by=organiser)
    content = org.get(review_url(application)).content.decode()
    assert "Submitted by the applicant" in content
    assert "Accepted formally" in content
    assert "→" not in content.split("history-heading", 1)[1]


def test_review_pages_stay_closed_to_applicants_and_jurors(client, edition_in_submissions):
    application = factories.submitted_application(edition_in_submissions)
    juror = factories.declared_juror(edition_in_submissions).user
    for user in (application.owner, juror):
        client.force_login(user)
        response = client.post(review_url(application), {"action": "review", "decision": "accept", "confirmed": "1"})
        assert response.status_code in (403, 404)
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
