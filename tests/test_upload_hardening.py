"""Hostile uploads and anonymous bodies: zip bombs, deep PDFs, lying names, oversized and anonymous requests."""

import gc
import io
import resource
import struct
import tracemalloc
import zipfile
import zlib
from urllib.parse import unquote

import pytest
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from applications import files
from applications.models import Attachment
from contest.models import FILE_TYPES
from tests import factories
from tests.test_applications import edit_payload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("terc")]

MB = 1024 * 1024
# What one refused upload may cost the process at most, the request body the test client holds included.
MEMORY_BUDGET = 20 * MB
ZIP_REFUSED = "The archive has too many files or expands to an unreasonable size."


@pytest.fixture
def draft(applicant, edition_in_submissions):
    return factories.ApplicationFactory(edition=edition_in_submissions, owner=applicant)


@pytest.fixture
def logged(client, applicant):
    client.force_login(applicant)
    return client


def slot(edition, *types, max_size_mb=10):
    return factories.AttachmentRequirementFactory(edition=edition, allowed_types=list(types), max_size_mb=max_size_mb)


# --- building hostile files -------------------------------------------------------------------


def deflated_zeros(size):
    """A raw DEFLATE stream of `size` zero bytes and its CRC, made from one compressed megabyte repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // MB):
        crc = zlib.crc32(bytes(MB), crc)
    return block * (size // MB) + zlib.compressobj(9, zlib.DEFLATED, -15).flush(), crc


def craft_zip(members):
    """A ZIP written byte by byte; members are (name, stored bytes, crc, declared size, method).

    The central directory declares whatever size it is given, as an attacker's would. More than 65,534 members
    get the ZIP64 end record that real tools write.
    """
    body, directory = bytearray(), bytearray()
    for name, data, crc, size, method in members:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(data), size, len(encoded), 0)
        body += encoded + data
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0,
            offset,
        )
        directory += encoded
    count = len(members)
    end = bytearray()
    if count >= 0xFFFF:
        record_at = len(body) + len(directory)
        end += struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), len(body))
        end += struct.pack("<4sLQL", b"PK\x06\x07", 0, record_at, 1)
    short = min(count, 0xFFFF)
    end += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, short, short, len(directory), len(body), 0)
    return bytes(body + directory + end)


def zip_bomb(name="mimetype", size=400 * MB):
    """About 400 KB on the wire, 400 MB when expanded: the archive from the security review."""
    data, crc = deflated_zeros(size)
    return craft_zip([(name, data, crc, size, zipfile.ZIP_DEFLATED)])


def office_file(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx_bytes():
    return office_file({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def deep_pdf(depth):
    """A PDF whose one page sits under `depth` nested /Pages nodes."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = 2 + level
        parent = f" /Parent {number - 1} 0 R" if level else ""
        objects.append(f"<< /Type /Pages /Kids [{number + 1} 0 R] /Count 1{parent} >>")
    objects.append(f"<< /Type /Page /Parent {depth + 1} 0 R /MediaBox [0 0 595 842] >>")
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --- posting and measuring --------------------------------------------------------------------


def post_upload(client, application, requirement, name, content):
    """POST through the real upload view; returns (response, peak bytes allocated while it ran)."""
    body = encode_multipart(BOUNDARY, {"requirement": requirement.pk, "file": SimpleUploadedFile(name, content)})
    url = reverse("applications:attachments", args=[application.pk])
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    try:
        response = client.generic("POST", url, body, content_type=MULTIPART_CONTENT)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    print(
        f"\n{name}: {len(content) / 1024:.0f} KB sent, peak Python allocation {peak / MB:.1f} MB "
        f"(request body {len(body) / MB:.1f} MB of it), max RSS growth {rss_growth / 1024:.1f} MB"
    )
    return response, peak


def stored_files():
    found = []

    def walk(folder):
        try:
            folders, names = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        found.extend(f"{folder}/{name}" for name in names)
        for sub in folders:
            walk(f"{folder}/{sub}")

    walk("attachments")
    return found


def assert_refused(response, message):
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Attachment.objects.count(), stored_files()) == (0, [])


# --- zip bombs ----------------------------------------------------------------------------------


def test_zip_bomb_named_pdf_is_refused_unread_in_a_pdf_only_slot(logged, draft, edition_in_submissions):
    requirement = slot(edition_in_submissions, "pdf")
    response, peak = post_upload(logged, draft, requirement, "umowa.pdf", zip_bomb())
    assert_refused(response, "not one of the allowed types (PDF)")
    assert peak < MEMORY_BUDGET


def test_zip_bomb_is_refused_by_its_directory_where_odt_is_allowed(logged, draft, edition_in_submissions):
    requirement = slot(edition_in_submissions, "odt", "docx")
    response, peak = post_upload(logged, draft, requirement, "umowa.odt", zip_bomb())
    assert_refused(response, ZIP_REFUSED)
    assert peak < MEMORY_BUDGET


def test_zip_declaring_four_gigabytes_is_refused(logged, draft, edition_in_submissions):
    requirement = slot(edition_in_submissions, "docx")
    text = b"<w:document/>"
    packed = zlib.compress(text)[2:-4]
    liar = craft_zip([("word/document.xml", packed, zlib.crc32(text), 0xFFFFFFFE, zipfile.ZIP_DEFLATED)])
    response, peak = post_upload(logged, draft, requirement, "umowa.docx", liar)
    assert_refused(response, ZIP_REFUSED)
    assert peak < MEMORY_BUDGET


def test_zip_with_100000_members_is_refused_before_its_directory_is_parsed(logged, draft, edition_in_submissions):
    requirement = slot(edition_in_submissions, "zip", max_size_mb=20)
    crowd = craft_zip([(str(index), b"", 0, 0, zipfile.ZIP_STORED) for index in range(100_000)])
    response, peak = post_upload(logged, draft, requirement, "teczka.zip", crowd)
    assert_refused(response, ZIP_REFUSED)
    assert peak < MEMORY_BUDGET


def test_zip_member_count_from_the_zip64_end_record():
    crowd = craft_zip([(str(index), b"", 0, 0, zipfile.ZIP_STORED) for index in range(70_000)])
    assert files._zip_directory(SimpleUploadedFile("a.zip", crowd))[0] == 70_000


def test_real_docx_is_still_accepted(logged, draft, edition_in_submissions):
    requirement = slot(edition_in_submissions, "pdf", "docx")
    response, _peak = post_upload(logged, draft, requirement, "opis projektu", docx_bytes())
    attachment = Attachment.objects.get()
    assert response.status_code == 302
    assert (attachment.content_type, attachment.original_name) == (FILE_TYPES["docx"].mime, "opis projektu.docx")


def test_real_odt_is_told_apart_by_its_mimetype_member(logged, draft, edition_in_submissions):
    requirement = slot(edition_in_submissions, "odt")
    odt = office_file({"mimetype": FILE_TYPES["odt"].mime, "content.xml": "<office:document-content/>"})
    post_upload(logged, draft, requirement, "opis.odt", odt)
    assert Attachment.objects.get().content_type == FILE_TYPES["odt"].mime


def test_docx_sent_to_a_pdf_only_slot_is_refused(logged, draft, edition_in_submissions):
    requirement = slot(edition_in_submissions, "pdf")
    response, _peak = post_upload(logged, draft, requirement, "opis.pdf", docx_bytes())
    assert_refused(response, "not one of the allowed types (PDF)")


# --- PDFs -----------------------------------------------------------------------------------------


def test_pdf_with_a_page_tree_deeper_than_100_levels_is_refused_clearly(logged, draft, edition_in_submissions):
    requirement = slot(edition_in_submissions, "pdf")
    response, _peak = post_upload(logged, draft, requirement, "gleboki.pdf", deep_pdf(150))
    assert_refused(response, "The PDF file is damaged or too complex to read.")


def test_pdf_with_a_shallow_page_tree_is_accepted(logged, draft, edition_in_submissions):
    requirement = slot(edition_in_submissions, "pdf")
    post_upload(logged, draft, requirement, "plytki.pdf", deep_pdf(5))
    assert Attachment.objects.get().original_name == "plytki.pdf"


# --- names follow the content ---------------------------------------------------------------------


def pdf_with_html_after_8_kb():
    pdf = factories.pdf_bytes()
    return pdf + b"\n%" + b" " * (8192 - len(pdf)) + b"\n<html><body><script>alert(1)</script></body></html>\n"


def test_pdf_named_html_is_stored_as_pdf(logged, draft, edition_in_submissions):
    requirement = slot(edition_in_submissions, "pdf")
    post_upload(logged, draft, requirement, "wyniki.html", pdf_with_html_after_8_kb())
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("wyniki.pdf", "application/pdf")
    assert attachment.file.name.endswith(".pdf")


def test_organiser_download_of_a_pdf_named_html_is_named_pdf(logged, client, draft, edition_in_submissions, organiser):
    requirement = slot(edition_in_submissions, "pdf")
    post_upload(logged, draft, requirement, "wyniki.html", pdf_with_html_after_8_kb())
    client.force_login(organiser)
    response = client.get(reverse("applications:attachment", args=[draft.pk, Attachment.objects.get().pk]))
    if files.is_remote_storage():
        disposition = unquote(response["Location"])
    else:
        disposition = response["Content-Disposition"]
    assert ("wyniki.pdf" in disposition, "html" in disposition) == (True, False)


def test_organiser_zip_names_a_pdf_named_html_as_pdf(logged, client, draft, edition_in_submissions, organiser):
    requirement = slot(edition_in_submissions, "pdf")
    post_upload(logged, draft, requirement, "wyniki.html", pdf_with_html_after_8_kb())
    client.force_login(organiser)
    response = client.get(reverse("applications:attachments_zip", args=[draft.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == ["01-wyniki.pdf"]


def test_download_name_of_an_older_row_follows_its_stored_type(draft, edition_in_submissions):
    attachment = factories.AttachmentFactory(
        application=draft, requirement=slot(edition_in_submissions, "pdf"), original_name="wyniki.html"
    )
    assert files.download_name(attachment) == "wyniki.pdf"


@pytest.mark.parametrize(
    ("raw", "kind", "shown"),
    [
        ("wyniki.html", "pdf", "wyniki.pdf"),
        ("raport", "pdf", "raport.pdf"),
        ("Raport.PDF", "pdf", "Raport.PDF"),
        ("zdjecie.jpeg", "jpeg", "zdjecie.jpeg"),
        ("zdjecie.jpg", "jpeg", "zdjecie.jpg"),
        ("zdjecie.png", "jpeg", "zdjecie.jpg"),
        ("wersja 1.2 ostateczna", "docx", "wersja 1.2 ostateczna.docx"),
        ("wersja 1.2", "docx", "wersja 1.2.docx"),
        ("a" * 300 + ".html", "pdf", "a" * 116 + ".pdf"),
    ],
)
def test_clean_filename_ends_in_the_detected_types_extension(raw, kind, shown):
    assert files.clean_filename(raw, kind) == shown


# --- the upload guard: nothing is read ------------------------------------------------------------


class UnreadableBody:
    """A wsgi.input that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def post_unread(client, url, length, content_type=MULTIPART_CONTENT):
    return client.generic(
        "POST",
        url,
        CONTENT_LENGTH=str(length),
        CONTENT_TYPE=content_type,
        **{"wsgi.input": UnreadableBody()},
    )


def test_anonymous_60_mb_upload_is_sent_to_log_in_unread(draft):
    url = reverse("applications:attachments", args=[draft.pk])
    response = post_unread(Client(enforce_csrf_checks=True), url, 60 * MB)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_small_upload_is_sent_to_log_in_unread(draft):
    url = reverse("applications:attachments", args=[draft.pk])
    response = post_unread(Client(enforce_csrf_checks=True), url, 1024)
    assert response.status_code == 302


def test_anonymous_multipart_body_over_the_form_limit_elsewhere_is_413_unread():
    response = post_unread(Client(enforce_csrf_checks=True), reverse("account_login"), 6 * MB)
    assert response.status_code == 413


def test_body_over_every_limit_is_413_for_a_logged_in_user_unread(logged, draft, edition_in_submissions):
    slot(edition_in_submissions, "pdf", max_size_mb=10)
    response = post_unread(logged, reverse("applications:attachments", args=[draft.pk]), 60 * MB)
    assert response.status_code == 413
    assert "larger than any file this site accepts" in response.content.decode()


def test_logged_in_multipart_body_over_the_form_limit_to_a_page_without_uploads_is_413_unread(logged, draft):
    response = post_unread(logged, reverse("applications:edit", args=[draft.pk]), 6 * MB)
    assert response.status_code == 413


def test_logged_in_form_within_the_form_limit_to_a_page_without_uploads_is_not_refused(logged, draft):
    response = logged.post(reverse("applications:edit", args=[draft.pk]), {"title": "Nowy tytuł"})
    assert response.status_code != 413


def test_anonymous_urlencoded_body_over_every_limit_is_413_unread():
    response = post_unread(
        Client(enforce_csrf_checks=True), reverse("account_login"), 60 * MB, "application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


def test_body_over_the_editions_limit_is_refused_with_a_message_unread(logged, draft, edition_in_submissions):
    slot(edition_in_submissions, "pdf", max_size_mb=2)
    factories.AttachmentRequirementFactory(allowed_types=["pdf"], max_size_mb=50)  # another edition's larger slot
    url = reverse("applications:attachments", args=[draft.pk])
    response = post_unread(logged, url, 10 * MB)
    assert (response.status_code, response["Location"]) == (302, url)
    assert "the largest attachment allowed is 2 MB" in logged.get(url).content.decode()


def test_body_over_the_editions_limit_of_someone_elses_application_is_404_unread(client, draft, edition_in_submissions):
    slot(edition_in_submissions, "pdf", max_size_mb=2)
    client.force_login(factories.UserFactory())
    response = post_unread(client, reverse("applications:attachments", args=[draft.pk]), 4 * MB)
    assert response.status_code == 404


# --- the unsaved-text stash -----------------------------------------------------------------------


def test_anonymous_post_to_the_edit_page_creates_no_session_row(client, draft):
    url = reverse("applications:edit", args=[draft.pk])
    for _ in range(3):
        response = client.post(url, edit_payload(draft, problem="Tekst"))
    assert response.status_code == 302
    assert Session.objects.count() == 0


def test_stash_cookie_is_signed_and_capped(client, draft):
    url = reverse("applications:edit", args=[draft.pk])
    client.post(url, edit_payload(draft, problem="Tekst pisany przez godzinę"))
    cookie = client.cookies[f"unsaved-{draft.pk}"]
    assert (len(cookie.value) <= 3800, cookie["path"], bool(cookie["httponly"])) == (True, url, True)


def test_huge_anonymous_post_stores_nothing_and_shows_the_typed_text(client, draft):
    url = reverse("applications:edit", args=[draft.pk])
    text = "".join(f"Zdanie numer {n} o wspólnym transporcie. " for n in range(20_000))
    response = client.post(url, edit_payload(draft, problem=text))
    assert response.status_code == 200
    assert "Zdanie numer 19999 o wspólnym transporcie." in response.content.decode()
    assert (Session.objects.count(), f"unsaved-{draft.pk}" in client.cookies) == (0, False)


def test_forged_stash_cookie_is_ignored(client, draft, applicant):
    url = reverse("applications:edit", args=[draft.pk])
    client.cookies[f"unsaved-{draft.pk}"] = "eyJwcm9ibGVtIjpbIlBvZHJ6dWNvbnkiXX0:forged:signature"
    client.force_login(applicant)
    content = client.get(url).content.decode()
    assert "Your session ended before the save." not in content


def test_stash_is_given_back_once(client, draft, applicant):
    url = reverse("applications:edit", args=[draft.pk])
    client.post(url, edit_payload(draft, problem="Tekst pisany przez godzinę"))
    client.force_login(applicant)
    first = client.get(url)
    second = client.get(url).content.decode()
    assert "Tekst pisany przez godzinę" in first.content.decode()
    assert first.cookies[f"unsaved-{draft.pk}"]["max-age"] == 0
    assert "Tekst pisany przez godzinę" not in second
