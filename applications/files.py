"""Attachment files: checking an upload by its content, safe names, streaming hashes, serving through checked views."""

import hashlib
import re
import struct
import unicodedata
import uuid
import zipfile
import zlib

import filetype
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from contest.errors import ServiceError
from contest.models import FILE_TYPES, type_key_for_mime

MAX_NAME_LENGTH = 120
CHUNK = 1024 * 1024

class StorageUnavailable(ServiceError):
    """The file storage did not answer (S3 down or unreachable): nothing was lost, the user tries again later."""


# Derived from the one table of file types (contest.models.FILE_TYPES), for callers that record a MIME type.
TYPE_MIME = {key: file_type.mime for key, file_type in FILE_TYPES.items()}
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# A ZIP is judged by its directory before any member is opened: a DOCX has tens of members, a compressed
# member expands a few to some tens of times, and only a few bytes of one member are ever read.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_DIRECTORY_BYTES = 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 512 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM_BYTES = 1024 * 1024
ZIP_MEMBER_READ = 1024
# What the standard library raises on a broken, encrypted or exotic archive.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    zlib.error,
)
# Markup or script content is refused whatever it is called: a browser could run it.
MARKUP = re.compile(rb"^\s*(<\?xml|<!doctype|<html|<svg|<script|<head|<body|<iframe|<!--)", re.IGNORECASE)


class UploadRejected(ServiceError):
    """The file cannot be accepted; the message says why, for the user."""


def clean_filename(name, kind=None):
    """The name shown to people: no folders, no control characters, at most MAX_NAME_LENGTH characters.

    With `kind` (the type found in the content), the name ends in that type's extension, so a PDF someone
    called `wyniki.html` reaches organisers as `wyniki.pdf`.
    """
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = unicodedata.normalize("NFC", name).strip().strip(".")
    if kind is not None:
        name = _with_extension(name or "file", kind)
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name or "file"


def _with_extension(name, kind):
    extension = FILE_TYPES[kind].extension
    stem, dot, current = name.rpartition(".")
    if dot and current.lower() in (extension, kind):
        return name
    if dot and stem and re.fullmatch(r"(?=.*[A-Za-z])[A-Za-z0-9]{1,10}", current):
        name = stem  # a real extension, e.g. `.html`; `wersja 1.2` keeps its `.2`
    return f"{name}.{extension}"


def download_name(attachment):
    """The name a download gets: the stored name, ending in the extension of the type the file was stored as."""
    return clean_filename(attachment.original_name, type_key_for_mime(attachment.content_type))


def detect_type(head, upload, allowed=()):
    """Our type key for the file's content, or None.

    A ZIP container is opened only when `allowed` has a ZIP-based type (DOCX, XLSX, ODT, ODS, ZIP): elsewhere
    it is reported as "zip" unread, and refused. ZIP-based office formats are told apart by their members.
    """
    if head.startswith(ZIP_SIGNATURES):
        if not any(FILE_TYPES[key].zip_based for key in allowed if key in FILE_TYPES):
            return "zip"
        return _zip_flavour(upload)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime == "application/pdf":
        return "pdf"
    if mime == "image/jpeg":
        return "jpeg"
    if mime == "image/png":
        return "png"
    return None


def _zip_refused():
    return UploadRejected(
        _(
            "The archive has too many files or expands to an unreasonable size. "
            "Pack fewer or smaller files, or upload them separately."
        )
    )


def _zip_directory(upload):
    """(members, directory size in bytes) from the archive's end record, reading only the file's tail."""
    size = upload.size
    tail_length = min(size, 22 + 65535 + 20 + 56)
    upload.seek(size - tail_length)
    tail = upload.read(tail_length)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory")
    members, directory_size = struct.unpack_from("<HL", tail, at + 10)
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator.startswith(b"PK\x06\x07"):
        # ZIP64: the real counts are in the ZIP64 end record the locator points to.
        (record_offset,) = struct.unpack_from("<Q", locator, 8)
        if record_offset >= size:
            raise zipfile.BadZipFile("ZIP64 end record out of the file")
        upload.seek(record_offset)
        record = upload.read(56)
        if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
            raise zipfile.BadZipFile("ZIP64 end record missing")
        members, directory_size = struct.unpack_from("<2Q", record, 32)
    return members, directory_size


def _zip_flavour(upload):
    """Which ZIP-based type this is, judged from the directory; the archive's content is never expanded."""
    upload.seek(0)
    try:
        members, directory_size = _zip_directory(upload)
        if members > ZIP_MAX_MEMBERS or directory_size > ZIP_MAX_DIRECTORY_BYTES:
            raise _zip_refused()
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_MEMBERS or sum(info.file_size for info in infos) > ZIP_MAX_TOTAL_BYTES:
                raise _zip_refused()
            if any(
                info.file_size > ZIP_RATIO_FROM_BYTES and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
                for info in infos
            ):
                raise _zip_refused()
            by_name = {info.filename: info for info in infos}
            if "mimetype" in by_name:
                with archive.open(by_name["mimetype"]) as member:
                    declared = member.read(ZIP_MEMBER_READ).decode("ascii", "replace").strip()
                for key in ("odt", "ods"):
                    if declared == FILE_TYPES[key].mime:
                        return key
            if "word/document.xml" in by_name:
                return "docx"
            if "xl/workbook.xml" in by_name:
                return "xlsx"
            return "zip"
    except UploadRejected:
        raise
    except ZIP_ERRORS:
        return None  # not a readable archive: refused as not one of the allowed types
    finally:
        upload.seek(0)


def _check_pdf(upload):
    from pypdf import PdfReader

    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise UploadRejected(_("The PDF is encrypted or password-protected. Upload a version without a password."))
        if len(reader.pages) < 1:
            raise UploadRejected(_("The PDF has no pages."))
    except UploadRejected:
        raise
    except Exception:  # a hostile PDF can make pypdf raise nearly anything (LimitReachedError, RecursionError, ...)
        raise UploadRejected(
            _("The PDF file is damaged or too complex to read. Save it again (e.g. print it to PDF) and upload it.")
        ) from None
    finally:
        upload.seek(0)


def display_name(name):
    """The name a browser sent, shortened and without control characters, for a message that names the file."""
    name = "".join(ch for ch in str(name or "") if unicodedata.category(ch)[0] != "C")
    return name if len(name) <= 80 else name[:77] + "…"


def accept_attribute(allowed_types):
    """The `accept` of a file input for a requirement's types: extensions and MIME types, so the browser's file
    dialog offers the right files first (the server still checks the content)."""
    from contest.models import FILE_TYPES

    parts = []
    for key in allowed_types or []:
        file_type = FILE_TYPES.get(key)
        if file_type is None:
            continue
        extensions = {file_type.extension, key} | ({"jpeg", "jpg"} if key == "jpeg" else set())
        parts += [f".{extension}" for extension in sorted(extensions)] + [file_type.mime]
    return ",".join(dict.fromkeys(parts))


def inspect_upload(upload, requirement):
    """Check an uploaded file against a requirement; return (type_key, sha256, size) or raise UploadRejected.

    The file is read in chunks, never whole, so a 100 MB upload costs no more memory than a small one.
    """
    size = upload.size or 0
    if size == 0:
        raise UploadRejected(_("The file is empty."))
    if size > requirement.max_size_bytes:
        raise UploadRejected(
            _("The file is too large (%(size)s MB); the limit for this attachment is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": requirement.max_size_mb}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if MARKUP.match(head) or b"<script" in head.lower():
        raise UploadRejected(_("Web pages, SVG images and scripts cannot be uploaded."))
    allowed = list(requirement.allowed_types or [])
    kind = detect_type(head, upload, allowed)
    if kind is None or kind not in allowed:
        raise UploadRejected(
            _(
                "The file “%(name)s” is not one of the allowed types (%(types)s): its content decides, "
                "whatever its name says."
            )
            % {"name": display_name(upload.name), "types": ", ".join(t.upper() for t in allowed)}
        )
    if kind == "pdf":
        _check_pdf(upload)
    sha256 = getattr(upload, "sha256", None)  # computed while receiving (applications.uploads)
    if sha256 is None:
        digest = hashlib.sha256()
        for chunk in upload.chunks(CHUNK):
            digest.update(chunk)
        sha256 = digest.hexdigest()
    upload.seek(0)
    return kind, sha256, size


def storage_name(application, type_key):
    """A generated name: the user's file name never reaches the storage."""
    extension = FILE_TYPES[type_key].extension if type_key in FILE_TYPES else "bin"
    return f"attachments/{application.edition_id}/{application.pk}/{uuid.uuid4().hex}.{extension}"


def store(upload, name, storage=None):
    """Save an upload under `name` and return the stored name.

    For S3, a large upload that Django spooled to a temporary file is sent by path: boto3's upload_fileobj()
    reads every multipart part of a file object into memory (up to 10 x 8 MB at once), upload_file() reads
    the parts from disk as it sends them, which keeps the web process's memory flat for 100 MB files.
    """
    storage = storage or default_storage
    if is_remote_storage(storage) and hasattr(upload, "temporary_file_path"):
        from storages.utils import clean_name

        cleaned = clean_name(name)
        key = storage._normalize_name(cleaned)
        params = storage._get_write_parameters(key, upload)
        storage.bucket.Object(key).upload_file(
            upload.temporary_file_path(), ExtraArgs=params, Config=storage.transfer_config
        )
        return cleaned
    return storage.save(name, upload)


def _ascii_fallback(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name) or "file"


def is_remote_storage(storage=None):
    storage = storage or default_storage
    return hasattr(storage, "bucket_name")


def serve_attachment(request, attachment, *, filename=None, file=None):
    """Send an attachment's bytes as a download. No permission check here: every caller checks first.

    `file` is another file field of the attachment to send instead of the original (the jurors' cleaned copy).
    """
    name = filename or download_name(attachment)
    file = attachment.file if file is None else file
    return serve_file(file, filename=name, content_type=attachment.content_type)


def serve_file(file, *, filename, content_type, inline=False, cache_control="private, no-store", stream=False):
    """Send a stored file (a FieldFile). No permission check here: every caller checks first.

    Local storage streams the file; S3 redirects to a presigned URL valid for about a minute (the redirect is never
    kept: the URL expires). `inline` lets a browser show it in place (a public picture in an <img>); otherwise it is
    a download. `cache_control` stays private and no-store for every private file; a public file of the results
    passes a short public lifetime. `stream` sends the bytes from any storage, S3 included: the public pictures of
    the results are shown in pages whose Content-Security-Policy allows images from our own origin only, and they
    are small. A file missing from storage raises OSError (the caller answers 404).
    """
    if not file:
        raise ValueError("no stored file to serve")
    storage = file.storage
    disposition_type = "inline" if inline else "attachment"
    if is_remote_storage(storage):
        # A presigned URL is made without asking S3, so while S3 is down the browser would be sent to an address
        # that does not answer. One HEAD request first turns that into a clear message from us.
        try:
            present = storage.exists(file.name)
        except Exception as error:  # botocore's connection, timeout and server errors
            raise StorageUnavailable(
                _(
                    "The file cannot be downloaded right now because the file storage is not answering. The file "
                    "is safe: try again in a few minutes."
                )
            ) from error
        if stream and not present:
            raise FileNotFoundError(file.name)
    if is_remote_storage(storage) and not stream:
        from urllib.parse import quote

        fallback = _ascii_fallback(filename)
        disposition = f"{disposition_type}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
        url = storage.url(
            file.name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=getattr(settings, "PRESIGNED_URL_SECONDS", 60),
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "no-store"
        return response
    handle = storage.open(file.name, "rb")
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
