"""The organisers' Communications pages of an edition: the e-mails' texts (edit, preview, restore the default) and
the log of sent e-mails. Thin: the verbs are communications.services."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import services
from .forms import LogFilterForm, TextForm
from .kinds import PLACEHOLDERS, Kind
from .models import EmailTemplate, SentEmail
from .permissions import permission_required

LOG_PAGE_SIZE = 50


def _languages():
    return [(code, str(name)) for code, name in settings.LANGUAGES]


@permission_required("communicate")
@require_GET
def index(request, edition):
    edited = set(EmailTemplate.objects.filter(edition=edition).values_list("kind", "language"))
    rows = [(kind, [(code, name, (kind.value, code) in edited) for code, name in _languages()]) for kind in Kind]
    return render(request, "communications/index.html", {"edition": edition, "rows": rows})


@permission_required("communicate")
def edit(request, edition, kind, language):
    if kind not in Kind.values or language not in dict(settings.LANGUAGES):
        raise Http404
    kind = Kind(kind)
    allowed = PLACEHOLDERS[kind]
    action = request.POST.get("action", "save")
    # The version of the text the page was drawn from; a page without one (an older form) is not checked.
    expected = request.POST.get("version")
    if request.method == "POST" and action == "restore":
        try:
            if services.restore_default(edition, kind, language, by=request.user, expected_version=expected):
                messages.success(request, _("The default text is used again."))
        except services.StaleText as error:
            messages.error(request, str(error))
        return redirect("communications:edit", edition.year, kind.value, language)
    subject, body, edited, version = services.current(edition, kind, language)
    form = TextForm(request.POST or None, initial={"subject": subject, "body": body}, allowed=allowed)
    preview = None
    stale = False
    if request.method == "POST" and form.is_valid():
        if action == "preview":
            preview = services.preview(edition, kind, language, form.cleaned_data["subject"], form.cleaned_data["body"])
        else:
            try:
                services.save_template(
                    edition, kind, language, by=request.user, expected_version=expected, **form.cleaned_data
                )
            except services.StaleText as error:
                messages.error(request, str(error))
                stale = True
            else:
                messages.success(request, _("The text of the e-mail is saved."))
                return redirect("communications:edit", edition.year, kind.value, language)
    context = {
        "edition": edition,
        "kind": kind,
        "language": language,
        "language_name": dict(_languages())[language],
        "form": form,
        "placeholders": allowed,
        "edited": edited,
        "preview": preview,
        # A preview or a refused form keeps the version the page was drawn from; after a save refused as stale the
        # page carries the stored text's, so saving again replaces the other text, knowingly.
        "version": version if stale or expected is None else expected,
    }
    status = 409 if stale else 400 if form.errors else 200
    return render(request, "communications/edit.html", context, status=status)


@permission_required("communicate")
@require_GET
def log(request, edition):
    form = LogFilterForm(request.GET or None)
    emails = SentEmail.objects.filter(edition=edition).order_by("-at", "-pk")
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if status:
        emails = emails.filter(status=status)
    page = Paginator(emails, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(Kind.choices)
    for email in page:
        email.kind_label = kinds.get(email.kind, "")
    query = urlencode({"status": status}) if status else ""
    return render(request, "communications/log.html", {"edition": edition, "form": form, "page": page, "query": query})
