"""Whole public pages for visitors without a session, from the set-up cache (contest.setup_cache).

A visitor who has not logged in, has no session and no pending message sees the same home page as every other such
visitor of this set-up, language and moment (the edition and its phase are part of the key): rendering it again on
every visit is most of what the page costs. The one thing that differs between them is the CSRF token of the
language switch, put in per request, so the form works as it does on a rendered page (and the CSRF cookie is set
the same way). Anyone else (a session, a message waiting, a query string) gets the page rendered as usual.
"""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from . import setup_cache

# What the cached page holds where each visitor's CSRF token goes: nothing a template could print by itself.
CSRF_PLACEHOLDER = "csrf-token-of-this-request-4f0c9e"


def shared_by_visitors(request):
    """Whether the request is one whose page is the same for every visitor without an account session."""
    return (
        request.method in ("GET", "HEAD")
        # The query string itself, not request.GET: "/?&&" has no parameters but is printed in the page (the
        # language switch's "next"), and would reach every visitor from the cache.
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
    )


def render_for_visitors(request, parts, template, context):
    """render(request, template, context), from the cache under `parts` (what else the page depends on) when the
    request is shared_by_visitors()."""
    if not shared_by_visitors(request):
        return render(request, template, context)
    page = setup_cache.get_or_build(
        ("page", get_language(), request.path, *parts),
        lambda: render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request),
    )
    return HttpResponse(page.replace(CSRF_PLACEHOLDER, get_token(request)))
