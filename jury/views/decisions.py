"""The committee's decisions page: the chair of the edition and organisers record a decision per formally accepted
entry; organisers lock and unlock the decisions with a reason. A chair who is not an organiser is a juror: their page
holds frozen rows with the entry's code and category only (jury.blind's rule), never a title or a model instance."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import is_organiser, recent_authentication_required
from applications.models import Status
from contest import phases
from contest.errors import ServiceError, add_to_form
from contest.forms import AccessibleFormMixin
from contest.validators import validate_no_contact_details

from .. import blind, queries, services
from ..models import Decision, DecisionLock
from ..permissions import conflicted_entries, permission_required
from ..services import JuryError
from ..services.decisions import DECISION_PHASES, MAX_CITATION, MAX_PRIZE_TIER, StaleDecision, decision_version


class DecisionForm(AccessibleFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Decision.Outcome.choices)
    place = forms.IntegerField(
        label=gettext_lazy("Place"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=gettext_lazy("Required for a laureate; laureates ex aequo share a place."),
    )
    prize_tier = forms.CharField(label=gettext_lazy("Prize tier"), max_length=MAX_PRIZE_TIER, required=False)
    citation = forms.CharField(
        label=gettext_lazy("Citation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_CITATION,
        required=False,
        help_text=gettext_lazy("Required for a laureate and a distinction; it will appear on public pages."),
    )
    # The decision the form was opened on (services.decisions.decision_version): a stale save is refused, not lost.
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class LockForm(AccessibleFormMixin, forms.Form):
    # Kept for good in the hash-chained audit trail: no e-mail addresses, no phone numbers.
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        validators=[validate_no_contact_details],
    )


@dataclass(frozen=True)
class DecisionRow:
    """One entry of the decisions page, as plain values."""

    code: str
    category: str
    title: str  # "" for a chair who is not an organiser
    outcome: str
    outcome_label: str
    place: int | None
    prize_tier: str
    citation: str
    conflicted: bool
    form: DecisionForm | None


@dataclass(frozen=True)
class LockState:
    locked: bool
    locked_at: object = None
    reason: str = ""


def _form_for(decision, code):
    initial = {"version": decision_version(decision)}
    if decision is not None:
        initial |= {
            "outcome": decision.outcome,
            "place": decision.place,
            "prize_tier": decision.prize_tier,
            "citation": decision.citation,
        }
    return DecisionForm(initial=initial, prefix=code)


def _page(request, edition, *, bound=None, lock_form=None, status=200):
    """The decisions page; `bound` = (code, form) shows a refused form in its row."""
    organiser = is_organiser(request.user)
    entries = list(
        queries.accepted_entries(edition).select_related("category").only("id", "code", "title", "category__name")
    )
    decisions = {d.application_id: d for d in Decision.objects.filter(edition=edition, stage="")}
    # Whoever has a conflict with an entry (a chair, or an organiser who also sits on the jury) gets no form for it.
    conflicted = conflicted_entries(request.user, edition)
    lock = DecisionLock.objects.filter(edition=edition, stage="").first()
    open_for_decisions = lock is None and phases.phase_at(edition) in DECISION_PHASES
    rows = []
    for entry in entries:
        decision = decisions.get(entry.pk)
        form = None
        if open_for_decisions and entry.pk not in conflicted:
            form = bound[1] if bound and bound[0] == entry.code else _form_for(decision, entry.code)
        rows.append(
            DecisionRow(
                code=entry.code,
                category=entry.category.name,
                title=entry.title if organiser else "",
                outcome=decision.outcome if decision else "",
                outcome_label=decision.get_outcome_display() if decision else "",
                place=decision.place if decision else None,
                prize_tier=decision.prize_tier if decision else "",
                citation=decision.citation if decision else "",
                conflicted=entry.pk in conflicted,
                form=form,
            )
        )
    return render(
        request,
        "jury/decisions.html",
        {
            "edition": blind.blind_edition(edition),
            "rows": rows,
            "is_organiser": organiser,
            "lock": LockState(True, lock.locked_at, lock.reason) if lock else LockState(False),
            "phase_open": phases.phase_at(edition) in DECISION_PHASES,
            "lock_form": lock_form or LockForm(),
            "decided": sum(1 for row in rows if row.outcome),
        },
        status=status,
    )


@permission_required("decide")
@require_GET
def decisions(request, edition):
    return _page(request, edition)


@permission_required("decide")
@require_POST
def decision_record(request, edition, application):
    if application.status not in Status.ACCEPTED_FOR_JURY:
        raise Http404
    form = DecisionForm(request.POST, prefix=application.code)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_decision(
                application,
                outcome=data["outcome"],
                place=data["place"],
                prize_tier=data["prize_tier"],
                citation=data["citation"],
                by=request.user,
                # A form without a version (an old page, a hand-made POST) is checked as opened on no decision.
                expected_version=data["version"] or "",
            )
        except StaleDecision as error:
            return _stale(request, edition, application, form, error)
        except JuryError as error:
            add_to_form(form, error)
            form.decorate()
        else:
            messages.success(request, _("The decision on %(code)s is saved.") % {"code": application.code})
            return redirect(f"{_url(edition)}#entry-{application.code}")
    reasons = " ".join(str(message) for errors in form.errors.values() for message in errors)
    refused = _("The decision on %(code)s is not saved: %(reasons)s")
    messages.error(request, refused % {"code": application.code, "reasons": reasons})
    return _page(request, edition, bound=(application.code, form), status=400)


def _stale(request, edition, application, form, error):
    """409: the typed text stays in the form, the row shows the decision as it is now, and the form now carries the
    current version, so that saving again replaces it knowingly."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = decision_version(error.current)
    form.add_error(None, error.message)
    form.decorate()
    messages.error(request, error.message)
    return _page(request, edition, bound=(application.code, form), status=409)


def _url(edition):
    return reverse("jury:decisions", args=[edition.year])


def _lock_action(request, edition, verb, done):
    form = LockForm(request.POST)
    if form.is_valid():
        try:
            verb(edition, reason=form.cleaned_data["reason"], by=request.user)
        except ServiceError as error:  # JuryError, and the results app's refusals from preparing or clearing
            add_to_form(form, error)
            form.decorate()
        else:
            messages.success(request, done)
            return redirect(_url(edition))
    messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return _page(request, edition, lock_form=form, status=400)


@permission_required("lock_decisions")
@require_POST
def decisions_lock(request, edition):
    return _lock_action(request, edition, services.lock_decisions, _("The decisions are locked."))


@permission_required("lock_decisions")
@require_POST
@recent_authentication_required
def decisions_unlock(request, edition):
    return _lock_action(request, edition, services.unlock_decisions, _("The decisions are unlocked."))
