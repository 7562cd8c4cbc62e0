"""The sitemap: the home page, the list of editions, each public edition, and, only once its results are public, each
edition's results page and its laureate pages (read through results.visibility). Addresses are built from
SITE_URL, never from the request's Host header."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from results.links import edition_results_path, entry_path
from results.visibility import public_entries, public_result_editions

from .queries import published_editions


class SiteSitemap(Sitemap):
    """Every section: the site's own scheme and host, and one moment per request (set by the view)."""

    at = None

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def moment(self):
        return self.at or timezone.now()


def _latest(*moments):
    return max(moment for moment in moments if moment is not None)


class StaticSitemap(SiteSitemap):
    priority = 0.8
    changefreq = "weekly"

    def items(self):
        return ["contest:home", "contest:archive"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        """Both pages list the editions (and soon their results): they change when any of those does."""
        if not hasattr(self, "_lastmod"):
            at = self.moment()
            editions = published_editions(at).aggregate(updated=Max("updated_at"), call=Max("call_published_at"))
            results = public_result_editions(at).aggregate(results=Max("results_at"))
            moments = [editions["updated"], editions["call"], results["results"]]
            self._lastmod = _latest(*moments) if any(moments) else None
        return self._lastmod


class EditionSitemap(SiteSitemap):
    priority = 0.7
    changefreq = "monthly"

    def items(self):
        return list(published_editions(self.moment()).only("year", "updated_at", "call_published_at"))

    def location(self, edition):
        return reverse("contest:edition", args=[edition.year])

    def lastmod(self, edition):
        return _latest(edition.updated_at, edition.call_published_at)


class ResultsSitemap(SiteSitemap):
    priority = 0.9
    changefreq = "monthly"

    def items(self):
        return list(
            public_result_editions(self.moment())
            .annotate(entries_changed=Max("published_entries__prepared_at"))
            .only("year", "results_at")
            .order_by("-year")
        )

    def location(self, edition):
        return edition_results_path(edition.year)

    def lastmod(self, edition):
        return _latest(edition.results_at, edition.entries_changed)


class LaureateSitemap(SiteSitemap):
    priority = 0.6
    changefreq = "yearly"

    def items(self):
        return list(
            public_entries(self.moment())
            .select_related(None)
            .values("slug", "prepared_at", "edition__year", "edition__results_at")
            .order_by("-edition__year", "order", "id")
        )

    def location(self, entry):
        return entry_path(entry["edition__year"], entry["slug"])

    def lastmod(self, entry):
        return _latest(entry["edition__results_at"], entry["prepared_at"])


SITEMAPS = {
    "pages": StaticSitemap,
    "editions": EditionSitemap,
    "results": ResultsSitemap,
    "laureates": LaureateSitemap,
}


def sitemaps_at(at):
    """The sections, each asked at the same moment, so one sitemap never mixes two sides of results_at."""
    sections = {}
    for name, section in SITEMAPS.items():
        instance = section()
        instance.at = at
        sections[name] = instance
    return sections
