"""Jurors' copies of attachments: the same pages and pictures without metadata, scripts or actions that name people.

Pure functions on bytes, no ORM. `sanitise(data, type_key)` returns the cleaned file or raises CannotSanitise;
a caller never falls back to the original.
"""

import io
import re
import zipfile
from xml.etree import ElementTree

from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

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
    cleaner = CLEANERS.get(type_key)
    if cleaner is None:
        raise CannotSanitise(f"no cleaner for file type {type_key!r}")
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = io.BytesIO(bytes(data))
    data.seek(0)
    try:
        if type_key == "zip":
            return cleaner(data, _depth)
        return cleaner(data)
    except CannotSanitise:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means the file is not cleaned
        raise CannotSanitise(f"{type_key} could not be read: {type(error).__name__}: {error}") from error


# --- PDF -----------------------------------------------------------------------------------------------------------

# Keys removed from every dictionary in the document: XMP streams, scripts, automatic actions, embedded files,
# application private data and XML forms (which can carry scripts of their own).
PDF_DROP_KEYS = {"/AA", "/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/Metadata", "/PieceInfo", "/XFA"}
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


def _picture(data, fmt):
    with Image.open(data) as source:
        if source.format != fmt:
            raise CannotSanitise(f"the picture is {source.format}, not {fmt}")
        width, height = source.size
        if width * height > MAX_PIXELS:
            raise CannotSanitise(f"the picture is too large to clean ({width} x {height} pixels)")
        source.load()
        icc_profile = source.info.get("icc_profile")
        dpi = source.info.get("dpi")
        # The orientation lives in EXIF, which goes: turn the pixels so the picture still stands the right way up.
        picture = ImageOps.exif_transpose(source)
    picture.info = {}
    options = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if dpi:
        options["dpi"] = dpi
    if fmt == "JPEG":
        if picture.mode not in ("L", "RGB", "CMYK"):
            picture = picture.convert("RGB")
        options.update(quality=92, optimize=True)
    elif picture.mode not in ("1", "L", "LA", "RGB", "RGBA", "I", "I;16"):
        picture = picture.convert("RGBA")
    out = io.BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


def _jpeg(data):
    return _picture(data, "JPEG")


def _png(data):
    return _picture(data, "PNG")


# --- ZIP-based formats: office documents and archives ------------------------------------------------------------

NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
# Property elements emptied (or, for user-defined ones, removed), per member, as (namespace, local name). Titles and
# subjects stay: they describe the document, not its makers.
CLEARED = {
    "docProps/core.xml": [(NS["dc"], "creator"), (NS["cp"], "lastModifiedBy"), (NS["cp"], "lastPrinted")],
    "docProps/app.xml": [(NS["ep"], "Company"), (NS["ep"], "Manager"), (NS["ep"], "HyperlinkBase")],
    "meta.xml": [
        (NS["meta"], "initial-creator"),
        (NS["dc"], "creator"),
        (NS["meta"], "printed-by"),
        (NS["meta"], "user-defined"),
    ],
}
REMOVED = {"user-defined"}
# Members dropped whole: custom properties (department, owner, file server paths...) and the Office address book
# of comment authors with their e-mail log-ins.
DROPPED = {"docProps/custom.xml", "word/people.xml", "xl/persons/person.xml"}
# Who wrote a comment or a tracked change, inside the document parts. These parts are not re-serialised (Office
# refers to namespace prefixes by name in mc:Ignorable), so names are blanked in place.
AUTHOR_ATTRIBUTE = re.compile(rb'(\s(?:[A-Za-z0-9_.-]+:)?(?:author|initials|userId|providerId|displayName))="[^"]*"')
AUTHOR_ELEMENT = re.compile(rb"<((?:[A-Za-z0-9_.-]+:)?(?:author|creator))>[^<]*</\1>")
DOCUMENT_PARTS = re.compile(r"^(word/.*|xl/.*|ppt/.*|content\.xml|styles\.xml)$")
OFFICE_TYPES = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}
OFFICE_NESTED = {".docx": "docx", ".xlsx": "xlsx", ".odt": "odt", ".ods": "ods", ".zip": "zip"}


def _office(data):
    return _rewrite_zip(data, _clean_office_member, depth=0)


def _archive(data, depth):
    return _rewrite_zip(data, _clean_archive_member, depth=depth)


def _rewrite_zip(data, clean_member, *, depth):
    """Copy a ZIP member by member in its order, each cleaned, with fixed dates and no comments."""
    with zipfile.ZipFile(data) as source:
        members = source.infolist()
        if len(members) > MAX_MEMBERS:
            raise CannotSanitise(f"the archive has too many members ({len(members)})")
        total = sum(m.file_size for m in members)
        if total > MAX_TOTAL_BYTES or any(m.file_size > MAX_MEMBER_BYTES for m in members):
            raise CannotSanitise("the archive unpacks to too much data")
        if any(m.flag_bits & 0x1 for m in members):
            raise CannotSanitise("the archive is encrypted")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for member in members:
                if member.is_dir() or member.filename in DROPPED:
                    continue
                body = _read_capped(source, member)
                body = clean_member(member.filename, body, depth)
                info = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
                # ODF wants its `mimetype` member first and stored; keep every member's compression as it was.
                info.compress_type = member.compress_type if member.compress_type in (0, 8) else zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                target.writestr(info, body)
    return out.getvalue()


def _read_capped(archive, member):
    chunks, size = [], 0
    with archive.open(member) as handle:
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            if size > MAX_MEMBER_BYTES:
                raise CannotSanitise("an archive member unpacks to more than it declared")
            chunks.append(chunk)
    return b"".join(chunks)


def _clean_office_member(name, body, depth):
    if name in CLEARED:
        return _clear_properties(body, CLEARED[name])
    if DOCUMENT_PARTS.match(name) and name.endswith((".xml", ".rels")):
        body = AUTHOR_ATTRIBUTE.sub(rb'\1=""', body)
        return AUTHOR_ELEMENT.sub(rb"<\1></\1>", body)
    return _clean_embedded(name, body, depth)


def _clean_archive_member(name, body, depth):
    return _clean_embedded(name, body, depth)


def _clean_embedded(name, body, depth):
    """Pictures and PDFs inside a document or archive (e.g. word/media/image1.jpeg) are cleaned as files."""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name.rsplit("/", 1)[-1] else ""
    if extension in OFFICE_TYPES:
        return sanitise(body, OFFICE_TYPES[extension], _depth=depth)
    if extension in OFFICE_NESTED:
        if depth + 1 >= MAX_NESTING:
            raise CannotSanitise("archives are nested too deeply")
        return sanitise(body, OFFICE_NESTED[extension], _depth=depth + 1)
    return body


def _clear_properties(body, fields):
    """Empty the named property elements.

    The XML is parsed with ElementTree to learn the prefixes and to check the result, but edited in place: writing
    it back through ElementTree would rename the prefixes (ns0:...), which not every office suite accepts.
    """
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise CannotSanitise("a properties file declares entities")
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
    "docx": _office,
    "xlsx": _office,
    "odt": _office,
    "ods": _office,
    "zip": _archive,
}
