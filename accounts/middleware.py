"""Interface language: Polish unless the person chose English with the switch (a cookie), whatever the browser says."""
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware without the Accept-Language guess: the site is Polish first, English on request."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class StaffSessionMiddleware:
    """Every staff URL (accounts.access.is_staff_url) needs a staff session that passes accounts.access's policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .access import is_staff_url, limit_staff_session, refuse, staff_session_ok

        if not is_staff_url(request.resolver_match):
            return None
        verdict = staff_session_ok(request)
        if not verdict:
            return refuse(request, verdict)
        limit_staff_session(request)
        return None
