"""A public result page as every visitor who is not signed in gets it, rendered whole once and cached, so that a
hit on announcement day renders no template at all.

The frame around a page's body differs between such visitors in two places only: the CSRF token of the language
form and the address in its `next` field. The cached page keeps a random marker in each (kept with it, so no
content can forge one) and every response fills them in. Signed-in users, and anyone with a message waiting, get
the frame rendered for them (their name, their menu, the message)."""

import secrets

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

TEMPLATE = "results/page.html"


def is_shared(request):
    """Whether a request gets the page every anonymous visitor gets: nobody signed in, no message waiting (counting
    them does not mark them read)."""
    return not request.user.is_authenticated and not len(get_messages(request))


def _context(page):
    return {"title": page["title"], "body": mark_safe(page["body"])}


class _AddressHole:
    """The request as the shared page's template sees it: its full address is a marker."""

    def __init__(self, request, marker):
        self._request = request
        self._marker = marker

    def __getattr__(self, name):
        return getattr(self._request, name)

    def get_full_path(self):
        return self._marker


def render_shared(request, page):
    """The whole page for anonymous visitors, with its markers: {"html", "token", "address"}."""
    token, address = secrets.token_hex(16), secrets.token_hex(16)
    context = {**_context(page), "csrf_token": token, "request": _AddressHole(request, address)}
    return {"html": render_to_string(TEMPLATE, context, request=request), "token": token, "address": address}


def respond_shared(request, shared):
    html = shared["html"].replace(shared["token"], get_token(request))
    return HttpResponse(html.replace(shared["address"], escape(request.get_full_path())))


def respond_framed(request, page):
    return render(request, TEMPLATE, _context(page))
