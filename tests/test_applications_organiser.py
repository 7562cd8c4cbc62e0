"""Organisers: the list with filters and search, CSV/XLSX export, ZIP of files, formal review and corrections."""

import datetime
import io
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import queries, services
from applications.models import Application, Status
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("terc")]



@pytest.fixture
def submitted(applicant, edition_in_submissions):
    application = factories.complete_application(edition=edition_in_submissions, owner=applicant)
    services.submit(application, by=applicant)
    return application


def make_submitted(edition, count, leader_code="0201011"):
    owner = factories.UserFactory()
    for _ in range(count):
        application = factories.complete_application(edition=edition, owner=owner)
        application.partners.filter(is_leader=True).update(territorial_unit=factories.unit(leader_code))
        services.submit(application, by=owner)


def test_list_shows_submitted_but_not_drafts(org, submitted):
    draft = factories.ApplicationFactory(edition=submitted.edition, title="Szkic niewidoczny")
    content = org.get(reverse("applications:organiser_list", args=[submitted.edition.year])).content.decode()
    assert submitted.code in content
    assert draft.title not in content


def test_list_filters_by_status_category_and_voivodeship(submitted, edition_in_submissions):
    make_submitted(edition_in_submissions, 1, leader_code="1261011")  # Kraków, małopolskie (12)
    edition = edition_in_submissions
    assert queries.organiser_list(edition, voivodeship="12").count() == 1
    assert queries.organiser_list(edition, voivodeship="02").count() == 1
    assert queries.organiser_list(edition, status=Status.ACCEPTED).count() == 0
    assert queries.organiser_list(edition, category=submitted.category_id).get() == submitted


def test_list_search_by_code_title_and_partner(submitted):
    edition = submitted.edition
    assert list(queries.organiser_list(edition, search=submitted.code)) == [submitted]
    assert list(queries.organiser_list(edition, search="transport")) == [submitted]
    assert list(queries.organiser_list(edition, search="Bolesławiec")) == [submitted]
    assert list(queries.organiser_list(edition, search="nic takiego")) == []


def test_export_csv_has_a_row_per_application(org, submitted):
    response = org.get(reverse("applications:organiser_export", args=[submitted.edition.year, "csv"]))
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert len(lines) == 2
    assert lines[1].startswith(submitted.code)


def test_export_csv_neutralises_formulas(org, submitted):
    Application.objects.filter(pk=submitted.pk).update(title='=HYPERLINK("http://x")')
    response = org.get(reverse("applications:organiser_export", args=[submitted.edition.year, "csv"]))
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_export_xlsx_opens_in_openpyxl(org, submitted):
    from openpyxl import load_workbook

    response = org.get(reverse("applications:organiser_export", args=[submitted.edition.year, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (len(rows), rows[1][0]) == (2, submitted.code)


def test_zip_contains_every_file(org, submitted):
    response = org.get(reverse("applications:attachments_zip", args=[submitted.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["01-porozumienie.pdf"]
    assert archive.read("01-porozumienie.pdf")[:5] == b"%PDF-"


def test_checklist_is_recorded(org, submitted, organiser):
    item = factories.ChecklistItemFactory(edition=submitted.edition)
    org.post(
        reverse("applications:review", args=[submitted.pk]),
        {"action": "checklist", f"item_{item.pk}": "yes", f"note_{item.pk}": "OK"},
    )
    result = submitted.checklist_results.get()
    assert (result.passed, result.note, result.checked_by) == (True, "OK", organiser)


def test_accept_changes_status_and_emails(org, submitted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        org.post(
            reverse("applications:review", args=[submitted.pk]),
            {"action": "decide", "decision": "accept", "confirmed": "1"},
        )
    submitted.refresh_from_db()
    assert submitted.status == Status.ACCEPTED
    assert len(mail.outbox) == 1


def test_reject_needs_a_justification(org, submitted):
    response = org.post(reverse("applications:review", args=[submitted.pk]), {"action": "decide", "decision": "reject"})
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert 'href="#id_reason"' in response.content.decode()


def test_reject_with_justification_is_emailed(org, submitted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        org.post(
            reverse("applications:review", args=[submitted.pk]),
            {"action": "decide", "decision": "reject", "reason": "Brak porozumienia partnerskiego."},
        )
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED
    assert "Brak porozumienia partnerskiego." in mail.outbox[0].body


def corrections(org, application, fields, days=3):
    deadline = timezone.localtime() + datetime.timedelta(days=days)
    return org.post(
        reverse("applications:review", args=[application.pk]),
        {
            "action": "decide",
            "decision": "corrections",
            "reason": "Uzupełnij opis rezultatów.",
            "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "fields_to_correct": fields,
        },
    )


def test_corrections_let_the_applicant_edit_only_what_was_asked(org, client, submitted, applicant):
    corrections(org, submitted, ["results_description"])
    submitted.refresh_from_db()
    assert submitted.status == Status.CORRECTIONS_REQUESTED
    client.force_login(applicant)
    from tests.test_applications import edit_payload

    payload = edit_payload(submitted, results_description="Nowe rezultaty", title="Zmieniony tytuł")
    client.post(reverse("applications:edit", args=[submitted.pk]), payload)
    submitted.refresh_from_db()
    assert (submitted.results_description, submitted.title) == ("Nowe rezultaty", "Wspólny transport gminny")


def test_resubmission_keeps_the_code_and_adds_a_version(org, client, submitted, applicant):
    code = submitted.code
    corrections(org, submitted, ["results_description"])
    client.force_login(applicant)
    client.post(reverse("applications:submit", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert (submitted.status, submitted.code) == (Status.SUBMITTED, code)
    assert list(submitted.versions.values_list("number", flat=True)) == [1, 2]


def test_resubmission_after_the_corrections_deadline_is_refused(org, submitted, applicant):
    corrections(org, submitted, ["title"])
    submitted.refresh_from_db()
    with pytest.raises(services.NotAllowed, match="The deadline for corrections has passed"):
        services.submit(submitted, by=applicant, at=submitted.corrections_deadline + datetime.timedelta(seconds=1))


def test_corrections_need_a_future_deadline(org, submitted):
    response = corrections(org, submitted, ["title"], days=-1)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert "must be in the future" in response.content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_organiser_list_query_count_does_not_grow(org, edition_in_submissions, django_assert_max_num_queries, count):
    make_submitted(edition_in_submissions, count)
    with django_assert_max_num_queries(14):
        response = org.get(reverse("applications:organiser_list", args=[edition_in_submissions.year]))
    assert response.status_code == 200
    assert response.content.decode().count("SLZ-") >= count


def test_organiser_list_query_count_is_the_same_at_two_sizes(org, edition_in_submissions, organiser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("applications:organiser_list", args=[edition_in_submissions.year])
    make_submitted(edition_in_submissions, 2)
    with CaptureQueriesContext(connection) as small:
        small_response = org.get(url)
    make_submitted(edition_in_submissions, 10)
    with CaptureQueriesContext(connection) as large:
        large_response = org.get(url)
    assert (small_response.status_code, large_response.status_code) == (200, 200)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_reject_after_the_corrections_window_without_resubmission(org, submitted):
    corrections(org, submitted, ["title"])
    org.post(
        reverse("applications:review", args=[submitted.pk]),
        {"action": "decide", "decision": "reject", "reason": "Nie złożono poprawek w terminie."},
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED


def test_accept_during_corrections_is_refused_with_a_message(org, submitted):
    corrections(org, submitted, ["title"])
    response = org.post(
        reverse("applications:review", args=[submitted.pk]),
        {"action": "decide", "decision": "accept", "confirmed": "1"},
        follow=True,
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.CORRECTIONS_REQUESTED
    assert "cannot go from" in response.content.decode()


@pytest.mark.parametrize("page", ["applications:detail", "applications:review"])
def test_application_page_query_count_does_not_grow_with_partners_and_files(org, submitted, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(page, args=[submitted.pk])
    with CaptureQueriesContext(connection) as small:
        small_response = org.get(url)
    requirement = submitted.attachments.get().requirement
    for code in ("0201032", "0201043", "0202011", "0208021"):
        factories.PartnerFactory(application=submitted, territorial_unit=factories.unit(code))
        factories.AttachmentFactory(application=submitted, requirement=requirement)
    with CaptureQueriesContext(connection) as large:
        large_response = org.get(url)
    assert (small_response.status_code, large_response.status_code) == (200, 200)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_organiser_list_pages_keep_the_total_and_the_filters(org, edition_in_submissions, monkeypatch):
    from applications import views

    monkeypatch.setattr(views, "ORGANISER_PAGE_SIZE", 3)
    make_submitted(edition_in_submissions, 5)
    url = reverse("applications:organiser_list", args=[edition_in_submissions.year])

    first = org.get(url, {"status": Status.SUBMITTED}).content.decode()
    second = org.get(url, {"status": Status.SUBMITTED, "page": 2}).content.decode()

    assert (first.count('name="ids"'), second.count('name="ids"'), "5 applications" in first) == (3, 2, True)
    assert f"?status={Status.SUBMITTED}&amp;page=2" in first


def test_list_row_shows_the_leader_category_and_status(org, edition_in_submissions):
    make_submitted(edition_in_submissions, 1, leader_code="1261011")  # Kraków
    application = Application.objects.get(edition=edition_in_submissions)
    leader = application.leader.display_name

    page = org.get(reverse("applications:organiser_list", args=[edition_in_submissions.year])).content.decode()
    row = page[page.index(application.code) :].split("</tr>")[0]

    assert (leader in row, application.category.name in row, str(Status.SUBMITTED.label) in row) == (True, True, True)
