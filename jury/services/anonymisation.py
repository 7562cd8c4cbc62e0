"""What jurors read of an entry: the organisers' edited texts, the edition's redaction terms, and the sign-off."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import JURY_VISIBLE_FIELDS, Application, Status
from contest.audit import record

from ..models import AnonymisedContent
from .errors import JuryError


def save_anonymised(application, fields, *, by):
    clean = {name: (fields.get(name) or "") for name in JURY_VISIBLE_FIELDS}
    with transaction.atomic():
        content, _created = AnonymisedContent.objects.update_or_create(
            application=application, defaults={"fields": clean, "edited_by": by, "edited_at": timezone.now()}
        )
        record("jury.anonymised_edited", actor=by, target=application, edition=application.edition)
    return content


def reset_anonymised(application, *, by):
    with transaction.atomic():
        AnonymisedContent.objects.filter(application=application).delete()
        record("jury.anonymised_reset", actor=by, target=application, edition=application.edition)


MAX_TERM_LENGTH = 200


def parse_terms(text):
    """One term per line, blank lines dropped, repeats (in any letter case) kept once; refuses unusable terms."""
    terms, seen, errors = [], set(), []
    for number, line in enumerate((text or "").splitlines(), start=1):
        term = " ".join(line.split())
        if not term:
            continue
        if len(term) > MAX_TERM_LENGTH:
            errors.append(_("Line %(n)s is longer than %(max)s characters.") % {"n": number, "max": MAX_TERM_LENGTH})
        elif sum(c.isalnum() for c in term) < 2:
            errors.append(_("Line %(n)s needs at least two letters or digits.") % {"n": number})
        elif term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    if errors:
        raise JuryError(errors)
    return terms


# Every juror's page matches the edition's terms; a few hundred cover any edition, tens of thousands are a mistake.
MAX_TERMS = 300


def check_terms_count(terms):
    """Refuse a list of extra redaction terms longer than MAX_TERMS, saying how many were given."""
    if len(terms) > MAX_TERMS:
        raise JuryError(
            _("An edition can have at most %(max)s redaction terms; this list has %(count)s. Nothing was saved.")
            % {"max": MAX_TERMS, "count": len(terms)}
        )


def set_redaction_terms(edition, text, *, by):
    """Make the edition's extra redaction terms the lines of `text`; returns (added, removed).

    Every entry whose juror's view changes with the new terms loses its sign-off by itself (its hash differs).
    """
    from ..models import RedactionTerm

    wanted = parse_terms(text)
    check_terms_count(wanted)
    with transaction.atomic():
        type(edition).objects.select_for_update().filter(pk=edition.pk).first()
        current = {t.term: t for t in RedactionTerm.objects.filter(edition=edition)}
        removed = [term for term in current if term not in wanted]
        added = [term for term in wanted if term not in current]
        RedactionTerm.objects.filter(edition=edition, term__in=removed).delete()
        RedactionTerm.objects.bulk_create([RedactionTerm(edition=edition, term=t, created_by=by) for t in added])
        if added or removed:
            # Counts, not the terms: terms name people and partners, and the audit trail is never erased.
            record(
                "jury.redaction_terms_changed",
                actor=by,
                target=edition,
                edition=edition,
                added=len(added),
                removed=len(removed),
            )
    return added, removed


def sign_off_anonymisation(application, content_hash, *, by):
    """Record that an organiser checked the juror's view of the entry whose fingerprint is `content_hash`.

    Refused when the view changed since the organiser's page was drawn: what was checked must be what jurors see.
    """
    from .. import blind
    from ..models import AnonymisationCheck

    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in Status.ACCEPTED_FOR_JURY:
            raise JuryError(_("Only formally accepted entries go to the jury."))
        current = blind.content_hash(blind.build_blind_entry(locked))
        if content_hash != current:
            raise JuryError(
                _("The anonymised version changed after you opened this page. Check it again, then confirm.")
            )
        check, _created = AnonymisationCheck.objects.update_or_create(
            application=locked, defaults={"content_hash": current, "checked_by": by, "checked_at": timezone.now()}
        )
        record("jury.anonymisation_checked", actor=by, target=locked, edition=locked.edition, content_hash=current)
    return check
