"""The organisers' pages about personal data: an edition's retention settings with its report, and the register of
processing activities (RODO art. 30). Thin: the verbs are retention.services, the numbers retention.queries."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import recent_authentication_required

from . import queries, services
from .forms import ActivityForm, PolicyForm
from .models import ProcessingActivity
from .permissions import permission_required


@permission_required("retention")
@recent_authentication_required
def edition(request, edition):
    """GET: the report and the settings; POST: confirm or change the settings (shortening a period can delete data at
    the next run, hence the recent authentication)."""
    policy = services.policy_for(edition)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        services.update_policy(
            edition, by=request.user, **{name: form.cleaned_data[name] for name in services.POLICY_FIELDS}
        )
        messages.success(request, _("The retention settings are saved and confirmed."))
        return redirect("retention:edition", edition.year)
    context = {"edition": edition, "form": form, "report": queries.report(edition), "now": timezone.now()}
    return render(request, "retention/edition.html", context, status=400 if form.is_bound else 200)


@permission_required("register")
@require_GET
def register(request):
    return render(request, "retention/register.html", {"activities": ProcessingActivity.objects.all()})


@permission_required("register")
def activity(request, pk=None):
    item = get_object_or_404(ProcessingActivity, pk=pk) if pk is not None else None
    form = ActivityForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.save_activity(
            item, by=request.user, **{name: form.cleaned_data[name] for name in services.ACTIVITY_FIELDS}
        )
        messages.success(request, _("The register of processing activities is saved."))
        return redirect("retention:register")
    return render(
        request, "retention/activity.html", {"form": form, "item": item}, status=400 if form.is_bound else 200
    )
