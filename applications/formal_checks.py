"""What the system checks itself for the formal review, from one application's prefetched rows
(queries.application_detail): each check of contest.models.SystemCheck, passed or not, with the reason in words."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contest import phases
from contest.models import SystemCheck

from .models import Declaration, Partner, Status
from .services import partner_problems

WARSAW = ZoneInfo("Europe/Warsaw")


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    passed: bool
    detail: str = ""

    @property
    def note(self):
        """The line shown beside a checklist item linked to this check."""
        if self.passed:
            return _("Checked automatically: %(detail)s") % {"detail": self.detail}
        return _("Checked automatically, not met: %(detail)s") % {"detail": self.detail}


def system_checks(application):
    """{SystemCheck value: Check} for every check the system knows, in the order of SystemCheck. Reads only what
    queries.application_detail prefetches: no query of its own on a prefetched application."""
    checks = [
        _on_time(application),
        _declarations(application),
        _attachments(application),
        _partnership(application),
        _partners_terc(application),
    ]
    return {check.key: check for check in checks}


def _when(moment):
    return date_format(timezone.localtime(moment, WARSAW), "j E Y, H:i")


def _on_time(application):
    label = _("Submitted on time")
    submitted_at = application.submitted_at
    # A draft reopened by its applicant keeps the moment of its earlier submission: it is not submitted now.
    if not submitted_at or application.status == Status.DRAFT:
        return Check(SystemCheck.ON_TIME, label, False, _("not submitted"))
    corrections = application.corrections_deadline
    if application.status == Status.CORRECTIONS_REQUESTED:
        # The version to judge is the corrected one, not yet submitted: the original's timeliness says nothing.
        if corrections is None:
            return Check(SystemCheck.ON_TIME, label, False, _("corrections awaited"))
        if phases.by_deadline(timezone.now(), corrections):
            detail = _("corrections awaited until %(deadline)s") % {"deadline": _when(corrections)}
        else:
            detail = _("corrections not submitted by %(deadline)s") % {"deadline": _when(corrections)}
        return Check(SystemCheck.ON_TIME, label, False, detail)
    deadline = application.edition.submission_deadline
    when = _when(submitted_at)
    if phases.by_deadline(submitted_at, deadline):
        return Check(SystemCheck.ON_TIME, label, True, _("submitted %(when)s, before the deadline") % {"when": when})
    if corrections and phases.by_deadline(submitted_at, corrections):
        detail = _("submitted %(when)s, within the corrections deadline") % {"when": when}
        return Check(SystemCheck.ON_TIME, label, True, detail)
    detail = _("submitted %(when)s, after the deadline (%(deadline)s)") % {"when": when, "deadline": _when(deadline)}
    return Check(SystemCheck.ON_TIME, label, False, detail)


def _missing(names):
    return _("missing: %(list)s") % {"list": ", ".join(names)}


def _declarations(application):
    label = _("Declarations signed")
    signed = {d.kind for d in application.declarations.all()}
    unsigned = [str(name) for kind, name in Declaration.Kind.choices if kind not in signed]
    if unsigned:
        return Check(SystemCheck.DECLARATIONS, label, False, _missing(unsigned))
    return Check(SystemCheck.DECLARATIONS, label, True, _("all declarations accepted"))


def _attachments(application):
    label = _("Required files present")
    required = [r for r in application.edition.attachment_requirements.all() if r.is_required]
    present = {a.requirement_id for a in application.attachments.all()}
    absent = [r.name for r in required if r.pk not in present]
    if absent:
        return Check(SystemCheck.ATTACHMENTS, label, False, _missing(absent))
    if not required:
        return Check(SystemCheck.ATTACHMENTS, label, True, _("no file is required"))
    return Check(SystemCheck.ATTACHMENTS, label, True, _("every required file present"))


def _partnership(application):
    label = _("Partnership meets the conditions")
    problems = partner_problems(application)
    if problems:
        return Check(SystemCheck.PARTNERSHIP, label, False, " ".join(dict.fromkeys(str(p.message) for p in problems)))
    partners = application.partners.all()
    local = sum(1 for p in partners if p.kind == Partner.Kind.LOCAL_GOVERNMENT)
    detail = _("local-government units: %(local)s, partners from other sectors: %(other)s") % {
        "local": local,
        "other": len(partners) - local,
    }
    return Check(SystemCheck.PARTNERSHIP, label, True, detail)


def _partners_terc(application):
    label = _("Local-government partners in the TERC register")
    local = [p for p in application.partners.all() if p.kind == Partner.Kind.LOCAL_GOVERNMENT]
    outside = [
        p.display_name or _("partner %(number)s") % {"number": number}
        for number, p in enumerate(local, start=1)
        if not (p.territorial_unit_id and p.territorial_unit.is_local_government)
    ]
    if outside:
        return Check(
            SystemCheck.PARTNERS_TERC,
            label,
            False,
            _("not a unit of the register: %(list)s") % {"list": ", ".join(outside)},
        )
    if not local:
        return Check(SystemCheck.PARTNERS_TERC, label, False, _("no local-government partner"))
    return Check(SystemCheck.PARTNERS_TERC, label, True, _("every unit found in the register"))
