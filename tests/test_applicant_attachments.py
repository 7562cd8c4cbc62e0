"""Attachments as the applicant meets them: the file dialog offers the allowed types, choosing nothing says so, a
wrong type names the file and what is allowed, an uploaded file marks its requirement as met, and the checksums
are in the receipt rather than on the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.files import accept_attribute
from applications.models import Attachment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(client, applicant):
    client.force_login(applicant)
    return client


@pytest.fixture
def draft(applicant, edition_in_submissions):
    return factories.ApplicationFactory(owner=applicant, edition=edition_in_submissions)


@pytest.fixture
def requirement(edition_in_submissions):
    return factories.AttachmentRequirementFactory(
        edition=edition_in_submissions, name="Porozumienie", allowed_types=["pdf", "jpeg"], max_size_mb=1
    )


def upload(client, application, requirement, name=None, content=b""):
    data = {"requirement": requirement.pk}
    if name is not None:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse("applications:attachments", args=[application.pk]), data)


def test_accept_lists_extensions_and_mime_types_of_the_allowed_types():
    assert accept_attribute(["pdf", "jpeg"]) == ".pdf,application/pdf,.jpeg,.jpg,image/jpeg"
    assert accept_attribute(["unknown"]) == ""


def test_file_inputs_carry_accept_from_the_requirement(logged, draft, requirement):
    page = logged.get(reverse("applications:attachments", args=[draft.pk])).content.decode()
    assert f'id="upload-{requirement.pk}" accept=".pdf,application/pdf,.jpeg,.jpg,image/jpeg"' in page


def test_choosing_no_file_says_so_and_nothing_is_stored(logged, draft, requirement):
    response = upload(logged, draft, requirement)
    assert response.status_code == 400
    assert "No file was chosen." in response.content.decode()
    assert Attachment.objects.count() == 0


def test_wrong_type_names_the_file_and_what_is_allowed(logged, draft, requirement):
    response = upload(logged, draft, requirement, "budżet.xlsx", b"PK\x03\x04" + b"\x00" * 100)
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file “budżet.xlsx” is not one of the allowed types (PDF, JPEG)" in page
    assert Attachment.objects.count() == 0


def test_wrong_type_with_a_hostile_name_is_escaped_and_shortened(logged, draft, requirement):
    name = "<img src=x onerror=alert(1)>" + "a" * 300 + ".exe"
    page = upload(logged, draft, requirement, name, b"MZ" + b"\x00" * 100).content.decode()
    assert "<img src=x onerror=alert(1)>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "a" * 100 not in page
    assert Attachment.objects.count() == 0


def test_after_an_upload_the_requirement_shows_as_met(logged, draft, requirement):
    url = reverse("applications:attachments", args=[draft.pk])
    assert "data-requirement-met" not in logged.get(url).content.decode()
    assert upload(logged, draft, requirement, "porozumienie.pdf", factories.pdf_bytes()).status_code == 302
    assert "data-requirement-met" in logged.get(url).content.decode()


def test_checksum_is_in_the_receipt_not_on_the_applicants_attachments_page(logged, applicant):
    from applications import services

    application = factories.complete_application(owner=applicant)
    services.submit(application, by=applicant)
    sha = application.attachments.get().sha256
    page = logged.get(reverse("applications:attachments", args=[application.pk])).content.decode()
    assert (sha[:16] in page, "submission receipt" in page) == (False, True)
    from applications.receipts import receipt_filename

    response = logged.get(reverse("applications:receipt", args=[application.pk]))
    assert response["Content-Disposition"].endswith(f'"{receipt_filename(application)}"')
