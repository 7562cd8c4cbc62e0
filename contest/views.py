"""Public pages: the call of the current edition, any public edition, the rules document."""
import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from .queries import current_edition, edition_with_setup, past_editions, published_editions


def _visible_edition_or_404(year):
    """Drafts and editions whose call is not yet published answer 404, as if they did not exist."""
    return get_object_or_404(edition_with_setup(), year=year)


def home(request):
    edition = current_edition()
    return render(
        request,
        "contest/home.html",
        {"edition": edition, "past_editions": past_editions(edition)},
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
