"""The applications part of seed_demo: every status, real TERC partners, real files, idempotent."""

import pytest
from django.core.files.storage import default_storage

from applications import demo
from applications.models import Application, Attachment, Status
from contest import demo as contest_demo
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    factories.ensure_terc()
    context = contest_demo.seed(password="demo-password")
    return context, demo.seed(password="demo-password", applications=30, **context)


def test_demo_covers_every_applicant_status(seeded):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.CORRECTIONS_REQUESTED,
        Status.ACCEPTED,
        Status.REJECTED,
        Status.WITHDRAWN,
    } <= statuses


def test_demo_scoring_edition_has_mostly_accepted_entries_with_codes(seeded):
    context, result = seeded
    edition = context["editions"][2026]
    accepted = Application.objects.filter(edition=edition, status=Status.ACCEPTED)
    assert accepted.count() == 40  # 10 curated + 30 for benchmarks
    assert all(a.code.startswith(f"SLZ-{edition.year}-") for a in accepted)
    assert len(result["applications"]) == 40


def test_demo_partners_are_real_terc_units_and_files_are_real(seeded):
    application = Application.objects.get(title="Wspólny bilet i autobusy dla Doliny Bobru")
    assert [p.territorial_unit.code for p in application.partners.all()] == ["0201011", "0201022", "0201043"]
    pdf = Attachment.objects.filter(content_type="application/pdf").first()
    with default_storage.open(pdf.file.name, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_demo_is_idempotent(seeded):
    context, _result = seeded
    before = Application.objects.count()
    demo.seed(password="demo-password", applications=30, **context)
    assert Application.objects.count() == before


def test_demo_checklists_are_linked_to_the_system_checks_and_they_pass_for_submitted_entries(seeded):
    from applications.formal_checks import system_checks
    from applications.queries import application_detail
    from contest.models import ChecklistItem, SystemCheck

    context, _result = seeded
    for edition in context["editions"].values():
        linked = set(ChecklistItem.objects.filter(edition=edition).values_list("system_check", flat=True))
        assert linked == set(SystemCheck.values)
    submitted = application_detail(Application.objects.filter(status=Status.SUBMITTED))
    assert submitted
    failed = {
        (application.title, check.key, check.detail)
        for application in submitted
        for check in system_checks(application).values()
        if not check.passed
    }
    assert failed == set()
