"""Issue 8, "one definition of each rule", in the applications: a refused upload is a ServiceError like every other
refusal, and no group of application statuses is written outside the Status enum."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services as application_services
from contest.errors import ServiceError
from contest.models import Edition
from contest.services import copy_edition
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
