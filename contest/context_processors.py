"""Template context for the public head of every page: the site's public address and the page's own (Open Graph's
og:url, the canonical link), built from SITE_URL, never from the request's Host header."""

from django.conf import settings


def discovery(request):
    site_url = settings.SITE_URL
    return {"site_url": site_url, "page_url": site_url + getattr(request, "path", "/")}
