"""Applicant and organiser views of applications: parse, ask permissions, call a service or query, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError, transaction
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from contest import phases
from contest.models import Edition
from contest.teryt import search_units

from . import exports, files, permissions, queries, receipts, services
from .forms import (
    ApplicationForm,
    AttachmentForm,
    ChecklistForm,
    DecisionForm,
    IndicatorFormSet,
    InviteForm,
    OrganiserFilterForm,
    PartnerForm,
    StartForm,
    UnitSearchForm,
)
from .models import Application, Attachment, Invitation, Partner, Status
from .uploads import HashingUploadHandler


def _application(request, pk, action="view"):
    """The application if the user may do `action` with it: 404 for strangers, 403 with a reason otherwise."""
    application = get_object_or_404(queries.application_detail(), pk=pk)
    permissions.require(request.user, action, application)
    return application


def _refuse(request, application, action):
    """For members: explain why the action is not possible and go back to the application."""
    allowed, reason = permissions.check(request.user, action, application)
    if allowed:
        return None
    if not permissions.can(request.user, "view", application):
        raise Http404
    messages.error(request, reason)
    return redirect("applications:detail", application.pk)


# --- applicant --------------------------------------------------------------------------------


@login_required
def dashboard(request):
    applications = list(queries.dashboard(request.user))
    open_editions = [e for e in Edition.objects.public().prefetch_related("categories") if phases.can_submit(e)]
    organised = list(Edition.objects.order_by("-year")) if permissions.can(request.user, "organise") else []
    return render(
        request,
        "applications/dashboard.html",
        {
            "applications": applications,
            "invitations": list(queries.pending_invitations(request.user)),
            "open_editions": open_editions,
            "organised_editions": organised,
        },
    )


@login_required
def start(request, year):
    edition = get_object_or_404(Edition.objects.public(), year=year)
    allowed, reason = permissions.check(request.user, "start", edition)
    if not allowed:
        messages.error(request, reason)
        return redirect("applications:dashboard")
    form = StartForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        application = services.start_application(edition, form.cleaned_data["category"], by=request.user)
        messages.success(request, _("Your draft is saved. Fill it in at your own pace; every save keeps your text."))
        return redirect("applications:edit", application.pk)
    return render(request, "applications/start.html", {"edition": edition, "form": form})


@login_required
def detail(request, pk):
    application = _application(request, pk)
    context = {
        "application": application,
        "can": permissions.actions_for(request.user, application),
        "problems": services.validate_for_submission(application) if application.is_editable else [],
        "invite_form": InviteForm(),
    }
    if permissions.can(request.user, "organise"):
        context["versions"] = application.versions.all()
        context["history"] = _history(application)
    return render(request, "applications/detail.html", context)


def _history(application):
    from django.contrib.contenttypes.models import ContentType

    from contest.models import AuditEvent

    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Application),
        target_id=str(application.pk),
        action="application.status",
    ).select_related("actor")


STASH_KEY = "applications-unsaved-{pk}"


def edit(request, pk):
    if not request.user.is_authenticated:
        # The session ended while the form was open: keep what was typed, ask to log in, give it back after.
        if request.method == "POST":
            request.session[STASH_KEY.format(pk=pk)] = {key: request.POST.getlist(key) for key in request.POST}
        return redirect_to_login(request.get_full_path())
    return _edit(request, pk)


def _edit(request, pk):
    application = _application(request, pk)
    refused = _refuse(request, application, "edit")
    if refused:
        return refused
    indicator_initial = [
        {"name": i.name, "baseline": i.baseline, "achieved": i.achieved, "source": i.source}
        for i in application.indicators.all()
    ]
    if request.method != "POST":
        stash = request.session.pop(STASH_KEY.format(pk=pk), None)
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
        return _render_edit(request, application, form, formset)

    form = ApplicationForm(request.POST, application=application)
    formset = IndicatorFormSet(request.POST, initial=indicator_initial, prefix="indicators")
    form.is_valid()
    formset.is_valid()
    if "version" not in form.cleaned_data:
        raise PermissionDenied(_("The form is incomplete; reload the page."))
    try:
        services.save_draft(
            application,
            form.draft_values(),
            by=request.user,
            expected_version=form.cleaned_data["version"],
            indicators=formset.rows(),
            declarations=form.accepted_declarations(),
        )
    except services.StaleVersion as error:
        return _render_edit(request, application, form, formset, conflict=error.message, status=409)
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
    has_errors = bool(form.errors) or any(f.errors for f in formset.forms)
    if has_errors:
        form.decorate()
        messages.warning(request, _("The draft is saved, except the fields marked below. Correct them and save again."))
        return _render_edit(request, application, form, formset, status=200)
    if request.POST.get("action") == "submit":
        return _submit(request, application)
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


@login_required
@require_POST
def submit(request, pk):
    application = _application(request, pk)
    return _submit(request, application)


def _submit(request, application):
    action = "submit"
    allowed, reason = permissions.check(request.user, action, application)
    if not allowed:
        messages.error(request, reason)
        return redirect("applications:detail", application.pk)
    verb = services.resubmit if application.status == Status.CORRECTIONS_REQUESTED else services.submit
    try:
        verb(application, by=request.user)
    except OperationalError as error:
        if "database is locked" not in str(error):
            raise
        # SQLite only: another write held the database longer than the busy timeout. Nothing was submitted.
        messages.error(
            request,
            _(
                "The server is busy and your application was not submitted yet. "
                "Nothing is lost: submit it again in a moment."
            ),
        )
        response = detail(request, application.pk)
        response.status_code = 503
        response["Retry-After"] = "5"
        return response
    except services.SubmissionInvalid as error:
        return render(
            request,
            "applications/check.html",
            {"application": application, "problems": error.problems},
            status=200,
        )
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect("applications:detail", application.pk)
    messages.success(
        request,
        _("Application submitted with the code %(code)s. A confirmation with a PDF receipt is on its way by e-mail.")
        % {"code": application.code},
    )
    return redirect("applications:detail", application.pk)


@login_required
def check(request, pk):
    """The list of what is still missing before submission, each item linked to its field."""
    application = _application(request, pk)
    return render(
        request,
        "applications/check.html",
        {"application": application, "problems": services.validate_for_submission(application)},
    )


@login_required
@require_POST
def withdraw(request, pk):
    application = _application(request, pk)
    refused = _refuse(request, application, "withdraw")
    if refused:
        return refused
    try:
        # No page sends a reason today; one sent by hand is checked like any text field (NUL, length).
        reason = forms.CharField(required=False, max_length=2000).clean(request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("applications:detail", application.pk)
    try:
        services.withdraw(application, by=request.user, reason=reason)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("applications:detail", application.pk)


@login_required
def receipt(request, pk):
    application = _application(request, pk, "receipt")
    response = HttpResponse(receipts.receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipts.receipt_filename(application)}"'
    return response


# --- partners ---------------------------------------------------------------------------------


@login_required
def partners(request, pk, partner_pk=None):
    application = _application(request, pk)
    refused = _refuse(request, application, "edit_partners")
    if refused:
        return refused
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
            services.save_partner(application, form.save(commit=False), by=request.user)
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


@login_required
@require_POST
def partner_delete(request, pk, partner_pk):
    application = _application(request, pk)
    refused = _refuse(request, application, "edit_partners")
    if refused:
        return refused
    partner = get_object_or_404(Partner, pk=partner_pk, application=application)
    services.delete_partner(application, partner, by=request.user)
    messages.success(request, _("Partner removed."))
    return redirect("applications:partners", application.pk)


@require_GET
@login_required
def terc_search(request):
    """JSON for the TERC autocomplete: [{code, label}]; a query the search box refuses gets 400 and the reason."""
    try:
        units = search_units(request.GET.get("q", ""), limit=15)
    except ValidationError as error:
        return JsonResponse({"results": [], "error": " ".join(error.messages)}, status=400)
    return JsonResponse({"results": [{"code": u.code, "label": u.label} for u in units]})


# --- attachments ------------------------------------------------------------------------------


@csrf_exempt
def attachments(request, pk):
    # Upload handlers must be set before anything reads the body, so CSRF is checked inside, not by middleware.
    request.upload_handlers = [HashingUploadHandler(request)]
    if request.method == "POST" and request.user.is_authenticated:
        too_big = _refuse_oversized_body(request, pk)
        if too_big:
            return too_big
    return _attachments(request, pk)


def _refuse_oversized_body(request, pk):
    """A body larger than every limit of the edition is refused before a byte of it is read or stored."""
    application = get_object_or_404(Application.objects.select_related("edition"), pk=pk)
    if not permissions.can(request.user, "view", application):
        raise Http404
    limits = [r.max_size_bytes for r in application.edition.attachment_requirements.all()]
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if limits and length > max(limits) + 1024 * 1024:
        messages.error(
            request,
            _("The file is too large: the largest attachment allowed is %(limit)s MB.")
            % {"limit": max(limits) // (1024 * 1024)},
        )
        return redirect("applications:attachments", pk)
    return None


@csrf_protect
@login_required
def _attachments(request, pk):
    application = _application(request, pk)
    if request.method == "POST":
        refused = _refuse(request, application, "edit_attachments")
        if refused:
            return refused
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
        except files.UploadRejected as rejected:
            form.add_error("file", str(rejected))
            form.decorate()
            status = 400
        except services.StorageUnavailable as unavailable:
            error = unavailable.message
            status = 503
        except services.ServiceError as failure:
            form.add_error("file", failure.message)
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


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    application = _application(request, pk)
    refused = _refuse(request, application, "edit_attachments")
    if refused:
        return refused
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    services.delete_attachment(application, attachment, by=request.user)
    messages.success(request, _("File deleted."))
    return redirect("applications:attachments", application.pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    application = _application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return files.serve_attachment(request, attachment)


@login_required
def attachments_zip(request, pk):
    application = _application(request, pk, "organise")
    return exports.attachments_zip_response(application)


# --- co-editors -------------------------------------------------------------------------------


@login_required
@require_POST
def invite(request, pk):
    application = _application(request, pk)
    refused = _refuse(request, application, "invite")
    if refused:
        return refused
    form = InviteForm(request.POST)
    if form.is_valid():
        services.invite_coeditor(application, form.cleaned_data["email"], by=request.user)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    else:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect("applications:detail", application.pk)


@login_required
def accept_invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("application"), token=token)
    if request.method == "POST":
        try:
            application = services.accept_invitation(invitation, user=request.user)
        except services.ServiceError as error:
            messages.error(request, error.message)
            return redirect("applications:dashboard")
        messages.success(request, _("You are now a co-editor of this application."))
        return redirect("applications:detail", application.pk)
    return render(request, "applications/invitation.html", {"invitation": invitation})


# --- organisers -------------------------------------------------------------------------------


def _organiser_edition(request, year):
    allowed, _reason = permissions.check(request.user, "organise")
    if not allowed:
        raise Http404
    return get_object_or_404(Edition, year=year)


def _filtered(request, edition):
    """The filter form and the applications it selects; a refused filter (e.g. a too long search) selects none."""
    form = OrganiserFilterForm(request.GET or None, edition=edition)
    filters = {}
    if form.is_bound and not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return form, queries.organiser_list(edition).none()
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "category": data["category"].pk if data.get("category") else None,
            "status": data.get("status") or None,
            "voivodeship": data.get("voivodeship") or None,
            "search": data.get("q") or "",
        }
    return form, queries.organiser_list(edition, **filters)


# Long enough to scan a category at a glance, short enough to render fast at thousands of entries.
ORGANISER_PAGE_SIZE = 100


@login_required
def organiser_list(request, year):
    edition = _organiser_edition(request, year)
    form, applications = _filtered(request, edition)
    page = Paginator(applications, ORGANISER_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "applications/organiser_list.html",
        {
            "edition": edition,
            "form": form,
            "applications": list(page.object_list),
            "page": page,
            "total": page.paginator.count,
            "query": filters.urlencode(),
        },
    )


@login_required
def organiser_export(request, year, fmt):
    edition = _organiser_edition(request, year)
    _form, applications = _filtered(request, edition)
    if fmt == "csv":
        return exports.csv_response(edition, applications)
    if fmt == "xlsx":
        return exports.xlsx_response(edition, applications)
    raise Http404


@login_required
def review(request, pk):
    application = _application(request, pk, "organise")
    can_review = permissions.can(request.user, "review", application)
    action = request.POST.get("action") if request.method == "POST" else None
    checklist = ChecklistForm(request.POST if action == "checklist" else None, application=application)
    decision = DecisionForm(request.POST if action == "decide" else None)
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied(permissions.check(request.user, "review", application)[1])
        if action == "checklist" and checklist.is_valid():
            services.record_checklist(application, checklist.answers(), by=request.user)
            messages.success(request, _("Checklist saved."))
            return redirect("applications:review", application.pk)
        if action == "decide" and decision.is_valid():
            try:
                with transaction.atomic():
                    _decide(application, decision.cleaned_data, request.user)
            except services.ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Decision recorded; the applicant has been notified by e-mail."))
                return redirect("applications:review", application.pk)
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "checklist": checklist,
            "decision": decision,
            "can_review": can_review,
            "history": _history(application),
            "versions": application.versions.all(),
        },
        status=400 if request.method == "POST" else 200,
    )


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


@login_required
def version_detail(request, pk, number):
    application = _application(request, pk)
    version = get_object_or_404(application.versions, number=number)
    return render(request, "applications/version.html", {"application": application, "version": version})
