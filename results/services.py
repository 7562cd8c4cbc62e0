"""The verbs of publication: prepare the public record from locked decisions (and take it back), publish (statuses
and outcome e-mails, exactly once, at results_at or at once), unpublish with a reason.

Services check state and phase, never who (results.permissions does that for the views). Each runs in one
transaction, records its audit event and bumps the public cache generation once committed.

Exactly one outcome e-mail per applicant: publish() locks the edition's row first, so a second publish (another
process, the periodic command running while an organiser clicks) waits and then finds no entry left to move;
the e-mail is queued by applications.services.change_status on the move itself, and a decided status cannot move
again (TRANSITIONS).
"""

import logging
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from slugify import slugify

from applications.models import Application, Attachment, Status
from applications.services import change_status
from contest import phases, setup_cache
from contest.audit import record
from contest.errors import ServiceError
from contest.models import Edition, TerritorialUnit, type_key_for_mime
from contest.validators import validate_no_contact_details
from jury.models import Decision, DecisionLock
from jury.sanitise import CannotSanitise, sanitise

from . import cache
from .models import PublicFile, PublishedEntry, PublishedPartner
from .pictures import SMALL_WIDTH, public_picture, small_picture
from .text import polish_sort_key, search_form

logger = logging.getLogger(__name__)

MAX_SLUG = 80
MAX_REASON = 2000
# Decisions whose entries become public, and the status each decision's entry moves to at publication.
PUBLISHED_OUTCOMES = {Decision.Outcome.LAUREATE: 0, Decision.Outcome.DISTINCTION: 1}
STATUS_FOR_OUTCOME = {
    Decision.Outcome.LAUREATE: Status.LAUREATE,
    Decision.Outcome.DISTINCTION: Status.DISTINCTION,
    Decision.Outcome.FINALIST: Status.NOT_AWARDED,
    Decision.Outcome.NOT_AWARDED: Status.NOT_AWARDED,
}
# Entries still waiting for their outcome at publication; an entry with no decision is published as not awarded.
WAITING = (Status.ACCEPTED, Status.IN_JURY_REVIEW)
PICTURE_TYPES = {"jpeg", "png"}


class PublicationError(ServiceError):
    """A refused publication step; the message is for the organiser."""


# --- helpers ---------------------------------------------------------------------------------------------------

def search_text(*parts):
    """Lower case, Polish letters transliterated (Łódź -> lodz), for a search that ignores both on any database."""
    return " ".join(search_form(part) for part in parts if part)


def unique_slug(base, taken):
    """`base` made unique among `taken` by -2, -3...; adds the result to `taken`."""
    base = base or "wpis"
    slug, number = base, 2
    while slug in taken:
        suffix = f"-{number}"
        slug = base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
        number += 1
    taken.add(slug)
    return slug


def _base_slug(application, leader):
    # The leader's own name ("Łódź"), not its register label ("Łódź (gmina miejska, woj. łódzkie)").
    leader_name = ""
    if leader is not None:
        leader_name = leader.name or (leader.territorial_unit.name if leader.territorial_unit_id else "")
    for source in (application.partnership_name, leader_name, application.title, application.code):
        slug = slugify(source or "", max_length=MAX_SLUG, word_boundary=True)
        if slug:
            return slug
    return ""


def _edition_for_update(edition):
    return Edition.objects.select_for_update().get(pk=edition.pk)


def locked(edition):
    return DecisionLock.objects.filter(edition=edition, stage="").exists()


def outcomes_announced(edition):
    """Whether publication has moved any entry's status: applicants have had their outcome e-mails."""
    return Application.objects.filter(edition=edition, status__in=Status.DECIDED).exists()


def _refuse_if_public(edition):
    """Nothing public may change. Decisions locked after results_at (a late committee) are prepared and so become
    public at once: there was nothing public to change yet."""
    if phases.results_visible(edition) and PublishedEntry.objects.filter(edition=edition).exists():
        raise PublicationError(
            _(
                "The results of this edition are already public: what is published can no longer change. "
                "Unpublish them first."
            )
        )
    if outcomes_announced(edition):
        raise PublicationError(
            _("The outcomes of this edition were already announced to the applicants: they can no longer change.")
        )


def _delete_files_on_commit(names):
    names = [name for name in names if name]

    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except Exception:  # noqa: BLE001 - a file left behind is harmless: nothing refers to it any more
                logger.warning("could not delete the public file %s", name, exc_info=True)

    if names:
        transaction.on_commit(delete)


def _bump_on_commit():
    transaction.on_commit(cache.bump)


# --- preparing -------------------------------------------------------------------------------------------------


def _remove_prepared(edition):
    entries = PublishedEntry.objects.filter(edition=edition)
    names = [
        name
        for pair in PublicFile.objects.filter(entry__edition=edition).values_list("file", "thumbnail")
        for name in pair
    ]
    count = entries.count()
    entries.delete()  # partners and files go with their entry
    _delete_files_on_commit(names)
    return count


def _public_copy(attachment):
    """(kind, content, extension, mime, width, height) of an attachment's public copy, or None if it has none."""
    type_key = type_key_for_mime(attachment.content_type)
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        raise
    except Exception as error:
        # A row with no file (ValueError), a storage backend's own error (botocore's ClientError): unreadable like a
        # missing file, so _prepare_files skips it instead of failing the lock.
        raise OSError(f"unreadable attachment file: {error!r}") from error
    if type_key in PICTURE_TYPES:
        picture = public_picture(data, type_key)
        return PublicFile.Kind.IMAGE, picture.data, picture.extension, picture.mime, picture.width, picture.height
    if type_key == "pdf":
        return PublicFile.Kind.DOCUMENT, sanitise(data, "pdf"), "pdf", "application/pdf", None, None
    return None


def _save_small_copy(content, mime):
    """Store the small copy of a public picture; its name, or "" when the picture is small enough already or the
    copy could not be made (the lists then show the public copy itself)."""
    type_key = type_key_for_mime(mime)
    try:
        small = small_picture(content, type_key)
    except CannotSanitise as error:
        logger.warning("no small copy of a public picture: %s", error)
        return ""
    if small is None:
        return ""
    return default_storage.save(f"public/{uuid.uuid4().hex}-small.{small.extension}", ContentFile(small.data))


def small_file(public):
    """The file the lists show for a public picture: its small copy, made now if a copy prepared before small copies
    existed has none (once: a concurrent request's copy is dropped), or the public copy itself when it is small."""
    if public.thumbnail:
        return public.thumbnail
    if public.kind != PublicFile.Kind.IMAGE or (public.width and public.width <= SMALL_WIDTH):
        return public.file
    try:
        with public.file.open("rb") as handle:
            name = _save_small_copy(handle.read(), public.mime)
    except OSError:
        return public.file
    if not name:
        return public.file
    if PublicFile.objects.filter(pk=public.pk, thumbnail="").update(thumbnail=name):
        public.thumbnail = name
        return public.thumbnail
    default_storage.delete(name)
    public.refresh_from_db(fields=["thumbnail"])
    return public.thumbnail or public.file


def _prepare_files(entry, attachments):
    written = 0
    numbers = {}
    for attachment in attachments:
        try:
            copy = _public_copy(attachment)
        except (CannotSanitise, OSError) as error:
            # The entry is published without this file; the publication page lists what each entry has.
            logger.warning("no public copy of attachment %s: %s", attachment.pk, error)
            continue
        if copy is None:
            continue
        kind, content, extension, mime, width, height = copy
        thumbnail = _save_small_copy(content, mime) if kind == PublicFile.Kind.IMAGE else ""
        numbers[attachment.requirement_id] = numbers.get(attachment.requirement_id, 0) + 1
        # The requirement's name, never the uploader's file name (which can name people).
        label = attachment.requirement.name
        if numbers[attachment.requirement_id] > 1:
            label = f"{label} ({numbers[attachment.requirement_id]})"
        name = default_storage.save(f"public/{uuid.uuid4().hex}.{extension}", ContentFile(content))
        PublicFile.objects.create(
            entry=entry,
            attachment=attachment,
            kind=kind,
            file=name,
            thumbnail=thumbnail,
            label=label[:200],
            mime=mime,
            size=len(content),
            width=width,
            height=height,
            order=written,
        )
        written += 1
    return written


def _published_decisions(edition):
    """The locked decisions whose entries become public: laureates and distinctions still in the competition (an
    entry rejected after its decision is left out)."""
    return Decision.objects.filter(
        edition=edition,
        stage="",
        outcome__in=list(PUBLISHED_OUTCOMES),
        application__status__in=Status.ACCEPTED_FOR_JURY,
    )


def prepare_publication(edition):
    """Copy the locked decisions of an edition (stage "") into PublishedEntry rows: laureates and distinctions, with
    their partners and the public copies of their published attachments. Replaces whatever was prepared before.
    Refused once the results are public or the outcomes announced."""
    with transaction.atomic():
        edition = _edition_for_update(edition)
        _refuse_if_public(edition)
        if not locked(edition):
            raise PublicationError(_("Lock the decisions before preparing the publication."))
        _remove_prepared(edition)
        decisions = list(
            _published_decisions(edition)
            .select_related("application__category")
            .prefetch_related("application__partners__territorial_unit")
        )
        voivodeships = {u.woj: u for u in TerritorialUnit.objects.filter(kind=TerritorialUnit.Kind.VOIVODESHIP)}
        files = {}
        for attachment in (
            Attachment.objects.filter(
                application__in=[d.application_id for d in decisions], requirement__published_for_awarded=True
            )
            .select_related("requirement")
            .order_by("requirement__order", "requirement_id", "uploaded_at", "pk")
        ):
            files.setdefault(attachment.application_id, []).append(attachment)

        def order_key(decision):
            name = decision.application.partnership_name or decision.application.title
            return (PUBLISHED_OUTCOMES[decision.outcome], decision.place or 10_000, polish_sort_key(name))

        taken, file_count = set(), 0
        for order, decision in enumerate(sorted(decisions, key=order_key)):
            application = decision.application
            partners = list(application.partners.all())
            leader = next((p for p in partners if p.is_leader), None)
            leader_name = _public_name(leader) if leader else ""
            entry = PublishedEntry.objects.create(
                edition=edition,
                application=application,
                category=application.category,
                slug=unique_slug(_base_slug(application, leader), taken),
                outcome=decision.outcome,
                place=decision.place,
                prize_tier=decision.prize_tier,
                citation=decision.citation,
                partnership_name=application.partnership_name,
                title=application.title,
                public_summary=application.public_summary,
                leader_name=leader_name,
                search_text=search_text(
                    application.partnership_name,
                    application.title,
                    application.public_summary,
                    application.category.name,
                    *(p.display_name for p in partners),
                    *(p.territorial_unit.label for p in partners if p.territorial_unit_id),
                    *(
                        voivodeships[p.territorial_unit.woj].name
                        for p in partners
                        if p.territorial_unit_id and p.territorial_unit.woj in voivodeships
                    ),
                ),
                order=order,
            )
            PublishedPartner.objects.bulk_create(
                PublishedPartner(
                    entry=entry,
                    name=_public_name(partner),
                    unit=partner.territorial_unit,
                    voivodeship=voivodeships.get(partner.territorial_unit.woj) if partner.territorial_unit_id else None,
                    unit_kind=partner.territorial_unit.kind if partner.territorial_unit_id else "",
                    is_leader=partner.is_leader,
                    order=index,
                )
                for index, partner in enumerate(partners)
            )
            file_count += _prepare_files(entry, files.get(application.pk, []))
        record(
            "results.prepared",
            target=edition,
            edition=edition,
            entries=len(decisions),
            files=file_count,
        )
        _bump_on_commit()
    return len(decisions)


def _public_name(partner):
    """The name the public pages show: the partner's own name, else the unit and its kind as registered
    ("Kłodzko (gmina miejska)"); the voivodeship is shown beside it from PublishedPartner.voivodeship."""
    if partner.name or not partner.territorial_unit_id:
        return partner.display_name
    unit = partner.territorial_unit
    return f"{unit.name} ({unit.kind_label})" if unit.kind_label else unit.name


def clear_publication(edition):
    """Remove the prepared entries (and their files) of an edition whose decisions were unlocked."""
    with transaction.atomic():
        edition = _edition_for_update(edition)
        _refuse_if_public(edition)
        removed = _remove_prepared(edition)
        record("results.cleared", target=edition, edition=edition, entries=removed)
        _bump_on_commit()
    return removed


def _prepared_in_sync(edition):
    wanted = set(_published_decisions(edition).values_list("application_id", flat=True))
    return wanted == set(PublishedEntry.objects.filter(edition=edition).values_list("application_id", flat=True))


# --- publishing ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """What one publish() did: entries whose status moved (each e-mailed once) and whether results_at moved."""

    moved: int
    moved_results_at: bool
    cleared_withdrawal: bool


def _move_statuses(edition, by):
    decisions = {d.application_id: d for d in Decision.objects.filter(edition=edition, stage="")}
    moved = 0
    waiting = (
        Application.objects.select_for_update()
        .filter(edition=edition, status__in=WAITING)
        .select_related("edition")
        .order_by("pk")
    )
    for application in waiting:
        decision = decisions.get(application.pk)
        # No decision for a formally accepted entry means the committee did not award it.
        target = STATUS_FOR_OUTCOME[decision.outcome] if decision else Status.NOT_AWARDED
        if application.status == Status.ACCEPTED:
            # A step of publication, not news: the applicant's one e-mail is the outcome below.
            change_status(application, Status.IN_JURY_REVIEW, by=by, notify=False)
        # Laureates and distinguished entries get the citation; an entry not awarded does not.
        citation = decision.citation if decision and target != Status.NOT_AWARDED else ""
        change_status(application, target, by=by, email_note=citation)
        moved += 1
    return moved


def publish(edition, *, by=None, now=False):
    """The one publication verb. `now=True` ("publish now", an organiser): the decisions must be locked and scoring
    over; results_at becomes this second when it was later, and a withdrawal is cleared. Without it (the periodic
    command at results_at): the announced moment must have come and the results must not be withdrawn.

    Either way each decided entry still waiting moves to laureate / distinction / not awarded (finalists and entries
    without a decision: not awarded) through change_status, which audits and e-mails once on commit. Running it
    again moves nothing and sends nothing."""
    with transaction.atomic():
        edition = _edition_for_update(edition)
        if not locked(edition):
            raise PublicationError(_("The decisions are not locked: lock them before publishing the results."))
        if phases.phase_at(edition) not in (phases.Phase.DELIBERATION, phases.Phase.RESULTS, phases.Phase.ARCHIVED):
            raise PublicationError(_("The results can be published once jury scoring has ended."))
        moment = phases._to_second(timezone.now())
        moved_results_at = cleared = False
        if now:
            if not phases.results_visible(edition) and not _prepared_in_sync(edition):
                # Prepared at the lock; made again if something was left out (a lock from before this app).
                prepare_publication(edition)
            changes = {}
            if edition.results_at > moment:
                changes["results_at"] = moment
                moved_results_at = True
            if edition.results_withdrawn_at is not None:
                changes.update(results_withdrawn_at=None, results_withdrawn_reason="")
                cleared = True
            if changes:
                Edition.objects.filter(pk=edition.pk).update(**changes, updated_at=timezone.now())
                transaction.on_commit(setup_cache.bump)  # the edition's phase on the public pages
                for name, value in changes.items():
                    setattr(edition, name, value)
        elif not phases.results_visible(edition):
            if edition.results_withdrawn_at is not None:
                raise PublicationError(
                    _("The results of this edition were withdrawn; only an organiser publishes them again.")
                )
            raise PublicationError(_("The announced moment of the results has not come yet."))
        moved = _move_statuses(edition, by)
        if moved or moved_results_at or cleared:
            record(
                "results.published",
                actor=by,
                target=edition,
                edition=edition,
                from_state="withdrawn" if cleared else "",
                to_state="published",
                now=bool(now),
                moved=moved,
                results_at=edition.results_at.isoformat(),
            )
            _bump_on_commit()
    return Published(moved, moved_results_at, cleared)


def publish_now(edition, *, by):
    return publish(edition, by=by, now=True)


def validate_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise PublicationError({"reason": [_("Give a reason for withdrawing the results.")]})
    if len(reason) > MAX_REASON:
        raise PublicationError({"reason": [_("The reason may have at most %(n)s characters.") % {"n": MAX_REASON}]})
    try:
        # The reason is hashed into the audit trail for good: no e-mail addresses, no phone numbers, as every reason.
        validate_no_contact_details(reason)
    except ValidationError as error:
        raise PublicationError({"reason": error.messages}) from error
    return reason


def unpublish(edition, *, by, reason):
    """Withdraw the results of an edition: every public surface hides them (phases.results_visible is false) until
    an organiser publishes them again. Statuses stay; applicants' dashboards stop showing outcomes too."""
    reason = validate_reason(reason)
    with transaction.atomic():
        edition = _edition_for_update(edition)
        if edition.results_withdrawn_at is not None:
            raise PublicationError(_("The results of this edition are already withdrawn."))
        moment = timezone.now()
        Edition.objects.filter(pk=edition.pk).update(
            results_withdrawn_at=moment, results_withdrawn_reason=reason, updated_at=moment
        )
        transaction.on_commit(setup_cache.bump)
        edition.results_withdrawn_at, edition.results_withdrawn_reason = moment, reason
        record(
            "results.unpublished",
            actor=by,
            target=edition,
            edition=edition,
            from_state="published",
            to_state="withdrawn",
            reason=reason,
        )
        _bump_on_commit()
    return edition


def due_editions(at=None):
    """Editions whose results are due and not yet published: results_at passed, not withdrawn, decisions locked,
    and some formally accepted entry still waiting for its outcome."""
    from .visibility import public_result_editions

    return (
        public_result_editions(at)
        .filter(decision_locks__stage="")
        .filter(applications__status__in=WAITING)
        .distinct()
        .order_by("year")
    )


def publish_due(at=None):
    """Publish every due edition (the periodic command); returns [(edition, Published or the refusal)]."""
    done = []
    for edition in due_editions(at):
        try:
            done.append((edition, publish(edition, by=None)))
        except ServiceError as error:
            logger.warning("results of %s not published: %s", edition.year, error.message)
            done.append((edition, error))
    return done
