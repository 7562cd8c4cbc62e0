"""Second security review (issue 7): names that still reach jurors inside their cleaned copies of attachments.

Every test builds a small file the way a common tool writes it, cleans it with jury.sanitise.sanitise (what the
juror's download serves) and looks for the name in every byte of the copy, nested members included. Expected: the
name is gone, or the file is refused (CannotSanitise: the juror gets the "withheld" page, never the metadata).
"""

import io
import zipfile

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from jury.sanitise import CannotSanitise, sanitise

NAME = b"kowalski"
NAME_UTF16 = "kowalski".encode("utf-16-le")  # strings in OLE property sets
CT = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    b' Target="word/document.xml"/></Relationships>'
)
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOC = b'<?xml version="1.0"?><w:document ' + W + b"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"
CORE = (
    b'<?xml version="1.0"?><cp:coreProperties'
    b' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jan Kowalski</dc:creator></cp:coreProperties>'
)
ODF_META = (
    b'<?xml version="1.0"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    b' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta>'
    b"<meta:initial-creator>Jan Kowalski</meta:initial-creator></office:meta></office:document-meta>"
)
META = ODF_META
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Autor: Jan Kowalski".encode("utf-16-le")


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def _all_bytes(data):
    """The copy and, for ZIP-based files, every member unpacked (nested ZIPs too), lower-cased."""
    parts = [data.lower()]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                parts.append(name.lower().encode())
                parts.extend(_all_bytes(archive.read(name)))
    return parts


def _leaks(data, type_key):
    try:
        copy = sanitise(data, type_key)
    except CannotSanitise:
        return False
    return any(NAME in part or NAME_UTF16 in part for part in _all_bytes(copy))


def _docx(**extra):
    return _zip({"[Content_Types].xml": CT, "_rels/.rels": RELS, "word/document.xml": DOC, **extra})


def _xlsx(**extra):
    return _zip({"[Content_Types].xml": CT, "_rels/.rels": RELS, "xl/workbook.xml": b"<workbook/>", **extra})


def _odt(**extra):
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<a/>", **extra})


# PDF ------------------------------------------------------------------------------------------------------------------


def _jpeg_with_exif():
    exif = Image.Exif()
    exif[0x013B] = "Jan Kowalski"  # Artist, written by cameras and photo software
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_review2_pdf_photo_keeps_no_exif_of_its_jpeg():
    # img2pdf, scanners and several PDF exports put a photo's JPEG bytes in the PDF unchanged (DCTDecode), with its
    # EXIF (artist, camera owner, GPS position of the project site). The cleaner rewrites the PDF objects only.
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    image = StreamObject()
    image.set_data(_jpeg_with_exif())
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(32),
            NameObject("/Height"): NumberObject(32),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})}
    )
    content = StreamObject()
    content.set_data(b"q 100 0 0 100 0 0 cm /Im0 Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert not _leaks(buffer.getvalue(), "pdf")


def test_review2_pdf_digital_signature_does_not_name_the_signer():
    # Polish public bodies sign agreements with qualified or trusted-profile signatures (PAdES): the signature
    # dictionary names the signer (/Name, /Location, /ContactInfo) and /Contents holds their certificate.
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    signature = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Sig"),
            NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
            NameObject("/SubFilter"): NameObject("/adbe.pkcs7.detached"),
            NameObject("/Name"): TextStringObject("Jan Kowalski"),
            NameObject("/ContactInfo"): TextStringObject("jan.kowalski@zbaszynek.pl"),
            NameObject("/Contents"): ByteStringObject(b"0\x82\x01\x00 CN=Jan Kowalski, O=Urzad Gminy"),
            NameObject("/ByteRange"): ArrayObject([NumberObject(0)] * 4),
        }
    )
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("Signature1"),
            NameObject("/V"): writer._add_object(signature),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
            NameObject("/F"): NumberObject(132),
        }
    )
    reference = writer._add_object(field)
    page[NameObject("/Annots")] = ArrayObject([reference])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([reference]), NameObject("/SigFlags"): NumberObject(3)}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    assert not _leaks(buffer.getvalue(), "pdf")


# Members no cleaner knows are copied as they are ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "word/embeddings/Microsoft_PowerPoint_Presentation.pptx",
        "word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm",
        "word/embeddings/Microsoft_Visio_Drawing.vsdx",
    ],
)
def test_review2_docx_embedded_office_file_of_another_kind_loses_its_author(name):
    embedded = _zip({"[Content_Types].xml": CT, "docProps/core.xml": CORE})
    assert not _leaks(_docx(**{name: embedded}), "docx")


def test_review2_docx_embedded_ole_object_is_not_passed_on_with_its_summary_information():
    # Word embeds an .xls, a Visio drawing or a pasted chart as word/embeddings/oleObject1.bin, a compound file
    # whose SummaryInformation stream holds the author.
    assert not _leaks(_docx(**{"word/embeddings/oleObject1.bin": OLE}), "docx")


@pytest.mark.parametrize(
    ("member", "body"),
    [
        ("IMG_0412.HEIC", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00Exif\x00\x00Artist Jan Kowalski GPS 52.30N"),
        ("prezentacja.pptx", _zip({"[Content_Types].xml": CT, "docProps/core.xml": CORE})),
        ("umowa.doc", OLE),
        ("prezentacja.odp", _zip({"mimetype": b"application/vnd.oasis.opendocument.presentation", "meta.xml": META})),
    ],
)
def test_review2_zip_member_of_a_type_without_a_cleaner_is_not_passed_on(member, body):
    # An iPhone's photos are HEIC (EXIF with GPS); a presentation or an old .doc carries its author.
    assert not _leaks(_zip({member: body}), "zip")


# ODF: embedded objects are documents of their own --------------------------------------------------------------------


def test_review2_odt_embedded_object_meta_is_cleared():
    # Charts and formulas in LibreOffice documents are sub-documents ("Object 1/") with their own meta.xml.
    assert not _leaks(_odt(**{"Object 1/meta.xml": ODF_META, "Object 1/content.xml": b"<a/>"}), "odt")


def test_review2_odt_annotation_creator_initials_are_cleared():
    content = (
        b'<?xml version="1.0"?><office:document-content'
        b' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        b' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:body><office:text><text:p>'
        b"<office:annotation><dc:creator>x</dc:creator><meta:creator-initials>J.Kowalski</meta:creator-initials>"
        b"<text:p>uwaga</text:p></office:annotation></text:p></office:text></office:body></office:document-content>"
    )
    assert not _leaks(_odt(**{"content.xml": content}), "odt")


# OOXML attributes outside the author list --------------------------------------------------------------------------


def test_review2_xlsx_data_connection_keeps_no_path_of_the_author():
    # Data > From Access / From Text writes the .odc path and the source file under the user's profile folder.
    connections = (
        b'<?xml version="1.0"?><connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<connection id="1" name="baza" type="5"'
        b' odcFile="C:\\Users\\jan.kowalski\\Documents\\Moje zrodla danych\\baza.odc">'
        b'<dbPr connection="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=C:\\Users\\jan.kowalski\\baza.accdb"'
        b' command="Arkusz1"/></connection></connections>'
    )
    assert not _leaks(_xlsx(**{"xl/connections.xml": connections}), "xlsx")


def test_review2_xlsx_file_sharing_user_name_is_cleared():
    # "Read-only recommended" or a modify password: Excel records who saved it as fileSharing/@userName.
    workbook = (
        b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<fileSharing readOnlyRecommended="1" userName="Jan Kowalski"/><sheets/></workbook>'
    )
    assert not _leaks(_xlsx(**{"xl/workbook.xml": workbook}), "xlsx")


def test_review2_docx_link_field_keeps_no_path_of_the_author():
    # Paste Special > Paste link from Excel: an invisible LINK field code with the workbook's full path.
    document = (
        b'<?xml version="1.0"?><w:document ' + W + b"><w:body><w:p>"
        b'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        b' LINK Excel.Sheet.12 "C:\\\\Users\\\\jan.kowalski\\\\Documents\\\\budzet.xlsx" "Arkusz1!W1K1:W5K3" \\a \\p'
        b' </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:document>'
    )
    assert not _leaks(_docx(**{"word/document.xml": document}), "docx")


# Pictures: a juror gets the photo ---------------------------------------------------------------------------------


def test_review2_jpeg_with_a_second_picture_gets_a_juror_copy():
    # Phones write JPEGs with an MPF second image (depth map, gain map); Pillow opens them as "MPO" and the cleaner
    # refuses them as "not JPEG": the juror is told the photo is withheld. Expected: a clean single JPEG.
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (8, 8))])
    copy = sanitise(buffer.getvalue(), "jpeg")
    with Image.open(io.BytesIO(copy)) as picture:
        assert picture.size == (16, 16)
