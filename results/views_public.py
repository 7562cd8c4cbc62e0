"""Public pages of the results: an edition's laureates, a laureate's page and public files, the good-practice
archive and the map. Thin: each reads results.queries at one moment and renders.

Every page body is cached in the shared cache under results.cache.key() with the language, the page's own
parameters and the fingerprint of the editions whose results are public at this second; a page cached before
results_at is therefore never served after it (nor the other way round), and unpublishing changes the fingerprint
too. Visitors who are not signed in get the whole page from the cache with its two per-request holes filled
(results.framing); for signed-in users only the body is cached and the frame around it (navigation, their name,
the CSRF token of the language form) is rendered for each request."""

import hashlib
import json
import posixpath

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_safe

from applications.files import serve_file

from . import cache as results_cache
from . import framing, queries, services
from . import map as geo
from .forms import ArchiveForm, as_query
from .models import PublicFile, PublishedEntry
from .text import polish_sort_key
from .visibility import public_entries

PAGE_SIZE = 20
MAX_PAGE = 100_000  # beyond any real archive; larger numbers ask for the last page like any number past it
INLINE_IMAGES = {"image/jpeg", "image/png", "image/webp"}
PUBLIC_FILE_CACHE = "public, max-age=300"


def _public_now():
    """(the moment, [(id, year)] of editions with public results, the fingerprint of that list)."""
    at = timezone.now()
    editions = queries.public_editions_now(at)
    fingerprint = "-".join(str(pk) for pk, _year in editions) or "none"
    return at, editions, fingerprint


def _edition_id(editions, year):
    """The id of the edition of `year` if its results are public now; otherwise 404, like a year that never was."""
    for pk, edition_year in editions:
        if edition_year == year:
            return pk
    raise Http404


def _cached_page(request, fingerprint, parts, build):
    """Respond with the page from the shared cache, building (and storing) it on a miss: the whole page for visitors
    who are not signed in (results.framing), the body alone for the others. `build` returns
    {"title": ..., "body": ...}; a 404 it raises is not cached."""
    key = results_cache.key("page", get_language(), *parts, fingerprint)
    shared = framing.is_shared(request)
    if shared:
        whole = results_cache.fetch(f"{key}:whole")
        if whole is not None:
            return framing.respond_shared(request, whole)
    page = results_cache.fetch(key)
    if page is None:
        page = build()
        results_cache.store(key, page)
    if not shared:
        return framing.respond_framed(request, page)
    whole = framing.render_shared(request, page)
    results_cache.store(f"{key}:whole", whole)
    return framing.respond_shared(request, whole)


def _with_files(entry):
    files = list(entry.files.all())
    entry.public_images = [f for f in files if f.kind == PublicFile.Kind.IMAGE]
    entry.public_documents = [f for f in files if f.kind == PublicFile.Kind.DOCUMENT]
    return entry


def _by_category(entries):
    groups = []
    for entry in entries:
        if not groups or groups[-1]["category"].pk != entry.category_id:
            groups.append({"category": entry.category, "laureates": [], "distinctions": []})
        bucket = "laureates" if entry.outcome == PublishedEntry.Outcome.LAUREATE else "distinctions"
        groups[-1][bucket].append(_with_files(entry))
    return groups


@require_safe
def edition_results(request, year):
    at, editions, fingerprint = _public_now()
    edition_id = _edition_id(editions, year)

    def build():
        entries = list(queries.edition_entries(edition_id, at))
        edition = entries[0].edition if entries else queries.edition(edition_id)
        title = gettext("Laureates of %(year)s") % {"year": year}
        body = render_to_string(
            "results/edition.html",
            {
                "edition": edition,
                "title": title,
                "categories": _by_category(entries),
                "years": [edition_year for _pk, edition_year in editions],
            },
        )
        return {"title": title, "body": body}

    return _cached_page(request, fingerprint, ["edition", year], build)


@require_safe
def entry_detail(request, year, slug):
    at, editions, fingerprint = _public_now()
    edition_id = _edition_id(editions, year)

    def build():
        entry = queries.entry(edition_id, slug, at)
        if entry is None:
            raise Http404
        context = {"entry": _with_files(entry), "edition": entry.edition}
        body = render_to_string("results/entry_detail.html", context)
        return {"title": entry.partnership_name, "body": body}

    return _cached_page(request, fingerprint, ["entry", year, slug], build)


@require_safe
def public_file(request, year, slug, pk):
    """A public picture or document of an awarded entry, only while the edition's results are public."""
    at, editions, _fingerprint = _public_now()
    edition_id = _edition_id(editions, year)
    entries = public_entries(at).filter(edition_id=edition_id, slug=slug)
    public = PublicFile.objects.filter(pk=pk, entry__in=entries).first()
    if public is None or not public.file:
        raise Http404
    inline = public.kind == PublicFile.Kind.IMAGE and public.mime in INLINE_IMAGES
    try:
        # ?size=small: the lists' small copy of a picture (the same checks, the same file for anything else).
        file = services.small_file(public) if request.GET.get("size") == "small" else public.file
        extension = posixpath.splitext(file.name)[1].lower()
        return serve_file(
            file,
            filename=f"{slug}-{public.pk}{extension}",
            content_type=public.mime,
            inline=inline,
            # The same bytes for every reader; short, so an unpublication takes effect within minutes.
            cache_control=PUBLIC_FILE_CACHE,
            stream=True,  # from our own origin on S3 too: the pages' CSP allows no other for pictures
        )
    except OSError:
        raise Http404 from None


def _page_number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def _archive_choices(editions, fingerprint):
    """The filters' choices for the editions public now, cached like the pages (0 queries on a hit)."""
    key = results_cache.key("archive-choices", fingerprint)
    categories = cache.get(key)
    if categories is None:
        categories = queries.archive_categories([pk for pk, _year in editions])
        cache.set(key, categories, results_cache.TIMEOUT)
    return {
        "voivodeships": geo.voivodeships(),
        "categories": categories,
        "years": [year for _pk, year in editions],
    }


@require_safe
def archive(request):
    at, editions, fingerprint = _public_now()
    choices = _archive_choices(editions, fingerprint)
    values, cleared = ArchiveForm(request.GET, **choices).values()
    number = _page_number(request.GET.get("page"))
    selection = json.dumps([as_query(values), cleared, number], sort_keys=True)
    digest = hashlib.sha256(selection.encode()).hexdigest()[:32]

    def build():
        query = as_query(values)
        paginator = Paginator(queries.archive_entries(at, **values), PAGE_SIZE)
        page = paginator.get_page(number)
        count = paginator.count
        entries = list(page.object_list)
        for entry in entries:
            names = {partner.voivodeship.name for partner in entry.partners.all() if partner.voivodeship}
            entry.voivodeship_names = sorted(names, key=polish_sort_key)
        title = gettext("Good practices")
        body = render_to_string(
            "results/archive.html",
            {
                "title": title,
                "form": ArchiveForm(query, **choices),
                "filtered": bool(query),
                "cleared": cleared,
                "page": page,
                "entries": entries,
                "query": urlencode(query),
                "count": count,
                "count_text": ngettext("Found %(n)s good practice", "Found %(n)s good practices", count) % {"n": count},
                "years": choices["years"],
            },
        )
        return {"title": title, "body": body}

    return _cached_page(request, fingerprint, ["archive", digest], build)


@require_safe
def voivodeship_map(request):
    at, editions, fingerprint = _public_now()

    def build():
        counts = queries.voivodeship_counts(at)
        archive_url = reverse("results:archive")
        regions = []
        for row in geo.shaded(counts):
            label = ngettext("%(n)s awarded partnership", "%(n)s awarded partnerships", row["count"]) % {
                "n": row["count"]
            }
            regions.append(
                {
                    **row,
                    "label": label,
                    "url": f"{archive_url}?{urlencode({'voivodeship': row['region'].code})}",
                }
            )
        legend = [{"fill": fill, "label": _class_label(low, high)} for low, high, fill in geo.CLASSES]
        title = gettext("Map of good practices")
        body = render_to_string(
            "results/map.html",
            {
                "title": title,
                "regions": regions,
                "height": geo.regions()[1],
                "width": geo.WIDTH,
                "stroke": geo.STROKE,
                "legend": legend,
                "any_results": bool(editions),
                "years": [year for _pk, year in editions],
            },
        )
        return {"title": title, "body": body}

    return _cached_page(request, fingerprint, ["map"], build)


def _class_label(low, high):
    if high is None:
        return gettext("%(low)s or more") % {"low": low}
    if low == high:
        return str(low)
    return gettext("%(low)s to %(high)s") % {"low": low, "high": high}
