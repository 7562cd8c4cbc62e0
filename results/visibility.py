"""When results are public, as querysets: the SQL twin of contest.phases.results_visible, for every public surface
(pages, feeds, sitemap, open data, search, map). Nothing public reads PublishedEntry except through these."""

import datetime
from functools import cache

from django.db import connections, router
from django.db.models import Max
from django.db.models.functions import Greatest
from django.utils import timezone

from applications.models import Status
from contest.models import Edition
from contest.phases import _to_second

from .models import PublishedEntry

# A moment no edition is announced at; it marks the cutoff's place among the parameters of the compiled query.
_MARKER = datetime.datetime(1970, 1, 1, 0, 0, 7, tzinfo=datetime.UTC)


def _cutoff(at):
    return _to_second(at or timezone.now()) + datetime.timedelta(seconds=1)


def _editions_public_before(cutoff):
    return Edition.objects.filter(is_draft=False, results_at__lt=cutoff, results_withdrawn_at__isnull=True)


def public_result_editions(at=None):
    """Editions whose results are public at a moment: not drafts, results_at reached (to the second, as the phase
    function counts it) and not withdrawn."""
    return _editions_public_before(_cutoff(at))


def public_entries(at=None):
    """Published entries of the public editions whose application is still in the competition: one rejected after
    the record was prepared (before the jury refused that, or by hand) is never shown as awarded."""
    return PublishedEntry.objects.filter(
        edition__in=public_result_editions(at), application__status__in=Status.ACCEPTED_FOR_JURY
    )


def announced_result_editions(at=None):
    """Editions whose results are public and have something in them (a published entry), each annotated with
    `public_since`: the later of results_at and its entries' preparation (a late committee's decisions are public
    from the moment they are prepared). Announcements (the feed, the news e-mails) speak only of these, so a
    results_at that passes with nothing prepared announces nothing, and the later publication still is announced."""
    return (
        public_result_editions(at)
        .filter(published_entries__application__status__in=Status.ACCEPTED_FOR_JURY)
        .annotate(public_since=Greatest("results_at", Max("published_entries__prepared_at")))
    )


def _prepared(moment, connection):
    return Edition._meta.get_field("results_at").get_db_prep_value(moment, connection)


@cache
def _compiled_years(alias):
    """(SQL, parameters, the index of the cutoff among them) of the editions public before a cutoff, newest first:
    the queryset above compiled once per process and database."""
    connection = connections[alias]
    queryset = _editions_public_before(_MARKER).order_by("-year").values_list("id", "year")
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    marker = _prepared(_MARKER, connection)
    (index,) = [position for position, value in enumerate(params) if value == marker]
    return sql, tuple(params), index


def public_edition_years(at=None):
    """[(id, year)] of the editions whose results are public at a moment, newest first: public_result_editions()
    as rows. Every public page asks it on every request (it is the fingerprint of the cached pages), and building
    the queryset costs ten times running it, so its SQL is compiled once and only the cutoff changes."""
    alias = router.db_for_read(Edition)
    connection = connections[alias]
    sql, params, index = _compiled_years(alias)
    params = list(params)
    params[index] = _prepared(_cutoff(at), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
