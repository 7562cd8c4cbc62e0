"""Named querysets for the public pages, with their prefetching."""
from django.utils import timezone

from . import setup_cache
from .models import Edition


def public_editions():
    return Edition.objects.public().order_by("-year")


def published_editions(at=None):
    """Public editions whose call has been published: exactly those not in the DRAFT phase (see phase_at)."""
    return public_editions().filter(call_published_at__lte=at or timezone.now())


def edition_with_setup(queryset=None):
    queryset = queryset if queryset is not None else published_editions()
    return queryset.prefetch_related("categories", "criteria", "attachment_requirements")


def current_edition(at=None):
    """The newest published edition with its set-up (None if there is none)."""
    return edition_with_setup(published_editions(at)).first()


def past_editions(current, at=None):
    queryset = published_editions(at)
    if current is not None:
        queryset = queryset.exclude(pk=current.pk)
    return queryset


def home_editions(at=None):
    """(the current edition with its set-up or None, the other published editions newest first), as
    current_edition() and past_editions() answer, from the set-up cache: only the moment is decided here."""
    at = at or timezone.now()
    editions = setup_cache.get_or_build(("public-editions",), lambda: list(edition_with_setup(public_editions())))
    published = [edition for edition in editions if edition.call_published_at <= at]
    return (published[0] if published else None), published[1:]
