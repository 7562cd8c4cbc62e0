"""Named querysets for the public pages, with their prefetching."""
from django.db.models import Prefetch

from .models import Edition
from .phases import Phase


def public_editions():
    return Edition.objects.public().order_by("-year")


def edition_with_setup(queryset=None):
    queryset = queryset if queryset is not None else public_editions()
    return queryset.prefetch_related("categories", "criteria", "attachment_requirements")


def current_edition(at=None):
    """The newest public edition whose call has been published (None if there is none)."""
    for edition in public_editions():
        if edition.phase(at) != Phase.DRAFT:
            return edition
    return None


def past_editions(current):
    queryset = public_editions()
    if current is not None:
        queryset = queryset.exclude(pk=current.pk)
    return [edition for edition in queryset if edition.phase() != Phase.DRAFT]
