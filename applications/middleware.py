"""The upload guard: refuses oversized bodies and anonymous file uploads from the headers alone, body unread.

It runs in the request phase of the middleware chain, which Django completes before any view-phase hook:
CsrfViewMiddleware reads the POST body (and spools its files) only in process_view, so a refusal here costs
no disk and no memory whatever the client sends. It sits after the authentication and message middleware
because it needs to know who is asking and may leave a message for the page it sends them back to.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

MB = 1024 * 1024
# Room for the multipart framing and the form's other fields around the file.
FORM_OVERHEAD = MB
BODY_METHODS = {"POST", "PUT", "PATCH"}


def accepts_uploads(limit):
    """Mark a view as an upload URL; `limit(request, **url_kwargs)` gives the largest file it takes, in bytes.

    A body larger than that (plus the form's overhead) is refused with a message before it is read.
    """

    def mark(view):
        view.upload_limit = limit
        return view

    return mark


def largest_upload_bytes():
    """The largest file any attachment requirement accepts, and never less than Django's limit for a form."""
    from contest.models import AttachmentRequirement

    largest_mb = AttachmentRequirement.objects.aggregate(largest=Max("max_size_mb"))["largest"] or 0
    return max(largest_mb * MB, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def _content_length(request):
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django then reads no body at all


class UploadGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request):
        if request.method not in BODY_METHODS:
            return None
        length = _content_length(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        limit_for = getattr(match.func, "upload_limit", None) if match else None
        anonymous_files = request.content_type == "multipart/form-data" and not request.user.is_authenticated
        if anonymous_files and limit_for:
            # Nobody uploads without an account: send them to log in, as the upload page itself would.
            return redirect_to_login(request.get_full_path())
        # Only upload pages and the admin (the rules document of an edition) take bodies larger than a form.
        takes_files = bool(limit_for) or (match is not None and "admin" in match.namespaces)
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE and (
            not takes_files or anonymous_files or length > largest_upload_bytes() + FORM_OVERHEAD
        ):
            return HttpResponse(
                _("The request is larger than any file this site accepts."),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        if not limit_for or length <= FORM_OVERHEAD:
            return None
        limit = limit_for(request, *match.args, **match.kwargs)
        if limit is not None and length > limit + FORM_OVERHEAD:
            messages.error(
                request,
                _("The file is too large: the largest attachment allowed is %(limit)s MB.") % {"limit": limit // MB},
            )
            return redirect(request.get_full_path())
        return None
