"""/healthz: whether the database and the file storage answer.

Anyone gets a cheap answer (a database SELECT 1 and whether the storage is configured, with no request to it), so
anonymous traffic cannot turn into storage requests. The full check, which writes, reads back and deletes a probe
file, runs only for a caller holding HEALTHZ_TOKEN (`Authorization: Bearer <token>` or `?token=<token>`).
"""

import hmac
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_storage_configured():
    """The storage backend loads with somewhere to put files; no request leaves the process."""
    if not (getattr(default_storage, "bucket_name", None) or getattr(default_storage, "location", None)):
        raise OSError("storage has no bucket or location")


def check_storage():
    """Write, read back and delete a small probe file: listing alone can succeed on a read-only store."""
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise OSError("storage returned different content")
    finally:
        default_storage.delete(name)


CHEAP_CHECKS = {"database": check_database, "storage": check_storage_configured}
FULL_CHECKS = {"database": check_database, "storage": check_storage}


def _presented_token(request):
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    return request.GET.get("token", "")


def _run(checks, ok):
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = ok[name]
        except Exception as error:  # any failure of a dependency means "not healthy"
            results[name] = f"error: {error.__class__.__name__}"
    healthy = not any(value.startswith("error") for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503)


@never_cache
def healthz(request):
    presented = _presented_token(request)
    if not presented:
        return _run(CHEAP_CHECKS, {"database": "ok", "storage": "configured"})
    expected = getattr(settings, "HEALTHZ_TOKEN", "")
    if not expected or not hmac.compare_digest(presented.encode(), expected.encode()):
        return JsonResponse({"status": "error", "detail": "invalid token"}, status=403)
    return _run(FULL_CHECKS, {"database": "ok", "storage": "ok"})
