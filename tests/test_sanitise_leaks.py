"""The security review's leaks in jurors' copies (issue 7): folder paths, template paths, document-library metadata,
archive member names, titles, other picture formats, ODF settings; the memory a large file takes; stored copies made
by an older sanitiser.

Files are fetched through the real jury view (on S3 by following the presigned URL, as a browser does).
"""

import io
import os
import tempfile
import tracemalloc
import zipfile
from urllib.request import urlopen
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from applications.files import TYPE_MIME
from applications.models import Attachment
from jury import sanitise as sanitiser
from jury.models import Assignment
from jury.sanitise import CannotSanitise, sanitise, sanitise_into
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_without_mfa")]



LEAK = "Gmina Zbaszynek"
USER_PATH = "C:\\Users\\jan.kowalski\\Urzad Gminy Zbaszynek\\"
IDENTIFYING = [b"Kowalski", b"kowalski", b"Zbaszynek"]
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MB = 1024 * 1024


def _scene_with_file(data, type_key):
    edition = f.EditionFactory(phase="scoring")
    requirement = f.AttachmentRequirementFactory(
        edition=edition, name="Materiały", visible_to_jury=True, allowed_types=sorted(TYPE_MIME)
    )
    entry = f.jury_entry(edition, 1)
    attachment = f.AttachmentFactory(
        application=entry,
        requirement=requirement,
        file__data=data,
        file__filename=f"upload.{type_key}",
        original_name=f"raport.{type_key}",
        content_type=TYPE_MIME[type_key],
        size=len(data),
    )
    f.sign_off(entry)
    juror = f.declared_juror(edition, user=f.UserFactory(email="juror@example.com"))
    Assignment.objects.create(member=juror, application=entry)
    return edition, entry, attachment, juror


def _download(client, edition, entry, attachment, juror):
    """(status, body) of a juror download, following an S3 presigned redirect to the storage server."""
    client.force_login(juror.user)
    response = client.get(reverse("jury:attachment", args=[edition.year, entry.code, attachment.pk]))
    if response.status_code == 302:
        endpoint = settings.STORAGES["default"].get("OPTIONS", {}).get("endpoint_url") or ""
        assert endpoint and response.url.startswith(endpoint), response.url
        with urlopen(response.url, timeout=10) as remote:
            return remote.status, remote.read()
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def _juror_copy(client, data, type_key):
    status, body = _download(client, *_scene_with_file(data, type_key))
    assert status == 200, body[:500]
    return body


def _unpacked(copy):
    """Every member's name and bytes of a ZIP-based juror copy, decompressed."""
    archive = zipfile.ZipFile(io.BytesIO(copy))
    return b"".join(name.encode() + archive.read(name) for name in archive.namelist())


def _members(copy):
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def _rels(*relationships):
    body = "".join(
        f'<Relationship Id="{rid}" Type="{R_NS}/{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rid, kind, target, external in relationships
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS_NS}">{body}</Relationships>'


def _relationship_targets(body):
    return sorted(r.get("Target") for r in ElementTree.fromstring(body).iter(f"{{{RELS_NS}}}Relationship"))


# --- the reviewer's reproductions ---------------------------------------------------------------------------------


def _xlsx_with_abs_path():
    """Excel 2013+ writes the folder the workbook was last saved in into xl/workbook.xml."""
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15ac" '
        'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac">'
        f'<mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="{USER_PATH}"/></mc:Choice>'
        "</mc:AlternateContent><sheets/></workbook>"
    )
    return _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": workbook})


def _docx_with_template_path():
    """Word records the template a document was made from, with its full path, in settings.xml.rels."""
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        f'Target="file:///{USER_PATH}Wniosek.dotx" TargetMode="External"/></Relationships>'
    )
    return _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document xmlns:w='x'><w:body/></w:document>",
            "word/_rels/settings.xml.rels": rels,
        }
    )


def _docx_with_custom_xml():
    """SharePoint/EZD document libraries store their metadata (owner, department) in customXml/item1.xml."""
    item = f"<properties><Owner>Jan Kowalski</Owner><Department>{LEAK}</Department></properties>"
    return _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document xmlns:w='x'><w:body/></w:document>",
            "customXml/item1.xml": item,
        }
    )


def test_review_xlsx_juror_copy_has_no_folder_path_of_the_author(client):
    copy = _unpacked(_juror_copy(client, _xlsx_with_abs_path(), "xlsx"))
    assert b"jan.kowalski" not in copy and b"Zbaszynek" not in copy


def test_review_docx_juror_copy_has_no_template_path_of_the_author(client):
    copy = _unpacked(_juror_copy(client, _docx_with_template_path(), "docx"))
    assert b"jan.kowalski" not in copy and b"Zbaszynek" not in copy


def test_review_docx_juror_copy_has_no_custom_xml_metadata(client):
    copy = _unpacked(_juror_copy(client, _docx_with_custom_xml(), "docx"))
    assert b"Kowalski" not in copy and b"Zbaszynek" not in copy


def test_review_zip_juror_copy_has_no_identifying_member_names(client):
    archive = _zip({f"{LEAK} - porozumienie.txt": "tekst", "Wojt_Jan_Kowalski/zdjecie.txt": "x"})
    copy = _juror_copy(client, archive, "zip")
    names = zipfile.ZipFile(io.BytesIO(copy)).namelist()
    assert not any("Zbaszynek" in n or "Kowalski" in n for n in names), names


def test_review_docx_title_property_naming_the_applicant_is_cleared(client):
    core = (
        '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>Wniosek {LEAK}</dc:title><dc:creator>x</dc:creator></cp:coreProperties>"
    )
    docx = _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document xmlns:w='x'><w:body/></w:document>",
            "docProps/core.xml": core,
        }
    )
    copy = _unpacked(_juror_copy(client, docx, "docx"))
    assert b"Zbaszynek" not in copy


# --- 1. Excel's folder path ---------------------------------------------------------------------------------------


def test_xlsx_abs_path_goes_with_its_wrapper_and_the_workbook_still_parses():
    workbook = _members(sanitise(_xlsx_with_abs_path(), "xlsx"))["xl/workbook.xml"]
    root = ElementTree.fromstring(workbook)
    assert [child.tag.rsplit("}", 1)[1] for child in root] == ["sheets"]
    assert b'mc:Ignorable="x15ac"' in workbook  # the prefix it names is still declared, so Excel accepts it


def test_xlsx_abs_path_without_a_wrapper_goes_too():
    workbook = (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac">'
        f'<x15ac:absPath url="{USER_PATH}"></x15ac:absPath><sheets/></workbook>'
    )
    copy = _members(sanitise(_zip({"xl/workbook.xml": workbook}), "xlsx"))["xl/workbook.xml"]
    assert copy == (
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"><sheets/></workbook>'
    )


# --- 2. external relationships to local files ---------------------------------------------------------------------

SETTINGS = (
    f'<w:settings xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:zoom w:percent="100"/>'
    '<w:attachedTemplate r:id="rId1"/>'
    '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataSource r:id="rId2"/>'
    f'<w:query w:val="SELECT * FROM `{USER_PATH}adresy.xlsx`"/></w:mailMerge>'
    '<w:defaultTabStop w:val="708"/></w:settings>'
)


def _docx_with_template_and_mail_merge():
    return _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": f"<w:document xmlns:w='{W_NS}'><w:body/></w:document>",
            "word/settings.xml": SETTINGS,
            "word/_rels/settings.xml.rels": _rels(
                ("rId1", "attachedTemplate", f"file:///{USER_PATH}Wniosek.dotx", True),
                ("rId2", "mailMergeSource", f"file:///{USER_PATH}adresy.xlsx", True),
            ),
        }
    )


def test_docx_attached_template_reference_goes_with_its_relationship():
    members = _members(sanitise(_docx_with_template_and_mail_merge(), "docx"))
    settings_part = ElementTree.fromstring(members["word/settings.xml"])
    assert [child.tag.rsplit("}", 1)[1] for child in settings_part] == ["zoom", "defaultTabStop"]
    assert _relationship_targets(members["word/_rels/settings.xml.rels"]) == []


def test_docx_mail_merge_source_and_query_with_paths_are_removed():
    copy = _unpacked(sanitise(_docx_with_template_and_mail_merge(), "docx"))
    assert [text for text in IDENTIFYING if text in copy] == []


@pytest.mark.parametrize(
    "target",
    [
        "file:///C:/Users/jan.kowalski/Zbaszynek/zalacznik.docx",
        "\\\\serwer-zbaszynek\\wydzial\\zalacznik.docx",
        "//serwer-zbaszynek/wydzial/zalacznik.docx",
        "C:\\Users\\jan.kowalski\\zalacznik.docx",
        "../Zbaszynek%20zalacznik.docx",
    ],
)
def test_docx_hyperlink_to_a_local_or_network_file_goes_and_its_text_stays(target):
    document = (
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body><w:p><w:hyperlink r:id="rId5">'
        "<w:r><w:t>zalacznik</w:t></w:r></w:hyperlink>"
        '<w:hyperlink r:id="rId6"><w:r><w:t>strona</w:t></w:r></w:hyperlink></w:p></w:body></w:document>'
    )
    rels = _rels(
        ("rId5", "hyperlink", target.replace("&", "&amp;"), True),
        ("rId6", "hyperlink", "https://example.org/", True),
        ("rId7", "styles", "styles.xml", False),
    )
    docx = _zip({"word/document.xml": document, "word/_rels/document.xml.rels": rels})
    members = _members(sanitise(docx, "docx"))
    assert _relationship_targets(members["word/_rels/document.xml.rels"]) == ["https://example.org/", "styles.xml"]
    assert members["word/document.xml"] == document.replace(' r:id="rId5"', "").encode()


def test_xlsx_linked_workbook_path_is_replaced_and_the_link_kept():
    rels = _rels(("rId1", "externalLinkPath", f"file:///{USER_PATH}budzet.xlsx", True))
    link = f'<externalLink xmlns:r="{R_NS}"><externalBook r:id="rId1"/></externalLink>'
    xlsx = _zip({"xl/externalLinks/externalLink1.xml": link, "xl/externalLinks/_rels/externalLink1.xml.rels": rels})
    members = _members(sanitise(xlsx, "xlsx"))
    assert _relationship_targets(members["xl/externalLinks/_rels/externalLink1.xml.rels"]) == ["plik.xlsx"]
    assert members["xl/externalLinks/externalLink1.xml"] == link.encode()


def test_relationships_declaring_entities_are_refused():
    rels = '<!DOCTYPE r [<!ENTITY p "C:\\Users">]><Relationships xmlns="x"/>'
    with pytest.raises(CannotSanitise, match="declares entities"):
        sanitise(_zip({"word/_rels/document.xml.rels": rels}), "docx")


# --- 3. customXml and other dropped parts, with what points to them ----------------------------------------------

CONTENT_TYPES = (
    f'<Types xmlns="{CT_NS}"><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/>'
    '<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'customXmlProperties+xml"/>'
    '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'custom-properties+xml"/></Types>'
)


def _docx_with_library_metadata():
    return _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": _rels(
                ("rId1", "officeDocument", "word/document.xml", False),
                ("rId2", "custom-properties", "docProps/custom.xml", False),
            ),
            "word/document.xml": f"<w:document xmlns:w='{W_NS}'><w:body/></w:document>",
            "word/_rels/document.xml.rels": _rels(
                ("rId1", "styles", "styles.xml", False),
                ("rId2", "customXml", "../customXml/item1.xml", False),
            ),
            "customXml/item1.xml": f"<properties><Owner>Jan Kowalski</Owner><Dept>{LEAK}</Dept></properties>",
            "customXml/itemProps1.xml": "<ds:datastoreItem xmlns:ds='x'/>",
            "customXml/_rels/item1.xml.rels": _rels(("rId1", "customXmlProps", "itemProps1.xml", False)),
            "docProps/custom.xml": f"<Properties><property>{LEAK}</property></Properties>",
        }
    )


def test_custom_xml_parts_are_dropped_whole():
    names = sorted(_members(sanitise(_docx_with_library_metadata(), "docx")))
    assert names == ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/document.xml"]


def test_relationships_to_dropped_parts_are_removed_so_word_opens_the_copy():
    members = _members(sanitise(_docx_with_library_metadata(), "docx"))
    assert _relationship_targets(members["word/_rels/document.xml.rels"]) == ["styles.xml"]
    assert _relationship_targets(members["_rels/.rels"]) == ["word/document.xml"]


def test_content_types_of_dropped_parts_are_removed():
    types = ElementTree.fromstring(_members(sanitise(_docx_with_library_metadata(), "docx"))["[Content_Types].xml"])
    assert [o.get("PartName") for o in types.iter(f"{{{CT_NS}}}Override")] == ["/word/document.xml"]


def test_xlsx_custom_xml_is_dropped_too():
    xlsx = _zip({"xl/workbook.xml": "<workbook/>", "customXml/item1.xml": f"<p><Dept>{LEAK}</Dept></p>"})
    assert sorted(_members(sanitise(xlsx, "xlsx"))) == ["xl/workbook.xml"]


# --- 4. archive member names ----------------------------------------------------------------------------------------


def test_zip_members_get_neutral_names_in_one_folder_with_their_extensions_and_bodies():
    # Members of no known type (no extension, an odd one) cannot be cleaned: they are left out and counted.
    archive = _zip(
        {
            f"{LEAK} - porozumienie.txt": "tekst",
            "Wojt_Jan_Kowalski/": "",
            "Wojt_Jan_Kowalski/Zdjęcia/plan.CSV": "a;b",
            "Wojt_Jan_Kowalski/README": "bez rozszerzenia",
            "Wojt_Jan_Kowalski/dziwne.rozszerzenie-Kowalski": "x",
        }
    )
    members = _members(sanitise(archive, "zip"))
    assert sorted(members) == ["plik-001.txt", "plik-002.csv", "pominiete-pliki.txt"]
    assert (members["plik-001.txt"], members["plik-002.csv"]) == (b"tekst", b"a;b")


def test_zip_inside_a_zip_gets_neutral_names_too():
    inner = _zip({"Wojt_Jan_Kowalski/list.txt": "x"})
    outer = _members(sanitise(_zip({f"{LEAK}.zip": inner}), "zip"))
    assert list(outer) == ["plik-001.zip"]
    assert list(_members(outer["plik-001.zip"])) == ["plik-001.txt"]


def test_docx_inside_a_zip_keeps_its_part_names():
    docx = _zip({"word/document.xml": "<w:document xmlns:w='x'/>"})
    outer = _members(sanitise(_zip({"Kowalski/wniosek.docx": docx}), "zip"))
    assert list(_members(outer["plik-001.docx"])) == ["word/document.xml"]


# --- 5. titles, subjects, keywords, descriptions ---------------------------------------------------------------------

CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/">'
    f"<dc:title>Wniosek {LEAK}</dc:title><dc:subject>{LEAK}</dc:subject><cp:keywords>Kowalski, {LEAK}</cp:keywords>"
    f"<dc:description>Przygotowal Jan Kowalski</dc:description><cp:category>{LEAK}</cp:category>"
    "</cp:coreProperties>"
)
APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    f"<Template>Wniosek_Zbaszynek.dotx</Template><Pages>1</Pages>"
    '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Tytuł</vt:lpstr></vt:variant>'
    "<vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>"
    f'<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>Wniosek {LEAK}</vt:lpstr></vt:vector>'
    "</TitlesOfParts></Properties>"
)


def test_docx_core_title_subject_keywords_description_and_category_are_emptied():
    core = _members(sanitise(_zip({"docProps/core.xml": CORE}), "docx"))["docProps/core.xml"]
    assert core.endswith(
        b"<dc:title></dc:title><dc:subject></dc:subject><cp:keywords></cp:keywords>"
        b"<dc:description></dc:description><cp:category></cp:category></cp:coreProperties>"
    )


def test_docx_app_properties_lose_the_title_copy_and_template_name():
    app = _members(sanitise(_zip({"docProps/app.xml": APP}), "docx"))["docProps/app.xml"]
    assert app.endswith(b"<Template></Template><Pages>1</Pages></Properties>")


ODT_META = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"><office:meta>'
    f"<dc:title>Wniosek {LEAK}</dc:title><dc:subject>{LEAK}</dc:subject>"
    f"<meta:keyword>Kowalski</meta:keyword><meta:keyword>{LEAK}</meta:keyword>"
    f"<dc:description>Jan Kowalski</dc:description>"
    f'<meta:template xlink:href="file:///C:/Users/jan.kowalski/Wniosek.ott" xlink:title="{LEAK}"/>'
    "<meta:generator>LibreOffice</meta:generator></office:meta></office:document-meta>"
)


def test_odt_meta_title_subject_keywords_description_and_template_are_cleared():
    odt = _zip({"mimetype": TYPE_MIME["odt"], "meta.xml": ODT_META})
    meta = _members(sanitise(odt, "odt"))["meta.xml"]
    assert meta.endswith(
        b"<office:meta><dc:title></dc:title><dc:subject></dc:subject><meta:keyword></meta:keyword>"
        b"<meta:keyword></meta:keyword><dc:description></dc:description>"
        b"<meta:generator>LibreOffice</meta:generator></office:meta></office:document-meta>"
    )


# --- 6. other picture formats -------------------------------------------------------------------------------------


def _picture(fmt, **options):
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 10, 10)).save(out, fmt, **options)
    return out.getvalue()


def _exif():
    exif = Image.Exif()
    exif[0x013B] = "Jan Kowalski"  # Artist
    return exif


@pytest.mark.parametrize(
    ("name", "picture"),
    [
        ("image1.gif", lambda: _picture("GIF", comment=b"Jan Kowalski, Zbaszynek")),
        ("image2.tiff", lambda: _picture("TIFF", exif=_exif(), tiffinfo={270: "Gmina Zbaszynek"})),
        ("image3.webp", lambda: _picture("WEBP", lossless=True, exif=_exif(), xmp=b"<x>Jan Kowalski</x>")),
        ("image4.bmp", lambda: _picture("BMP") + b"Jan Kowalski"),
    ],
)
def test_docx_picture_in_other_formats_is_re_encoded_without_metadata(name, picture):
    data = picture()
    assert any(text in data for text in IDENTIFYING)  # the builder really wrote what must go
    copy = _members(sanitise(_zip({"word/document.xml": "<w/>", f"word/media/{name}": data}), "docx"))
    cleaned = copy[f"word/media/{name}"]
    with Image.open(io.BytesIO(cleaned)) as image:
        assert (image.size, image.convert("RGB").getpixel((0, 0))) == ((8, 6), (200, 10, 10))
    assert [text for text in IDENTIFYING if text in cleaned] == []


def test_animated_gif_keeps_its_frames_and_loses_its_comment():
    frames = [Image.new("RGB", (4, 4), (index * 80, 0, 0)) for index in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0, comment=b"Kowalski")
    copy = _members(sanitise(_zip({"word/media/a.gif": out.getvalue()}), "docx"))["word/media/a.gif"]
    with Image.open(io.BytesIO(copy)) as image:
        assert (image.n_frames, "comment" in image.info) == (3, False)


@pytest.mark.parametrize("extension", ["emf", "wmf", "svg"])
def test_docx_with_a_vector_picture_is_refused_with_a_clear_message(extension):
    docx = _zip({"word/document.xml": "<w/>", f"word/media/image1.{extension}": b"\x01\x00\x00\x00Kowalski"})
    with pytest.raises(CannotSanitise, match=f"holds a {extension.upper()} picture, which cannot be cleaned"):
        sanitise(docx, "docx")


def test_juror_gets_the_withheld_page_for_a_docx_with_an_emf_and_the_organiser_keeps_the_file(client):
    docx = _zip({"word/document.xml": "<w/>", "word/media/image1.emf": b"\x01\x00\x00\x00Kowalski"})
    edition, entry, attachment, juror = _scene_with_file(docx, "docx")
    status, body = _download(client, edition, entry, attachment, juror)
    assert (status, b"Kowalski" in body) == (422, False)
    stored = Attachment.objects.get(pk=attachment.pk)
    with stored.file.open("rb") as original:
        assert (stored.jury_copy.name, original.read()) == ("", docx)


# --- 7. ODF settings ------------------------------------------------------------------------------------------------

ODF_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.3"><office:settings>'
    '<config:config-item-set config:name="ooo:configuration-settings">'
    '<config:config-item config:name="PrinterName" config:type="string">HP Sekretariat Zbaszynek</config:config-item>'
    "</config:config-item-set></office:settings></office:document-settings>"
)
MANIFEST = (
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def test_odt_settings_become_an_empty_settings_document_the_manifest_still_lists():
    odt = _zip({"mimetype": TYPE_MIME["odt"], "META-INF/manifest.xml": MANIFEST, "settings.xml": ODF_SETTINGS})
    members = _members(sanitise(odt, "odt"))
    assert members["settings.xml"] == (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-settings '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3"/>'
    )
    assert members["META-INF/manifest.xml"] == MANIFEST.encode()


# --- 8. memory --------------------------------------------------------------------------------------------------


def test_cleaning_a_250_mb_docx_holds_no_member_in_memory():
    """Three 83 MB embedded fonts (declared 250 MB, within the caps): traced memory stays far below one member."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "big.docx")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("word/document.xml", f"<w:document xmlns:w='{W_NS}'><w:body/></w:document>")
            for index in range(3):
                with archive.open(f"word/fonts/font{index}.odttf", "w") as member:
                    for _ in range(83):
                        member.write(b"\0" * MB)
        tracemalloc.start()
        try:
            with open(path, "rb") as source, tempfile.TemporaryFile() as out:
                sanitise_into(source, "docx", out)
                size = out.tell()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert size > 0
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB"


def test_member_larger_than_the_cap_is_still_refused_before_it_is_read():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        with target.open("big.bin", "w", force_zip64=True) as member:
            for _ in range(101):
                member.write(b"\0" * MB)
    with pytest.raises(CannotSanitise, match="unpacks to too much data"):
        sanitise(archive.getvalue(), "zip")


# --- 9. copies made by an older sanitiser ---------------------------------------------------------------------------


def test_copy_made_by_an_older_sanitiser_is_made_again_and_the_old_one_deleted(client):
    edition, entry, attachment, juror = _scene_with_file(_docx_with_custom_xml(), "docx")
    storage = attachment.file.storage
    old_name = f"{attachment.file.name.rsplit('/', 1)[0]}/jury-old"
    old_name = storage.save(old_name, io.BytesIO(_docx_with_custom_xml()))  # what the first release served
    Attachment.objects.filter(pk=attachment.pk).update(jury_copy=old_name, jury_copy_sha256="0" * 64)
    status, body = _download(client, edition, entry, attachment, juror)
    stored = Attachment.objects.get(pk=attachment.pk)
    assert (status, b"Kowalski" in _unpacked(body)) == (200, False)
    assert (stored.jury_copy_version, stored.jury_copy.name != old_name) == (sanitiser.SANITISER_VERSION, True)
    assert storage.exists(old_name) is False


def test_copy_of_the_current_version_is_served_as_stored(client):
    edition, entry, attachment, juror = _scene_with_file(_docx_with_custom_xml(), "docx")
    first = _download(client, edition, entry, attachment, juror)
    stored = Attachment.objects.get(pk=attachment.pk)
    second = _download(client, edition, entry, attachment, juror)
    assert (second, Attachment.objects.get(pk=attachment.pk).jury_copy.name) == (first, stored.jury_copy.name)


def test_xlsx_written_by_openpyxl_still_opens_with_its_cells_after_cleaning():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Sprawozdanie"
    workbook.properties.title = f"Wniosek {LEAK}"
    out = io.BytesIO()
    workbook.save(out)
    cleaned = openpyxl.load_workbook(io.BytesIO(sanitise(out.getvalue(), "xlsx")))
    assert (cleaned.active["A1"].value, cleaned.properties.title) == ("Sprawozdanie", None)
