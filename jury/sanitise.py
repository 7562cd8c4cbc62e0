"""Jurors' copies of attachments: the same pages and pictures without metadata, scripts or actions that name people.

Pure functions on bytes, no ORM. `sanitise(data, type_key)` returns the cleaned file or raises CannotSanitise;
a caller never falls back to the original.
"""

import io
import posixpath
import re
import shutil
import tempfile
import zipfile
from xml.etree import ElementTree

from PIL import Image, ImageOps, ImageSequence
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from contest.models import FILE_TYPES

# Raised whenever a change makes copies cleaner: stored copies of another version are made again on the next
# juror download (jury.views._jury_copy). 1: the first release; 2: titles, external paths, customXml, archive
# member names, other picture formats, ODF settings; 3: JPEG metadata and signatures in PDFs, no member passed on
# raw, ODF sub-documents, Excel connections, Word field paths, MPO photos, copies stored under a neutral name.
SANITISER_VERSION = 3

# Limits for ZIP-based formats, checked on the declared sizes before anything is read (uploads are already capped
# at the requirement's size, but a small ZIP can declare huge members).
MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_NESTING = 2
# Larger pictures are refused rather than decoded: 60 megapixels is a 9500 x 6300 photograph.
MAX_PIXELS = 60_000_000
CHUNK = 1024 * 1024


class CannotSanitise(Exception):
    """The file cannot be cleaned; it must not reach a juror. The message says why, for logs and organisers."""


def sanitise(data, type_key, *, _depth=0):
    """The juror's copy of `data` (bytes or a binary file object) of our file type `type_key`, as bytes."""
    out = io.BytesIO()
    sanitise_into(data, type_key, out, _depth=_depth)
    return out.getvalue()


def sanitise_into(data, type_key, out, *, _depth=0):
    """Write the juror's copy of `data` into the binary file `out`; raises CannotSanitise.

    ZIP-based files are copied member by member, so a large file is never held in memory whole. When this raises,
    `out` holds a partial copy the caller must throw away.
    """
    cleaner = CLEANERS.get(type_key)
    if cleaner is None:
        raise CannotSanitise(f"no cleaner for file type {type_key!r}")
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = io.BytesIO(bytes(data))
    data.seek(0)
    try:
        if type_key in ZIP_TYPES:
            cleaner(data, out, _depth)
        else:
            out.write(cleaner(data))
    except CannotSanitise:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means the file is not cleaned
        raise CannotSanitise(f"{type_key} could not be read: {type(error).__name__}: {error}") from error


# --- PDF -----------------------------------------------------------------------------------------------------------

# Keys removed from every dictionary in the document: XMP streams, scripts, automatic actions, embedded files,
# application private data and XML forms (which can carry scripts of their own).
# /Perms (certification signatures) and /DSS (the validation data of signatures: certificates, OCSP, CRLs) name
# the signer.
PDF_DROP_KEYS = {
    "/AA",
    "/OpenAction",
    "/JS",
    "/JavaScript",
    "/EmbeddedFiles",
    "/EF",
    "/Metadata",
    "/PieceInfo",
    "/XFA",
    "/Perms",
    "/DSS",
}
# A signature field's value is the signature: the signer's /Name, /Location, /Reason, /ContactInfo and, in
# /Contents, their certificate. Its seed value (/SV) and /Lock can name certificates too. The field stays, unsigned.
PDF_SIGNATURE_FIELD_KEYS = {"/V", "/SV", "/Lock"}
# Actions a reader may still follow; anything else (JavaScript, Launch, SubmitForm, ImportData, GoToE, Rendition...)
# is removed where it hangs.
PDF_SAFE_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread"}
PDF_SAFE_URI = re.compile(r"^(https?|mailto):", re.IGNORECASE)
# Annotations that carry files or run media.
PDF_DROP_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}


def _pdf(data):
    reader = PdfReader(data, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise CannotSanitise("the PDF is encrypted")
    page_count = len(reader.pages)
    writer = PdfWriter()
    # A fresh document receives the pages, their annotations, the outline and named destinations; the source
    # catalogue (open action, JavaScript and embedded-file name trees, XMP) and its /Info are not copied.
    writer.append(reader, import_outline=True)
    writer.metadata = None
    _pdf_sweep(writer)
    if len(writer.pages) != page_count:
        raise CannotSanitise("pages were lost while cleaning the PDF")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_sweep(writer):
    """Strip every reachable dictionary of identifying and active entries, then drop objects nothing refers to."""
    reachable = set()
    stack = [writer._root_object]
    root_ref = writer._root_object.indirect_reference
    if root_ref is not None:
        reachable.add(root_ref.idnum)
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in reachable:
                continue
            reachable.add(node.idnum)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            _pdf_clean_dict(node)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    # Objects the stripped entries pointed to (scripts, embedded files, XMP) are now unreferenced: none is written.
    for index, obj in enumerate(writer._objects):
        if obj is not None and (index + 1) not in reachable:
            writer._objects[index] = None


def _pdf_clean_dict(node):
    for key in PDF_DROP_KEYS & set(node.keys()):
        del node[key]
    if node.get("/FT") == "/Sig":
        for key in PDF_SIGNATURE_FIELD_KEYS & set(node.keys()):
            del node[key]
    if isinstance(node, StreamObject):  # image XObjects, page thumbnails
        _pdf_clean_image(node)
    for key in ("/A", "/Next"):
        if key in node and not _pdf_safe_action(node[key].get_object()):
            del node[key]
    subtype = node.get("/Subtype")
    if node.get("/Type") == "/Annot" or (subtype is not None and "/Rect" in node):
        # A markup annotation's /T is its author's name; a form field's /T is the field name and stays.
        if subtype != "/Widget" and "/FT" not in node and "/T" in node:
            del node["/T"]
    annots = node.get("/Annots")
    if annots is not None and isinstance(annots.get_object(), ArrayObject):
        kept = ArrayObject(a for a in annots.get_object() if not _pdf_dropped_annotation(a.get_object()))
        node[NameObject("/Annots")] = kept


def _pdf_clean_image(stream):
    """A photo stored as its JPEG bytes (DCTDecode) keeps its EXIF, XMP and IPTC there: they go."""
    filters = stream.get("/Filter")
    filters = [f.get_object() for f in filters] if isinstance(filters, ArrayObject) else [filters]
    if "/DCTDecode" not in filters:
        return
    if filters != ["/DCTDecode"]:
        raise CannotSanitise("the PDF holds a JPEG picture inside another compression, which cannot be cleaned")
    stream._data = strip_jpeg_metadata(stream._data)


def _pdf_dropped_annotation(annotation):
    return isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") in PDF_DROP_ANNOTATIONS


def _pdf_safe_action(action):
    if isinstance(action, ArrayObject):  # /Next may be an array of actions
        return all(_pdf_safe_action(a.get_object()) for a in action)
    if not isinstance(action, DictionaryObject):
        return False
    kind = action.get("/S")
    if kind not in PDF_SAFE_ACTIONS:
        return False
    if kind == "/URI":
        return bool(PDF_SAFE_URI.match(str(action.get("/URI", ""))))
    return True


# --- pictures ------------------------------------------------------------------------------------------------------


# Modes each format can be written in; other pictures are converted to the fallback mode first.
PICTURE_MODES = {
    "JPEG": (("L", "RGB", "CMYK"), "RGB"),
    "PNG": (("1", "L", "LA", "RGB", "RGBA", "I", "I;16"), "RGBA"),
    "GIF": (("1", "L", "P", "RGB", "RGBA"), "RGBA"),
    "TIFF": (("1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I", "I;16", "F"), "RGBA"),
    "BMP": (("1", "L", "P", "RGB", "RGBA"), "RGB"),
    "WEBP": (("RGB", "RGBA"), "RGBA"),
}
PICTURE_OPTIONS = {
    "JPEG": {"quality": 92, "optimize": True},
    "TIFF": {"compression": "tiff_deflate"},
    "WEBP": {"lossless": True},
}


def _picture(data, fmt):
    """The pixels again, in a fresh file of the same format: EXIF, XMP, IPTC, comments and text chunks stay behind.

    Animated GIF and WebP and multi-page TIFF keep every frame (and the frame timing); only the colour profile,
    the resolution and a GIF's transparent colour are carried over.
    """
    with Image.open(data) as source:
        # Phones write JPEGs with a second picture (MPO: a depth or gain map, with EXIF of its own): the juror gets
        # the first picture as a plain JPEG.
        multi_picture = fmt == "JPEG" and source.format == "MPO"
        if source.format != fmt and not multi_picture:
            raise CannotSanitise(f"the picture is {source.format}, not {fmt}")
        width, height = source.size
        count = 1 if multi_picture else getattr(source, "n_frames", 1)
        if width * height * count > MAX_PIXELS:
            raise CannotSanitise(f"the picture is too large to clean ({width} x {height} pixels, {count} frames)")
        keep = {key: source.info[key] for key in ("icc_profile", "dpi", "transparency", "loop") if key in source.info}
        if count == 1:
            source.load()
            # The orientation lives in EXIF, which goes: turn the pixels so the picture still stands the right way up.
            frames, durations = [ImageOps.exif_transpose(source)], []
        else:
            frames, durations = [], []
            for frame in ImageSequence.Iterator(source):
                frames.append(frame.copy())
                durations.append(frame.info.get("duration", 100))
    modes, fallback = PICTURE_MODES[fmt]
    for index, frame in enumerate(frames):
        frame.info = {}
        if frame.mode not in modes:
            frames[index] = frame.convert(fallback)
    options = dict(PICTURE_OPTIONS.get(fmt, {}))
    for key in ("icc_profile", "dpi"):
        if keep.get(key):
            options[key] = keep[key]
    if fmt == "GIF" and "transparency" in keep and frames[0].mode == "P":
        options["transparency"] = keep["transparency"]
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:])
        if fmt in ("GIF", "WEBP"):
            options.update(duration=durations, loop=keep.get("loop", 0))
    out = io.BytesIO()
    frames[0].save(out, fmt, **options)
    return out.getvalue()


# JPEG segments kept by strip_jpeg_metadata: APP0 (JFIF: pixel density), APP14 (Adobe: how to read CMYK and YCCK
# colours) and APP2 only when it is the ICC colour profile (APP2 also holds MPF, the index of a second picture).
# Every other APPn (APP1 EXIF and XMP, APP13 IPTC, makers' own segments) and COM comments go.
JPEG_KEPT_APP = {0xE0, 0xEE}
JPEG_ICC = b"ICC_PROFILE\0"


def strip_jpeg_metadata(data):
    """The JPEG's bytes without metadata segments, by walking its markers; the compressed picture is unchanged.

    Stops at the first end-of-image marker: what follows (a phone's second picture with its own EXIF) goes.
    """
    data = bytes(data)
    if data[:2] != b"\xff\xd8":
        raise CannotSanitise("a JPEG picture does not start as a JPEG")
    out = bytearray(b"\xff\xd8")
    position, size = 2, len(data)
    while position < size:
        if data[position] != 0xFF:
            raise CannotSanitise("a JPEG picture is damaged")
        marker = data[position + 1] if position + 1 < size else None
        if marker is None:
            break
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            out += b"\xff\xd9"
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            out += data[position : position + 2]
            position += 2
            continue
        if position + 4 > size:
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        end = position + 2 + length
        if length < 2 or end > size:
            raise CannotSanitise("a JPEG picture is damaged")
        segment = data[position:end]
        keep = (
            not (0xE0 <= marker <= 0xEF or marker == 0xFE)
            or marker in JPEG_KEPT_APP
            or (marker == 0xE2 and segment[4:16] == JPEG_ICC)
        )
        if keep:
            out += segment
        position = end
        if marker == 0xDA:  # start of scan: compressed data up to the next marker that is not a restart
            scan = position
            while True:
                scan = data.find(b"\xff", scan)
                if scan < 0 or scan + 1 >= size:
                    raise CannotSanitise("a JPEG picture ends before its end marker")
                following = data[scan + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    scan += 2
                    continue
                break
            out += data[position:scan]
            position = scan
    raise CannotSanitise("a JPEG picture ends before its end marker")


def _jpeg(data):
    return _picture(data, "JPEG")


def _png(data):
    return _picture(data, "PNG")


def _gif(data):
    return _picture(data, "GIF")


def _tiff(data):
    return _picture(data, "TIFF")


def _bmp(data):
    return _picture(data, "BMP")


def _webp(data):
    return _picture(data, "WEBP")


# --- ZIP-based formats: office documents and archives ------------------------------------------------------------

NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "x15ac": "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac",
}
# Property elements emptied (or, for those in REMOVED, removed), per member, as (namespace, local name). Titles,
# subjects, keywords and descriptions go too: applicants put their names in them.
CLEARED = {
    "docProps/core.xml": [
        (NS["dc"], "creator"),
        (NS["cp"], "lastModifiedBy"),
        (NS["cp"], "lastPrinted"),
        (NS["dc"], "title"),
        (NS["dc"], "subject"),
        (NS["cp"], "keywords"),
        (NS["dc"], "description"),
        (NS["cp"], "category"),
    ],
    "docProps/app.xml": [
        (NS["ep"], "Company"),
        (NS["ep"], "Manager"),
        (NS["ep"], "HyperlinkBase"),
        (NS["ep"], "Template"),
        # Word repeats the document title here; Excel lists the sheet names, which the file shows anyway.
        (NS["ep"], "TitlesOfParts"),
        (NS["ep"], "HeadingPairs"),
    ],
    "meta.xml": [
        (NS["meta"], "initial-creator"),
        (NS["dc"], "creator"),
        (NS["meta"], "printed-by"),
        (NS["meta"], "user-defined"),
        (NS["meta"], "template"),
        (NS["dc"], "title"),
        (NS["dc"], "subject"),
        (NS["meta"], "keyword"),
        (NS["dc"], "description"),
    ],
}
REMOVED = {"user-defined", "template", "TitlesOfParts", "HeadingPairs"}
# Members dropped whole: custom properties (department, owner, file server paths...), the Office address book
# of comment authors with their e-mail log-ins, and document-library metadata (customXml/, matched separately).
# Relationships and content types that point to them are removed too, so the file still opens without repair.
# Printer settings (a DEVMODE with the printer's name, often the user's or their office's) are dropped too, and so
# are LibreOffice's layout cache and the pictures it keeps of embedded objects (metafiles that nothing here can
# clean; LibreOffice draws them again from the object).
DROPPED = {"docprops/custom.xml", "word/people.xml", "xl/persons/person.xml", "layout-cache"}
DROPPED_FOLDERS = ("customxml/", "xl/printersettings/", "word/printersettings/", "objectreplacements/")
# Who wrote a comment or a tracked change, inside the document parts. These parts are not re-serialised (Office
# refers to namespace prefixes by name in mc:Ignorable), so names are blanked in place.
AUTHOR_ATTRIBUTE = re.compile(rb'(\s(?:[A-Za-z0-9_.-]+:)?(?:author|initials|userId|providerId|displayName))="[^"]*"')
AUTHOR_ELEMENT = re.compile(rb"<((?:[A-Za-z0-9_.-]+:)?(?:author|creator|creator-initials))>[^<]*</\1>")
# OOXML parts, and the content and styles of an ODF document and of its sub-documents ("Object 1/content.xml").
DOCUMENT_PARTS = re.compile(r"^(word/.*|xl/.*|ppt/.*|(?:.*/)?content\.xml|(?:.*/)?styles\.xml)$")
# Files inside a document or archive cleaned as files of their own, by extension.
EMBEDDED_TYPES = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".jfif": "jpeg",
    ".png": "png",
    ".gif": "gif",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".bmp": "bmp",
    ".webp": "webp",
}
# Documents and archives inside others, cleaned as uploads of their type: every ZIP-based type of the one table.
ZIP_TYPES = {key for key, file_type in FILE_TYPES.items() if file_type.zip_based}
NESTED_TYPES = {f".{FILE_TYPES[key].extension}": key for key in ZIP_TYPES}
# Pictures nothing here can re-encode (vector drawings: their comment records and descriptions carry any text,
# and Pillow cannot write them). A file holding one is withheld rather than passed on with its metadata.
UNCLEANABLE_PICTURES = {
    ".emf", ".emz", ".wmf", ".wmz", ".svg", ".svgz", ".wdp", ".hdp", ".jxr", ".eps", ".pict", ".svm",
}  # fmt: skip
# Fonts embedded in a document are copied: glyphs and the font maker's names, nothing the author typed or saved.
FONT_EXTENSIONS = {".odttf", ".ttf", ".otf", ".fntdata"}
# Every other member of an office document refuses the file, named in the message by what it most likely is.
EMBEDDED_KINDS = {
    ".bin": "an embedded object (OLE) or macros",
    ".doc": "a Word 97-2003 document",
    ".docm": "a Word document with macros",
    ".xls": "an Excel 97-2003 workbook",
    ".xlsm": "an Excel workbook with macros",
    ".xlsb": "a binary Excel workbook",
    ".ppt": "a PowerPoint 97-2003 presentation",
    ".pptx": "a PowerPoint presentation",
    ".pptm": "a PowerPoint presentation with macros",
    ".sldx": "a PowerPoint slide",
    ".vsdx": "a Visio drawing",
    ".vsd": "a Visio drawing",
    ".odp": "an OpenDocument presentation",
    ".odg": "an OpenDocument drawing",
    ".odf": "an OpenDocument formula",
    ".rtf": "an RTF document",
    ".heic": "a HEIC photo",
    ".heif": "a HEIF photo",
    ".mp4": "a video",
    ".m4v": "a video",
    ".mov": "a video",
    ".avi": "a video",
    ".wmv": "a video",
    ".mp3": "a sound recording",
    ".m4a": "a sound recording",
    ".wav": "a sound recording",
    ".wma": "a sound recording",
}
# Archive members kept as plain text once their bytes are checked to be text: nothing in them is hidden.
TEXT_EXTENSIONS = {".txt", ".csv", ".tsv"}
TEXT_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Added to an archive that lost members, with counts and reasons but no names.
SKIPPED_MEMBER = "pominiete-pliki.txt"
SKIPPED_REASONS = {
    "type": "typ pliku, z którego nie umiemy usunąć danych autora",
    "failed": "plik uszkodzony, zaszyfrowany lub taki, którego nie udało się oczyścić",
}
ODF_MIMETYPE = re.compile(rb"^application/[A-Za-z0-9.+-]{1,100}$")
# An in-memory spool for a member handed to another cleaner: larger ones go to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024
# External relationship targets kept: web and mail links. Everything else (file:, UNC \\server\share, C:\..., a
# relative path, other schemes) names a place on the author's computer or network and goes.
KEPT_EXTERNAL = re.compile(r"^(https?|mailto):", re.IGNORECASE)
# Excel keeps the path of a linked workbook in a relationship its externalBook requires: the path is replaced.
EXTERNAL_BOOK_TYPES = ("/externalLinkPath", "/xlExternalLinkPath/xlPathMissing")
NEUTRAL_EXTERNAL_BOOK = "plik.xlsx"
ATTRIBUTES = rb"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*"""
RELATIONSHIP = re.compile(
    rb"<(?:[A-Za-z0-9_.-]+:)?Relationship\b" + ATTRIBUTES + rb"(?:/>|>\s*</(?:[A-Za-z0-9_.-]+:)?Relationship\s*>)"
)
OVERRIDE = re.compile(
    rb"<(?:[A-Za-z0-9_.-]+:)?Override\b" + ATTRIBUTES + rb"(?:/>|>\s*</(?:[A-Za-z0-9_.-]+:)?Override\s*>)"
)
SAFE_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")
EMPTY_ODF_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"%s/>'
)


def _office(data, out, depth):
    _rewrite_zip(data, out, depth=depth, office=True)


def _archive(data, out, depth):
    _rewrite_zip(data, out, depth=depth, office=False)


def _rewrite_zip(data, out, *, depth, office):
    """Copy a ZIP member by member in its order, each cleaned, with fixed dates and no comments.

    An office document keeps its member names, and a member nothing here can clean refuses the whole document. An
    archive's members are renamed plik-001.txt, plik-002.pdf... in one folder, because applicants' file and folder
    names name them ("Wojt_Jan_Kowalski/..."); a member that cannot be cleaned is left out, and SKIPPED_MEMBER says
    how many were and why.
    """
    with zipfile.ZipFile(data) as source:
        members = source.infolist()
        if len(members) > MAX_MEMBERS:
            raise CannotSanitise(f"the archive has too many members ({len(members)})")
        total = sum(m.file_size for m in members)
        if total > MAX_TOTAL_BYTES or any(m.file_size > MAX_MEMBER_BYTES for m in members):
            raise CannotSanitise("the archive unpacks to too much data")
        if any(m.flag_bits & 0x1 for m in members):
            raise CannotSanitise("the archive is encrypted")
        kept = [m for m in members if not m.is_dir() and not (office and _dropped(m.filename))]
        package = _Package(source, members) if office else None
        skipped, written = {}, 0
        with zipfile.ZipFile(out, "w") as target:
            for member in kept:
                name = member.filename if office else _neutral_name(written + 1, member.filename)
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                # ODF wants its `mimetype` member first and stored; keep every member's compression as it was.
                info.compress_type = member.compress_type if member.compress_type in (0, 8) else zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.file_size = member.file_size  # a hint for ZIP64; the real size is written at the end
                if office:
                    _write_office_member(source, member, target, info, package, depth)
                else:
                    reason = _write_archive_member(source, member, target, info, depth)
                    if reason is None:
                        written += 1
                    else:
                        skipped[reason] = skipped.get(reason, 0) + 1
            if skipped:
                info = zipfile.ZipInfo(SKIPPED_MEMBER, date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                target.writestr(info, _skipped_note(skipped), zipfile.ZIP_DEFLATED)


def _write_office_member(source, member, target, info, package, depth):
    name = member.filename
    if _office_xml(name):
        target.writestr(info, package.clean(name, _read_capped(source, member)))
        return
    extension = _extension(name)
    if name == "mimetype":
        body = _read_capped(source, member)
        if not ODF_MIMETYPE.match(body):
            raise CannotSanitise("the document's mimetype member is not a MIME type")
        target.writestr(info, body)
        return
    if extension in FONT_EXTENSIONS:
        with target.open(info, "w") as sink:
            _copy_capped(source, member, sink)
        return
    key = _embedded_type(name)
    if key is None:
        raise CannotSanitise(f"the document embeds {_embedded_kind(name)}, which cannot be cleaned")
    _write_cleaned(source, member, target, info, key, depth)


def _write_archive_member(source, member, target, info, depth):
    """Write one archive member cleaned; or write nothing and say why ("type" or "failed")."""
    extension = _extension(member.filename)
    if extension in TEXT_EXTENSIONS:
        body = _read_capped(source, member)
        if not _plain_text(body):
            return "type"
        target.writestr(info, body)
        return None
    try:
        key = _embedded_type(member.filename)
    except CannotSanitise:
        return "type"
    if key is None:
        return "type"
    try:
        _write_cleaned(source, member, target, info, key, depth)
    except CannotSanitise:
        return "failed"
    return None


def _write_cleaned(source, member, target, info, key, depth):
    """Clean the member as a file of type `key` into a spool first: nothing reaches `target` unless it cleaned."""
    if key in ZIP_TYPES and depth + 1 >= MAX_NESTING:
        raise CannotSanitise("archives are nested too deeply")
    with (
        tempfile.SpooledTemporaryFile(SPOOL_BYTES) as spool,
        tempfile.SpooledTemporaryFile(SPOOL_BYTES) as cleaned,
    ):
        _copy_capped(source, member, spool)
        sanitise_into(spool, key, cleaned, _depth=depth + 1 if key in ZIP_TYPES else depth)
        cleaned.seek(0)
        with target.open(info, "w") as sink:
            shutil.copyfileobj(cleaned, sink, CHUNK)


def _plain_text(body):
    """Text with nothing hidden in it: no control characters (UTF-8, Windows-1250 or UTF-16 with its BOM)."""
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            body = body.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return False
    return TEXT_CONTROL.search(body) is None and not body.lstrip().startswith(b"{\\rtf")


def _skipped_note(skipped):
    lines = ["Z archiwum pominięto pliki, których nie dało się oczyścić z danych mogących wskazać wnioskodawcę:"]
    lines += [f"- {count} – {SKIPPED_REASONS[reason]}" for reason, count in sorted(skipped.items())]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _copy_capped(archive, member, sink):
    size = 0
    with archive.open(member) as handle:
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            if size > MAX_MEMBER_BYTES:
                raise CannotSanitise("an archive member unpacks to more than it declared")
            sink.write(chunk)


def _read_capped(archive, member):
    buffer = io.BytesIO()
    _copy_capped(archive, member, buffer)
    return buffer.getvalue()  # shares the buffer: the member is held once


def _extension(name):
    base = name.rsplit("/", 1)[-1]
    return ("." + base.rsplit(".", 1)[-1].lower()) if "." in base else ""


def _embedded_type(name):
    """Our cleaner for a file inside a document or archive (e.g. word/media/image1.jpeg), or None if there is none."""
    extension = _extension(name)
    if extension in UNCLEANABLE_PICTURES:
        raise CannotSanitise(f"the file holds a {extension[1:].upper()} picture, which cannot be cleaned")
    return EMBEDDED_TYPES.get(extension) or NESTED_TYPES.get(extension)


def _embedded_kind(name):
    extension = _extension(name)
    if name.rsplit("/", 1)[-1].lower().startswith("vbaproject"):
        return "macros"
    if extension in EMBEDDED_KINDS:
        return EMBEDDED_KINDS[extension]
    return f"a {extension[1:].upper()} file" if SAFE_EXTENSION.match(extension) else "a file of unknown type"


def _neutral_name(number, name):
    extension = _extension(name)
    return f"plik-{number:03d}{extension if SAFE_EXTENSION.match(extension) else ''}"


def _dropped(name):
    lowered = name.lower()
    return lowered in DROPPED or lowered.startswith(DROPPED_FOLDERS)


def _office_xml(name):
    """Every XML part of an office document is read and cleaned as XML (ODF's manifest.rdf is RDF/XML)."""
    return name.lower().endswith((".xml", ".rels", ".rdf"))


class _Package:
    """What the package's relationships say, read before any member is written: which relationships go (external
    paths, dropped parts) and which references in the parts that own them must go with them."""

    def __init__(self, source, members):
        self.names = {m.filename.lower() for m in members if not m.is_dir()}
        self.rels = {}  # .rels member -> its cleaned bytes
        self.dropped_ids = {}  # part that owns the relationships -> ids removed
        for member in members:
            if member.filename.endswith(".rels") and not member.is_dir():
                owner = _rels_owner(member.filename)
                body, removed = _clean_rels(_read_capped(source, member), owner)
                self.rels[member.filename] = body
                if removed:
                    self.dropped_ids[owner] = removed

    def clean(self, name, body):
        _refuse_entities(body)
        if name in self.rels:
            return self.rels[name]
        if name == "[Content_Types].xml":
            return _clean_content_types(body)
        base = name.rsplit("/", 1)[-1]
        odf = not name.startswith(("word/", "xl/", "ppt/", "docProps/"))
        if name in CLEARED:
            return _clear_properties(body, CLEARED[name])
        if odf and base == "meta.xml":  # the document's and each embedded object's ("Object 1/meta.xml")
            return _clear_properties(body, CLEARED["meta.xml"])
        if odf and base == "settings.xml":
            return _empty_odf_settings(body)
        if name == "META-INF/manifest.xml":
            body = _remove_manifest_entries(body)
        if name == "xl/workbook.xml":
            body = _remove_elements(body, NS["x15ac"], "absPath")
            # "Read-only recommended" or a password to modify: Excel records who saved the workbook.
            body = FILE_SHARING_USER.sub(rb"\1", body)
        if name == "xl/connections.xml":
            body = _blank_connection_paths(body)
        if name == "word/settings.xml":
            # The mail-merge source: a query and a connection string with the path of the address list.
            body = _remove_elements(body, NS["w"], "mailMerge")
        if name.startswith("word/"):
            body = _clean_field_codes(body)
        if name in self.dropped_ids:
            body = _remove_references(body, self.dropped_ids[name])
        if DOCUMENT_PARTS.match(name):
            body = AUTHOR_ATTRIBUTE.sub(rb'\1=""', body)
            body = AUTHOR_ELEMENT.sub(rb"<\1></\1>", body)
        return body


FILE_SHARING_USER = re.compile(rb"""(<(?:[A-Za-z0-9_.-]+:)?fileSharing\b[^>]*?)\s+userName\s*=\s*(?:"[^"]*"|'[^']*')""")
# Attributes of Excel's data connections (xl/connections.xml) that hold paths and connection strings: the .odc file
# and the source under the author's profile folder ("Data Source=C:\Users\jan.kowalski\..."), the query, a
# description. They are blanked; the connection stays, so the queries and tables that use it still open.
CONNECTION_ATTRIBUTE = re.compile(
    rb"""(\s(?:odcFile|sourceFile|connection|command|description|credentialsFile|url)\s*=\s*)(?:"[^"]*"|'[^']*')"""
)
# Word fields whose arguments name files ({ LINK Excel.Sheet.12 "C:\\Users\\...\\budzet.xlsx" ... }): their
# quoted arguments and the bare ones that look like paths are blanked. Switches (\a, \p, \* MERGEFORMAT) stay.
PATH_FIELDS = {"LINK", "DDE", "DDEAUTO", "INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "IMPORT", "HYPERLINK", "RD",
               "DATABASE"}  # fmt: skip
FIELD_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\S+')
FIELD_SWITCH = re.compile(r"^\\[A-Za-z*#@!]$")
FIELD_PATH = re.compile(r"[\\/:]")
MANIFEST_ENTRY = re.compile(
    rb"<(?:[A-Za-z0-9_.-]+:)?file-entry\b" + ATTRIBUTES + rb"(?:/>|>\s*</(?:[A-Za-z0-9_.-]+:)?file-entry\s*>)"
)

MANIFEST_PATH = re.compile(rb"""\s(?:[A-Za-z0-9_.-]+:)?full-path\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _remove_manifest_entries(body):
    """ODF's manifest without the entries of dropped members (the pictures of embedded objects)."""

    from xml.sax.saxutils import unescape

    def edit(match):
        path = MANIFEST_PATH.search(match.group(0))
        path = unescape((path.group(1) or path.group(2) or b"").decode("utf-8")) if path else ""
        return b"" if _dropped(path) else match.group(0)

    return MANIFEST_ENTRY.sub(edit, body)


def _blank_connection_paths(body):
    body = CONNECTION_ATTRIBUTE.sub(rb'\1""', body)
    for element in ElementTree.fromstring(body).iter():
        for key, value in element.attrib.items():
            if key in ("odcFile", "sourceFile", "connection", "command") and value:
                raise CannotSanitise("a data connection's path could not be removed")
    return body


def _clean_field_instruction(instruction):
    """A field code with the file paths among its arguments blanked, when the field is one that names files."""
    tokens = list(FIELD_TOKEN.finditer(instruction))
    if not tokens or tokens[0].group(0).upper() not in PATH_FIELDS:
        return instruction
    pieces, position = [], 0
    for token in tokens[1:]:
        text = token.group(0)
        quoted = text.startswith('"')
        inner = text[1:-1] if quoted and len(text) > 1 else text
        url = KEPT_EXTERNAL.match(inner.strip()) is not None
        if not url and not FIELD_SWITCH.match(text) and (quoted or FIELD_PATH.search(text)):
            pieces.append(instruction[position : token.start()] + '""')
            position = token.end()
    return "".join(pieces) + instruction[position:]


def _clean_field_codes(body):
    """Blank file paths in Word's field codes: w:fldSimple/@w:instr, and w:instrText runs between a field's begin
    and separate marks (Word splits one code over several runs, so a field's runs are read and rewritten together:
    the cleaned code in its first run, the others emptied)."""
    from xml.sax.saxutils import escape, quoteattr, unescape

    prefixes = _prefixes(body, NS["w"]) if b"instr" in body else set()
    for prefix in prefixes:
        p = re.escape(f"{prefix}:" if prefix else "").encode()

        def simple(match):
            instruction = unescape(match.group(2).decode("utf-8")[1:-1], {"&quot;": '"', "&apos;": "'"})
            cleaned = _clean_field_instruction(instruction)
            if cleaned == instruction:
                return match.group(0)
            return match.group(1) + quoteattr(cleaned).encode("utf-8")

        body = re.sub(rb"(<" + p + rb"fldSimple\b[^>]*?\s" + p + rb"instr\s*=\s*)(\"[^\"]*\"|'[^']*')", simple, body)
        marks = re.compile(
            rb"<" + p + rb"fldChar\b[^>]*?" + p + rb"fldCharType\s*=\s*[\"'](begin|separate|end)[\"'][^>]*>"
            rb"|(<" + p + rb"instrText\b[^>]*>)(.*?)(</" + p + rb"instrText\s*>)"
            rb"|(<" + p + rb"instrText\b[^>]*/>)",
            re.DOTALL,
        )
        fields, finished = [], []  # open fields, innermost last: [instrText runs, still reading the code]
        for match in marks.finditer(body):
            mark = match.group(1)
            if mark == b"begin":
                fields.append([[], True])
            elif mark == b"separate" and fields:
                fields[-1][1] = False
            elif mark == b"end" and fields:
                finished.append(fields.pop()[0])
            elif match.group(3) is not None:
                if fields and fields[-1][1]:
                    fields[-1][0].append(match)
                else:
                    finished.append([match])  # an instruction outside a field's code: cleaned on its own
        finished.extend(runs for runs, _reading in fields)
        edits = []
        for runs in finished:
            instruction = "".join(unescape(m.group(3).decode("utf-8")) for m in runs)
            cleaned = _clean_field_instruction(instruction)
            if cleaned != instruction:
                for index, run in enumerate(runs):
                    text = escape(cleaned).encode("utf-8") if index == 0 else b""
                    edits.append((run.start(3), run.end(3), text))
        for start, end, text in sorted(edits, reverse=True):
            body = body[:start] + text + body[end:]
    return body


def _refuse_entities(body):
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise CannotSanitise("an XML part declares entities")


def _rels_owner(name):
    """word/_rels/settings.xml.rels -> word/settings.xml; _rels/.rels -> "" (the package)."""
    folder, _, base = name.rpartition("/")
    folder = folder[: -len("_rels")].rstrip("/") if folder.endswith("_rels") else folder
    base = base[: -len(".rels")]
    return f"{folder}/{base}" if folder else base


def _resolve(owner, target):
    from urllib.parse import unquote

    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(owner), target)).lstrip("/")


def _relationship_attributes(tag):
    element = ElementTree.fromstring(_as_empty(tag))
    return {key.rsplit("}", 1)[-1]: value for key, value in element.attrib.items()}


def _as_empty(tag):
    """A Relationship or Override element as a parseable empty element without a namespace prefix."""
    text = re.sub(rb">\s*</[^>]*>$", b"/>", tag)
    return re.sub(rb"^<[A-Za-z0-9_.-]+:", b"<", text)


def _relationship_goes(attributes, owner):
    """(goes, new target): whether a relationship is removed, or the neutral target it gets instead."""
    target = attributes.get("Target", "")
    if attributes.get("TargetMode", "Internal") == "External":
        if KEPT_EXTERNAL.match(target.strip()):
            return False, None
        if attributes.get("Type", "").endswith(EXTERNAL_BOOK_TYPES):
            return False, NEUTRAL_EXTERNAL_BOOK
        return True, None
    return _dropped(_resolve(owner, target)), None


def _clean_rels(body, owner):
    """The relationships without the removed ones, and the ids removed."""
    _refuse_entities(body)
    removed = {}

    def edit(match):
        attributes = _relationship_attributes(match.group(0))
        goes, neutral = _relationship_goes(attributes, owner)
        if goes:
            removed[attributes.get("Id", "")] = attributes.get("Type", "")
            return b""
        if neutral is not None:
            return re.sub(
                rb"""(\sTarget\s*=\s*)(?:"[^"]*"|'[^']*')""", rb'\1"' + neutral.encode() + b'"', match.group(0)
            )
        return match.group(0)

    body = RELATIONSHIP.sub(edit, body)
    # Checked on the parsed result: a relationship the pattern missed refuses the file rather than leaking.
    for element in ElementTree.fromstring(body).iter():
        if element.tag.rsplit("}", 1)[-1] == "Relationship":
            goes, neutral = _relationship_goes(element.attrib, owner)
            if goes or (neutral is not None and element.get("Target") != neutral):
                raise CannotSanitise("a relationship to a local file could not be removed")
    return body, removed


def _clean_content_types(body):
    def edit(match):
        part = _relationship_attributes(match.group(0)).get("PartName", "")
        return b"" if _dropped(_resolve("", part)) else match.group(0)

    body = OVERRIDE.sub(edit, body)
    for element in ElementTree.fromstring(body).iter():
        if element.tag.rsplit("}", 1)[-1] == "Override" and _dropped(_resolve("", element.get("PartName", ""))):
            raise CannotSanitise("a content type of a removed part could not be removed")
    return body


def _prefixes(body, uri):
    found = set()
    for _event, (prefix, namespace) in ElementTree.iterparse(io.BytesIO(body), events=["start-ns"]):
        if namespace == uri:
            found.add(prefix)
    return found


def _remove_elements(body, uri, local):
    """Remove every element `local` of namespace `uri`, and any mc:AlternateContent left holding nothing."""
    for prefix in _prefixes(body, uri):
        qname = re.escape(f"{prefix}:{local}" if prefix else local).encode()
        body = re.sub(rb"<" + qname + ATTRIBUTES + rb"/>", b"", body)
        body = re.sub(rb"<(" + qname + rb")\b" + ATTRIBUTES + rb">.*?</\1\s*>", b"", body, flags=re.DOTALL)
    empty_choice = (
        rb"<(?P<c>[A-Za-z0-9_.-]+:)?(?:Choice|Fallback)\b"
        + ATTRIBUTES
        + rb"(?:/>|>\s*</(?P=c)?(?:Choice|Fallback)\s*>)"
    )
    wrapper = (
        rb"<(?P<p>[A-Za-z0-9_.-]+:)?AlternateContent\b"
        + ATTRIBUTES
        + rb">(?:\s*"
        + empty_choice
        + rb")*\s*</(?P=p)?AlternateContent\s*>"
    )
    body = re.sub(wrapper, b"", body)
    if any(True for _ in ElementTree.fromstring(body).iter(f"{{{uri}}}{local}")):
        raise CannotSanitise(f"the element {local} could not be removed")
    return body


def _remove_references(body, removed):
    """Take out what referred to removed relationships: the attached template whole, other r:... attributes."""
    prefixes = _prefixes(body, NS["r"])
    if any(kind.endswith("/attachedTemplate") for kind in removed.values()):
        body = _remove_elements(body, NS["w"], "attachedTemplate")
    for rid in removed:
        for prefix in prefixes:
            body = re.sub(
                rb"\s"
                + re.escape(prefix.encode())
                + rb""":[A-Za-z]+\s*=\s*(["'])"""
                + re.escape(rid.encode())
                + rb"\1",
                b"",
                body,
            )
    root = ElementTree.fromstring(body)
    for element in root.iter():
        for key, value in element.attrib.items():
            if key.startswith(f"{{{NS['r']}}}") and value in removed:
                raise CannotSanitise("a reference to a removed relationship could not be removed")
    return body


def _empty_odf_settings(body):
    """An ODF settings.xml (printer names, window layout, configuration items) becomes an empty one."""
    version = re.search(rb'office:version="([0-9.]{1,5})"', body)
    return (EMPTY_ODF_SETTINGS % (f' office:version="{version.group(1).decode()}"' if version else "")).encode()


def _clear_properties(body, fields):
    """Empty the named property elements.

    The XML is parsed with ElementTree to learn the prefixes and to check the result, but edited in place: writing
    it back through ElementTree would rename the prefixes (ns0:...), which not every office suite accepts.
    """
    _refuse_entities(body)
    prefixes = {}
    for _event, (prefix, uri) in ElementTree.iterparse(io.BytesIO(body), events=["start-ns"]):
        prefixes.setdefault(uri, set()).add(prefix)
    for uri, local in fields:
        for prefix in prefixes.get(uri, ()):
            qname = re.escape(f"{prefix}:{local}" if prefix else local).encode()
            empty = b"" if local in REMOVED else rb"<\1></\1>"
            body = re.sub(rb"<(" + qname + rb")(?:\s[^>]*)?/>", empty, body)
            body = re.sub(rb"<(" + qname + rb")(?:\s[^>]*)?>.*?</\1\s*>", empty, body, flags=re.DOTALL)
    root = ElementTree.fromstring(body)
    for uri, local in fields:
        for element in root.iter(f"{{{uri}}}{local}"):
            if local in REMOVED or (element.text or "").strip() or len(element):
                raise CannotSanitise(f"the property {local} could not be cleared")
    return body


CLEANERS = {
    "pdf": _pdf,
    "jpeg": _jpeg,
    "png": _png,
    "gif": _gif,
    "tiff": _tiff,
    "bmp": _bmp,
    "webp": _webp,
    "docx": _office,
    "xlsx": _office,
    "odt": _office,
    "ods": _office,
    "zip": _archive,
}
