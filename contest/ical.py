"""An edition's dates as an iCalendar file (RFC 5545), so partnerships can put the deadline in their calendars.

Times are written in Europe/Warsaw with its VTIMEZONE; every event has a UID that stays the same when the organisers
move a date, so a calendar that imported the file once updates the event instead of adding a second one.
"""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

WARSAW = ZoneInfo("Europe/Warsaw")
PRODID = "-//Zwiazek Miast Polskich//Samorzadowy Lider Zarzadzania//PL"


def _domain():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def uid(edition, key):
    """Stable per edition and milestone: slz-2026-deadline@host."""
    return f"slz-{edition.year}-{key}@{_domain()}"


def milestones(edition):
    """(key, summary, start, end or None, description) of the events of an edition, in order. An event without an
    end is a moment (RFC 5545: a DATE-TIME start without DTEND ends when it starts)."""
    name = str(edition)
    return [
        (
            "submissions",
            _("Submissions open – %(edition)s") % {"edition": name},
            edition.submissions_open_at,
            edition.submission_deadline,
            _("Partnerships submit their applications on the competition's website."),
        ),
        (
            "deadline",
            _("Submission deadline – %(edition)s") % {"edition": name},
            edition.submission_deadline,
            None,
            _("The last moment at which an application can be submitted."),
        ),
        (
            "formal-review",
            _("Formal review – %(edition)s") % {"edition": name},
            edition.submission_deadline,
            edition.formal_review_ends_at,
            _("The organisers check the applications and may ask for corrections."),
        ),
        (
            "scoring",
            _("Jury scoring – %(edition)s") % {"edition": name},
            edition.scoring_starts_at,
            edition.scoring_ends_at,
            _("The competition committee scores the entries."),
        ),
        (
            "results",
            _("Results announced – %(edition)s") % {"edition": name},
            edition.results_at,
            None,
            _("The laureates and distinctions are published."),
        ),
    ]


def edition_calendar(edition, url):
    """The iCalendar bytes of an edition's milestones; `url` is the edition's public page."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Local Government Management Leader %(year)s") % {"year": edition.year})
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    stamp = (edition.updated_at or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    for key, summary, start, end, description in milestones(edition):
        event = Event()
        event.add("uid", uid(edition, key))
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("summary", summary)
        event.add("description", f"{description}\n{url}")
        event.add("url", url)
        event.add("dtstart", start.astimezone(WARSAW).replace(microsecond=0))
        if end is not None:
            event.add("dtend", end.astimezone(WARSAW).replace(microsecond=0))
        event.add("transp", "TRANSPARENT")
        if key == "deadline":
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", datetime.timedelta(days=-3))
            event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
