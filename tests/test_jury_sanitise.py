"""Jurors download a cleaned copy of every file: no author, organisation, GPS, script or embedded file reaches them.

The files are built here as applicants' software makes them, and fetched through the real jury and organiser views
(on S3, by following the presigned URL as a browser would).
"""

import io
import zipfile
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.urls import reverse

from applications.files import TYPE_MIME
from applications.models import Attachment
from jury.models import Assignment
from jury.sanitise import CannotSanitise, sanitise
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]

AUTHOR = "Jan Kowalski"
OFFICE = "Urząd Miasta Gdańsk"
EMAIL = "jan.kowalski@gdansk.gda.pl"
IDENTIFYING = [AUTHOR, "Kowalski", OFFICE, "Gdańsk", EMAIL, "dane-kontaktowe", "Zastępca Prezydenta"]
PAGE_TEXT = "Sprawozdanie z rezultatow projektu"
ACTIVE_PDF_KEYS = [b"/JavaScript", b"/JS", b"/OpenAction", b"/EmbeddedFiles", b"/EF", b"/AA", b"/Metadata", b"/Launch"]



@pytest.fixture
def scene():
    edition = f.EditionFactory(phase="scoring")
    requirement = f.AttachmentRequirementFactory(
        edition=edition, name="Materiały", visible_to_jury=True, allowed_types=sorted(TYPE_MIME)
    )
    entry = f.jury_entry(edition, 1)
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    Assignment.objects.create(member=juror, application=entry)
    return {"edition": edition, "requirement": requirement, "entry": entry, "juror": juror}


def _upload(scene, data, type_key):
    """The file in the entry, and the entry's anonymisation signed off as it now is (jurors open nothing else)."""
    attachment = f.AttachmentFactory(
        application=scene["entry"],
        requirement=scene["requirement"],
        file__data=data,
        file__filename=f"upload.{type_key}",
        original_name=f"raport.{type_key}",
        content_type=TYPE_MIME[type_key],
        size=len(data),
    )
    f.sign_off(scene["entry"])
    return attachment


def _fetch(client, url):
    """(status, body) of a download, following an S3 presigned redirect to the storage server."""
    response = client.get(url)
    if response.status_code == 302:
        endpoint = settings.STORAGES["default"].get("OPTIONS", {}).get("endpoint_url") or ""
        assert endpoint and response.url.startswith(endpoint), response.url
        with urlopen(response.url, timeout=10) as remote:
            return remote.status, remote.read()
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def _juror_download(client, scene, attachment):
    client.force_login(scene["juror"].user)
    url = reverse("jury:attachment", args=[scene["edition"].year, scene["entry"].code, attachment.pk])
    return _fetch(client, url)


def _organiser_download(client, scene, attachment):
    organiser = f.UserFactory(email="organiser@example.com", is_organiser=True, is_staff=True, is_superuser=True)
    client.force_login(organiser)
    return _fetch(client, reverse("applications:attachment", args=[scene["entry"].pk, attachment.pk]))


def _spellings(text):
    """A string as it may sit in a file: UTF-8, UTF-16 (PDF text strings, both byte orders), Latin-2."""
    found = {text.encode("utf-8"), text.encode("utf-16-be"), text.encode("utf-16-le")}
    try:
        found.add(text.encode("iso-8859-2"))
    except UnicodeEncodeError:
        pass
    return found


def _identity_found(data):
    return [text for text in IDENTIFYING if any(s in data for s in _spellings(text))]


# --- building real files ----------------------------------------------------------------------------------------


def _pdf_with_identity():
    """Two text pages; author and XMP, an /OpenAction script, document JavaScript, page and link actions, an
    embedded file, a sticky note signed by its author."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        StreamObject,
        TextStringObject,
    )

    def js(code):
        return DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)}
        )

    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for number in (1, 2):
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        content = StreamObject()
        content.set_data(f"BT /F1 14 Tf 72 700 Td ({PAGE_TEXT} {number}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js(f"app.alert('{AUTHOR}')")})
        rect = ArrayObject([FloatObject(72), FloatObject(600), FloatObject(300), FloatObject(620)])
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): rect,
                NameObject("/A"): js("this.submitForm('https://example.com/track')"),
                NameObject("/AA"): DictionaryObject({NameObject("/E"): js("app.beep()")}),
            }
        )
        note = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): rect,
                NameObject("/T"): TextStringObject(f"{AUTHOR}, {OFFICE}"),
                NameObject("/Contents"): TextStringObject("Do sprawdzenia"),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(link), writer._add_object(note)])
    writer.add_metadata({"/Author": f"{AUTHOR}, {OFFICE}", "/Creator": EMAIL, "/Title": "Sprawozdanie"})
    writer.xmp_metadata = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>'
        f"{AUTHOR}, {OFFICE}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()
    writer._root_object[NameObject("/OpenAction")] = js(f"app.alert('{EMAIL}')")
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("init"), writer._add_object(js("app.beep()"))])}
            )
        }
    )
    writer.add_attachment("dane-kontaktowe.txt", f"{AUTHOR}, {OFFICE}, {EMAIL}".encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_everything(data):
    """The raw PDF bytes, every stream decoded and every string and name read as text: identity could hide in a
    compressed stream or behind PDF string escapes."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

    reader = PdfReader(io.BytesIO(data))
    parts = [data]
    for idnum in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(idnum)
        except Exception:  # noqa: BLE001 - free entries in the cross-reference table
            continue
        if isinstance(obj, StreamObject):
            parts.append(obj.get_data())
        stack = [obj]
        while stack:
            node = stack.pop()
            if isinstance(node, DictionaryObject):
                parts.extend(str(key).encode() for key in node)
                stack.extend(v for v in node.values() if not isinstance(v, IndirectObject))
            elif isinstance(node, ArrayObject):
                stack.extend(v for v in node if not isinstance(v, IndirectObject))
            elif isinstance(node, (str, NameObject)):
                parts.append(str(node).encode())
    return b"\n".join(parts)


def _jpeg_with_identity(size=(64, 32), orientation=None):
    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = AUTHOR  # Artist
    exif[0x8298] = f"{EMAIL}"  # Copyright
    exif[0x010E] = "Zastępca Prezydenta"  # ImageDescription
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (54.0, 21.0, 7.0), 3: "E", 4: (18.0, 38.0, 9.0)})
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{AUTHOR}"/></rdf:RDF></x:xmpmeta>'
    ).encode()
    picture = Image.new("RGB", size, (11, 61, 110))
    picture.paste((200, 30, 30), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif, xmp=xmp, quality=95)
    return out.getvalue()


def _png_with_identity():
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_itxt("Copyright", OFFICE)
    out = io.BytesIO()
    Image.new("RGBA", (16, 16), (11, 61, 110, 255)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCX_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Opis projektu</dc:title>"
    f"<dc:creator>{AUTHOR}</dc:creator>"
    f"<cp:lastModifiedBy>{OFFICE}</cp:lastModifiedBy>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-03-01T10:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
)
DOCX_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>Microsoft Office Word</Application>"
    f"<Manager>{EMAIL}</Manager><Company>{OFFICE}</Company>"
    "</Properties>"
)
WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCX_DOCUMENT = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {WORD_NS}><w:body><w:p>'
    f'<w:ins w:id="1" w:author="{AUTHOR}" w:date="2025-03-01T10:00:00Z"><w:r><w:t>{PAGE_TEXT}</w:t></w:r></w:ins>'
    "</w:p></w:body></w:document>"
)
DOCX_COMMENTS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {WORD_NS}>'
    f'<w:comment w:id="0" w:author="{OFFICE}" w:initials="JK"><w:p><w:r><w:t>Uwaga</w:t></w:r></w:p></w:comment>'
    "</w:comments>"
)


def _docx_with_identity():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCX_DOCUMENT)
        archive.writestr("word/comments.xml", DOCX_COMMENTS)
        archive.writestr("docProps/core.xml", DOCX_CORE)
        archive.writestr("docProps/app.xml", DOCX_APP)
        archive.writestr("docProps/custom.xml", f"<Properties><property>{OFFICE}</property></Properties>")
        archive.writestr("word/media/image1.jpeg", _jpeg_with_identity())
    return out.getvalue()


ODT_META = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'office:version="1.3"><office:meta>'
    "<dc:title>Opis projektu</dc:title>"
    f"<meta:initial-creator>{AUTHOR}</meta:initial-creator>"
    f"<dc:creator>{OFFICE}</dc:creator>"
    f'<meta:user-defined meta:name="Wydział">{EMAIL}</meta:user-defined>'
    "</office:meta></office:document-meta>"
)
ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    f"<office:body><office:text><text:p>{PAGE_TEXT}"
    f"<office:annotation><dc:creator>{AUTHOR}</dc:creator><text:p>Uwaga</text:p></office:annotation>"
    "</text:p></office:text></office:body></office:document-content>"
)


def _odt_with_identity():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", TYPE_MIME["odt"], compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        archive.writestr("content.xml", ODT_CONTENT)
        archive.writestr("meta.xml", ODT_META)
    return out.getvalue()


def _zip_members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


# --- PDF -------------------------------------------------------------------------------------------------------


def test_pdf_juror_copy_names_nobody(client, scene):
    attachment = _upload(scene, _pdf_with_identity(), "pdf")
    status, body = _juror_download(client, scene, attachment)
    assert status == 200
    assert _identity_found(_pdf_everything(body)) == []


def test_pdf_juror_copy_has_no_scripts_actions_embedded_files_or_xmp(client, scene):
    attachment = _upload(scene, _pdf_with_identity(), "pdf")
    _status, body = _juror_download(client, scene, attachment)
    everything = _pdf_everything(body)
    assert [key for key in ACTIVE_PDF_KEYS if key in everything] == []


def test_pdf_juror_copy_keeps_every_page_and_its_text(client, scene):
    from pypdf import PdfReader

    attachment = _upload(scene, _pdf_with_identity(), "pdf")
    _status, body = _juror_download(client, scene, attachment)
    pages = PdfReader(io.BytesIO(body)).pages
    assert [page.extract_text() for page in pages] == [f"{PAGE_TEXT} 1", f"{PAGE_TEXT} 2"]


def test_pdf_source_really_carries_the_identity_the_copy_loses(scene):
    # Guards the other PDF tests against a builder that silently wrote nothing to remove.
    everything = _pdf_everything(_pdf_with_identity())
    assert _identity_found(everything) == [AUTHOR, "Kowalski", OFFICE, "Gdańsk", EMAIL, "dane-kontaktowe"]
    assert [key for key in ACTIVE_PDF_KEYS if key in everything] == ACTIVE_PDF_KEYS[:-1]


def test_pdf_organiser_download_is_the_upload_byte_for_byte(client, scene):
    upload = _pdf_with_identity()
    attachment = _upload(scene, upload, "pdf")
    _juror_download(client, scene, attachment)
    client.logout()
    assert _organiser_download(client, scene, attachment) == (200, upload)


def test_pdf_keeps_http_links_and_drops_launch_links():
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    rect = ArrayObject([FloatObject(0), FloatObject(0), FloatObject(50), FloatObject(50)])

    def link(action):
        return writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Link"),
                    NameObject("/Rect"): rect,
                    NameObject("/A"): DictionaryObject(action),
                }
            )
        )

    page[NameObject("/Annots")] = ArrayObject(
        [
            link({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("https://example.org/")}),
            link({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("C:/kowalski.exe")}),
        ]
    )
    out = io.BytesIO()
    writer.write(out)
    annots = PdfReader(io.BytesIO(sanitise(out.getvalue(), "pdf"))).pages[0]["/Annots"]
    actions = [a.get_object().get("/A") for a in annots]
    assert [(a["/S"], a["/URI"]) if a else None for a in actions] == [("/URI", "https://example.org/"), None]


# --- pictures --------------------------------------------------------------------------------------------------


def test_jpeg_juror_copy_has_no_exif_gps_or_xmp(client, scene):
    from PIL import Image

    attachment = _upload(scene, _jpeg_with_identity(), "jpeg")
    status, body = _juror_download(client, scene, attachment)
    with Image.open(io.BytesIO(body)) as picture:
        assert (status, picture.format, picture.size, dict(picture.getexif())) == (200, "JPEG", (64, 32), {})
        assert "xmp" not in picture.info
    assert _identity_found(body) == []


def test_jpeg_source_really_carries_exif_and_gps(scene):
    from PIL import Image

    with Image.open(io.BytesIO(_jpeg_with_identity())) as picture:
        exif = picture.getexif()
        assert (exif[0x013B], exif.get_ifd(0x8825)[1]) == (AUTHOR, "N")


def test_jpeg_juror_copy_stands_the_way_the_camera_meant(client, scene):
    from PIL import Image

    # Orientation 6: the camera was turned; without EXIF the pixels themselves must be turned.
    attachment = _upload(scene, _jpeg_with_identity(size=(64, 32), orientation=6), "jpeg")
    _status, body = _juror_download(client, scene, attachment)
    with Image.open(io.BytesIO(body)) as picture:
        assert picture.size == (32, 64)


def test_png_juror_copy_has_no_text_chunks(client, scene):
    from PIL import Image

    attachment = _upload(scene, _png_with_identity(), "png")
    _status, body = _juror_download(client, scene, attachment)
    with Image.open(io.BytesIO(body)) as picture:
        assert (picture.size, picture.text) == ((16, 16), {})
    assert _identity_found(body) == []


# --- office documents ------------------------------------------------------------------------------------------


def test_docx_juror_copy_names_nobody_in_properties_comments_or_pictures(client, scene):
    attachment = _upload(scene, _docx_with_identity(), "docx")
    status, body = _juror_download(client, scene, attachment)
    members = _zip_members(body)
    assert status == 200
    assert {name: _identity_found(data) for name, data in members.items() if _identity_found(data)} == {}


def test_docx_juror_copy_keeps_the_text_and_clears_the_title(client, scene):
    attachment = _upload(scene, _docx_with_identity(), "docx")
    _status, body = _juror_download(client, scene, attachment)
    members = _zip_members(body)
    assert sorted(members) == sorted(
        ["[Content_Types].xml", "word/document.xml", "word/comments.xml", "docProps/core.xml", "docProps/app.xml",
         "word/media/image1.jpeg"]
    )
    assert PAGE_TEXT.encode() in members["word/document.xml"]
    assert b"<dc:title></dc:title>" in members["docProps/core.xml"]  # applicants put their names in titles
    assert b"<dc:creator></dc:creator>" in members["docProps/core.xml"]
    assert b"<Company></Company>" in members["docProps/app.xml"]


def test_odt_juror_copy_names_nobody_and_stays_an_odt(client, scene):
    attachment = _upload(scene, _odt_with_identity(), "odt")
    _status, body = _juror_download(client, scene, attachment)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type, archive.read(first)) == (
            "mimetype", zipfile.ZIP_STORED, TYPE_MIME["odt"].encode()
        )
    members = _zip_members(body)
    assert [name for name, data in members.items() if _identity_found(data)] == []
    assert PAGE_TEXT.encode() in members["content.xml"]
    assert b"<meta:initial-creator></meta:initial-creator>" in members["meta.xml"]


def test_docx_organiser_download_is_the_upload_byte_for_byte(client, scene):
    upload = _docx_with_identity()
    attachment = _upload(scene, upload, "docx")
    _juror_download(client, scene, attachment)
    client.logout()
    assert _organiser_download(client, scene, attachment) == (200, upload)


# --- files that cannot be cleaned ------------------------------------------------------------------------------


def test_damaged_pdf_gives_the_juror_a_clear_message_and_never_the_file(client, scene):
    upload = b"%PDF-1.7\n" + f"/Author ({AUTHOR})".encode() + b"\nnot a real pdf body\n"
    attachment = _upload(scene, upload, "pdf")
    client.force_login(scene["juror"].user)
    url = reverse("jury:attachment", args=[scene["edition"].year, scene["entry"].code, attachment.pk])
    response = client.get(url)
    text = response.content.decode()
    assert (response.status_code, response["Content-Type"].split(";")[0]) == (422, "text/html")
    assert "could not be cleaned of data that may identify the applicant" in text
    assert AUTHOR not in text
    assert Attachment.objects.get(pk=attachment.pk).jury_copy == ""


def test_zip_bomb_inside_a_docx_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/big.bin", b"\0" * (101 * 1024 * 1024))
    with pytest.raises(CannotSanitise, match="unpacks to too much data"):
        sanitise(out.getvalue(), "docx")


def test_unknown_type_is_refused():
    with pytest.raises(CannotSanitise, match="no cleaner for file type 'svg'"):
        sanitise(b"<svg/>", "svg")


# --- the stored copy -------------------------------------------------------------------------------------------


def test_juror_copy_is_made_once_and_kept_beside_the_original(client, scene):
    attachment = _upload(scene, _pdf_with_identity(), "pdf")
    first = _juror_download(client, scene, attachment)
    stored = Attachment.objects.get(pk=attachment.pk)
    second = _juror_download(client, scene, attachment)
    again = Attachment.objects.get(pk=attachment.pk)
    assert first == second
    assert (again.jury_copy.name, again.jury_copy_sha256) == (stored.jury_copy.name, stored.jury_copy_sha256)
    assert stored.jury_copy.name != stored.file.name


@pytest.mark.polish
def test_damaged_file_message_is_in_polish_for_a_polish_juror(client, scene):
    attachment = _upload(scene, b"%PDF-1.7\nbroken\n", "pdf")
    client.force_login(scene["juror"].user)
    url = reverse("jury:attachment", args=[scene["edition"].year, scene["entry"].code, attachment.pk])
    response = client.get(url)
    assert "nie udało się usunąć danych, które mogą wskazać wnioskodawcę" in response.content.decode()


def test_two_first_downloads_at_once_keep_one_copy_and_leave_no_orphan(scene):
    from jury.views.juror import JURY_COPY_FOLDER, _jury_copy

    attachment = _upload(scene, _pdf_with_identity(), "pdf")
    storage, folder = attachment.file.storage, JURY_COPY_FOLDER
    before = set(storage.listdir(folder)[1]) if storage.exists(folder) else set()
    late = Attachment.objects.get(pk=attachment.pk)  # read before the other request stored its copy
    first = _jury_copy(Attachment.objects.get(pk=attachment.pk))
    second = _jury_copy(late)
    assert second.name == first.name
    assert set(storage.listdir(folder)[1]) - before == {first.name.rsplit("/", 1)[1]}


def test_xlsx_comment_authors_and_properties_are_cleared():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", f"<sst><si><t>{PAGE_TEXT}</t></si></sst>")
        archive.writestr(
            "xl/comments1.xml", f"<comments><authors><author>{AUTHOR}</author></authors></comments>"
        )
        archive.writestr("docProps/core.xml", DOCX_CORE)
        archive.writestr("docProps/app.xml", DOCX_APP)
    members = _zip_members(sanitise(out.getvalue(), "xlsx"))
    assert [name for name, data in members.items() if _identity_found(data)] == []
    assert members["xl/comments1.xml"] == b"<comments><authors><author></author></authors></comments>"
    assert PAGE_TEXT.encode() in members["xl/sharedStrings.xml"]
