"""The Atom feed of the competition's announcements: a call published, one week left before the deadline, results
published. Each item appears at its own moment and not before; result items come only from results.visibility, so
the feed says nothing about results before they are public, nor after they are withdrawn."""

import datetime
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from results.links import absolute, edition_results_path
from results.visibility import announced_result_editions, public_entries

from .phases import _to_second
from .queries import published_editions

WARSAW = ZoneInfo("Europe/Warsaw")
REMINDER_BEFORE_DEADLINE = datetime.timedelta(days=7)
# The date in the tag URIs of the items' ids (RFC 4151): fixed, so every id stays the same for ever.
TAG_DATE = "2025"
MAX_ITEMS = 60


class Announcement(NamedTuple):
    key: str
    title: str
    description: str
    link: str
    at: datetime.datetime


def tag(*parts):
    """A stable, unique id: tag:host,2025:slz/2026/call."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:" + "/".join(["slz", *(str(part) for part in parts)])


def warsaw_moment(moment):
    local = timezone.localtime(moment, WARSAW)
    return _("%(date)s, %(time)s (Warsaw time)") % {
        "date": date_format(local, "j E Y"),
        "time": date_format(local, "H:i"),
    }


def announcements(at):
    """Every announcement due at the moment `at`, newest first."""
    at = _to_second(at)
    items = []
    for edition in published_editions(at):
        page = absolute(reverse("contest:edition", args=[edition.year]))
        items.append(
            Announcement(
                tag(edition.year, "call"),
                _("Call for applications: %(edition)s") % {"edition": edition},
                _("%(theme)sApplications can be submitted from %(start)s until %(deadline)s.")
                % {
                    "theme": f"{edition.theme}. " if edition.theme else "",
                    "start": warsaw_moment(edition.submissions_open_at),
                    "deadline": warsaw_moment(edition.submission_deadline),
                },
                page,
                edition.call_published_at,
            )
        )
        reminder = max(edition.submission_deadline - REMINDER_BEFORE_DEADLINE, edition.call_published_at)
        if _to_second(reminder) <= at:
            items.append(
                Announcement(
                    tag(edition.year, "deadline-approaching"),
                    _("One week left to submit applications: %(edition)s") % {"edition": edition},
                    _("The submission deadline is %(deadline)s.")
                    % {"deadline": warsaw_moment(edition.submission_deadline)},
                    page,
                    reminder,
                )
            )
    counts = {}
    for row in public_entries(at).values("edition_id", "outcome").annotate(number=Count("id")):
        counts[(row["edition_id"], row["outcome"])] = row["number"]
    # Only editions with something published: a results_at passed by a late committee announces nothing yet.
    for edition in announced_result_editions(at):
        items.append(
            Announcement(
                tag(edition.year, "results"),
                _("Results announced: %(edition)s") % {"edition": edition},
                _("Laureates: %(laureates)s, distinctions: %(distinctions)s.")
                % {
                    "laureates": counts.get((edition.pk, "laureate"), 0),
                    "distinctions": counts.get((edition.pk, "distinction"), 0),
                },
                absolute(edition_results_path(edition.year)),
                min(edition.public_since, at),
            )
        )
    items.sort(key=lambda item: (item.at, item.key), reverse=True)
    return items[:MAX_ITEMS]


class AnnouncementsFeed(Feed):
    feed_type = Atom1Feed
    item_guid_is_permalink = False
    author_name = "Związek Miast Polskich"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=60"  # short: a result item must appear soon after results_at
        # The language comes from the language cookie (ChosenLanguageMiddleware), not Accept-Language: a shared
        # cache must keep one copy per cookie, or a Polish reader gets the English feed a proxy kept.
        patch_vary_headers(response, ("Cookie",))
        return response

    def get_object(self, request):
        return timezone.now()  # one moment for the whole feed

    def title(self):
        return _("News of the competition “%(name)s”") % {"name": "Samorządowy Lider Zarządzania"}

    def subtitle(self):
        return _("Calls for applications, deadlines and results of the competition.")

    def link(self):
        return absolute(reverse("contest:home"))

    def feed_url(self):
        return absolute(reverse("contest:feed"))

    def feed_guid(self):
        return tag("news")

    def items(self, at):
        return announcements(at)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.key

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at
