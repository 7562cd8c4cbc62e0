"""What the jurors' cleaner does with what it cannot clean, and how the fixes of the second review keep files usable.

Office documents that embed a kind of file nothing here can clean are refused, with the kind named; archives lose
such members and say how many in pominiete-pliki.txt. The cleaned files still hold their content.
"""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject, TextStringObject

from contest.models import FILE_TYPES, type_key_for_mime
from jury.sanitise import NESTED_TYPES, ZIP_TYPES, CannotSanitise, sanitise, strip_jpeg_metadata

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
X_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def _members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _docx(**extra):
    return _zip({"word/document.xml": f"<w:document xmlns:w='{W_NS}'><w:body/></w:document>", **extra})


def _jpeg_with_artist(size=(32, 32)):
    exif = Image.Exif()
    exif[0x013B] = "Jan Kowalski"
    buffer = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(buffer, "JPEG", exif=exif.tobytes(), comment=b"Kowalski")
    return buffer.getvalue()


# --- office documents: refused, with the kind named -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "kind"),
    [
        ("word/embeddings/Microsoft_PowerPoint_Presentation.pptx", "a PowerPoint presentation"),
        ("word/embeddings/oleObject1.bin", "an embedded object \\(OLE\\) or macros"),
        ("word/media/media1.mp4", "a video"),
        ("word/embeddings/Dokument.xyz", "a XYZ file"),
    ],
)
def test_docx_embedding_what_cannot_be_cleaned_is_refused_naming_the_kind(member, kind):
    with pytest.raises(CannotSanitise, match=f"the document embeds {kind}, which cannot be cleaned"):
        sanitise(_docx(**{member: b"Jan Kowalski"}), "docx")


def test_docx_with_macros_is_refused_as_macros():
    with pytest.raises(CannotSanitise, match="the document embeds macros"):
        sanitise(_docx(**{"word/vbaProject.bin": b"Kowalski"}), "docx")


def test_docx_embedded_font_and_picture_are_kept():
    members = _members(
        sanitise(_docx(**{"word/fonts/font1.odttf": b"glyphs", "word/media/a.jpeg": _jpeg_with_artist()}), "docx")
    )
    assert members["word/fonts/font1.odttf"] == b"glyphs"
    assert b"Kowalski" not in members["word/media/a.jpeg"]


def test_xlsx_printer_settings_are_dropped():
    xlsx = _zip({"xl/workbook.xml": "<workbook/>", "xl/printerSettings/printerSettings1.bin": b"HP Kowalski"})
    assert sorted(_members(sanitise(xlsx, "xlsx"))) == ["xl/workbook.xml"]


def test_odt_object_pictures_and_their_manifest_entries_are_dropped():
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="ObjectReplacements/Object 1" manifest:media-type=""/>'
        "</manifest:manifest>"
    )
    odt = _zip(
        {
            "mimetype": FILE_TYPES["odt"].mime,
            "content.xml": "<a/>",
            "ObjectReplacements/Object 1": b"SVM Kowalski",
            "META-INF/manifest.xml": manifest,
        }
    )
    members = _members(sanitise(odt, "odt"))
    assert sorted(members) == ["META-INF/manifest.xml", "content.xml", "mimetype"]
    assert b"ObjectReplacements" not in members["META-INF/manifest.xml"]
    assert b'full-path="content.xml"' in members["META-INF/manifest.xml"]


def test_odt_whose_mimetype_member_is_not_a_mime_type_is_refused():
    with pytest.raises(CannotSanitise, match="mimetype member is not a MIME type"):
        sanitise(_zip({"mimetype": b"Jan Kowalski\x00", "content.xml": "<a/>"}), "odt")


# --- archives: members left out, counted -------------------------------------------------------------------------


def test_zip_member_without_a_cleaner_is_left_out_and_counted_without_its_name():
    members = _members(sanitise(_zip({"Kowalski/IMG_0412.HEIC": b"\x00ftypheic", "opis.txt": "tekst"}), "zip"))
    assert sorted(members) == ["plik-001.txt", "pominiete-pliki.txt"]
    note = members["pominiete-pliki.txt"].decode("utf-8")
    assert "- 1 – typ pliku, z którego nie umiemy usunąć danych autora" in note
    assert "Kowalski" not in note and "HEIC" not in note


def test_zip_member_that_fails_to_clean_is_left_out_and_counted():
    members = _members(sanitise(_zip({"a.pdf": b"%PDF-1.7\nbroken", "b.txt": "x", "c.doc": b"\xd0\xcf"}), "zip"))
    assert members["plik-001.txt"] == b"x"
    assert members["pominiete-pliki.txt"].decode("utf-8").splitlines()[1:] == [
        "- 1 – plik uszkodzony, zaszyfrowany lub taki, którego nie udało się oczyścić",
        "- 1 – typ pliku, z którego nie umiemy usunąć danych autora",
    ]


def test_zip_text_member_with_control_bytes_is_left_out():
    members = _members(sanitise(_zip({"notatka.txt": b"Jan\x00Kowalski"}), "zip"))
    assert sorted(members) == ["pominiete-pliki.txt"]


def test_zip_windows_1250_text_member_is_kept_as_it_is():
    text = "Sprawozdanie z realizacji – gmina".encode("cp1250")
    assert _members(sanitise(_zip({"a.txt": text}), "zip"))["plik-001.txt"] == text


def test_zip_with_nothing_left_out_has_no_note():
    assert sorted(_members(sanitise(_zip({"a.txt": "x"}), "zip"))) == ["plik-001.txt"]


# --- OOXML parts -----------------------------------------------------------------------------------------------------


def test_xlsx_connection_keeps_its_name_and_loses_its_paths():
    connections = (
        f'<connections xmlns="{X_NS}"><connection id="1" name="baza" type="5" odcFile="C:\\Users\\jan\\b.odc">'
        '<dbPr connection="Data Source=C:\\Users\\jan\\b.accdb" command="Arkusz1"/></connection></connections>'
    )
    cleaned = _members(sanitise(_zip({"xl/workbook.xml": "<workbook/>", "xl/connections.xml": connections}), "xlsx"))
    assert (
        cleaned["xl/connections.xml"]
        == (
            f'<connections xmlns="{X_NS}"><connection id="1" name="baza" type="5" odcFile="">'
            '<dbPr connection="" command=""/></connection></connections>'
        ).encode()
    )


def test_xlsx_file_sharing_keeps_read_only_recommended_without_the_user():
    workbook = f'<workbook xmlns="{X_NS}"><fileSharing readOnlyRecommended="1" userName="Jan Kowalski"/></workbook>'
    cleaned = _members(sanitise(_zip({"xl/workbook.xml": workbook}), "xlsx"))["xl/workbook.xml"]
    assert cleaned == f'<workbook xmlns="{X_NS}"><fileSharing readOnlyRecommended="1"/></workbook>'.encode()


def _field_document(*runs):
    body = "".join(runs)
    return f'<w:document xmlns:w="{W_NS}"><w:body><w:p>{body}</w:p></w:body></w:document>'


def test_docx_link_field_split_over_runs_keeps_its_switches_and_result():
    document = _field_document(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> LINK Excel.Sheet.12 "C:\\\\Users\\\\jan.</w:instrText></w:r>',
        '<w:r><w:instrText>kowalski\\\\budzet.xlsx" "Arkusz1!W1K1" \\a \\p </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>120 000 zł</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )
    cleaned = _members(sanitise(_docx(**{"word/document.xml": document}), "docx"))["word/document.xml"].decode()
    assert cleaned == _field_document(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> LINK Excel.Sheet.12 "" "" \\a \\p </w:instrText></w:r>',
        "<w:r><w:instrText></w:instrText></w:r>",
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>120 000 zł</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )


def test_docx_simple_includepicture_field_loses_its_path():
    document = _field_document(
        '<w:fldSimple w:instr=" INCLUDEPICTURE &quot;\\\\\\\\serwer\\\\kowalski\\\\a.png&quot; \\d "/>'
    )
    cleaned = _members(sanitise(_docx(**{"word/document.xml": document}), "docx"))["word/document.xml"].decode()
    assert cleaned == _field_document("<w:fldSimple w:instr=' INCLUDEPICTURE \"\" \\d '/>")


def test_docx_web_hyperlink_and_page_fields_are_kept():
    document = _field_document(
        '<w:fldSimple w:instr=" HYPERLINK &quot;https://gmina.pl/&quot; "/>',
        "<w:r><w:instrText> PAGE \\* MERGEFORMAT </w:instrText></w:r>",
    )
    docx = _docx(**{"word/document.xml": document})
    assert _members(sanitise(docx, "docx"))["word/document.xml"] == document.encode()


# --- pictures --------------------------------------------------------------------------------------------------------


def test_pdf_jpeg_keeps_its_pixels_without_its_metadata():
    jpeg = _jpeg_with_artist((64, 48))
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    image = StreamObject()
    image.set_data(jpeg)
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(64),
            NameObject("/Height"): NumberObject(48),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    cleaned = PdfReader(io.BytesIO(sanitise(buffer.getvalue(), "pdf")))
    stored = cleaned.pages[0]["/Resources"]["/XObject"]["/Im0"].get_object()._data
    assert b"Kowalski" not in stored
    assert Image.open(io.BytesIO(stored)).tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()


def test_pdf_signature_field_stays_unsigned_with_its_name():
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    signature = DictionaryObject({NameObject("/Type"): NameObject("/Sig"), NameObject("/Name"): TextStringObject("X")})
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("Podpis1"),
            NameObject("/V"): writer._add_object(signature),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(field)])
    buffer = io.BytesIO()
    writer.write(buffer)
    annotation = PdfReader(io.BytesIO(sanitise(buffer.getvalue(), "pdf"))).pages[0]["/Annots"][0].get_object()
    assert (annotation["/T"], "/V" in annotation) == ("Podpis1", False)


def test_jpeg_marker_walk_drops_a_second_picture_after_the_first():
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (8, 8))])
    stripped = strip_jpeg_metadata(buffer.getvalue())
    assert (stripped.count(b"\xff\xd8"), stripped.endswith(b"\xff\xd9")) == (1, True)


def test_jpeg_marker_walk_refuses_a_truncated_picture():
    with pytest.raises(CannotSanitise, match="ends before its end marker"):
        strip_jpeg_metadata(_jpeg_with_artist()[:-40])


def test_mpo_photo_copy_is_a_single_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (8, 8))])
    with Image.open(io.BytesIO(sanitise(buffer.getvalue(), "jpeg"))) as picture:
        assert (picture.format, getattr(picture, "n_frames", 1)) == ("JPEG", 1)


# --- one table of file types -----------------------------------------------------------------------------------------


def test_type_key_for_mime_reads_the_one_table():
    assert [type_key_for_mime(file_type.mime) for file_type in FILE_TYPES.values()] == list(FILE_TYPES)


def test_type_key_for_mime_of_another_type_is_none():
    assert type_key_for_mime("text/html") is None


def test_nested_types_are_the_zip_based_file_types():
    assert (ZIP_TYPES, set(NESTED_TYPES.values())) == ({"docx", "xlsx", "odt", "ods", "zip"},) * 2


# --- where the copy is stored ----------------------------------------------------------------------------------------


@pytest.fixture
def juror_scene(settings):
    from jury.models import Assignment
    from tests import factories as f

    settings.REQUIRE_MFA_FOR_STAFF = False
    edition = f.EditionFactory(phase="scoring")
    requirement = f.AttachmentRequirementFactory(edition=edition, visible_to_jury=True, allowed_types=["pdf"])
    entry = f.jury_entry(edition, 1)
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    Assignment.objects.create(member=juror, application=entry)
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    pdf = io.BytesIO()
    writer.write(pdf)
    attachment = f.AttachmentFactory(
        application=entry,
        requirement=requirement,
        file__data=pdf.getvalue(),
        original_name="raport.pdf",
        content_type=FILE_TYPES["pdf"].mime,
        size=len(pdf.getvalue()),
    )
    f.sign_off(entry)
    return edition, entry, attachment, juror


def _storage_folders(attachment):
    return [f"attachments/{attachment.application.edition_id}", f"/{attachment.application_id}/"]


@pytest.mark.django_db
def test_juror_copy_is_stored_under_a_name_without_edition_or_application(client, juror_scene):
    from django.urls import reverse

    from applications.models import Attachment

    edition, entry, attachment, juror = juror_scene
    client.force_login(juror.user)
    response = client.get(reverse("jury:attachment", args=[edition.year, entry.code, attachment.pk]))
    name = Attachment.objects.get(pk=attachment.pk).jury_copy.name
    # Local files come back at once; on S3 the answer is a redirect to the copy's presigned address.
    assert (response.status_code in (200, 302), name.startswith("jury-copies/")) == (True, True)
    if response.status_code == 302:
        assert [folder for folder in _storage_folders(attachment) if folder in response["Location"]] == []
    assert [folder for folder in _storage_folders(attachment) if folder in name] == []


@pytest.mark.django_db
def test_juror_copy_redirect_on_s3_shows_neither_edition_nor_application(juror_scene, rf, s3_server):
    from applications.files import serve_attachment
    from applications.models import Attachment
    from jury.views.juror import _jury_copy
    from tests.conftest import live_s3_storage

    _edition, _entry, attachment, _juror = juror_scene
    copy = _jury_copy(attachment)
    stored = Attachment.objects.get(pk=attachment.pk)
    content = stored.jury_copy.read()
    stored.jury_copy.storage = live_s3_storage(s3_server[1])
    stored.jury_copy.storage.save(copy.name, ContentFile(content))  # the same name on a live S3 server
    response = serve_attachment(rf.get("/"), stored, filename="Zalacznik-1.pdf", file=stored.jury_copy)
    location = response["Location"].split("?", 1)[0]
    assert (response.status_code, location.endswith(copy.name)) == (302, True)
    assert [folder for folder in _storage_folders(attachment) if folder in location] == []
