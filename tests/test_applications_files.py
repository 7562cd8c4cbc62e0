"""Attachments: checked by content, safe names, SHA-256, private storage, serving through permission checks."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from applications import files, services
from applications.models import Attachment, Status
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("terc")]



@pytest.fixture
def draft(applicant, edition_in_submissions):
    return factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)


@pytest.fixture
def requirement(edition_in_submissions):
    return factories.AttachmentRequirementFactory(
        edition=edition_in_submissions, allowed_types=["pdf", "jpeg"], max_size_mb=1
    )


def upload(client, application, requirement, name, content, **extra):
    data = {"requirement": requirement.pk, "file": SimpleUploadedFile(name, content), **extra}
    return client.post(reverse("applications:attachments", args=[application.pk]), data)


@pytest.fixture
def logged(client, applicant):
    client.force_login(applicant)
    return client


def test_upload_pdf_records_name_size_type_and_sha256(logged, draft, requirement):
    content = factories.pdf_bytes()
    response = upload(logged, draft, requirement, "Porozumienie gmin.pdf", content)
    attachment = Attachment.objects.get()
    assert response.status_code == 302
    assert (attachment.original_name, attachment.size, attachment.content_type, attachment.sha256) == (
        "Porozumienie gmin.pdf",
        len(content),
        "application/pdf",
        hashlib.sha256(content).hexdigest(),
    )
    assert "Porozumienie" not in attachment.file.name
    assert attachment.file.name.startswith(f"attachments/{draft.edition_id}/{draft.pk}/")
    with default_storage.open(attachment.file.name, "rb") as handle:
        assert handle.read() == content


def test_upload_jpeg_is_accepted(logged, draft, requirement):
    upload(logged, draft, requirement, "zdjecie.jpg", factories.jpeg_bytes())
    assert Attachment.objects.get().content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("raport.pdf", b"<!DOCTYPE html><html><body>hi</body></html>", "Web pages, SVG images and scripts"),
        ("raport.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "not one of the allowed"),
        ("mapa.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG images"),
        ("strona.html", b"<html><script>alert(1)</script></html>", "Web pages"),
        ("pusty.pdf", b"", "The file is empty"),
        ("tekst.pdf", b"just some text, not a pdf", "not one of the allowed"),
        ("zepsuty.pdf", b"%PDF-1.7\n1 0 obj garbage without xref", "damaged"),
    ],
)
def test_bad_file_is_refused_with_a_clear_error(logged, draft, requirement, name, content, message):
    existing = factories.AttachmentFactory(application=draft, requirement=requirement)
    response = upload(logged, draft, requirement, name, content)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert f'href="#upload-{requirement.pk}"' in body
    assert list(Attachment.objects.all()) == [existing]


def test_encrypted_pdf_is_refused(logged, draft, requirement):
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("tajne")
    buffer = io.BytesIO()
    writer.write(buffer)
    response = upload(logged, draft, requirement, "tajne.pdf", buffer.getvalue())
    assert "encrypted or password-protected" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_file_over_the_limit_is_refused(logged, draft, requirement):
    content = factories.pdf_bytes() + b"%" + b"0" * (1024 * 1024)
    response = upload(logged, draft, requirement, "duzy.pdf", content)
    assert response.status_code == 400
    assert "the limit for this attachment is 1 MB" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_type_not_allowed_for_the_requirement_is_refused(logged, draft, edition_in_submissions):
    only_pdf = factories.AttachmentRequirementFactory(edition=edition_in_submissions, allowed_types=["pdf"])
    response = upload(logged, draft, only_pdf, "zdjecie.pdf", factories.jpeg_bytes())
    assert "not one of the allowed types (PDF)" in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\jan\\umowa.pdf", "umowa.pdf"),
        ("umo\x00wa\x1b\x07.pdf", "umowa.pdf"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_clean_filename_strips_folders_control_characters_and_length(raw, shown):
    assert files.clean_filename(raw) == shown


def test_upload_with_a_hostile_name_keeps_a_safe_display_name(draft, requirement, applicant):
    hostile = SimpleUploadedFile("x.pdf", factories.pdf_bytes())
    hostile.name = "..\\..\\umowa\x07" + "b" * 300 + ".pdf"  # a name no browser would send, straight to the service
    attachment = services.add_attachment(draft, requirement, hostile, by=applicant)
    assert len(attachment.original_name) <= files.MAX_NAME_LENGTH
    assert "\\" not in attachment.original_name and "\x07" not in attachment.original_name
    assert attachment.original_name.endswith(".pdf")


def test_replace_swaps_the_file_and_deletes_the_old_one(logged, draft, requirement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(logged, draft, requirement, "v1.pdf", factories.pdf_bytes("v1"))
        old = Attachment.objects.get()
        upload(logged, draft, requirement, "v2.pdf", factories.pdf_bytes("v2"), replace=old.pk)
    new = Attachment.objects.get()
    assert new.original_name == "v2.pdf"
    assert not default_storage.exists(old.file.name)


def test_delete_removes_the_row_and_the_file(logged, draft, requirement, django_capture_on_commit_callbacks):
    upload(logged, draft, requirement, "v1.pdf", factories.pdf_bytes())
    attachment = Attachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        logged.post(reverse("applications:attachment_delete", args=[draft.pk, attachment.pk]))
    assert Attachment.objects.count() == 0
    assert not default_storage.exists(attachment.file.name)


def test_upload_to_someone_elses_application_is_404(client, draft, requirement):
    stranger = factories.UserFactory()
    client.force_login(stranger)
    response = upload(client, draft, requirement, "v1.pdf", factories.pdf_bytes())
    assert response.status_code == 404
    assert Attachment.objects.count() == 0


def test_upload_to_a_submitted_application_is_refused(logged, applicant):
    application = factories.complete_application(owner=applicant)
    services.submit(application, by=applicant)
    requirement = application.attachments.get().requirement
    upload(logged, application, requirement, "late.pdf", factories.pdf_bytes())
    assert application.attachments.count() == 1


def test_storage_down_keeps_the_draft_and_other_files(logged, draft, requirement, settings, tmp_path):
    good = factories.pdf_bytes("first")
    upload(logged, draft, requirement, "first.pdf", good)
    first = Attachment.objects.get()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where the storage folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker / "media"},
        },
    }
    response = upload(logged, draft, requirement, "second.pdf", factories.pdf_bytes("second"))
    body = response.content.decode()
    assert response.status_code == 503
    assert "please try uploading this file again" in body
    assert list(Attachment.objects.all()) == [first]
    draft.refresh_from_db()
    assert draft.title == "Wspólny transport gminny"


def test_download_is_an_attachment_with_nosniff(logged, draft, requirement, settings):
    content = factories.pdf_bytes()
    upload(logged, draft, requirement, "Umowa łączna.pdf", content)
    attachment = Attachment.objects.get()
    response = logged.get(reverse("applications:attachment", args=[draft.pk, attachment.pk]))
    if files.is_remote_storage():
        assert response.status_code == 302
        assert "response-content-disposition=attachment" in response["Location"]
        assert "X-Amz-Expires=60" in response["Location"]
    else:
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"  # public result files are cached; attachments never
        assert b"".join(response.streaming_content) == content


def test_download_of_someone_elses_file_is_404(client, draft, requirement):
    attachment = factories.AttachmentFactory(application=draft, requirement=requirement)
    client.force_login(factories.UserFactory())
    response = client.get(reverse("applications:attachment", args=[draft.pk, attachment.pk]))
    assert response.status_code == 404


def test_download_via_another_application_id_is_404(client, applicant, draft, requirement, edition_in_submissions):
    attachment = factories.AttachmentFactory(application=draft, requirement=requirement)
    mine = factories.ApplicationFactory(edition=edition_in_submissions, owner=factories.UserFactory())
    client.force_login(mine.owner)
    response = client.get(reverse("applications:attachment", args=[mine.pk, attachment.pk]))
    assert response.status_code == 404


def test_media_files_are_not_reachable_by_url(client, draft, requirement, applicant):
    attachment = factories.AttachmentFactory(application=draft, requirement=requirement)
    client.force_login(applicant)
    for url in (f"/media/{attachment.file.name}", f"/private-media/{attachment.file.name}", f"/{attachment.file.name}"):
        assert client.get(url).status_code == 404


def test_serve_attachment_from_s3_that_does_not_answer_is_refused_as_unavailable(draft, requirement, rf):
    """A presigned URL needs no request to S3, so the download asks S3 first: a dead endpoint is a clear refusal,
    not a redirect to an address that does not answer. (The presigned redirect itself, on a live S3 server:
    tests/test_faults_storage.py.)"""
    from storages.backends.s3 import S3Storage

    attachment = factories.AttachmentFactory(application=draft, requirement=requirement)
    storage = S3Storage(
        bucket_name="slz-test",
        access_key="testing",
        secret_key="testing",
        region_name="eu-central-1",
        endpoint_url="http://127.0.0.1:9",
        querystring_expire=60,
    )
    attachment.file.storage = storage
    with pytest.raises(files.StorageUnavailable, match="the file storage is not answering"):
        files.serve_attachment(rf.get("/"), attachment)


def test_attachments_page_without_files_shows_every_requirement(logged, draft, requirement):
    response = logged.get(reverse("applications:attachments", args=[draft.pk]))
    assert f'id="upload-{requirement.pk}"' in response.content.decode()


def test_upload_during_corrections_only_when_asked(logged, applicant, organiser):
    import datetime

    from django.utils import timezone

    application = factories.complete_application(owner=applicant)
    services.submit(application, by=applicant)
    services.request_corrections(
        application,
        by=organiser,
        deadline=timezone.now() + datetime.timedelta(days=3),
        fields=["title"],
        note="Popraw tytuł",
    )
    requirement = application.attachments.get().requirement
    upload(logged, application, requirement, "nowy.pdf", factories.pdf_bytes())
    assert application.attachments.count() == 1
    assert application.status == Status.CORRECTIONS_REQUESTED


def test_upload_still_checks_csrf(draft, requirement, applicant):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = upload(client, draft, requirement, "v1.pdf", factories.pdf_bytes())
    assert response.status_code == 403
    assert Attachment.objects.count() == 0


def test_large_upload_is_spooled_to_disk_and_hashed_on_the_way_in(logged, draft, edition_in_submissions, tmp_path):
    import sys

    sys.path.insert(0, "benchmarks")
    from upload_memory import write_large_pdf

    requirement = factories.AttachmentRequirementFactory(
        edition=edition_in_submissions, allowed_types=["pdf"], max_size_mb=10
    )
    path = tmp_path / "big.pdf"
    write_large_pdf(path, 5 * 1024 * 1024)
    with open(path, "rb") as handle:
        content = handle.read()
    upload(logged, draft, requirement, "duzy-raport.pdf", content)
    attachment = Attachment.objects.get()
    assert (attachment.size, attachment.sha256) == (len(content), hashlib.sha256(content).hexdigest())


def test_body_larger_than_every_limit_is_refused_before_reading(logged, draft, requirement):
    content = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)
    response = upload(logged, draft, requirement, "ogromny.pdf", content)
    assert response.status_code == 302
    assert Attachment.objects.count() == 0
    page = logged.get(response["Location"]).content.decode()
    assert "the largest attachment allowed is 1 MB" in page
