"""The organisers' publication page of an edition: whether the decisions are locked, the prepared entries as they will
appear, the announced moment and how far away it is, "publish now" (with a confirmation step) and "unpublish" (with a
reason). Thin: the verbs are results.services."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import recent_authentication_required
from applications.models import Application, Status
from contest import phases
from contest.errors import add_to_form
from contest.forms import AccessibleFormMixin
from jury.models import DecisionLock

from . import services
from .models import PublishedEntry
from .permissions import permission_required


class PublishForm(AccessibleFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm: publish the results now and send every applicant their outcome by e-mail. "
            "The e-mails cannot be taken back."
        )
    )


class UnpublishForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for withdrawing the results"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=services.MAX_REASON,
        help_text=gettext_lazy("Kept in the audit trail; do not write e-mail addresses or other personal data."),
    )

    def clean_reason(self):
        try:
            return services.validate_reason(self.cleaned_data["reason"])
        except services.PublicationError as error:
            raise forms.ValidationError(error.messages) from error


@dataclass(frozen=True)
class State:
    """Where the publication of an edition stands, as the page says it."""

    locked: bool
    lock: object
    visible: bool
    withdrawn: bool
    due: bool  # the announced moment has come
    scoring_ended: bool
    waiting: int  # formally accepted entries whose applicants have not had their outcome e-mail
    announced: int  # entries whose outcome was announced (status moved)

    @property
    def can_publish_now(self):
        return self.locked and self.scoring_ended and (self.waiting or not self.visible)

    @property
    def can_unpublish(self):
        return not self.withdrawn and (self.visible or self.locked)


def _state(edition):
    lock = DecisionLock.objects.filter(edition=edition, stage="").first()
    counts = {
        row["status"]: row["n"]
        for row in Application.objects.filter(edition=edition, status__in=[*services.WAITING, *Status.DECIDED])
        .values("status")
        .annotate(n=Count("pk"))
    }
    phase = phases.phase_at(edition)
    return State(
        locked=lock is not None,
        lock=lock,
        visible=phases.results_visible(edition),
        withdrawn=edition.results_withdrawn_at is not None,
        due=phase in (phases.Phase.RESULTS, phases.Phase.ARCHIVED),
        scoring_ended=phase in (phases.Phase.DELIBERATION, phases.Phase.RESULTS, phases.Phase.ARCHIVED),
        waiting=sum(counts.get(status, 0) for status in services.WAITING),
        announced=sum(counts.get(status, 0) for status in Status.DECIDED),
    )


def _entries(edition):
    return list(
        PublishedEntry.objects.filter(edition=edition)
        .select_related("category")
        .prefetch_related("partners__voivodeship", "files")
        .order_by("order", "pk")
    )


def _page(request, edition, *, template="results/organiser/publication.html", status=200, **extra):
    context = {
        "edition": edition,
        "state": _state(edition),
        "entries": _entries(edition),
        "now": timezone.now(),
        "unpublish_form": UnpublishForm(),
        **extra,
    }
    return render(request, template, context, status=status)


def _url(edition):
    return reverse("results_organiser:publication", args=[edition.year])


@permission_required("publish")
@require_GET
def publication(request, edition):
    return _page(request, edition)


@permission_required("publish")
@recent_authentication_required
def publish_now(request, edition):
    """GET: the confirmation step (what will happen); POST with the confirmation: publish."""
    form = PublishForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                done = services.publish(edition, by=request.user, now=True)
            except services.PublicationError as error:
                add_to_form(form, error)
                form.decorate()
            else:
                messages.success(
                    request,
                    _("The results are published. Outcome e-mails sent: %(n)s.") % {"n": done.moved},
                )
                return redirect(_url(edition))
        return _page(request, edition, template="results/organiser/publish_confirm.html", form=form, status=400)
    return _page(request, edition, template="results/organiser/publish_confirm.html", form=form)


@permission_required("publish")
@require_POST
@recent_authentication_required
def unpublish(request, edition):
    form = UnpublishForm(request.POST)
    if form.is_valid():
        try:
            services.unpublish(edition, by=request.user, reason=form.cleaned_data["reason"])
        except services.PublicationError as error:
            add_to_form(form, error)
            form.decorate()
        else:
            messages.success(request, _("The results are withdrawn: no public page shows them now."))
            return redirect(_url(edition))
    messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return _page(request, edition, unpublish_form=form, status=400)
