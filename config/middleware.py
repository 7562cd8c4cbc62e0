"""Request hygiene every view would otherwise have to repeat."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


def refuse_nul_characters(get_response):
    """A NUL character in the address or the query string gets 400 before any view or database sees it.

    No page uses one and PostgreSQL cannot store or compare text containing it. Form bodies are left to the
    forms (CharField refuses NUL): reading the body here would come before the upload handlers are set.
    """

    def middleware(request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _("The address contains a NUL character, which no page of this site uses."),
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware
