"""Attachment files: checking an upload by its content, safe names, streaming hashes, serving through checked views."""

import hashlib
import re
import unicodedata
import uuid
import zipfile

import filetype
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

MAX_NAME_LENGTH = 120
CHUNK = 1024 * 1024

# Our file-type keys (contest.models.FILE_TYPE_CHOICES) mapped to the MIME types `filetype` reports.
TYPE_MIME = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "zip": "application/zip",
}
EXTENSION = {
    "pdf": "pdf",
    "jpeg": "jpg",
    "png": "png",
    "docx": "docx",
    "xlsx": "xlsx",
    "odt": "odt",
    "ods": "ods",
    "zip": "zip",
}
# Markup or script content is refused whatever it is called: a browser could run it.
MARKUP = re.compile(rb"^\s*(<\?xml|<!doctype|<html|<svg|<script|<head|<body|<iframe|<!--)", re.IGNORECASE)


class UploadRejected(Exception):
    """The file cannot be accepted; the message says why, for the user."""


def clean_filename(name):
    """The name shown to people: no folders, no control characters, at most MAX_NAME_LENGTH characters."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = unicodedata.normalize("NFC", name).strip().strip(".")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name or "file"


def detect_type(head, upload):
    """Our type key for the file's content, or None. ZIP-based office formats are told apart by their members."""
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime == "application/pdf":
        return "pdf"
    if mime == "image/jpeg":
        return "jpeg"
    if mime == "image/png":
        return "png"
    if mime in (TYPE_MIME["docx"], TYPE_MIME["xlsx"], TYPE_MIME["odt"], TYPE_MIME["ods"]):
        return next(key for key, value in TYPE_MIME.items() if value == mime)
    if mime == "application/zip" or head.startswith(b"PK\x03\x04"):
        return _zip_flavour(upload)
    return None


def _zip_flavour(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                for key in ("odt", "ods"):
                    if declared == TYPE_MIME[key]:
                        return key
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            return "zip"
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)


def _check_pdf(upload):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise UploadRejected(_("The PDF is encrypted or password-protected. Upload a version without a password."))
        if len(reader.pages) < 1:
            raise UploadRejected(_("The PDF has no pages."))
    except UploadRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        raise UploadRejected(_("The PDF file is damaged and cannot be read. Save it again and upload it.")) from None
    finally:
        upload.seek(0)


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
    kind = detect_type(head, upload)
    allowed = list(requirement.allowed_types or [])
    if kind is None or kind not in allowed:
        raise UploadRejected(
            _("The file's content is not one of the allowed types (%(types)s), whatever its name says.")
            % {"types": ", ".join(t.upper() for t in allowed)}
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
    return f"attachments/{application.edition_id}/{application.pk}/{uuid.uuid4().hex}.{EXTENSION.get(type_key, 'bin')}"


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
    Local storage streams the file; S3 redirects to a presigned URL valid for about a minute.
    """
    name = filename or attachment.original_name
    file = attachment.file if file is None else file
    if not file:
        raise ValueError("no stored file to serve")
    storage = file.storage
    if is_remote_storage(storage):
        from urllib.parse import quote

        disposition = f"attachment; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{quote(name)}"
        url = storage.url(
            file.name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": attachment.content_type},
            expire=getattr(settings, "PRESIGNED_URL_SECONDS", 60),
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "no-store"
        return response
    handle = storage.open(file.name, "rb")
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
