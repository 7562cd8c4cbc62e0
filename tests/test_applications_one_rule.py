"""Issue 8, "one definition of each rule", in the applications: a refused upload is a ServiceError like every other
refusal, and no group of application statuses is written outside the Status enum."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from contest.errors import ServiceError
from contest.models import Edition
from contest.services import copy_edition
from jury.models import Assignment
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
    assert ("Submit corrections" in detail, "Save and submit corrections" in edit) == (True, True)
    assert "Corrections requested: only the fields the organiser asked for can be changed." in edit


@pytest.mark.django_db
def test_a_draft_offers_to_submit_the_application_not_corrections(client, applicant):
    draft = factories.complete_application(owner=applicant)
    client.force_login(applicant)
    detail = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    edit = client.get(reverse("applications:edit", args=[draft.pk])).content.decode()
    assert ("Submit the application" in detail, "Submit corrections" in detail) == (True, False)
    assert ("Save and submit" in edit, "corrections" in edit.lower()) == (True, False)


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
