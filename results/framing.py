"""A public result page as every visitor who is not signed in gets it, rendered whole once and cached, so that a
hit on announcement day renders no template at all.

The frame around a page's body differs between such visitors in two places only: the CSRF token of the language
form and the address in its `next` field. The cached page is kept cut at those holes and every response fills
them in. Signed-in users, and anyone with a message waiting, get
the frame rendered for them (their name, their menu, the message)."""

import re
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
    """The whole page for anonymous visitors, encoded and cut at its holes: {"texts": [bytes, ...], "holes": [name,
    ...]}, one text more than holes, each hole "token" or "address". The random markers the template rendered are
    cut out, so nothing in the content can ever stand for a hole."""
    markers = {secrets.token_hex(16): "token", secrets.token_hex(16): "address"}
    token, address = markers
    context = {**_context(page), "csrf_token": token, "request": _AddressHole(request, address)}
    pieces = re.split("({})".format("|".join(markers)), render_to_string(TEMPLATE, context, request=request))
    return {"texts": [text.encode() for text in pieces[::2]], "holes": [markers[marker] for marker in pieces[1::2]]}


def respond_shared(request, shared):
    fill = {"token": get_token(request).encode(), "address": escape(request.get_full_path()).encode()}
    texts, holes = shared["texts"], shared["holes"]
    parts = [texts[0]]
    for hole, text in zip(holes, texts[1:], strict=True):
        parts += [fill[hole], text]
    return HttpResponse(b"".join(parts))


def respond_framed(request, page):
    return render(request, TEMPLATE, _context(page))
