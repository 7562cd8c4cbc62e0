"""When results are public, as querysets: the SQL twin of contest.phases.results_visible, for every public surface
(pages, feeds, sitemap, open data, search, map). Nothing public reads PublishedEntry except through these."""

from datetime import timedelta

from django.utils import timezone

from contest.models import Edition
from contest.phases import _to_second

from .models import PublishedEntry


def public_result_editions(at=None):
    """Editions whose results are public at a moment: not drafts, results_at reached (to the second, as the phase
    function counts it) and not withdrawn."""
    cutoff = _to_second(at or timezone.now()) + timedelta(seconds=1)
    return Edition.objects.filter(is_draft=False, results_at__lt=cutoff, results_withdrawn_at__isnull=True)


def public_entries(at=None):
    return PublishedEntry.objects.filter(edition__in=public_result_editions(at))
