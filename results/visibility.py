"""When results are public, as querysets: the SQL twin of contest.phases.results_visible, for every public surface
(pages, feeds, sitemap, open data, search, map). Nothing public reads PublishedEntry except through these."""

from datetime import timedelta

from django.db.models import Max
from django.db.models.functions import Greatest
from django.utils import timezone

from applications.models import Status
from contest.models import Edition
from contest.phases import _to_second

from .models import PublishedEntry


def public_result_editions(at=None):
    """Editions whose results are public at a moment: not drafts, results_at reached (to the second, as the phase
    function counts it) and not withdrawn."""
    cutoff = _to_second(at or timezone.now()) + timedelta(seconds=1)
    return Edition.objects.filter(is_draft=False, results_at__lt=cutoff, results_withdrawn_at__isnull=True)


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
