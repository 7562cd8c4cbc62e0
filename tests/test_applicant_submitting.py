"""Submitting as an applicant: the review page before the final click, reopening and resubmitting before the
deadline (the code stays, every submitted version is kept for the organisers), and withdrawing after a warning."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, Status
from contest.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def submitted(owner):
    application = factories.complete_application(owner=owner)
    services.submit(application, by=owner)
    application.refresh_from_db()
    return application


def close_submissions(edition):
    """Move the deadline into the past: the edition is now in its formal review."""
    now = timezone.now()
    edition.submission_deadline = now - timezone.timedelta(minutes=1)
    edition.save(update_fields=["submission_deadline"])


# --- the review page ------------------------------------------------------------------------------------------------


def test_review_page_shows_everything_entered_and_the_final_button(client_for, applicant):
    application = factories.complete_application(owner=applicant)
    response = client_for(applicant).get(reverse("applications:submit", args=[application.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    partner = application.partners.get(is_leader=True).display_name
    assert (application.title in page, application.summary in page, partner in page) == (True, True, True)
    assert ("data-complete" in page, 'data-declaration="truth"' in page, "Submit the application" in page) == (
        True,
        True,
        True,
    )
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_review_page_links_each_missing_item_to_where_it_is_fixed_and_offers_no_submit(client_for, applicant):
    application = factories.complete_application(owner=applicant, goals="")
    application.declarations.filter(kind="privacy").delete()
    application.attachments.all().delete()
    page = client_for(applicant).get(reverse("applications:submit", args=[application.pk])).content.decode()
    edit = reverse("applications:edit", args=[application.pk])
    attachments = reverse("applications:attachments", args=[application.pk])
    assert (f'href="{edit}#id_goals"' in page, f'href="{edit}#id_declaration_privacy"' in page) == (True, True)
    assert f'href="{attachments}#' in page
    assert ("Submit the application</button>" in page, "data-complete" in page) == (False, False)


def test_posting_an_incomplete_application_shows_the_review_page_and_submits_nothing(client_for, applicant):
    application = factories.complete_application(owner=applicant, goals="")
    response = client_for(applicant).post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert (response.status_code, application.status, application.code) == (200, Status.DRAFT, None)
    assert "Check and submit the application" in response.content.decode()


def test_review_page_of_another_users_application_does_not_exist(client_for, applicant):
    application = factories.complete_application(owner=factories.UserFactory())
    assert client_for(applicant).get(reverse("applications:submit", args=[application.pk])).status_code == 404


def test_submitting_from_the_review_page_records_the_submission(client_for, applicant):
    application = factories.complete_application(owner=applicant)
    response = client_for(applicant).post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert (response.status_code, application.status) == (302, Status.SUBMITTED)
    assert AuditEvent.objects.filter(action="application.status", to_state="submitted").count() == 1


def test_applicant_pages_no_longer_show_the_checksum_it_is_in_the_receipt(client_for, applicant):
    application = submitted(applicant)
    sha = application.attachments.get().sha256
    page = client_for(applicant).get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert sha not in page


# --- reopening and resubmitting -------------------------------------------------------------------------------------


def test_reopen_page_explains_what_reopening_means(client_for, applicant):
    application = submitted(applicant)
    response = client_for(applicant).get(reverse("applications:reopen", args=[application.pk]))
    page = response.content.decode()
    assert (response.status_code, "data-reopen-warning" in page, "keeps its code" in page) == (200, True, True)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_reopen_makes_a_draft_that_keeps_its_code_and_is_audited(client_for, applicant):
    application = submitted(applicant)
    code = application.code
    response = client_for(applicant).post(reverse("applications:reopen", args=[application.pk]))
    application.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, reverse("applications:edit", args=[application.pk]))
    assert (application.status, application.code) == (Status.DRAFT, code)
    event = AuditEvent.objects.filter(action="application.status", to_state="draft").get()
    assert (event.from_state, event.actor) == ("submitted", applicant)


def test_resubmission_keeps_the_code_and_organisers_see_both_versions(client_for, applicant, organiser, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    application = submitted(applicant)
    code = application.code
    services.reopen(application, by=applicant)
    services.save_draft(
        application, {"title": "Nowy tytuł po poprawkach"}, by=applicant, expected_version=application.version
    )
    services.submit(application, by=applicant)
    application.refresh_from_db()
    assert (application.status, application.code) == (Status.SUBMITTED, code)
    titles = [v.snapshot["title"] for v in application.versions.order_by("number")]
    assert titles == ["Wspólny transport gminny", "Nowy tytuł po poprawkach"]
    assert [v.snapshot["code"] for v in application.versions.all()] == [code, code]
    reasons = list(
        AuditEvent.objects.filter(action="application.status", to_state="submitted")
        .order_by("pk")
        .values_list("reason", flat=True)
    )
    assert reasons == ["", "Submitted again after reopening"]
    page = client_for(organiser).get(reverse("applications:detail", args=[application.pk])).content.decode()
    version_urls = [reverse("applications:version", args=[application.pk, n]) for n in (1, 2)]
    assert [url in page for url in version_urls] == [True, True]


def test_resubmission_does_not_take_a_new_number(applicant):
    first = submitted(applicant)
    services.reopen(first, by=applicant)
    second = factories.complete_application(edition=first.edition, owner=applicant)
    services.submit(second, by=applicant)
    services.submit(first, by=applicant)
    first.refresh_from_db()
    second.refresh_from_db()
    year = first.edition.year
    assert (first.code, second.code) == (f"SLZ-{year}-001", f"SLZ-{year}-002")


def test_reopen_after_the_deadline_is_refused_with_the_reason_and_nothing_lost(client_for, applicant):
    application = submitted(applicant)
    close_submissions(application.edition)
    client = client_for(applicant)
    response = client.post(reverse("applications:reopen", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert (application.status, application.versions.count()) == (Status.SUBMITTED, 1)
    assert "The submission deadline has passed, so the application can no longer be reopened." in (
        response.content.decode()
    )
    assert response.redirect_chain[-1][0] == reverse("applications:detail", args=[application.pk])


def test_reopen_service_after_the_deadline_is_refused(applicant):
    application = submitted(applicant)
    close_submissions(application.edition)
    with pytest.raises(services.NotAllowed, match="can no longer be reopened"):
        services.reopen(application, by=applicant)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_reopen_of_a_draft_or_an_accepted_entry_is_refused(applicant, organiser):
    draft = factories.complete_application(owner=applicant)
    with pytest.raises(services.TransitionNotAllowed):
        services.reopen(draft, by=applicant)
    accepted = submitted(applicant)
    services.accept(accepted, by=organiser)
    with pytest.raises(services.TransitionNotAllowed):
        services.reopen(accepted, by=applicant)
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED


def test_reopen_of_another_users_application_does_not_exist(client_for, applicant):
    application = submitted(factories.UserFactory())
    client = client_for(applicant)
    assert client.get(reverse("applications:reopen", args=[application.pk])).status_code == 404
    assert client.post(reverse("applications:reopen", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_detail_offers_reopen_only_before_the_deadline(client_for, applicant):
    application = submitted(applicant)
    client = client_for(applicant)
    url = reverse("applications:reopen", args=[application.pk])
    assert url in client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    close_submissions(application.edition)
    assert url not in client.get(reverse("applications:detail", args=[application.pk])).content.decode()


def test_reopened_draft_says_it_must_be_submitted_again(client_for, applicant):
    application = submitted(applicant)
    services.reopen(application, by=applicant)
    page = client_for(applicant).get(reverse("applications:dashboard")).content.decode()
    assert "Reopened for changes: submit it again before the deadline" in page


# --- withdrawing ----------------------------------------------------------------------------------------------------


def test_withdraw_asks_first_and_says_it_cannot_be_undone(client_for, applicant):
    application = submitted(applicant)
    response = client_for(applicant).get(reverse("applications:withdraw", args=[application.pk]))
    page = response.content.decode()
    assert (response.status_code, "Withdrawing cannot be undone." in page) == (200, True)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_withdraw_confirmed_with_a_reason_is_recorded(client_for, applicant):
    application = submitted(applicant)
    client_for(applicant).post(reverse("applications:withdraw", args=[application.pk]), {"reason": "Zmiana planów"})
    application.refresh_from_db()
    event = AuditEvent.objects.filter(action="application.status", to_state="withdrawn").get()
    assert (application.status, event.reason) == (Status.WITHDRAWN, "Zmiana planów")


@pytest.mark.parametrize(
    "reason",
    ["a\x00<script>alert(1)</script>", "Ż" * 2001, "kontakt: jan.kowalski@example.com"],
    ids=["nul-and-markup", "too-long", "contact-details"],
)
def test_withdraw_with_a_hostile_reason_is_refused_and_nothing_changes(client_for, applicant, reason):
    application = submitted(applicant)
    response = client_for(applicant).post(
        reverse("applications:withdraw", args=[application.pk]), {"reason": reason}, follow=True
    )
    application.refresh_from_db()
    assert (response.status_code, application.status) == (200, Status.SUBMITTED)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="application.status", to_state="withdrawn").exists()


def test_withdraw_of_another_users_application_does_not_exist(client_for, applicant):
    application = submitted(factories.UserFactory())
    client = client_for(applicant)
    assert client.get(reverse("applications:withdraw", args=[application.pk])).status_code == 404
    assert client.post(reverse("applications:withdraw", args=[application.pk])).status_code == 404


def test_a_coeditor_may_reopen_too(client_for, applicant):
    coeditor = factories.UserFactory()
    application = submitted(applicant)
    application.editors.add(coeditor)
    client_for(coeditor).post(reverse("applications:reopen", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_a_reopened_draft_left_past_the_deadline_says_it_is_out(client_for, applicant):
    application = submitted(applicant)
    services.reopen(application, by=applicant)
    close_submissions(application.edition)
    page = client_for(applicant).get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "not submitted again before the deadline: it does not take part in the competition" in page


@pytest.mark.polish
def test_review_reopen_and_withdraw_pages_read_in_polish(client_for, applicant):
    draft = factories.complete_application(owner=applicant)
    application = submitted(applicant)
    client = client_for(applicant)
    review = client.get(reverse("applications:submit", args=[draft.pk])).content.decode()
    reopen = client.get(reverse("applications:reopen", args=[application.pk])).content.decode()
    withdraw = client.get(reverse("applications:withdraw", args=[application.pk])).content.decode()
    assert ("Sprawdź i złóż wniosek" in review, "Oświadczenia" in review, "Złóż wniosek</button>" in review) == (
        True,
        True,
        True,
    )
    assert "Wniosek znów stanie się wersją roboczą i zachowa swój kod." in reopen
    assert "Wycofania nie można cofnąć." in withdraw
    for english in ("Check and submit", "Reopen", "cannot be undone", "Deadline"):
        assert english not in review + reopen + withdraw, english
