"""Public pages: the call of the current edition, any public edition, the rules document, the edition's calendar,
the sitemap and robots.txt, the organisers' information pages."""
import mimetypes

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from . import clause, infotext, page_cache, setup_cache
from .ical import edition_calendar as edition_calendar_bytes
from .models import InfoPage
from .queries import edition_with_setup, home_editions, published_editions
from .sitemaps import sitemaps_at


def _visible_edition_or_404(year):
    """Drafts and editions whose call is not yet published answer 404, as if they did not exist."""
    return get_object_or_404(edition_with_setup(), year=year)


def home(request):
    now = timezone.now()
    edition, past = home_editions(now)
    # The rendered call is cached too, for this set-up, language, edition and phase (the only moment it shows).
    phase = edition.phase(now) if edition is not None else ""
    call = setup_cache.get_or_build(
        ("home-call", get_language(), edition.pk if edition else 0, phase),
        lambda: render_to_string("contest/_home_call.html", {"edition": edition}, request=request),
    )
    return page_cache.render_for_visitors(
        request,
        (edition.pk if edition else 0, phase, *(past_edition.pk for past_edition in past)),
        "contest/home.html",
        {"edition": edition, "past_editions": past, "call": call},
    )


def edition_detail(request, year):
    edition = _visible_edition_or_404(year)
    return render(request, "contest/edition_detail.html", {"edition": edition})


def archive(request):
    editions = published_editions()
    return render(request, "contest/archive.html", {"editions": editions})


def rules_document(request, year):
    edition = get_object_or_404(published_editions(), year=year)
    if not edition.rules_document:
        raise Http404
    try:
        handle = default_storage.open(edition.rules_document.name, "rb")
    except OSError:
        raise Http404 from None
    filename = f"regulamin-slz-{edition.year}.pdf"
    content_type = mimetypes.guess_type(filename)[0] or "application/pdf"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


@require_safe
def sitemap(request):
    """/sitemap.xml: every section asked at one moment (see contest.sitemaps)."""
    return sitemap_views.sitemap(request, sitemaps=sitemaps_at(timezone.now()))


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /accounts/
Disallow: /konto/
Disallow: /wnioski/
Disallow: /jury/
Disallow: /i18n/

Sitemap: {sitemap}
"""


@require_safe
def robots_txt(request):
    text = ROBOTS.format(sitemap=settings.SITE_URL + reverse("contest:sitemap"))
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@require_safe
def edition_calendar(request, year):
    """/edycje/<year>/terminy.ics: the dates of a public edition (the same editions as its page)."""
    edition = get_object_or_404(published_editions(), year=year)
    url = settings.SITE_URL + reverse("contest:edition", args=[edition.year])
    response = HttpResponse(edition_calendar_bytes(edition, url), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="slz-{edition.year}-terminy.ics"'
    return response


def _info_page(request, slug):
    page = get_object_or_404(InfoPage, slug=slug)
    title, body = page.in_language(get_language())
    return render(
        request,
        "contest/info_page.html",
        {
            "title": title,
            "body": infotext.render(body),
            "updated_at": page.updated_at,
            "slug": page.slug,
            # The clause's version, as recorded where it is shown (contest.clause).
            "version": clause.version_of(page) if slug == InfoPage.Slug.PRIVACY else "",
        },
    )


@require_safe
def accessibility(request):
    return _info_page(request, InfoPage.Slug.ACCESSIBILITY)


@require_safe
def privacy(request):
    return _info_page(request, InfoPage.Slug.PRIVACY)
