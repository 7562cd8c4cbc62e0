"""A person's data-rights page (download, erasure request) and the organisers' list of erasure requests. Thin: the
verbs are privacy.services, what an erasure would do is privacy.plan."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import recent_authentication_required, refuse
from applications.files import serve_file
from contest.errors import add_to_form, reported

from . import services
from .forms import ApproveForm, ErasureRequestForm, RefuseForm
from .models import DataExport, ErasureRequest
from .permissions import check, permission_required, staff_gate
from .plan import plan_for


@require_GET
@permission_required("own")
def overview(request):
    user = request.user
    return render(
        request,
        "privacy/overview.html",
        {
            "exports": DataExport.objects.filter(user=user)[:10],
            "pending_erasure": ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).first(),
            "erasures": ErasureRequest.objects.filter(user=user)[:10],
            "export_days": services.export_days(),
        },
    )


@require_POST
@permission_required("own")
def request_export(request):
    with reported(request, _("We are preparing your data. You will get an e-mail with the link when it is ready.")):
        services.request_export(request.user)
    return redirect("privacy:overview")


@require_GET
def download(request, public_id):
    session = staff_gate(request, "download")
    if session is not None:
        return refuse(request, session)
    export = DataExport.objects.filter(public_id=public_id).first()
    verdict = check(request.user, "download", export)
    if not verdict:
        return refuse(request, verdict)
    if export.status == DataExport.Status.PENDING:
        return render(request, "privacy/download_unavailable.html", {"export": export, "pending": True}, status=404)
    if export.is_expired() or not export.file:
        if export.status != DataExport.Status.EXPIRED:
            services.expire_export(export)
        return render(request, "privacy/download_unavailable.html", {"export": export}, status=410)
    try:
        return serve_file(
            export.file,
            filename=services.collect.zip_name(request.user, export.ready_at or export.requested_at),
            content_type="application/zip",
        )
    except OSError:
        return render(request, "privacy/download_unavailable.html", {"export": export}, status=410)


@permission_required("own")
@recent_authentication_required
def request_erasure(request):
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_erasure(request.user)
        except services.PrivacyError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request has been sent. The organisers answer within a month and tell you the outcome "
                    "by e-mail."
                ),
            )
            return redirect("privacy:overview")
    pending = ErasureRequest.objects.filter(user=request.user, status=ErasureRequest.Status.PENDING).first()
    return render(request, "privacy/erasure_request.html", {"form": form, "pending": pending})


@require_GET
@permission_required("decide")
def erasure_list(request):
    requests = ErasureRequest.objects.select_related("user", "decided_by").order_by("status", "-requested_at")
    return render(request, "privacy/organiser/erasure_list.html", {"requests": requests})


@permission_required("decide")
@recent_authentication_required
def erasure_detail(request, pk):
    erasure = get_object_or_404(ErasureRequest.objects.select_related("user", "decided_by"), pk=pk)
    approve_form = ApproveForm(request.POST if request.POST.get("decision") == "approve" else None, prefix="approve")
    refuse_form = RefuseForm(request.POST if request.POST.get("decision") == "refuse" else None, prefix="refuse")
    if request.method == "POST" and erasure.status != ErasureRequest.Status.PENDING:
        messages.error(request, _("This request has already been decided."))
        return redirect("privacy:erasure_detail", pk=erasure.pk)
    if request.method == "POST" and request.POST.get("decision") not in ("approve", "refuse"):
        messages.error(request, _("Choose whether to approve or refuse the request."))
    elif request.method == "POST":
        form = approve_form if request.POST.get("decision") == "approve" else refuse_form
        if form.is_valid():
            try:
                if form is approve_form:
                    services.approve_erasure(erasure, by=request.user)
                    messages.success(request, _("The account has been anonymised and the person told."))
                else:
                    services.refuse_erasure(erasure, by=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, _("The request has been refused and the person told why."))
                return redirect("privacy:erasure_list")
            except services.PrivacyError as error:
                add_to_form(form, error)
    plan = plan_for(erasure.user) if erasure.status == ErasureRequest.Status.PENDING else None
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/organiser/erasure_detail.html",
        {"erasure": erasure, "plan": plan, "approve_form": approve_form, "refuse_form": refuse_form},
        status=status,
    )
