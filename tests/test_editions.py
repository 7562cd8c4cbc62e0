"""Editions: copying one to start the next, and the organiser's admin refusing inconsistent set-ups."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from applications.models import Application
from contest.models import AttachmentRequirement, AuditEvent, Category, Criterion, Edition
from contest.services import copy_edition
from tests import factories

WARSAW = ZoneInfo("Europe/Warsaw")
ADD_URL = "/admin/contest/edition/add/"
CHANGELIST_URL = "/admin/contest/edition/"
INLINES = ["categories", "criteria", "attachment_requirements", "checklist_items"]


def local(year, month, day, hour=0, minute=0, second=0):
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=WARSAW)


def wall_clock(value):
    return timezone.localtime(value, WARSAW).replace(tzinfo=None)


@pytest.fixture
def source(db):
    """A published 2026 edition with its whole set-up and one application."""
    edition = factories.EditionFactory(
        number=17,
        year=2026,
        is_draft=False,
        theme="Partnerstwa dla klimatu",
        call_published_at=local(2026, 1, 15, 12),
        submissions_open_at=local(2026, 2, 1, 9),
        submission_deadline=local(2026, 3, 28, 23, 59, 59),
        formal_review_ends_at=local(2026, 4, 30, 23, 59, 59),
        scoring_starts_at=local(2026, 5, 4, 9),
        scoring_ends_at=local(2026, 6, 30, 23, 59, 59),
        results_at=local(2026, 10, 25, 12),
        archived_at=None,
    )
    factories.CategoryFactory(edition=edition, name="Partnerstwa gmin", order=1)
    factories.CategoryFactory(edition=edition, name="Partnerstwa międzysektorowe", order=2)
    factories.CriterionFactory(edition=edition, name="Trafność diagnozy", max_points=10, weight=1, order=1)
    factories.CriterionFactory(edition=edition, name="Rezultaty", max_points=20, weight="1.50", order=2)
    factories.AttachmentRequirementFactory(edition=edition, name="Porozumienie", allowed_types=["pdf"], max_size_mb=10)
    factories.ChecklistItemFactory(edition=edition, text="Wniosek złożony w terminie")
    factories.ApplicationFactory(edition=edition, category=edition.categories.first())
    return edition


@pytest.fixture
def copied(source):
    return copy_edition(source, number=18, year=2027)


def test_copy_edition_copies_categories(source, copied):
    assert list(copied.categories.values_list("name", "order")) == [
        ("Partnerstwa gmin", 1),
        ("Partnerstwa międzysektorowe", 2),
    ]


def test_copy_edition_copies_criteria(source, copied):
    rows = [(c.name, c.max_points, str(c.weight), c.requires_justification) for c in copied.criteria.all()]

    assert rows == [("Trafność diagnozy", 10, "1.00", True), ("Rezultaty", 20, "1.50", True)]


def test_copy_edition_copies_attachment_requirements(source, copied):
    rows = list(copied.attachment_requirements.values_list("name", "allowed_types", "max_size_mb", "is_required"))

    assert rows == [("Porozumienie", ["pdf"], 10, True)]


def test_copy_edition_copies_checklist(source, copied):
    assert list(copied.checklist_items.values_list("text", flat=True)) == ["Wniosek złożony w terminie"]


def test_copy_edition_leaves_source_setup_intact(source, copied):
    counts = [Model.objects.filter(edition=source).count() for Model in (Category, Criterion, AttachmentRequirement)]

    assert counts + [source.checklist_items.count()] == [2, 2, 1, 1]


def test_copy_edition_copies_no_applications(source, copied):
    assert (Application.objects.filter(edition=copied).count(), Application.objects.filter(edition=source).count()) == (
        0,
        1,
    )


def test_copy_edition_is_draft(source, copied):
    assert (copied.is_draft, copied.current_phase) == (True, "draft")


def test_copy_edition_keeps_number_year_and_theme(source, copied):
    assert (copied.number, copied.year, copied.theme) == (18, 2027, "Partnerstwa dla klimatu")


def test_copy_edition_shifts_dates_by_a_year_in_warsaw_wall_clock(source, copied):
    assert [wall_clock(getattr(copied, field)) for field in Edition.DATE_FIELDS[:7]] == [
        datetime.datetime(2027, 1, 15, 12),
        datetime.datetime(2027, 2, 1, 9),
        datetime.datetime(2027, 3, 28, 23, 59, 59),
        datetime.datetime(2027, 4, 30, 23, 59, 59),
        datetime.datetime(2027, 5, 4, 9),
        datetime.datetime(2027, 6, 30, 23, 59, 59),
        datetime.datetime(2027, 10, 25, 12),
    ]


def test_copy_edition_deadline_crossing_dst_keeps_wall_clock_not_utc(source, copied):
    # 28 March 2026 is still winter time; 28 March 2027 is the spring-forward day, so the UTC instant moves.
    assert (
        source.submission_deadline.astimezone(datetime.UTC).hour,
        copied.submission_deadline.astimezone(datetime.UTC).hour,
    ) == (22, 21)


def test_copy_edition_keeps_warsaw_wall_clock_whatever_the_active_timezone(source):
    with timezone.override("America/New_York"):
        copy = copy_edition(source, number=18, year=2027)

    assert wall_clock(copy.submission_deadline) == datetime.datetime(2027, 3, 28, 23, 59, 59)


def test_copy_edition_leap_day_becomes_28_february(db):
    edition = factories.EditionFactory(
        year=2028,
        call_published_at=local(2028, 1, 10),
        submissions_open_at=local(2028, 2, 1),
        submission_deadline=local(2028, 2, 29, 23, 59, 59),
        formal_review_ends_at=local(2028, 3, 31),
        scoring_starts_at=local(2028, 4, 1),
        scoring_ends_at=local(2028, 5, 1),
        results_at=local(2028, 6, 1),
        archived_at=None,
    )

    copy = copy_edition(edition, number=edition.number + 1, year=2029)

    assert wall_clock(copy.submission_deadline) == datetime.datetime(2029, 2, 28, 23, 59, 59)


def test_copy_edition_records_audit_event(source, organiser):
    copy = copy_edition(source, number=18, year=2027, by=organiser)

    event = AuditEvent.objects.get(action="edition.copied")
    assert (event.actor, event.target, event.data) == (organiser, copy, {"source_edition": source.pk})


# --- the organiser's admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, organiser):
    client.force_login(organiser)
    client.cookies["django_language"] = "en"
    return client


def _split(value):
    local_value = wall_clock(value)
    return local_value.strftime("%Y-%m-%d"), local_value.strftime("%H:%M:%S")


def edition_form_data(**overrides):
    """A valid POST of the edition add form, inline formsets empty."""
    dates = {
        "call_published_at": local(2030, 1, 15, 12),
        "submissions_open_at": local(2030, 2, 1, 9),
        "submission_deadline": local(2030, 4, 30, 23, 59, 59),
        "formal_review_ends_at": local(2030, 5, 31, 23, 59, 59),
        "scoring_starts_at": local(2030, 6, 1, 9),
        "scoring_ends_at": local(2030, 6, 30, 23, 59, 59),
        "results_at": local(2030, 9, 15, 12),
    }
    dates.update({key: value for key, value in overrides.items() if key in dates})
    data = {
        "name": "Samorządowy Lider Zarządzania",
        "number": "21",
        "year": "2030",
        "theme": "Usługi przyszłości",
        "description": "",
        "is_draft": "on",
        "min_local_government_partners": "2",
        "allow_cross_sector_partnership": "on",
        "summary_max_length": "1500",
        "min_justification_length": "50",
        "jurors_per_entry": "",
        "ranking_method": "mean",
        "ranking_tie_rules": "criteria,median",
        "ranking_disagreement_share": "0.30",
        "archived_at_0": "",
        "archived_at_1": "",
    }
    for field, value in dates.items():
        data[f"{field}_0"], data[f"{field}_1"] = _split(value)
    for prefix in INLINES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update({key: value for key, value in overrides.items() if key not in dates})
    return data


def with_criterion(data, *, max_points, weight):
    return {
        **data,
        "criteria-TOTAL_FORMS": "1",
        "criteria-0-name": "Trafność diagnozy",
        "criteria-0-order": "1",
        "criteria-0-description": "",
        "criteria-0-max_points": str(max_points),
        "criteria-0-weight": str(weight),
        "criteria-0-requires_justification": "on",
    }


def with_requirement(data, *, allowed_types):
    return {
        **data,
        "attachment_requirements-TOTAL_FORMS": "1",
        "attachment_requirements-0-name": "Porozumienie partnerskie",
        "attachment_requirements-0-help_text": "",
        "attachment_requirements-0-is_required": "on",
        "attachment_requirements-0-allowed_types": allowed_types,
        "attachment_requirements-0-max_size_mb": "10",
        "attachment_requirements-0-visible_to_jury": "on",
        "attachment_requirements-0-order": "1",
    }


def test_admin_add_edition_valid_is_saved(admin_client):
    response = admin_client.post(ADD_URL, edition_form_data())

    edition = Edition.objects.get(year=2030)
    assert (response.status_code, response["Location"], wall_clock(edition.submission_deadline)) == (
        302,
        CHANGELIST_URL,
        datetime.datetime(2030, 4, 30, 23, 59, 59),
    )


def test_admin_add_edition_with_setup_saves_inlines(admin_client):
    data = with_requirement(with_criterion(edition_form_data(), max_points=10, weight="1.5"), allowed_types=["pdf"])

    admin_client.post(ADD_URL, data)

    edition = Edition.objects.get(year=2030)
    assert (
        list(edition.criteria.values_list("name", "max_points")),
        list(edition.attachment_requirements.values_list("allowed_types", flat=True)),
    ) == ([("Trafność diagnozy", 10)], [["pdf"]])


def test_admin_add_edition_deadline_before_opening_is_refused(admin_client):
    data = edition_form_data(submission_deadline=local(2030, 1, 31, 23, 59, 59))

    response = admin_client.post(ADD_URL, data)

    assert (response.status_code, Edition.objects.filter(year=2030).exists()) == (200, False)
    assert "Submission deadline must not be earlier than submissions open." in response.content.decode()


def test_admin_add_edition_results_before_scoring_end_is_refused(admin_client):
    data = edition_form_data(results_at=local(2030, 6, 1, 12))

    response = admin_client.post(ADD_URL, data)

    assert (response.status_code, Edition.objects.filter(year=2030).exists()) == (200, False)
    assert "Results announced must not be earlier than jury scoring ends." in response.content.decode()


def test_admin_change_edition_dates_out_of_order_keeps_old_dates(admin_client, source):
    deadline = source.submission_deadline
    data = edition_form_data(
        number=str(source.number), year=str(source.year), scoring_starts_at=local(2030, 3, 1, 9)
    )

    response = admin_client.post(f"/admin/contest/edition/{source.pk}/change/", data)

    source.refresh_from_db()
    assert (response.status_code, source.submission_deadline) == (200, deadline)
    assert "Jury scoring starts must not be earlier than formal review ends." in response.content.decode()


def test_admin_criterion_with_zero_points_is_refused(admin_client):
    response = admin_client.post(ADD_URL, with_criterion(edition_form_data(), max_points=0, weight=1))

    assert (response.status_code, Edition.objects.count(), Criterion.objects.count()) == (200, 0, 0)
    assert "Maximum points must be at least 1." in response.content.decode()


def test_admin_criterion_with_negative_points_is_refused(admin_client):
    response = admin_client.post(ADD_URL, with_criterion(edition_form_data(), max_points=-5, weight=1))

    assert (response.status_code, Edition.objects.count(), Criterion.objects.count()) == (200, 0, 0)
    assert "Maximum points must be at least 1." in response.content.decode()


def test_admin_criterion_with_negative_weight_is_refused(admin_client):
    response = admin_client.post(ADD_URL, with_criterion(edition_form_data(), max_points=10, weight="-0.5"))

    assert (response.status_code, Edition.objects.count(), Criterion.objects.count()) == (200, 0, 0)
    assert "The weight cannot be negative." in response.content.decode()


def test_admin_criterion_with_zero_weight_is_accepted(admin_client):
    admin_client.post(ADD_URL, with_criterion(edition_form_data(), max_points=10, weight="0"))

    assert list(Criterion.objects.values_list("weight", flat=True)) == [0]


def test_admin_requirement_without_file_type_is_refused(admin_client):
    response = admin_client.post(ADD_URL, with_requirement(edition_form_data(), allowed_types=[]))

    assert (response.status_code, Edition.objects.count(), AttachmentRequirement.objects.count()) == (200, 0, 0)
    assert "Choose at least one allowed file type." in response.content.decode()


def test_admin_requirement_with_unknown_file_type_is_refused(admin_client):
    response = admin_client.post(ADD_URL, with_requirement(edition_form_data(), allowed_types=["exe"]))

    assert (response.status_code, Edition.objects.count(), AttachmentRequirement.objects.count()) == (200, 0, 0)


def test_admin_copy_action_shows_confirmation_with_next_year(admin_client, source):
    response = admin_client.post(
        CHANGELIST_URL, {"action": "copy_selected", "_selected_action": [source.pk], "index": "0"}
    )

    form = response.context["form"]
    assert (response.status_code, form.initial) == (200, {"number": 18, "year": 2027})


def test_admin_copy_action_confirmed_creates_draft_copy(admin_client, source):
    response = admin_client.post(
        CHANGELIST_URL,
        {"action": "copy_selected", "_selected_action": [source.pk], "apply": "Copy", "number": "18", "year": "2027"},
    )

    copy = Edition.objects.get(year=2027)
    assert (response.status_code, response["Location"]) == (302, f"/admin/contest/edition/{copy.pk}/change/")
    assert (copy.is_draft, copy.categories.count(), copy.criteria.count(), copy.applications.count()) == (
        True,
        2,
        2,
        0,
    )


def test_admin_copy_action_to_taken_year_is_refused(admin_client, source):
    factories.EditionFactory(year=2027, number=50)

    response = admin_client.post(
        CHANGELIST_URL,
        {"action": "copy_selected", "_selected_action": [source.pk], "apply": "Copy", "number": "18", "year": "2027"},
        follow=True,
    )

    assert (Edition.objects.filter(year=2027).count(), Edition.objects.filter(number=18).exists()) == (1, False)
    assert "The edition could not be copied: Edition with this Year already exists." in response.content.decode()


def test_admin_copy_action_with_two_editions_is_refused(admin_client, source):
    other = factories.EditionFactory(year=2025, number=16)

    response = admin_client.post(
        CHANGELIST_URL,
        {"action": "copy_selected", "_selected_action": [source.pk, other.pk], "index": "0"},
        follow=True,
    )

    assert (Edition.objects.count(), "Choose exactly one edition to copy." in response.content.decode()) == (2, True)


def test_admin_edition_pages_refuse_applicant(client, applicant):
    client.force_login(applicant)

    response = client.get(ADD_URL)

    assert (response.status_code, response["Location"].startswith("/admin/login/")) == (302, True)
