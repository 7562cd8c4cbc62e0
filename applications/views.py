"""Applicant and organiser views of applications: parse, ask permissions, call a service or query, render."""

import hashlib
import logging
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from communications.kinds import MESSAGE_PLACEHOLDERS
from contest import audit, clause, phases
from contest.errors import DATABASE_INTERRUPTED, add_to_form, reported
from contest.models import Edition
from contest.teryt import search_units
from contest.validators import validate_no_contact_details
from results.applicant import attach_outcomes, feedback_for

from . import exports, files, formal_checks, organiser_queries, permissions, queries, receipts, services, tasks
from .forms import (
    ApplicantMessageForm,
    ApplicationForm,
    AttachmentForm,
    BulkActionForm,
    ChecklistForm,
    DecisionForm,
    IndicatorFormSet,
    InviteForm,
    OrganiserFilterForm,
    PartnerForm,
    StartForm,
    UnitSearchForm,
)
from .middleware import accepts_uploads
from .models import TRANSITIONS, Application, Attachment, CoEditorInvitation, Partner, Status
from .permissions import permission_required
from .standing import standing
from .uploads import HashingUploadHandler

logger = logging.getLogger(__name__)

# --- applicant --------------------------------------------------------------------------------


@login_required
def dashboard(request):
    applications = attach_outcomes(list(queries.dashboard(request.user)))
    open_editions = [e for e in Edition.objects.public() if phases.can_submit(e)]
    organised = list(Edition.objects.order_by("-year")) if permissions.can(request.user, "organise") else []
    # One section per edition the applicant can enter or has entered: where it stands, then their applications.
    editions = {e.pk: e for e in open_editions}
    for application in applications:
        editions.setdefault(application.edition_id, application.edition)
    sections = [
        {
            "edition": edition,
            "standing": standing(edition),
            "applications": [a for a in applications if a.edition_id == edition.pk],
        }
        for edition in sorted(editions.values(), key=lambda e: -e.year)
    ]
    return render(
        request,
        "applications/dashboard.html",
        {
            "applications": applications,
            "sections": sections,
            "invitations": list(queries.pending_invitations(request.user)),
            "organised_editions": organised,
        },
    )


@permission_required("start")
def start(request, edition):
    form = StartForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        application = services.start_application(edition, form.cleaned_data["category"], by=request.user)
        messages.success(request, _("Your draft is saved. Fill it in at your own pace; every save keeps your text."))
        return redirect("applications:edit", application.pk)
    return render(request, "applications/start.html", {"edition": edition, "form": form})


@permission_required("view")
def detail(request, application):
    attach_outcomes([application])
    context = {
        "application": application,
        "feedback": feedback_for(application),
        "can": permissions.actions_for(request.user, application),
        "problems": services.validate_for_submission(application) if application.is_editable else [],
        "invite_form": InviteForm(),
    }
    if permissions.can(request.user, "organise"):
        context["versions"] = application.versions.all()
        context["history"] = audit.history(application, action="application.status")
    return render(request, "applications/detail.html", context)


# What was typed when the session ended travels in a signed cookie, limited to the edit page: an anonymous
# request never creates a session row. Longer text than one cookie holds is shown back to copy instead.
STASH_COOKIE = "unsaved-{pk}"
STASH_SALT = "applications.edit.unsaved"
STASH_MAX_AGE = 24 * 60 * 60
STASH_MAX_BYTES = 3800
NOT_TYPED = {"csrfmiddlewaretoken"}


def edit(request, pk):
    if not request.user.is_authenticated:
        # The session ended while the form was open: keep what was typed, ask to log in, give it back after.
        response = redirect_to_login(request.get_full_path())
        if request.method == "POST":
            typed = {key: request.POST.getlist(key) for key in request.POST if key not in NOT_TYPED}
            stash = signing.dumps(typed, salt=f"{STASH_SALT}.{pk}", compress=True)
            if len(stash) > STASH_MAX_BYTES:
                return _typed_text_page(request, typed)
            response.set_cookie(
                STASH_COOKIE.format(pk=pk),
                stash,
                max_age=STASH_MAX_AGE,
                path=request.path,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
    return _edit(request, pk=pk)


def _typed_text_page(request, typed):
    """The session ended and the text is too long to keep: show it back, nothing stored anywhere."""
    labels = {name: field.label for name, field in ApplicationForm.base_fields.items()}
    indicator_labels = {name: field.label for name, field in IndicatorFormSet.form.base_fields.items()}
    texts = []
    for key, values in typed.items():
        value = "\n".join(v for v in values if v.strip())
        prefix, _dash, name = key.rpartition("-")
        label = labels.get(key) or (indicator_labels.get(name) if prefix.startswith("indicators-") else None)
        if value and label and key not in ("version", "category") and not key.startswith("declaration_"):
            texts.append((label, value))
    return render(
        request,
        "applications/session_ended.html",
        {"texts": texts, "login_url": redirect_to_login(request.get_full_path())["Location"]},
    )


def _take_stash(request, pk):
    """What was typed before the last login, if this browser carries it; None otherwise."""
    value = request.COOKIES.get(STASH_COOKIE.format(pk=pk))
    if not value:
        return None
    try:
        return signing.loads(value, salt=f"{STASH_SALT}.{pk}", max_age=STASH_MAX_AGE)
    except signing.BadSignature:
        return None


@permission_required("edit")
def _edit(request, application):
    pk = application.pk
    indicator_initial = [
        {"name": i.name, "baseline": i.baseline, "achieved": i.achieved, "source": i.source}
        for i in application.indicators.all()
    ]
    if request.method != "POST":
        stash = _take_stash(request, pk)
        if stash:
            data = QueryDict(mutable=True)
            for key, values in stash.items():
                data.setlist(key, values)
            data["version"] = data.get("version") or application.version
            messages.warning(
                request,
                _(
                    "Your session ended before the save. The text you typed is below and is "
                    "not saved yet: check it and save the draft."
                ),
            )
            form = ApplicationForm(data, application=application)
            formset = IndicatorFormSet(data, initial=indicator_initial, prefix="indicators")
            form.is_valid()
            formset.is_valid()
            form.decorate()
        else:
            form = ApplicationForm(application=application)
            formset = IndicatorFormSet(initial=indicator_initial, prefix="indicators")
        response = _render_edit(request, application, form, formset)
        if STASH_COOKIE.format(pk=pk) in request.COOKIES:
            response.delete_cookie(STASH_COOKIE.format(pk=pk), path=request.path, samesite="Lax")
        return response

    form = ApplicationForm(request.POST, application=application)
    formset = IndicatorFormSet(request.POST, initial=indicator_initial, prefix="indicators")
    form.is_valid()
    # Indicators are replaced as a whole, so they change only when every row is valid: a row with an error or a
    # POST without the formset's management form leaves the saved indicators as they are.
    indicators_valid = formset.is_valid()
    indicators_missing = not formset.management_form.is_valid()
    if "version" not in form.cleaned_data:
        return HttpResponseBadRequest(_("The form is incomplete; reload the page."))
    try:
        services.save_draft(
            application,
            form.draft_values(),
            by=request.user,
            expected_version=form.cleaned_data["version"],
            indicators=formset.rows() if indicators_valid else None,
            declarations=form.accepted_declarations(),
        )
    except services.StaleVersion as error:
        return _render_edit(request, application, form, formset, conflict=error.message, status=409)
    if indicators_missing:
        # Nothing of the indicators arrived: show the saved ones again rather than an empty, broken formset.
        formset = IndicatorFormSet(initial=indicator_initial, prefix="indicators")
    # The draft is saved; from here on only what is still wrong is reported, with the typed text kept.
    form.data = form.data.copy()
    form.data["version"] = application.version
    limit = application.edition.summary_max_length
    if len(form.cleaned_data.get("summary") or "") > limit:
        form.add_error(
            "summary",
            _("The summary is longer than %(limit)s characters (now %(n)s).")
            % {"limit": limit, "n": len(form.cleaned_data["summary"])},
        )
    if indicators_missing:
        form.decorate()
        messages.error(
            request,
            _(
                "The result indicators were missing from the form you sent, so they were not changed. The rest of "
                "the draft is saved; check the indicators below and save again."
            ),
        )
        return _render_edit(request, application, form, formset, status=400)
    if not indicators_valid:
        form.decorate()
        messages.error(
            request,
            _(
                "The result indicators were not saved: correct the indicator marked below and save again. "
                "The rest of the draft is saved, except any other fields marked."
            ),
        )
        return _render_edit(request, application, form, formset, status=200)
    if form.errors:
        form.decorate()
        messages.warning(request, _("The draft is saved, except the fields marked below. Correct them and save again."))
        return _render_edit(request, application, form, formset, status=200)
    if request.POST.get("action") == "submit":
        # The last click is on the review page, after the applicant has seen everything together.
        messages.success(request, _("Draft saved. Check everything below, then submit."))
        return redirect("applications:submit", application.pk)
    messages.success(request, _("Draft saved."))
    return redirect(reverse("applications:edit", args=[application.pk]))


def _render_edit(request, application, form, formset, *, conflict="", problems=None, status=200):
    return render(
        request,
        "applications/edit.html",
        {
            "application": application,
            "form": form,
            "formset": formset,
            "conflict": conflict,
            "problems": problems or [],
            "can": permissions.actions_for(request.user, application),
        },
        status=status,
    )


@permission_required("submit")
def submit(request, application):
    """GET: the review page (everything entered, what is missing, the declarations), POST: the final click."""
    if request.method == "POST":
        return _submit(request, application)
    return _render_submit_review(request, application, services.validate_for_submission(application))


def _render_submit_review(request, application, problems, status=200):
    from . import declarations as declaration_texts

    accepted = {d.kind: d for d in application.declarations.all()}
    declarations = [
        {
            "kind": kind,
            "label": label,
            "text": accepted[kind].text if kind in accepted else declaration_texts.current(kind)[1],
            "accepted": accepted.get(kind),
        }
        for kind, label in application.declarations.model.Kind.choices
    ]
    return render(
        request,
        "applications/submit_review.html",
        {
            "application": application,
            "problems": problems,
            "declarations": declarations,
            "can": permissions.actions_for(request.user, application),
        },
        status=status,
    )


def _submit(request, application):
    refused = permissions.refusal(request, "submit", application)
    if refused:
        return refused
    if clause.changed_since_shown(request.POST):
        # The consent would record a clause the applicant never saw: show the current one and let them submit again.
        messages.error(request, clause.changed_message())
        return redirect("applications:submit", application.pk)  # the review page, with the current clause
    try:
        services.submit(application, by=request.user)
    except DATABASE_INTERRUPTED:
        # The connection was lost, or (SQLite) another write held the database longer than the busy timeout: the
        # transaction was rolled back, so nothing was submitted and no code was given.
        logger.warning("Submission of application %s interrupted by the database", application.pk, exc_info=True)
        messages.error(
            request,
            _(
                "The server is busy and your application was not submitted yet. "
                "Nothing is lost: submit it again in a moment."
            ),
        )
        response = detail(request, pk=application.pk)
        response.status_code = 503
        response["Retry-After"] = "5"
        return response
    except services.SubmissionInvalid as error:
        return _render_submit_review(request, application, error.problems)
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect("applications:detail", application.pk)
    messages.success(
        request,
        _("Application submitted with the code %(code)s. A confirmation with a PDF receipt is on its way by e-mail.")
        % {"code": application.code},
    )
    return redirect("applications:detail", application.pk)


@permission_required("view")
def check(request, application):
    """The list of what is still missing before submission, each item linked to its field."""
    return render(
        request,
        "applications/check.html",
        {"application": application, "problems": services.validate_for_submission(application)},
    )


@permission_required("withdraw")
def withdraw(request, application):
    """GET: the confirmation page saying that withdrawing cannot be undone; POST: withdraw."""
    if request.method != "POST":
        return render(request, "applications/withdraw.html", {"application": application})
    try:
        # No page sends a reason today; one sent by hand is checked like any text field (NUL, length).
        reason = forms.CharField(required=False, max_length=2000, validators=[validate_no_contact_details]).clean(
            request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("applications:detail", application.pk)
    with reported(request, _("The application has been withdrawn.")):
        services.withdraw(application, by=request.user, reason=reason)
    return redirect("applications:detail", application.pk)


@permission_required("reopen")
def reopen(request, application):
    """GET: what reopening means (a draft again until submitted anew, before the deadline); POST: reopen."""
    if request.method != "POST":
        return render(request, "applications/reopen.html", {"application": application})
    with reported(
        request,
        _(
            "The application is open for changes again and keeps its code %(code)s. It is a draft until you submit "
            "it again before the deadline."
        )
        % {"code": application.code},
    ) as outcome:
        services.reopen(application, by=request.user)
    return redirect("applications:detail" if outcome.refused else "applications:edit", application.pk)


@permission_required("receipt")
def receipt(request, application):
    response = HttpResponse(receipts.receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipts.receipt_filename(application)}"'
    return response


# --- partners ---------------------------------------------------------------------------------


@permission_required("edit_partners")
def partners(request, application, partner_pk=None):
    partner = (
        get_object_or_404(Partner, pk=partner_pk, application=application)
        if partner_pk
        else Partner(application=application)
    )
    search_form = UnitSearchForm(request.POST or request.GET or None)
    unit_choices = []
    if request.method == "POST" and request.POST.get("action") == "search":
        # Without JavaScript: search the register, show the matches, keep what was typed in the partner form.
        if search_form.is_valid():
            unit_choices = search_units(search_form.cleaned_data["unit_query"])
        form = PartnerForm(initial=request.POST.dict(), instance=partner)
    elif request.method == "POST":
        form = PartnerForm(request.POST, instance=partner)
        if form.is_valid():
            try:
                services.save_partner(application, form.save(commit=False), by=request.user)
            except services.ServiceError as error:
                messages.error(request, error.message)
                return redirect("applications:detail", application.pk)
            messages.success(request, _("Partner saved."))
            return redirect("applications:partners", application.pk)
    else:
        form = PartnerForm(instance=partner)
    return render(
        request,
        "applications/partners.html",
        {
            "application": application,
            "form": form,
            "search_form": search_form,
            "unit_choices": unit_choices,
            "editing": partner,
            "partners": application.partners.all(),
        },
    )


@permission_required("edit_partners")
@require_POST
def partner_delete(request, application, partner_pk):
    partner = get_object_or_404(Partner, pk=partner_pk, application=application)
    with reported(request, _("Partner removed.")) as outcome:
        services.delete_partner(application, partner, by=request.user)
    return redirect("applications:detail" if outcome.refused else "applications:partners", application.pk)


@login_required
@require_GET
def terc_search(request):
    """JSON for the TERC autocomplete: [{code, label}]; a query the search box refuses gets 400 and the reason."""
    try:
        units = search_units(request.GET.get("q", ""), limit=15)
    except ValidationError as error:
        return JsonResponse({"results": [], "error": " ".join(error.messages)}, status=400)
    return JsonResponse({"results": [{"code": u.code, "label": u.label} for u in units]})


# --- attachments ------------------------------------------------------------------------------


def _largest_attachment(request, pk):
    """For the upload guard: the largest file this application's edition accepts (404 for strangers)."""
    application = get_object_or_404(Application.objects.select_related("edition"), pk=pk)
    if not permissions.can(request.user, "view", application):
        raise Http404
    largest_mb = application.edition.attachment_requirements.aggregate(largest=Max("max_size_mb"))["largest"]
    return largest_mb * 1024 * 1024 if largest_mb else None


@accepts_uploads(limit=_largest_attachment)
@csrf_exempt
def attachments(request, pk):
    # Upload handlers must be set before anything reads the body, so CSRF is checked inside, not by middleware.
    request.upload_handlers = [HashingUploadHandler(request)]
    return _guarded_attachments(request, pk=pk)


@permission_required("view", post="edit_attachments")
def _guarded_attachments(request, application):
    # The permission check reads no body; the size guard in the middleware ran before it, on the headers alone.
    return _attachments(request, application)


@csrf_protect
def _attachments(request, application):
    pk = application.pk
    form = AttachmentForm(request.POST or None, request.FILES or None, application=application)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        replace = None
        if form.cleaned_data.get("replace"):
            replace = get_object_or_404(Attachment, pk=form.cleaned_data["replace"], application=application)
        try:
            attachment = services.add_attachment(
                application,
                form.cleaned_data["requirement"],
                form.cleaned_data["file"],
                by=request.user,
                replace=replace,
            )
        except services.StorageUnavailable as unavailable:
            error = unavailable.message
            status = 503
        except services.ServiceError as failure:
            add_to_form(form, failure, "file")
            form.decorate()
            status = 400
        else:
            messages.success(request, _("File “%(name)s” uploaded.") % {"name": attachment.original_name})
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse({"ok": True, "redirect": reverse("applications:attachments", args=[pk])})
            return redirect("applications:attachments", application.pk)
    elif request.method == "POST":
        status = 400
    application = queries.application_detail().get(pk=application.pk)
    requirements = [
        (r, [a for a in application.attachments.all() if a.requirement_id == r.pk])
        for r in application.edition.attachment_requirements.all()
    ]
    return render(
        request,
        "applications/attachments.html",
        {
            "application": application,
            "form": form,
            "requirements": requirements,
            "storage_error": error,
            "can_edit": permissions.can(request.user, "edit_attachments", application),
        },
        status=status,
    )


@permission_required("edit_attachments")
@require_POST
def attachment_delete(request, application, attachment_pk):
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    with reported(request, _("File deleted.")):
        services.delete_attachment(application, attachment, by=request.user)
    return redirect("applications:attachments", application.pk)


@permission_required("view")
def attachment_download(request, application, attachment_pk):
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    try:
        return files.serve_attachment(request, attachment)
    except files.StorageUnavailable as unavailable:
        response = HttpResponse(unavailable.message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "60"
        return response


@permission_required("organise")
def attachments_zip(request, application):
    return exports.attachments_zip_response(application)


# --- co-editors -------------------------------------------------------------------------------


@permission_required("invite")
def invite(request, application):
    """The coordinator's page of co-editors: invite by e-mail, see what was sent, withdraw a waiting invitation."""
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.invite_coeditor(application, form.cleaned_data["email"], by=request.user)
            except services.TooManyInvitations as error:
                add_to_form(form, error, "email")
                status = 429
            except services.ServiceError as error:
                add_to_form(form, error, "email")
                status = 400
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
                return redirect("applications:invite", application.pk)
        else:
            status = 400
        form.decorate()
    return render(
        request,
        "applications/invite.html",
        {
            "application": application,
            "form": form,
            "invitations": application.invitations.all(),
            "invitation_days": services.INVITATION_DAYS,
            "max_pending": services.MAX_PENDING_INVITATIONS_PER_APPLICATION,
        },
        status=status,
    )


@permission_required("invite")
@require_POST
def revoke_invitation(request, application, invitation_pk):
    invitation = get_object_or_404(CoEditorInvitation, pk=invitation_pk, application=application)
    withdrawn = _("The invitation to %(email)s is withdrawn; its link no longer works.") % {"email": invitation.email}
    with reported(request, withdrawn):
        services.revoke_invitation(invitation, by=request.user)
    return redirect("applications:invite", application.pk)


@login_required
def accept_invitation(request, token):
    """The link from the e-mail: an unusable link (unknown, expired, withdrawn, used) gets a page saying why."""
    try:
        invitation = services.find_invitation(token)
    except services.ServiceError as error:
        return render(request, "applications/invitation.html", {"error": error.message}, status=410)
    if request.method == "POST":
        return _accept(request, invitation)
    return render(request, "applications/invitation.html", {"invitation": invitation})


@login_required
@require_POST
def accept_pending_invitation(request, invitation_pk):
    """From the dashboard: the invitation was sent to this account's address, so the link is not needed."""
    invitation = get_object_or_404(CoEditorInvitation, pk=invitation_pk, email__iexact=request.user.email)
    return _accept(request, invitation)


def _accept(request, invitation):
    with reported(request, _("You are now a co-editor of this application.")) as outcome:
        application = services.accept_invitation(invitation, user=request.user)
    if outcome.refused:
        return redirect("applications:dashboard")
    return redirect("applications:detail", application.pk)


# --- organisers -------------------------------------------------------------------------------


def _filtered(request, edition, params=None):
    """The filter form, the sort order and the applications they select (by `params`, the request's query string by
    default); a refused filter (e.g. a too long search) selects none. The sort parameter is looked up in a
    whitelist: anything else is the default order."""
    params = request.GET if params is None else params
    form = OrganiserFilterForm(params or None, edition=edition)
    sort_by, descending = organiser_queries.parse_sort(params.get("sort"))
    filters = {}
    if form.is_bound and not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return form, (sort_by, descending), queries.organiser_list(edition).none()
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "category": data["category"].pk if data.get("category") else None,
            "status": data.get("status") or None,
            "voivodeship": data.get("voivodeship") or None,
            "search": data.get("q") or "",
        }
    return (
        form,
        (sort_by, descending),
        organiser_queries.organiser_list(edition, sort_by=sort_by, descending=descending, **filters),
    )


# Long enough to scan a category at a glance, short enough to render fast at thousands of entries.
ORGANISER_PAGE_SIZE = 100
# What a row of the list reads of an application (its leader comes from the prefetched partners).
ORGANISER_ROW_FIELDS = ("edition_id", "code", "title", "status", "sequence", "submitted_at", "category__name")
# The list's columns: (sort key, heading); every key is one of organiser_queries.SORTS.
ORGANISER_COLUMNS = [
    ("code", gettext_lazy("Code")),
    ("title", gettext_lazy("Title")),
    ("leader", gettext_lazy("Leader")),
    ("voivodeship", gettext_lazy("Voivodeship")),
    ("category", gettext_lazy("Category")),
    ("status", gettext_lazy("Status")),
    ("submitted", gettext_lazy("Submitted")),
]


def _sort_headers(request, sort_by, descending):
    """(label, aria-sort value or "", the address that sorts by the column: the other way round for the current
    one)."""
    params = request.GET.copy()
    params.pop("page", None)
    headers = []
    for key, label in ORGANISER_COLUMNS:
        current = key == sort_by
        params["sort"] = f"-{key}" if current and not descending else key
        state = ("descending" if descending else "ascending") if current else ""
        headers.append((label, state, "?" + params.urlencode()))
    return headers


@permission_required("organise")
def organiser_list(request, edition):
    form, (sort_by, descending), applications = _filtered(request, edition)
    # The rows show a few columns, not the entry's texts (the exports read those, from the same filter).
    applications = applications.select_related(None).select_related("category").only(*ORGANISER_ROW_FIELDS)
    page = Paginator(applications, ORGANISER_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    if sort_by == organiser_queries.DEFAULT_SORT and not descending:
        filters.pop("sort", None)
    else:
        filters["sort"] = f"-{sort_by}" if descending else sort_by
    voivodeships = dict(form.fields["voivodeship"].choices)
    rows = []
    for application in page.object_list:
        leader = application.leader
        woj = leader.territorial_unit.woj if leader and leader.territorial_unit_id else ""
        rows.append((application, leader, voivodeships.get(woj, "") if woj else ""))
    return render(
        request,
        "applications/organiser_list.html",
        {
            "edition": edition,
            "form": form,
            "rows": rows,
            "page": page,
            "total": page.paginator.count,
            "query": filters.urlencode(),
            "sort": filters.get("sort", ""),
            "headers": _sort_headers(request, sort_by, descending),
            "bulk": organiser_bulk_form(edition),
        },
    )


@permission_required("organise")
def organiser_export(request, edition, fmt):
    _form, _sort, applications = _filtered(request, edition)
    if fmt == "csv":
        return exports.csv_response(edition, applications)
    if fmt == "xlsx":
        return exports.xlsx_response(edition, applications)
    raise Http404


def organiser_bulk_form(edition, data=None):
    return BulkActionForm(data, edition=edition)


@permission_required("organise")
@require_POST
def organiser_bulk(request, edition):
    """Accept the selected applications, or export the selection. Accepting asks for a confirmation first (posted
    back with confirmed=1); each acceptance goes through the one service and is checked on its own; entries that
    cannot be accepted are skipped and named with the reason."""
    form = organiser_bulk_form(edition, request.POST)
    back = reverse("applications:organiser_list", args=[edition.year])
    kept = QueryDict(str(form.data.get("back", "")).lstrip("?")).urlencode()  # re-encoded: nothing else is kept
    if kept:
        back += "?" + kept
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect(back)
    action = form.cleaned_data["action"]
    if action == "message":
        return _message_page(request, edition, ApplicantMessageForm(initial={"ids": form.cleaned_data["ids"]}))
    selected = list(organiser_queries.selection(edition, form.cleaned_data["ids"]))
    if action in ("csv", "xlsx"):
        respond = exports.csv_response if action == "csv" else exports.xlsx_response
        return respond(edition, selected)
    if request.POST.get("confirmed") != "1":
        # As the single formal review: an acceptance e-mails the applicant and cannot be taken back here, so the
        # organiser sees which entries it would reach before anything changes.
        acceptable = [a for a in selected if _may_accept(a) and permissions.can(request.user, "review", a)]
        return render(
            request,
            "applications/bulk_confirm.html",
            {
                "edition": edition,
                "acceptable": acceptable,
                "others": [a for a in selected if a not in acceptable],
                "ids": form.cleaned_data["ids"],
                "back": back,
                "back_query": "?" + kept if kept else "",
            },
        )
    accepted, skipped = [], []
    for application in selected:
        allowed, reason = permissions.check(request.user, "review", application)
        if not allowed:
            skipped.append((application, reason))
            continue
        try:
            services.accept(application, by=request.user)
        except services.ServiceError as error:
            skipped.append((application, error.message))
        else:
            accepted.append(application)
    if accepted:
        messages.success(
            request,
            ngettext(
                "Accepted formally: %(codes)s. The applicant has been notified by e-mail.",
                "Accepted formally: %(codes)s. The applicants have been notified by e-mail.",
                len(accepted),
            )
            % {"codes": ", ".join(a.code for a in accepted)},
        )
    for application, reason in skipped:
        messages.warning(
            request,
            _("Skipped %(entry)s (%(status)s): %(reason)s")
            % {
                "entry": application.code or application.title or _("a draft"),
                "status": application.get_status_display(),
                "reason": reason,
            },
        )
    return redirect(back)


def _message_scope(request, edition, form):
    """The applications a message form is about: the ticked ones, or those the list's filters select."""
    data = form.cleaned_data if form.is_bound else form.initial
    if data.get("ids"):
        return organiser_queries.selection(edition, data["ids"]).prefetch_related("editors")
    params = QueryDict(str(data.get("filters") or ""))
    _form, _sort, applications = _filtered(request, edition, params)
    ids = list(applications.values_list("pk", flat=True))
    return (
        Application.objects.filter(edition=edition, pk__in=ids)
        .select_related("owner", "edition")
        .prefetch_related("editors")
        .order_by("pk")
    )


def _message_page(request, edition, form, *, status=200):
    # A refused text keeps the fields that passed: the page still says whom the message is for.
    applications = list(_message_scope(request, edition, form))
    filters = (form.cleaned_data if form.is_bound else form.initial).get("filters") or ""
    context = {
        "edition": edition,
        "form": form,
        "applications": len(applications),
        "addresses": len({a.strip().lower() for app in applications for a in tasks.recipients(app)}),
        "placeholders": MESSAGE_PLACEHOLDERS,
        "back": reverse("applications:organiser_list", args=[edition.year]) + (f"?{filters}" if filters else ""),
    }
    return render(request, "applications/message.html", context, status=status)


def _message_scope_digest(applications):
    """A short digest of which applications a message reaches, carried by its confirmation page."""
    return hashlib.sha256(",".join(str(pk) for pk in sorted(a.pk for a in applications)).encode()).hexdigest()[:32]


@permission_required("organise")
def organiser_message(request, edition):
    """Write to the applicants of the ticked applications (from the list's bulk action) or of the filtered list
    (GET with the list's filters). Writing, then a confirmation naming how many applications and addresses it
    reaches (posted back with confirmed=1), then one task per application."""
    if request.method != "POST":
        filters = request.GET.copy()
        filters.pop("page", None)
        return _message_page(request, edition, ApplicantMessageForm(initial={"filters": filters.urlencode()}))
    form = ApplicantMessageForm(request.POST)
    if not form.is_valid():
        return _message_page(request, edition, form, status=400)
    if request.POST.get("edit"):
        return _message_page(request, edition, form)
    applications = list(_message_scope(request, edition, form))
    scope = _message_scope_digest(applications)
    confirmed = request.POST.get("confirmed") == "1" and form.cleaned_data["token"] is not None
    if confirmed and form.cleaned_data["scope"] != scope:
        # The filtered list is read again at sending: what it selects now is confirmed again, not sent unseen.
        messages.warning(request, _("The list has changed since the confirmation: check whom the message reaches."))
        confirmed = False
    if not confirmed:
        return render(
            request,
            "applications/message_confirm.html",
            {
                "edition": edition,
                "form": form,
                "applications": len(applications),
                "addresses": len({a.strip().lower() for app in applications for a in tasks.recipients(app)}),
                "scope": scope,
                "token": form.cleaned_data["token"] or uuid.uuid4(),
            },
        )
    with reported(request) as outcome:
        services.message_applicants(
            edition,
            applications,
            by=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            token=form.cleaned_data["token"],
        )
    if not outcome.refused:
        messages.success(
            request,
            ngettext(
                "The message is on its way to the applicants of %(n)s application.",
                "The message is on its way to the applicants of %(n)s applications.",
                len(applications),
            )
            % {"n": len(applications)},
        )
    return redirect("applications:organiser_list", edition.year)


@permission_required("organise", post="review")
def review(request, application):
    """The formal review: one form for the checklist and the decision (action "review"; "checklist" and "decide"
    post one part only). Accepting asks for a confirmation first."""
    can_review = permissions.can(request.user, "review", application)
    action = request.POST.get("action") if request.method == "POST" else None
    with_checklist = action in ("review", "checklist")
    with_decision = action in ("review", "decide")
    checks = formal_checks.system_checks(application)
    checklist = ChecklistForm(request.POST if with_checklist else None, application=application, checks=checks)
    decision = DecisionForm(request.POST if with_decision else None, optional=action != "decide")
    if request.method == "POST" and (with_checklist or with_decision):
        valid = (not with_checklist or checklist.is_valid()) and (not with_decision or decision.is_valid())
        chosen = decision.cleaned_data.get("decision") if with_decision and valid else ""
        if valid and chosen == "accept" and request.POST.get("confirmed") != "1" and _may_accept(application):
            kept = [(k, v) for k, values in request.POST.lists() if k != "csrfmiddlewaretoken" for v in values]
            return render(
                request,
                "applications/review_confirm.html",
                {
                    "application": application,
                    "kept": kept,
                    "facts": organiser_queries.formal_facts(application, checks),
                },
            )
        if valid:
            try:
                with transaction.atomic():
                    if with_checklist:
                        services.record_checklist(
                            application,
                            checklist.answers(),
                            by=request.user,
                            checks=checks,
                            expected_version=request.POST.get("checklist_version"),
                        )
                    if chosen:
                        _decide(application, decision.cleaned_data, request.user)
            except services.ServiceError as error:
                messages.error(request, error.message)
            else:
                if chosen:
                    messages.success(request, _("Decision recorded; the applicant has been notified by e-mail."))
                else:
                    messages.success(request, _("Checklist saved."))
                return redirect("applications:review", application.pk)
    previous, following = organiser_queries.neighbours(application)
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "checklist": checklist,
            "decision": decision,
            "can_review": can_review,
            "facts": organiser_queries.formal_facts(application, checks),
            "history": audit.history(application, action="application.status"),
            "versions": application.versions.all(),
            "previous": previous,
            "next": following,
        },
        status=400 if request.method == "POST" else 200,
    )


def _may_accept(application):
    """Whether an acceptance could go through (else the service's refusal is shown at once, with no confirmation)."""
    return Status.ACCEPTED in TRANSITIONS[Status(application.status)]


def _decide(application, data, by):
    decision = data["decision"]
    if decision == "accept":
        services.accept(application, by=by, reason=data.get("reason", ""))
    elif decision == "reject":
        services.reject(application, by=by, reason=data["reason"])
    else:
        services.request_corrections(
            application, by=by, deadline=data["deadline"], fields=data["fields_to_correct"], note=data["reason"]
        )


@permission_required("view")
def version_detail(request, application, number):
    version = get_object_or_404(application.versions, number=number)
    return render(request, "applications/version.html", {"application": application, "version": version})
