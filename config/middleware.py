"""Request hygiene every view would otherwise have to repeat, and the interface language: Polish unless the person
chose English with the switch (a cookie), whatever the browser says."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
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


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware without the Accept-Language guess: the site is Polish first, English on request."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
