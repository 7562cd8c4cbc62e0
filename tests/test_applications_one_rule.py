"""Issue 8, "one definition of each rule", in the applications: a refused upload is a ServiceError like every other
refusal, and no group of application statuses is written outside the Status enum."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.access import Verdict
from applications import permissions, rules
from applications import services as application_services
from contest.errors import ServiceError
from contest.models import Edition
from contest.services import copy_edition
from jury.models import Assignment
from jury.permissions import entry_visible
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
@pytest.mark.usefixtures("terc")
def test_a_refused_upload_is_a_service_error_like_every_other_refusal(applicant, edition_in_submissions):
    draft = factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)
    requirement = factories.AttachmentRequirementFactory(edition=edition_in_submissions, allowed_types=["pdf"])
    page = SimpleUploadedFile("wyniki.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ServiceError, match="Web pages, SVG images and scripts cannot be uploaded"):
        application_services.add_attachment(draft, requirement, page, by=applicant)
    assert draft.attachments.count() == 0


@pytest.mark.django_db
def test_copying_an_edition_to_a_taken_year_is_a_service_error():
    source = factories.EditionFactory(year=2026, number=17)
    factories.EditionFactory(year=2027, number=50)
    with pytest.raises(ServiceError, match="Edition with this Year already exists"):
        copy_edition(source, number=18, year=2027)
    assert Edition.objects.filter(number=18).exists() is False


STATUS_GROUP = re.compile(r"(?:status__in=|\bin\s*)[\[({]\s*Status\.\w+\s*,")


def test_no_group_of_application_statuses_is_written_outside_the_status_enum():
    found = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT).as_posix()
        skipped = relative.startswith((".venv/", "tests/")) or "/migrations/" in relative
        if skipped or relative == "applications/models.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if STATUS_GROUP.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


# The templates ask the objects (Application.awaiting_corrections, BlindScorecard.is_submitted), not status strings.


def _sent_back(applicant, organiser):
    application = factories.complete_application(owner=applicant)
    application_services.submit(application, by=applicant)
    application_services.request_corrections(
        application,
        by=organiser,
        deadline=timezone.now() + datetime.timedelta(days=3),
        fields=["title"],
        note="Popraw tytuł",
    )
    return application


@pytest.mark.django_db
def test_an_application_sent_back_offers_to_submit_corrections(client, applicant, organiser):
    application = _sent_back(applicant, organiser)
    client.force_login(applicant)
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    edit = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert ("Review and submit corrections" in detail, "Save and review before submitting" in edit) == (True, True)
    assert "Corrections requested: only the fields the organiser asked for can be changed." in edit


@pytest.mark.django_db
def test_a_draft_offers_to_submit_the_application_not_corrections(client, applicant):
    draft = factories.complete_application(owner=applicant)
    client.force_login(applicant)
    detail = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    edit = client.get(reverse("applications:edit", args=[draft.pk])).content.decode()
    assert ("Review and submit the application" in detail, "Submit corrections" in detail) == (True, False)
    assert ("Save and review before submitting" in edit, "corrections" in edit.lower()) == (True, False)


@pytest.fixture
def scoring(settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = factories.EditionFactory(phase="scoring", min_justification_length=20)
    factories.CriterionFactory(edition=edition, name="Diagnoza", max_points=10, requires_justification=True, order=1)
    juror = factories.declared_juror(edition, user=factories.UserFactory(email="juror@example.com"))
    entry = factories.jury_entry(edition, 1)
    Assignment.objects.create(member=juror, application=entry)
    factories.sign_off(entry)
    return edition, juror, entry


def _score(client, edition, entry, **action):
    criterion = edition.criteria.get()
    data = {f"points_{criterion.pk}": "7", f"justification_{criterion.pk}": "Dobrze opisany problem i rezultaty."}
    return client.post(reverse("jury:scorecard", args=[edition.year, entry.code]), {**data, **action})


@pytest.mark.django_db
def test_a_submitted_scorecard_is_offered_for_revision_not_as_a_draft(client, scoring):
    edition, juror, entry = scoring
    client.force_login(juror.user)
    assert _score(client, edition, entry, submit="1").status_code == 302
    card = client.get(reverse("jury:scorecard", args=[edition.year, entry.code])).content.decode()
    page = client.get(reverse("jury:entry", args=[edition.year, entry.code])).content.decode()
    dashboard = client.get(reverse("jury:dashboard", args=[edition.year])).content.decode()
    assert ("Submit revision" in card, "Save draft" in card) == (True, False)
    assert "View or revise my scorecard" in page
    assert "You have submitted 1 of 1 scorecards." in dashboard


@pytest.mark.django_db
def test_a_draft_scorecard_is_offered_for_saving_and_submitting(client, scoring):
    edition, juror, entry = scoring
    client.force_login(juror.user)
    assert _score(client, edition, entry, save="1").status_code == 302
    card = client.get(reverse("jury:scorecard", args=[edition.year, entry.code])).content.decode()
    page = client.get(reverse("jury:entry", args=[edition.year, entry.code])).content.decode()
    dashboard = client.get(reverse("jury:dashboard", args=[edition.year])).content.decode()
    assert ("Submit scorecard" in card, "Save draft" in card, "Submit revision" in card) == (True, True, False)
    assert "Score this entry" in page
    assert "You have submitted 0 of 1 scorecards." in dashboard


# "Can this be edited or submitted now" is one rule (applications.rules.editing_window), worded per place. ---------


@pytest.mark.django_db
def test_a_draft_after_the_deadline_is_closed_to_the_page_and_to_the_service_alike(applicant):
    draft = factories.complete_application(owner=applicant)
    draft.edition.submission_deadline = timezone.now() - datetime.timedelta(minutes=1)
    draft.edition.save()
    partner = draft.partners.first()
    assert rules.editing_window(draft) == (False, rules.SUBMISSIONS_CLOSED)
    assert tuple(permissions.check(applicant, "edit_partners", draft)) == (
        False,
        "The edition is not accepting submissions, so the draft can no longer be changed.",
    )
    assert tuple(permissions.check(applicant, "submit", draft)) == (False, "The submission deadline has passed.")
    with pytest.raises(ServiceError, match=r"can no longer be changed\. Nothing was changed\.$"):
        application_services.delete_partner(draft, partner, by=applicant)
    with pytest.raises(ServiceError, match="The submission deadline has passed; the application was not submitted"):
        application_services.submit(draft, by=applicant)
    draft.refresh_from_db()
    assert (draft.status, draft.partners.filter(pk=partner.pk).exists()) == ("draft", True)


@pytest.mark.django_db
def test_a_part_not_asked_for_in_corrections_is_closed_to_the_page_and_to_the_service_alike(applicant, organiser):
    application = _sent_back(applicant, organiser)
    partner = application.partners.first()
    assert rules.editing_window(application, section="partners") == (False, rules.NOT_ASKED)
    assert rules.editing_window(application) == (True, "")
    assert tuple(permissions.check(applicant, "edit_partners", application)) == (
        False,
        "The organiser did not ask for corrections in this part.",
    )
    with pytest.raises(ServiceError, match="did not ask for corrections in this part. Nothing was changed."):
        application_services.delete_partner(application, partner, by=applicant)
    assert application.partners.filter(pk=partner.pk).exists()


@pytest.mark.django_db
def test_corrections_after_their_deadline_are_closed_to_the_page_and_to_the_service_alike(applicant, organiser):
    application = _sent_back(applicant, organiser)
    later = application.corrections_deadline + datetime.timedelta(minutes=1)
    assert rules.editing_window(application, later) == (False, rules.CORRECTIONS_CLOSED)
    with pytest.raises(ServiceError, match="The deadline for corrections has passed."):
        application_services.submit(application, by=applicant, at=later)
    application.refresh_from_db()
    assert application.status == "corrections"


@pytest.mark.django_db
def test_submitting_twice_is_refused_as_a_transition(applicant):
    application = factories.complete_application(owner=applicant)
    application_services.submit(application, by=applicant)
    assert tuple(permissions.check(applicant, "submit", application)) == (
        False,
        "This application has already been submitted.",
    )
    with pytest.raises(application_services.TransitionNotAllowed, match="already been submitted"):
        application_services.submit(application, by=applicant)


# One dialect: every rule answers a Verdict that unpacks as (allowed, reason). ---------------------------------------


@pytest.mark.django_db
def test_application_rules_answer_a_verdict_that_unpacks_as_allowed_and_reason(applicant):
    draft = factories.ApplicationFactory(owner=applicant)
    stranger = factories.UserFactory()
    actions = [action for action in permissions.RULES if action != "start"]  # "start" asks about an edition
    verdicts = [permissions.check(user, action, draft) for user in (applicant, stranger) for action in actions]
    verdicts.append(permissions.check(applicant, "start", draft.edition))
    assert all(isinstance(verdict, Verdict) for verdict in verdicts)
    allowed, reason = permissions.check(stranger, "view", draft)
    assert (allowed, str(reason)) == (False, "You do not have access to this application.")


@pytest.mark.django_db
def test_entry_visible_answers_a_verdict(scoring):
    edition, juror, entry = scoring
    stranger_entry = factories.jury_entry(edition, 2)
    verdict = entry_visible(juror, stranger_entry)
    assert isinstance(verdict, Verdict)
    assert (bool(verdict), str(verdict.reason)) == (False, "This entry is not assigned to you.")
    assert entry_visible(juror, entry) == Verdict(True)


# The submitted versions are one block (applications/_versions.html), on the applicant's page and the review page. --


@pytest.mark.django_db
@pytest.mark.usefixtures("terc")
def test_the_organiser_sees_the_same_submitted_versions_on_the_application_and_its_review(client, organiser, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    application = factories.complete_application()
    application_services.submit(application, by=application.owner)
    link = reverse("applications:version", args=[application.pk, 1])
    client.force_login(organiser)
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    review = client.get(reverse("applications:review", args=[application.pk])).content.decode()
    for page in (detail, review):
        assert ("Submitted versions" in page, f'href="{link}"' in page, "Version 1" in page) == (True, True, True)


@pytest.mark.django_db
def test_a_draft_shows_no_submitted_versions(client, organiser, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    draft = factories.complete_application()
    client.force_login(organiser)
    assert "Submitted versions" not in client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
