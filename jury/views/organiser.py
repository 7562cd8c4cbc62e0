"""The organisers' pages of the jury: progress and reminders, members and invitations, assignment, conflicts of
interest, the anonymisation of entries, and the audit trail. Thin views that ask jury.permissions, call
jury.services or jury.queries, and render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import recent_authentication_required
from applications.models import Application
from contest import audit, phases
from contest.errors import add_to_form, reported
from contest.models import AuditEvent

from .. import blind, forms, progress, queries, services
from ..models import AnonymisationCheck, Assignment, ConflictOfInterest, Invitation, JuryMember, Scorecard
from ..permissions import permission_required, scoring_ended
from ..services import JuryError


@permission_required("organise")
def board(request, edition):
    jurors, rows = queries.progress_board(edition)
    labels = dict(Scorecard.Progress.choices)
    per_entry = queries.entry_totals(edition)
    table = [
        (entry, [(state, labels[state]) for state in states], per_entry.get(entry.pk, {"assigned": 0, "submitted": 0}))
        for entry, states in rows
    ]
    totals = {state: sum(states.count(state) for _e, states in rows) for state in labels}
    next_at = services.next_reminder_at(edition)
    scoring_open = phases.can_score(edition)
    return render(
        request,
        "jury/organiser/board.html",
        {
            "edition": edition,
            "jurors": jurors,
            "juror_rows": progress.juror_rows(
                jurors,
                queries.juror_totals(edition),
                queries.last_scoring_activity(edition),
                scoring_ended=scoring_ended(edition),
                reminded=services.recently_reminded(edition, jurors) if scoring_open else {},
            ),
            "table": table,
            "totals": totals,
            "next_reminder_at": next_at if next_at and next_at > timezone.now() else None,
            "scoring_open": scoring_open,
        },
    )


@permission_required("organise")
@require_POST
def send_reminders(request, edition):
    try:
        sent = services.send_reminders(edition, by=request.user)
    except JuryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reminders sent to %(n)s jurors.") % {"n": len(sent)})
    return redirect("jury:board", edition.year)


@permission_required("organise")
@require_POST
def remind_juror(request, edition, pk):
    """The board's "Remind" button: one e-mail to one juror, refused within an hour of the last."""
    member = get_object_or_404(JuryMember.objects.select_related("user", "edition"), pk=pk, edition=edition)
    name = member.user.get_full_name() or member.user.email
    with reported(request, _("A reminder is sent to %(name)s.") % {"name": name}):
        services.send_reminder(member, by=request.user)
    return redirect(reverse("jury:board", args=[edition.year]) + "#jurors")


@permission_required("organise")
def members(request, edition):
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = services.invite(
            edition,
            form.cleaned_data["emails"],
            by=request.user,
            is_chair=form.cleaned_data["is_chair"],
        )
        messages.success(request, _("%(n)s invitations sent.") % {"n": len(created)})
        organisers = queries.organiser_addresses([invitation.email for invitation, _token in created])
        if organisers:
            # Not refused (a committee may choose it), but said: the blind rule cannot hide who applied from them.
            messages.warning(
                request,
                _(
                    "%(emails)s: also an organiser's account, which opens every application with its partners and "
                    "people. As a juror this person would score entries knowing who applied."
                )
                % {"emails": ", ".join(organisers)},
            )
        return redirect("jury:members", edition.year)
    loads = queries.member_loads(edition)
    activity = queries.last_scoring_activity(edition)
    member_list = [(m, loads.get(m.pk, 0), activity.get(m.pk)) for m in queries.members_with_state(edition)]
    return render(
        request,
        "jury/organiser/members.html",
        {
            "edition": edition,
            "form": form,
            "members": member_list,
            "invitations": Invitation.objects.filter(edition=edition).select_related("invited_by"),
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("organise")
@require_POST
@recent_authentication_required(when=lambda request, **kwargs: kwargs.get("action") == "revoke")
def invitation_action(request, edition, pk, action):
    if action not in ("resend", "revoke"):
        raise Http404
    item = get_object_or_404(Invitation, pk=pk, edition=edition)
    try:
        if action == "resend":
            services.resend_invitation(item, by=request.user)
            messages.success(request, _("The invitation is sent again with a new link."))
        else:
            services.revoke_invitation(item, by=request.user)
            messages.success(request, _("The invitation is withdrawn."))
    except JuryError as error:
        messages.error(request, error.message)
    return redirect("jury:members", edition.year)


@permission_required("organise")
@require_POST
@recent_authentication_required
def member_update(request, edition, pk):
    member = get_object_or_404(JuryMember, pk=pk, edition=edition)
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        services.set_member(
            member,
            by=request.user,
            is_chair=form.cleaned_data["is_chair"],
            max_entries=form.cleaned_data["max_entries"],
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, _("The juror's settings are saved."))
    else:
        messages.error(
            request,
            _("The maximum number of entries must be a whole number from 0 to %(max)s.")
            % {"max": forms.MAX_ENTRIES_PER_JUROR},
        )
    return redirect("jury:members", edition.year)


MATRIX_LIMIT = 3000
# The board's states of an assigned pair without an active conflict (jury.queries.progress_board).
ASSIGNED_STATES = frozenset({Scorecard.Progress.NOT_STARTED, Scorecard.Progress.DRAFT, Scorecard.Progress.SUBMITTED})


@permission_required("organise")
def assignment(request, edition):
    initial = {"mode": "k" if edition.jurors_per_entry else "all", "k": edition.jurors_per_entry}
    form = forms.AssignmentForm(request.POST or None, initial=initial)
    report = None
    if request.method == "POST" and form.is_valid():
        k = form.cleaned_data["k"] if form.cleaned_data["mode"] == "k" else None
        report = services.assign_automatically(edition, by=request.user, k=k)
        if report.ok:
            messages.success(
                request,
                _("Assignment done: %(n)s assignments, load between %(min)s and %(max)s entries per juror.")
                % {"n": len(report.pairs), "min": report.min_load, "max": report.max_load},
            )
            return redirect("jury:assignment", edition.year)
    jurors, rows = queries.progress_board(edition)
    loads = queries.member_loads(edition)
    short = set()
    if report is not None and report.short_entries:
        short = set(report.short_entries)
    table = [
        (
            entry,
            [(j, state) for j, state in zip(jurors, states, strict=True)],
            entry.pk in short,
            sum(state in ASSIGNED_STATES for state in states),
        )
        for entry, states in rows
    ]
    per_juror = [sum(states[i] in ASSIGNED_STATES for _e, states in rows) for i in range(len(jurors))]
    return render(
        request,
        "jury/organiser/assignment.html",
        {
            "edition": edition,
            "form": form,
            "report": report,
            "report_messages": services.explain(report, edition) if report is not None and not report.ok else [],
            "jurors": [(j, loads.get(j.pk, 0)) for j in jurors],
            # The matrix of buttons is for committees of ordinary size; big ones use the two lists.
            "table": table if len(rows) * max(len(jurors), 1) <= MATRIX_LIMIT else [],
            "matrix_too_big": len(rows) * max(len(jurors), 1) > MATRIX_LIMIT,
            "per_juror": per_juror,
            "target": edition.jurors_per_entry,
            "entries": [entry for entry, _states in rows],
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("organise")
@require_POST
@recent_authentication_required(when=lambda request, **kwargs: request.POST.get("action") == "unassign")
def assignment_change(request, edition):
    form = forms.AssignmentChangeForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, edition, form, "assignment")
    member = get_object_or_404(JuryMember, pk=form.cleaned_data["member"], edition=edition)
    application = get_object_or_404(Application, pk=form.cleaned_data["entry"], edition=edition)
    with reported(request, _("The assignment is changed.")):
        if form.cleaned_data["action"] == "unassign":
            services.unassign(member, application, by=request.user)
        else:
            services.assign(member, application, by=request.user)
    return redirect("jury:assignment", edition.year)


@permission_required("organise")
def conflicts(request, edition):
    items = (
        ConflictOfInterest.objects.filter(member__edition=edition)
        .select_related("member__user", "application", "created_by", "lifted_by")
        .order_by("lifted_at", "application__code", "member__user__email")
    )
    return render(
        request,
        "jury/organiser/conflicts.html",
        {
            "edition": edition,
            "conflicts": items,
            "members": queries.members(edition),
            "entries": queries.accepted_entries(edition).only("id", "code"),
            "lift_form": forms.LiftConflictForm(),
        },
    )


@permission_required("organise")
@require_POST
def conflict_add(request, edition):
    form = forms.ConflictAddForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, edition, form, "conflicts")
    member = get_object_or_404(JuryMember, pk=form.cleaned_data["member"], edition=edition)
    application = get_object_or_404(Application, pk=form.cleaned_data["entry"], edition=edition)
    with reported(request, _("The conflict of interest is recorded.")):
        services.add_conflict(member, application, form.cleaned_data["reason"], by=request.user)
    return redirect("jury:conflicts", edition.year)


def _form_refused(request, edition, form, page):
    """A tampered or stale organiser form: 400 with what was wrong and a way back, nothing changed. A reason that
    was typed (and refused, e.g. for an e-mail address in it) is shown again to copy and correct."""
    return render(
        request,
        "jury/organiser/form_refused.html",
        {
            "edition": edition,
            "active": page,
            "message": " ".join(
                f"{form.fields[name].label}: {message}" if name in form.fields and form.fields[name].label else message
                for name, errors in form.errors.items()
                for message in errors
            ),
            "back_url": reverse(f"jury:{page}", args=[edition.year]),
            "typed": form.data.get("reason", "") if "reason" in form.fields else "",
        },
        status=400,
    )


@permission_required("organise")
@require_POST
@recent_authentication_required
def conflict_lift(request, edition, pk):
    conflict = get_object_or_404(ConflictOfInterest, pk=pk, member__edition=edition)
    form = forms.LiftConflictForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, edition, form, "conflicts")
    with reported(request, _("The conflict of interest is lifted.")):
        services.lift_conflict(conflict, form.cleaned_data["reason"], by=request.user)
    return redirect("jury:conflicts", edition.year)


@permission_required("organise")
@require_POST
def detect(request, edition):
    found = services.detect_conflicts(edition, by=request.user)
    messages.success(
        request,
        _("Detection done: %(created)s new conflicts, %(lifted)s no longer matching.") % found,
    )
    return redirect("jury:conflicts", edition.year)


@permission_required("organise")
@recent_authentication_required(when=lambda request, **kwargs: "reset" in request.POST)
def anonymised(request, edition, application):
    """The organiser's check of an entry's anonymisation: original and juror's view side by side, edit, sign off."""
    code = application.code
    if request.method == "POST" and "check" in request.POST:
        check_form = forms.AnonymisationCheckForm(request.POST)
        if not check_form.is_valid():
            messages.error(request, _("The page was incomplete; open it again and confirm."))
        else:
            with reported(request, _("Anonymisation checked: jurors can open this entry now.")):
                services.sign_off_anonymisation(application, check_form.cleaned_data["content_hash"], by=request.user)
        return redirect("jury:anonymised", edition.year, code)
    saved = getattr(application, "anonymised", None)
    texts = saved.fields if saved else blind.auto_redacted_fields(application)
    form = forms.AnonymisedForm(request.POST or None, initial_texts=texts)
    if request.method == "POST":
        if "reset" in request.POST:
            services.reset_anonymised(application, by=request.user)
            messages.success(request, _("The automatic anonymisation is back in use."))
            return redirect("jury:anonymised", edition.year, code)
        if form.is_valid():
            services.save_anonymised(application, form.cleaned_data, by=request.user)
            messages.success(
                request, _("The anonymised version is saved. Check it and confirm before jurors can open it.")
            )
            return redirect("jury:anonymised", edition.year, code)
    preview, review = blind.review(application)
    current_hash = blind.content_hash(preview)
    check = AnonymisationCheck.objects.filter(application=application).select_related("checked_by").first()
    return render(
        request,
        "jury/organiser/anonymised.html",
        {
            "edition": edition,
            "application": application,
            "preview": preview,
            "review": review,
            "form": form,
            "edited": saved,
            "check": check,
            "checked": check is not None and check.content_hash == current_hash,
            "check_form": forms.AnonymisationCheckForm(initial={"content_hash": current_hash}),
            "scoring_started": phases.phase_at(edition)
            not in (
                phases.Phase.DRAFT,
                phases.Phase.ANNOUNCED,
                phases.Phase.SUBMISSIONS,
                phases.Phase.FORMAL_REVIEW,
            ),
        },
    )


@permission_required("organise")
def redaction_terms(request, edition):
    """The edition's extra redaction terms, one per line."""
    form = forms.RedactionTermsForm(request.POST or None, initial={"terms": "\n".join(blind.edition_terms(edition.pk))})
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = services.set_redaction_terms(edition, form.cleaned_data["terms"], by=request.user)
        except JuryError as error:
            add_to_form(form, error, "terms")
        else:
            if added or removed:
                messages.success(
                    request,
                    _(
                        "Redaction terms saved: %(added)s added, %(removed)s removed. Entries whose anonymised "
                        "version changed need their check again."
                    )
                    % {"added": len(added), "removed": len(removed)},
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("jury:redaction_terms", edition.year)
    return render(
        request,
        "jury/organiser/redaction_terms.html",
        {"edition": edition, "form": form},
        status=400 if request.method == "POST" else 200,
    )


AUDIT_PAGE_SIZE = 100


@permission_required("organise")
@require_GET
def audit_trail(request, edition):
    """Everything recorded about an edition, newest first, filterable, 100 a page, or all of it as CSV."""
    return _audit_page(request, edition, None, f"audit-{edition.year}.csv")


@permission_required("organise")
@require_GET
def entry_audit_trail(request, edition, application):
    """What was recorded about one entry: the application itself, its assignments, conflicts and scorecards."""
    targets = [
        (Application, [application.pk]),
        (Assignment, Assignment.objects.filter(application=application).values_list("pk", flat=True)),
        (ConflictOfInterest, ConflictOfInterest.objects.filter(application=application).values_list("pk", flat=True)),
        (Scorecard, Scorecard.objects.filter(application=application).values_list("pk", flat=True)),
    ]
    return _audit_page(request, edition, application, f"audit-{application.code}.csv", targets=targets)


def _audit_page(request, edition, application, filename, targets=None):
    actions = AuditEvent.objects.filter(edition=edition).order_by("action").values_list("action", flat=True)
    form = forms.AuditFilterForm(request.GET or None, actions=actions.distinct())
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit.trail(
        edition,
        targets=targets,
        action=filters.get("action", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    if request.GET.get("format") == "csv":
        return audit.csv_response(events, filename)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "jury/organiser/audit.html",
        {
            "edition": edition,
            "application": application,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "csv_query": _with(query, format="csv"),
        },
    )


def _with(query, **values):
    query = query.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()
