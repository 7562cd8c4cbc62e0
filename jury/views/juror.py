"""The juror's pages: their editions, declaration, entries, scorecards, conflicts and affiliations, and the
invitation that brings them onto the jury.

Thin views that ask jury.permissions, call jury.services or jury.queries, and render. They pass templates only the
frozen objects jury.blind builds (BlindEntry, BlindRow, BlindEdition, BlindScorecard, BlindCriterion, ...): never a
model instance, a queryset or a manager.
"""

import hashlib
import logging
import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Attachment
from contest import phases
from contest.errors import DATABASE_INTERRUPTED, add_to_form
from contest.models import Edition

from .. import blind, forms, permissions, queries, services
from ..models import ImpartialityDeclaration, JuryMember, Scorecard
from ..permissions import permission_required
from ..receivers import SESSION_FLAG
from ..services import JuryError

logger = logging.getLogger(__name__)


def _checked_or_404(application):
    """The juror's view of an entry an organiser signed off; unchecked entries do not exist for jurors."""
    shown = blind.checked_entry(application)
    if shown is None:
        raise Http404
    return shown


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
    done = sum(1 for r in rows if r.is_submitted)
    chair = bool(member.is_chair)
    return render(
        request,
        "jury/dashboard.html",
        {
            "edition": blind.blind_edition(edition),
            "rows": rows,
            "done": done,
            "scoring_open": phases.can_score(edition),
            # The chair's links (plain booleans: juror pages get no model instances).
            "show_ranking": chair and permissions.scoring_ended(edition),
            "show_decisions": chair,
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
    from ..sanitise import CannotSanitise

    # ?view=inline shows a PDF or a picture in the browser's own viewer (the workspace embeds it); anything else is a
    # download whatever is asked.
    inline = request.GET.get("view") == "inline" and shown.viewer is not None
    try:
        if inline:
            return _serve_inline(file, f"{blind_entry.code}-{shown.download_name}", shown.viewer)
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


def _serve_inline(file, filename, viewer):
    """The juror's copy shown in place, for a PDF or a picture only, and embeddable by our own pages only.

    Streamed from our own origin even on S3 (a presigned redirect would leave the workspace's frame-src 'self').
    The type is the one found in the content at upload, sent with nosniff, so the browser never reads it as markup.
    A PDF gets no `sandbox` and no default-src 'none': Chrome's viewer is blocked in a sandboxed document and its
    viewer page needs its own styles; the copy has no scripts or actions left (jury.sanitise).
    """
    from applications.files import serve_file

    response = serve_file(_jury_copy(file), filename=filename, content_type=file.content_type, inline=True, stream=True)
    if viewer == "pdf":
        response["Content-Security-Policy"] = "frame-ancestors 'self'"
    else:
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'; sandbox"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    return response


JURY_COPY_FOLDER = "jury-copies"


def _jury_copy(attachment):
    """The stored cleaned copy, made now if missing or made by an older sanitiser (whose copy is then deleted).

    Two first downloads at once both clean; one copy is kept. The file is cleaned into a temporary file, so a large
    upload is never held in memory whole. Copies are stored under a neutral name (jury-copies/<random>), not beside
    the original: on S3 the juror's download URL shows the storage name, and the original's names the edition and
    the application.
    """
    import tempfile

    from django.core.files import File

    from contest.models import type_key_for_mime

    from .. import sanitise

    if attachment.jury_copy and attachment.jury_copy_version == sanitise.SANITISER_VERSION:
        return attachment.jury_copy
    old = attachment.jury_copy.name or ""
    type_key = type_key_for_mime(attachment.content_type)
    storage = attachment.jury_copy.storage
    with tempfile.SpooledTemporaryFile(sanitise.SPOOL_BYTES) as cleaned:
        with attachment.file.open("rb") as original:
            sanitise.sanitise_into(original, type_key, cleaned)
        cleaned.seek(0)
        digest = hashlib.file_digest(cleaned, "sha256").hexdigest()
        cleaned.seek(0)
        name = storage.save(f"{JURY_COPY_FOLDER}/{uuid.uuid4().hex}", File(cleaned))
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
        status = 400
        if form.is_valid():
            try:
                verb = services.submit_scorecard if submit else services.save_scorecard_draft
                verb(member, application, form.values(), form.cleaned_data["overall_comment"], by=request.user)
            except JuryError as error:
                add_to_form(form, error)
            except DATABASE_INTERRUPTED:
                # Rolled back as a whole: no score, comment or revision of this request was kept.
                logger.warning("Scorecard save interrupted by the database", exc_info=True)
                form.add_error(
                    None,
                    _(
                        "The connection to the database was interrupted, so nothing of this scorecard was saved. "
                        "What you typed is still below: save it again in a moment."
                    ),
                )
                status = 503
            else:
                messages.success(request, _("Your scorecard is submitted.") if submit else _("Your draft is saved."))
                if submit or request.POST.get("save") == "next":
                    return _to_next_entry(request, edition, member, application)
                return redirect("jury:scorecard", edition.year, code)
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
            "total": form.weighted_total(),
        },
        status=status,
    )


def _to_next_entry(request, edition, member, application):
    """After "save and next" or a submission: the juror's next entry to score in the dashboard's order, or the
    dashboard when none is left after this one. Only entries an organiser signed off come up (others 404)."""
    for candidate in queries.to_score_after(member, application):
        if blind.checked_entry(candidate) is not None:
            messages.info(request, _("Next entry to score: %(code)s.") % {"code": candidate.code})
            return redirect("jury:scorecard", edition.year, candidate.code)
    messages.info(
        request, _("No entry after this one is left to score; the list shows where each of your entries stands.")
    )
    return redirect("jury:dashboard", edition.year)


@permission_required("entry")
def declare_conflict(request, edition, application, member):
    shown = _checked_or_404(application)
    form = forms.ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(member, application, form.cleaned_data["reason"], by=request.user)
        except JuryError as error:
            add_to_form(form, error, "reason")
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
    locked = services.affiliations_locked(request.user)
    form = None if locked else forms.AffiliationForm(request.POST or None)
    if request.method == "POST" and locked:
        messages.error(request, services.AFFILIATIONS_LOCKED)
        return redirect("jury:affiliations")
    if request.method == "POST" and form.is_valid():
        try:
            services.add_affiliation(request.user, by=request.user, **form.affiliation_fields())
        except JuryError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The affiliation is recorded."))
            return redirect("jury:affiliations")
    return render(
        request,
        "jury/affiliations.html",
        {"form": form, "locked": locked, "affiliations": blind.blind_affiliations(request.user)},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("affiliations")
@require_POST
def affiliation_delete(request, pk):
    item = get_object_or_404(request.user.jury_affiliations, pk=pk)
    try:
        services.remove_affiliation(item, by=request.user)
    except JuryError as error:
        messages.error(request, error.message)
    else:
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
        return render(request, "jury/invitation_invalid.html", {"message": error.message}, status=404)
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
                return render(request, "jury/invitation_invalid.html", {"message": error.message}, status=400)
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
            return render(request, "jury/invitation_invalid.html", {"message": error.message}, status=400)
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
