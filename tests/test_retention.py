"""Retention of personal data: the per-edition schedule at its boundaries (the day before, the day of), the daily run
and its dry run, nothing while scoring or the appeal window is open, files leaving storage, laureates untouched, the
audit chain intact, the organisers' pages and the information clause recorded where it is shown."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Consent
from applications import services as application_services
from applications.models import Application, ApplicationVersion, Attachment, CoEditorInvitation, Status
from contest import clause
from contest.models import AuditEvent, InfoPage
from jury import services as jury_services
from retention import queries, schedule, services
from retention.models import AnonymisedContact, ProcessingActivity, RetentionPolicy
from tests import factories as f
from tests import results_factories as rf
from tests.conftest import warsaw

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]


def finished_edition(year=2024, **policy):
    """Deadline 15 March, scoring 1–20 April, results 1 May of `year`: a competition that is over."""
    edition = f.EditionFactory(
        phase="results",
        year=year,
        call_published_at=warsaw(year, 1, 1),
        submissions_open_at=warsaw(year, 1, 15),
        submission_deadline=warsaw(year, 3, 15, 23, 59, 59),
        formal_review_ends_at=warsaw(year, 3, 30),
        scoring_starts_at=warsaw(year, 4, 1),
        scoring_ends_at=warsaw(year, 4, 20, 23, 59, 59),
        results_at=warsaw(year, 5, 1, 12),
        archived_at=None,
    )
    if policy:
        RetentionPolicy.objects.create(edition=edition, **policy)
    return edition


def draft_with_files(edition):
    application = f.ApplicationFactory(edition=edition, contact_name="Anna Nowak", contact_email="anna@gmina.example")
    attachment = f.AttachmentFactory(application=application)
    attachment.jury_copy.save("copy.pdf", io.BytesIO(b"%PDF-1.4 copy"), save=True)
    return application, [attachment.file.name, attachment.jury_copy.name]


def submitted(edition, status=Status.NOT_AWARDED, **fields):
    application = f.ApplicationFactory(
        edition=edition,
        status=status,
        submitted_at=warsaw(edition.year, 3, 10),
        contact_name="Jan Kowalski",
        contact_position="Sekretarz gminy",
        contact_email="jan.kowalski@gmina.example",
        contact_phone="+48 600 100 200",
        **fields,
    )
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        snapshot={
            "title": application.title,
            "contact_name": "Jan Kowalski",
            "contact_email": "jan.kowalski@gmina.example",
        },
    )
    return application


# --- the schedule, pure ----------------------------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert schedule.add_months(datetime.date(2024, 3, 15), 3) == datetime.date(2024, 6, 15)
    assert schedule.add_months(datetime.date(2024, 8, 31), 6) == datetime.date(2025, 2, 28)
    assert schedule.add_months(datetime.date(2023, 11, 30), 3) == datetime.date(2024, 2, 29)


def test_schedule_counts_contact_years_from_the_end_of_the_editions_year():
    edition = finished_edition(2024)
    dates = schedule.schedule(edition, RetentionPolicy(edition=edition))
    assert dates.drafts_due_on == datetime.date(2024, 6, 15)
    assert dates.contacts_due_on == datetime.date(2030, 1, 1)
    assert dates.appeal_ends_on == datetime.date(2024, 6, 1)  # 30 days after 1 May end on 31 May


# --- drafts at the boundary ------------------------------------------------------------------------------------------


def test_drafts_stay_on_the_day_before_they_are_due():
    edition = finished_edition()
    draft, names = draft_with_files(edition)
    (outcome,) = services.apply(warsaw(2024, 6, 14, 23, 59, 59))
    assert (outcome.hold, outcome.drafts_deleted) == ("", 0)
    assert Application.objects.filter(pk=draft.pk).exists()
    assert all(default_storage.exists(name) for name in names)


def test_drafts_are_deleted_with_their_files_on_the_day_they_are_due():
    edition = finished_edition()
    draft, names = draft_with_files(edition)
    withdrawn_draft = f.ApplicationFactory(edition=edition, status=Status.WITHDRAWN)
    entry = submitted(edition)
    (outcome,) = services.apply(warsaw(2024, 6, 15, 0, 0, 1))
    assert (outcome.drafts_deleted, outcome.files_deleted, outcome.files_failed) == (2, 2, 0)
    assert not Application.objects.filter(pk__in=[draft.pk, withdrawn_draft.pk]).exists()
    assert not Attachment.objects.filter(application_id=draft.pk).exists()
    assert [default_storage.exists(name) for name in names] == [False, False]
    assert Application.objects.get(pk=entry.pk).contact_name == "Jan Kowalski"  # not due for years


# --- contact data of entries not awarded at the boundary -------------------------------------------------------------


def test_contact_data_stays_through_the_last_day_of_the_period():
    edition = finished_edition()
    entry = submitted(edition)
    services.apply(warsaw(2029, 12, 31, 23, 59, 59))
    assert Application.objects.get(pk=entry.pk).contact_email == "jan.kowalski@gmina.example"
    assert not AnonymisedContact.objects.exists()


def test_contact_data_of_entries_not_awarded_is_anonymised_on_the_first_day_after_the_period():
    edition = finished_edition()
    entries = [
        submitted(edition),
        submitted(edition, status=Status.REJECTED),
        submitted(edition, status=Status.WITHDRAWN),
    ]
    CoEditorInvitation.objects.create(
        application=entries[0], email="ewa@gmina.example", token_hash="x" * 64, expires_at=warsaw(2024, 3, 1)
    )
    (outcome,) = services.apply(warsaw(2030, 1, 1, 0, 0, 1))
    assert outcome.contacts_anonymised == 3
    for entry in Application.objects.filter(pk__in=[e.pk for e in entries]):
        assert (entry.contact_name, entry.contact_position, entry.contact_email, entry.contact_phone) == (
            "",
            "",
            "",
            "",
        )
        assert entry.title == "Wspólny transport gminny"  # the record of the competition stays
    version = ApplicationVersion.objects.get(application=entries[0])
    assert (version.snapshot["contact_name"], version.snapshot["contact_email"]) == ("", "")
    assert version.snapshot["title"] == "Wspólny transport gminny"
    assert CoEditorInvitation.objects.get(application=entries[0]).email == ""


def test_published_laureates_and_distinctions_are_untouched():
    edition = finished_edition()
    laureate = rf.published_entry(edition).application
    Application.objects.filter(pk=laureate.pk).update(
        submitted_at=warsaw(2024, 3, 10), contact_name="Jan Kowalski", contact_email="jan@gmina.example"
    )
    distinction = submitted(edition, status=Status.DISTINCTION)
    services.apply(warsaw(2031, 1, 1))
    assert Application.objects.get(pk=laureate.pk).contact_name == "Jan Kowalski"
    assert Application.objects.get(pk=distinction.pk).contact_email == "jan.kowalski@gmina.example"
    assert laureate.published_entry.partnership_name == "Partnerstwo Doliny Bobru"


def test_a_second_run_changes_nothing_and_records_nothing():
    edition = finished_edition()
    submitted(edition)
    draft_with_files(edition)
    services.apply(warsaw(2031, 1, 1))
    events = AuditEvent.objects.count()
    (outcome,) = services.apply(warsaw(2031, 1, 2))
    assert (outcome.drafts_deleted, outcome.files_deleted, outcome.contacts_anonymised) == (0, 0, 0)
    assert AuditEvent.objects.count() == events


# --- nothing while scoring or the appeal window is open --------------------------------------------------------------


def test_nothing_is_deleted_while_jury_scoring_is_open():
    edition = finished_edition(draft_months=1)
    draft, names = draft_with_files(edition)
    at = warsaw(2024, 4, 16)  # the drafts were due on 15 April; scoring runs until 20 April
    (outcome,) = services.apply(at)
    assert outcome.hold == "jury scoring is open"
    assert outcome.line() == "2024: on hold (jury scoring is open)"
    assert Application.objects.filter(pk=draft.pk).exists()
    assert all(default_storage.exists(name) for name in names)


def test_nothing_is_deleted_while_the_appeal_window_is_open():
    edition = finished_edition(draft_months=1, appeal_window_days=30)
    draft, _names = draft_with_files(edition)
    (outcome,) = services.apply(warsaw(2024, 5, 31, 23, 59))
    assert outcome.hold == "the appeal window is open until 31 May 2024"
    assert Application.objects.filter(pk=draft.pk).exists()
    (outcome,) = services.apply(warsaw(2024, 6, 1, 0, 1))
    assert (outcome.hold, outcome.drafts_deleted) == ("", 1)


def test_nothing_is_deleted_while_the_results_are_withdrawn():
    edition = finished_edition()
    edition.results_withdrawn_at = warsaw(2024, 5, 2)
    edition.save(update_fields=["results_withdrawn_at"])
    draft, _names = draft_with_files(edition)
    (outcome,) = services.apply(warsaw(2025, 1, 1))
    assert outcome.hold == "the results are withdrawn"
    assert Application.objects.filter(pk=draft.pk).exists()


# --- the command: dry run equals the real run, audit chain -----------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue().splitlines()


def test_dry_run_prints_what_the_real_run_then_does_and_changes_nothing():
    edition = finished_edition(2019)
    draft, names = draft_with_files(edition)
    entry = submitted(edition)
    submitted(edition, status=Status.LAUREATE)
    f.EditionFactory(phase="scoring", year=2026)
    events = AuditEvent.objects.count()

    dry = run("--dry-run")
    assert dry[0] == "Dry run: nothing was changed. The next run would do this:"
    assert Application.objects.filter(pk=draft.pk).exists()
    assert Application.objects.get(pk=entry.pk).contact_name == "Jan Kowalski"
    assert all(default_storage.exists(name) for name in names)
    assert AuditEvent.objects.count() == events

    real = run()
    assert real == dry[1:]
    assert real == [
        "2019: drafts deleted 1, files deleted 2, entries with contact data anonymised 1",
        "2026: on hold (jury scoring is open)",
    ]
    assert run("--dry-run")[1] == "2019: drafts deleted 0, files deleted 0, entries with contact data anonymised 0"


def test_the_run_is_audited_with_ids_and_counts_only_and_the_chain_verifies():
    edition = finished_edition(2019)
    draft, _names = draft_with_files(edition)
    entry = submitted(edition)
    run()
    event = AuditEvent.objects.get(action="retention.applied")
    assert event.edition == edition
    assert event.actor is None
    assert event.data == {
        "drafts_deleted": [draft.pk],
        "files_deleted": 2,
        "contacts_anonymised": [entry.pk],
        "sent_emails_deleted": 0,
    }
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "chain intact" in out.getvalue()


# --- the report ------------------------------------------------------------------------------------------------------


def test_report_counts_personal_data_and_what_falls_due_when():
    edition = finished_edition()
    draft, _names = draft_with_files(edition)
    entry = submitted(edition)
    entry.editors.add(f.UserFactory())
    f.AttachmentFactory(application=entry)
    report = queries.report(edition, at=warsaw(2024, 6, 20))
    assert (report.accounts, report.applications_with_personal_data, report.files) == (3, 2, 3)
    assert (report.drafts, report.draft_files, report.contacts) == (1, 2, 1)
    assert (report.schedule.drafts_on, report.schedule.contacts_on) == (
        datetime.date(2024, 6, 15),
        datetime.date(2030, 1, 1),
    )
    assert (report.next_run.draft_ids, report.next_run.contact_ids) == ([draft.pk], [])


# --- the organisers' pages -------------------------------------------------------------------------------------------


def test_organiser_sees_the_report_and_confirms_changed_settings(client, organiser):
    edition = finished_edition()
    client.force_login(organiser)
    page = client.get(reverse("retention:edition", args=[edition.year]))
    assert page.status_code == 200
    assert b"These are the defaults." in page.content
    response = client.post(
        reverse("retention:edition", args=[edition.year]),
        {"draft_months": 6, "contact_years": 10, "appeal_window_days": 14},
    )
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(edition=edition)
    assert (policy.draft_months, policy.contact_years, policy.appeal_window_days) == (6, 10, 14)
    assert policy.confirmed_by == organiser
    event = AuditEvent.objects.get(action="retention.policy_confirmed")
    assert event.data["changed"]["contact_years"] == {"from": 5, "to": 10}


def test_a_zero_month_period_is_refused_and_nothing_changes(client, organiser):
    edition = finished_edition()
    client.force_login(organiser)
    response = client.post(
        reverse("retention:edition", args=[edition.year]),
        {"draft_months": 0, "contact_years": 5, "appeal_window_days": 30},
    )
    assert response.status_code == 400
    assert b"Ensure this value is greater than or equal to 1." in response.content
    policy = RetentionPolicy.objects.get(edition=edition)
    assert (policy.draft_months, policy.confirmed_at) == (3, None)


@pytest.mark.parametrize("who", ["applicant", "juror"])
def test_only_organisers_open_the_retention_pages(client, who):
    edition = finished_edition()
    user = f.UserFactory()
    if who == "juror":
        f.JuryMemberFactory(edition=edition, user=user)
    client.force_login(user)
    for url in [reverse("retention:edition", args=[edition.year]), reverse("retention:register")]:
        assert client.get(url).status_code == 403
    response = client.post(reverse("retention:edition", args=[edition.year]), {"draft_months": 1, "contact_years": 1})
    assert response.status_code == 403
    assert RetentionPolicy.objects.filter(edition=edition, confirmed_at__isnull=False).count() == 0


def test_register_is_seeded_in_polish_and_organisers_edit_it(client, organiser):
    activities = list(ProcessingActivity.objects.all())
    assert len(activities) == 6
    assert activities[1].name == "Nabór i ocena formalna wniosków"
    client.force_login(organiser)
    assert b"Prace Komisji Konkursowej" in client.get(reverse("retention:register")).content
    item = activities[0]
    data = {name: getattr(item, name) for name in services.ACTIVITY_FIELDS}
    data["recipients"] = "Dostawca hostingu X"
    response = client.post(reverse("retention:activity_edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.recipients, item.updated_by) == ("Dostawca hostingu X", organiser)
    assert AuditEvent.objects.get(action="retention.activity_changed").data == {"fields": ["recipients"]}


def test_register_entry_without_a_purpose_is_refused(client, organiser):
    client.force_login(organiser)
    response = client.post(reverse("retention:activity_add"), {"name": "Nowa czynność", "order": 1})
    assert response.status_code == 400
    assert b"This field is required." in response.content
    assert not ProcessingActivity.objects.filter(name="Nowa czynność").exists()


@pytest.mark.polish
def test_retention_page_in_polish(client, organiser):
    edition = finished_edition()
    client.force_login(organiser)
    content = client.get(reverse("retention:edition", args=[edition.year])).content.decode()
    assert "Dane osobowe i ich przechowywanie" in content
    assert "Wersje robocze, których nie złożono, usuwane wraz z plikami" in content


# --- the information clause, versioned, recorded where it is shown ---------------------------------------------------


def current_version():
    return clause.version_of(InfoPage.objects.get(slug=InfoPage.Slug.PRIVACY))


def test_sign_up_shows_the_clause_and_records_its_version(client):
    page = client.get("/accounts/signup/")
    assert current_version().encode() in page.content
    client.post(
        "/accounts/signup/",
        {"email": "nowa@gmina.example", "password1": "Zielona-Tramwaj-42", "password2": "Zielona-Tramwaj-42"},
    )
    consent = Consent.objects.get(user__email="nowa@gmina.example")
    assert (consent.kind, consent.text_version) == ("information_clause_signup", current_version())
    assert "Article 13" in consent.text


def test_editing_the_clause_makes_a_new_version():
    before = current_version()
    InfoPage.objects.filter(slug=InfoPage.Slug.PRIVACY).update(body_pl="Nowa treść klauzuli.")
    assert current_version() != before


def test_submission_records_the_clause_shown(applicant):
    application = f.complete_application(owner=applicant)
    application_services.submit(application, by=applicant)
    consent = Consent.objects.get(user=applicant)
    assert (consent.kind, consent.text_version) == ("information_clause_submission", current_version())


def test_juror_registration_shows_and_records_the_clause(client, organiser):
    edition = f.EditionFactory(phase="scoring")
    user = f.UserFactory(email="juror.new@example.com")
    ((_invitation, token),) = jury_services.invite(edition, [user.email], by=organiser)
    client.force_login(user)
    assert current_version().encode() in client.get(reverse("jury:invitation", args=[token])).content
    jury_services.accept_invitation(token, user)
    consent = Consent.objects.get(user=user)
    assert (consent.kind, consent.text_version) == ("information_clause_juror", current_version())


def test_privacy_page_shows_the_version(client):
    assert current_version().encode() in client.get(reverse("contest:privacy")).content


def _queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_retention_page_queries_do_not_grow_with_the_data(client, organiser):
    edition = finished_edition()
    client.force_login(organiser)
    url = reverse("retention:edition", args=[edition.year])
    draft_with_files(edition)
    submitted(edition)
    client.get(url)  # the first visit creates the policy with its defaults
    few = _queries_for(client, url)
    for _ in range(5):
        draft_with_files(edition)
        submitted(edition)
    assert _queries_for(client, url) == few


def test_register_queries_do_not_grow_with_the_data(client, organiser):
    client.force_login(organiser)
    few = _queries_for(client, reverse("retention:register"))
    for number in range(10):
        ProcessingActivity.objects.create(
            name=f"Czynność {number}",
            purpose="Cel",
            data_subjects="Osoby",
            data_categories="Dane",
            recipients="Brak",
            retention="1 rok",
            security_measures="Szyfrowanie",
            updated_by=organiser,
        )
    assert _queries_for(client, reverse("retention:register")) == few


def test_a_file_storage_refuses_to_delete_is_retried_by_the_next_run(settings):
    """A real refusal: the local storage cannot remove a folder that is not empty."""
    from pathlib import Path

    if not settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        pytest.skip("the refusal is the local storage's (S3 deletes a missing key without complaint)")

    from retention.models import FileToDelete

    edition = finished_edition(2019)
    draft, names = draft_with_files(edition)
    stubborn = Path(settings.MEDIA_ROOT) / "attachments" / "stubborn"
    (stubborn / "inside").mkdir(parents=True)
    (stubborn / "inside" / "file").write_bytes(b"x")
    FileToDelete.objects.create(name="attachments/stubborn", since=warsaw(2025, 1, 1))

    assert run("--dry-run")[1] == "files left by earlier runs, deleted now: 1"
    out, err = io.StringIO(), io.StringIO()
    call_command("apply_retention", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert lines[0] == "files left by earlier runs, deleted now: 0, files that could not be deleted 1"
    assert lines[1] == "2019: drafts deleted 1, files deleted 2, entries with contact data anonymised 0"
    assert err.getvalue().strip() == "1 files could not be deleted from storage; the next run tries again."
    assert list(FileToDelete.objects.values_list("name", flat=True)) == ["attachments/stubborn"]
    assert [default_storage.exists(name) for name in names] == [False, False]

    (stubborn / "inside" / "file").unlink()
    (stubborn / "inside").rmdir()
    assert run()[0] == "files left by earlier runs, deleted now: 1"
    assert not FileToDelete.objects.exists()
    assert not stubborn.exists()
