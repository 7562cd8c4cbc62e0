"""Jury pages: thin views that ask jury.permissions, call jury.services or jury.queries, and render.

Juror views pass templates only the frozen objects jury.blind builds (BlindEntry, BlindRow, BlindEdition,
BlindScorecard, BlindCriterion, ...): never a model instance, a queryset or a manager.
"""

import hashlib
import logging
import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import recent_authentication_required
from applications.models import Application, Attachment
from contest import phases
from contest.models import Edition

from . import blind, forms, permissions, queries, services
from .models import AnonymisationCheck, ConflictOfInterest, ImpartialityDeclaration, Invitation, JuryMember, Scorecard
from .permissions import permission_required
from .receivers import SESSION_FLAG
from .services import JuryError


def _checked_or_404(application):
    """The juror's view of an entry an organiser signed off; unchecked entries do not exist for jurors."""
    shown = blind.checked_entry(application)
    if shown is None:
        raise Http404
    return shown


def _error_text(error):
    return " ".join(error.messages)


# Juror pages ---------------------------------------------------------------------------------------------------


@permission_required("home")
def home(request):
    memberships = list(
        JuryMember.objects.filter(user=request.user, is_active=True)
        .select_related("edition")
        .order_by("-edition__year")
    )
    if len(memberships) == 1 and not permissions.is_organiser(request.user):
        return redirect("jury:dashboard", memberships[0].edition.year)
    organiser_editions = Edition.objects.all() if permissions.is_organiser(request.user) else []
    return render(
        request,
        "jury/home.html",
        {
            "memberships": blind.blind_memberships(memberships),
            "organiser_editions": [blind.blind_edition(e) for e in organiser_editions],
        },
    )


@permission_required("entries")
def dashboard(request, edition, member):
    rows = blind.build_rows(queries.juror_assignments(member))
    done = sum(1 for r in rows if r.state == "submitted")
    return render(
        request,
        "jury/dashboard.html",
        {
            "edition": blind.blind_edition(edition),
            "rows": rows,
            "done": done,
            "scoring_open": phases.can_score(edition),
        },
    )


@permission_required("jury")
def declaration(request, edition, member):
    signed = ImpartialityDeclaration.objects.filter(member=member).first()
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and signed is None and form.is_valid():
        services.declare_impartiality(member, by=request.user)
        messages.success(request, _("Thank you. Your declaration is recorded."))
        return redirect("jury:dashboard", edition.year)
    return render(
        request,
        "jury/declaration.html",
        {
            "edition": blind.blind_edition(edition),
            "signed": blind.blind_declaration(signed),
            "form": form,
            "text": signed.text if signed else services.declaration_text(),
            "version": signed.text_version if signed else services.DECLARATION_VERSION,
        },
    )


@permission_required("entry")
def entry(request, edition, application, member):
    shown = _checked_or_404(application)
    card = Scorecard.objects.filter(member=member, application=application).first()
    return render(
        request,
        "jury/entry.html",
        {
            "edition": blind.blind_edition(edition),
            "entry": shown,
            "card": blind.blind_scorecard(card),
            "scoring_open": phases.can_score(edition),
            "conflict_form": forms.ConflictForm(),
        },
    )


@permission_required("entry")
def attachment(request, edition, application, member, pk):
    blind_entry = _checked_or_404(application)
    shown = next((a for a in blind_entry.attachments if a.id == pk), None)
    if shown is None:
        raise Http404
    file = get_object_or_404(Attachment, pk=pk, application=application, requirement__visible_to_jury=True)
    from .sanitise import CannotSanitise

    try:
        return _serve(request, file, f"{blind_entry.code}-{shown.download_name}")
    except CannotSanitise as error:
        # Never the original instead: the juror learns the file is withheld and whom to ask.
        logging.getLogger(__name__).warning("Attachment %s cannot be cleaned for the jury: %s", file.pk, error)
        return render(
            request,
            "jury/attachment_unavailable.html",
            {"year": edition.year, "code": blind_entry.code, "name": shown.download_name},
            status=422,
        )


def _serve(request, file, filename):
    """Send the juror's copy of an attachment, made on the first download; raises CannotSanitise."""
    from applications.files import serve_attachment

    return serve_attachment(request, file, filename=filename, file=_jury_copy(file))


def _jury_copy(attachment):
    """The stored cleaned copy, made now if missing or made by an older sanitiser (whose copy is then deleted).

    Two first downloads at once both clean; one copy is kept. The file is cleaned into a temporary file, so a large
    upload is never held in memory whole.
    """
    import tempfile

    from django.core.files import File

    from applications.files import TYPE_MIME

    from . import sanitise

    if attachment.jury_copy and attachment.jury_copy_version == sanitise.SANITISER_VERSION:
        return attachment.jury_copy
    old = attachment.jury_copy.name or ""
    type_key = next((key for key, mime in TYPE_MIME.items() if mime == attachment.content_type), None)
    storage = attachment.jury_copy.storage
    folder = attachment.file.name.rsplit("/", 1)[0]
    with tempfile.SpooledTemporaryFile(sanitise.SPOOL_BYTES) as cleaned:
        with attachment.file.open("rb") as original:
            sanitise.sanitise_into(original, type_key, cleaned)
        cleaned.seek(0)
        digest = hashlib.file_digest(cleaned, "sha256").hexdigest()
        cleaned.seek(0)
        name = storage.save(f"{folder}/jury-{uuid.uuid4().hex}", File(cleaned))
    stored = Attachment.objects.filter(pk=attachment.pk, jury_copy=old).update(
        jury_copy=name, jury_copy_sha256=digest, jury_copy_version=sanitise.SANITISER_VERSION
    )
    if not stored:  # another request stored its copy first: use that one
        storage.delete(name)
    elif old:  # the copy an older sanitiser made may still name the applicant
        storage.delete(old)
    attachment.refresh_from_db(fields=["jury_copy", "jury_copy_sha256", "jury_copy_version"])
    return attachment.jury_copy


@permission_required("entry", post="score")
def scorecard(request, edition, application, member):
    code = application.code
    entry_info = _checked_or_404(application)
    criteria = blind.blind_criteria(edition)
    card = Scorecard.objects.filter(member=member, application=application).prefetch_related("scores").first()
    scoring_open = phases.can_score(edition)
    if request.method == "POST":
        form = forms.ScorecardForm(request.POST, criteria=criteria)
        submit = "submit" in request.POST
        if form.is_valid():
            try:
                verb = services.submit_scorecard if submit else services.save_draft
                verb(member, application, form.values(), form.cleaned_data["overall_comment"], by=request.user)
            except JuryError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Your scorecard is submitted.") if submit else _("Your draft is saved."))
                return redirect(
                    "jury:dashboard" if submit else "jury:scorecard",
                    *((edition.year,) if submit else (edition.year, code)),
                )
        status = 400
    else:
        initial = {}
        if card is not None:
            initial["overall_comment"] = card.overall_comment
            for score in card.scores.all():
                initial[f"points_{score.criterion_id}"] = score.points
                initial[f"justification_{score.criterion_id}"] = score.justification
        form = forms.ScorecardForm(initial=initial, criteria=criteria)
        status = 200
    return render(
        request,
        "jury/scorecard.html",
        {
            "edition": blind.blind_edition(edition),
            "entry": entry_info,
            "form": form,
            "card": blind.blind_scorecard(card),
            "scoring_open": scoring_open,
            "min_length": edition.min_justification_length,
        },
        status=status,
    )


@permission_required("entry")
def declare_conflict(request, edition, application, member):
    shown = _checked_or_404(application)
    form = forms.ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(member, application, form.cleaned_data["reason"], by=request.user)
        except JuryError as error:
            form.add_error("reason", _error_text(error))
        else:
            messages.success(
                request, _("Your conflict of interest is recorded; the entry is no longer yours to score.")
            )
            return redirect("jury:dashboard", edition.year)
    return render(
        request,
        "jury/conflict.html",
        {"edition": blind.blind_edition(edition), "entry": shown, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("affiliations")
def affiliations(request):
    form = forms.AffiliationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_affiliation(request.user, by=request.user, **form.affiliation_fields())
        except JuryError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The affiliation is recorded."))
            return redirect("jury:affiliations")
    return render(
        request,
        "jury/affiliations.html",
        {"form": form, "affiliations": blind.blind_affiliations(request.user)},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("affiliations")
@require_POST
def affiliation_delete(request, pk):
    item = get_object_or_404(request.user.jury_affiliations, pk=pk)
    services.remove_affiliation(item, by=request.user)
    messages.success(request, _("The affiliation is removed."))
    return redirect("jury:affiliations")


def invitation(request, token):
    try:
        found = services.find_invitation(token)
    except JuryError as error:
        # A double click on the registration form: the first click has already used the invitation.
        repeated = _repeated_registration(request, token)
        if repeated is not None:
            return repeated
        return render(request, "jury/invitation_invalid.html", {"message": _error_text(error)}, status=404)
    from django.contrib.auth import get_user_model

    has_account = get_user_model().objects.filter(email__iexact=found.email).exists()
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != found.email.lower():
            return render(
                request,
                "jury/invitation.html",
                {"invitation": found, "wrong_account": True, "has_account": has_account},
                status=403,
            )
        if request.method == "POST":
            try:
                member = services.accept_invitation(token, user)
            except JuryError as error:
                return render(request, "jury/invitation_invalid.html", {"message": _error_text(error)}, status=400)
            request.session[SESSION_FLAG] = True
            messages.success(request, _("Welcome to the jury."))
            return redirect("jury:dashboard", member.edition.year)
        return render(request, "jury/invitation.html", {"invitation": found, "has_account": True})
    if has_account:
        repeated = _repeated_registration(request, token)
        if repeated is not None:
            return repeated
        return render(request, "jury/invitation.html", {"invitation": found, "has_account": True, "login_needed": True})
    form = forms.RegisterForm(request.POST or None, email=found.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.register_and_accept(
                token, password=form.cleaned_data["password1"], full_name=form.cleaned_data["full_name"]
            )
        except JuryError as error:
            return render(request, "jury/invitation_invalid.html", {"message": _error_text(error)}, status=400)
        return _welcome_registered(request, new_user, found.edition.year)
    return render(
        request,
        "jury/invitation.html",
        {"invitation": found, "has_account": False, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _repeated_registration(request, token):
    """The answer to a registration POST that repeats one just done (same password): the same welcome, or None."""
    if request.method != "POST" or request.user.is_authenticated:
        return None
    user = services.repeated_registration(token, password=request.POST.get("password1", ""))
    if user is None:
        return None
    return _welcome_registered(request, user, user.jury_memberships.latest("pk").edition.year)


def _welcome_registered(request, user, year):
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_FLAG] = True
    messages.success(request, _("Your account is ready and you are on the jury."))
    return redirect("jury:dashboard", year)


# Organiser pages -----------------------------------------------------------------------------------------------


@permission_required("organise")
def board(request, edition):
    jurors, rows = queries.progress_board(edition)
    labels = {
        "none": "–",
        "not_started": _("not started"),
        "draft": _("draft"),
        "submitted": _("submitted"),
        "conflict": _("conflict"),
    }
    table = [(entry, [(state, labels[state]) for state in states]) for entry, states in rows]
    totals = {state: sum(states.count(state) for _e, states in rows) for state in labels}
    next_at = services.next_reminder_at(edition)
    return render(
        request,
        "jury/organiser/board.html",
        {
            "edition": edition,
            "jurors": jurors,
            "table": table,
            "totals": totals,
            "next_reminder_at": next_at if next_at and next_at > timezone.now() else None,
            "scoring_open": phases.can_score(edition),
        },
    )


@permission_required("organise")
@require_POST
def send_reminders(request, edition):
    try:
        sent = services.send_reminders(edition, by=request.user)
    except JuryError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Reminders sent to %(n)s jurors.") % {"n": len(sent)})
    return redirect("jury:board", edition.year)


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
        return redirect("jury:members", edition.year)
    loads = queries.member_loads(edition)
    member_list = [(m, loads.get(m.pk, 0)) for m in queries.members(edition)]
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
        messages.error(request, _error_text(error))
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


@permission_required("organise")
def assignment(request, edition):
    initial = {"mode": "k" if edition.jurors_per_entry else "all", "k": edition.jurors_per_entry}
    form = forms.AssignmentForm(request.POST or None, initial=initial)
    report = None
    if request.method == "POST" and form.is_valid():
        k = form.cleaned_data["k"] if form.cleaned_data["mode"] == "k" else None
        if edition.jurors_per_entry != k:
            edition.jurors_per_entry = k
            edition.save(update_fields=["jurors_per_entry"])
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
        (entry, [(j, state) for j, state in zip(jurors, states, strict=True)], entry.pk in short)
        for entry, states in rows
    ]
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
    try:
        if form.cleaned_data["action"] == "unassign":
            services.unassign(member, application, by=request.user)
        else:
            services.assign(member, application, by=request.user)
    except JuryError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The assignment is changed."))
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
    try:
        services.add_conflict(member, application, form.cleaned_data["reason"], by=request.user)
    except JuryError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The conflict of interest is recorded."))
    return redirect("jury:conflicts", edition.year)


def _form_refused(request, edition, form, page):
    """A tampered or stale organiser form: 400 with what was wrong and a way back, nothing changed."""
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
    try:
        services.lift_conflict(conflict, form.cleaned_data["reason"], by=request.user)
    except JuryError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The conflict of interest is lifted."))
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
            try:
                services.sign_off_anonymisation(application, check_form.cleaned_data["content_hash"], by=request.user)
            except JuryError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Anonymisation checked: jurors can open this entry now."))
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
            form.add_error("terms", _error_text(error))
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
