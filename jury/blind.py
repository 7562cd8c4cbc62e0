"""The one place that turns an application into what a juror may see: a frozen, already-redacted BlindEntry.

Juror views and templates get BlindEntry / BlindRow objects only, never an Application or a Partner.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from applications.models import JURY_VISIBLE_FIELDS, Application, Attachment, ResultIndicator
from contest.models import EXTENSION_BY_MIME, TerritorialUnit

from . import redaction


@dataclass(frozen=True)
class BlindAttachment:
    id: int
    label: str
    extension: str

    @property
    def download_name(self):
        return f"{self.label}.{self.extension}".replace(" ", "_")


@dataclass(frozen=True)
class BlindIndicator:
    name: str
    baseline: str
    achieved: str
    source: str


@dataclass(frozen=True)
class BlindEntry:
    code: str
    category: str
    fields: tuple  # (label, redacted text) in the order of JURY_VISIBLE_FIELDS
    indicators: tuple
    attachments: tuple
    implementation_start: object = None
    implementation_end: object = None

    @property
    def title(self):
        return self.fields[0][1] if self.fields else ""


@dataclass(frozen=True)
class BlindRow:
    """One line of a juror's dashboard."""

    code: str
    category: str
    state: str
    state_label: str


def redaction_terms(application):
    """Every known name, person and number of the entry."""
    partners = list(application.partners.select_related("territorial_unit"))
    names = [application.partnership_name]
    place_names = []
    numbers = [application.partnership_krs, application.contact_phone]
    emails = [application.contact_email]
    county_codes = set()
    for partner in partners:
        names.append(partner.name)
        numbers += [partner.nip, partner.regon, partner.krs]
        unit = partner.territorial_unit
        if unit is not None:
            place_names.append(unit.name)
            if unit.pow and unit.gmi:
                county_codes.add(unit.woj + unit.pow)
    if county_codes:
        place_names += list(TerritorialUnit.objects.filter(code__in=county_codes).values_list("name", flat=True))
    people = [application.contact_name]
    owner = application.owner
    people.append(owner.full_name)
    emails.append(owner.email)
    numbers.append(owner.phone)
    for editor in application.editors.all():
        people.append(editor.full_name)
        emails.append(editor.email)
    clean = lambda values: tuple(v for v in dict.fromkeys(values) if v)  # noqa: E731
    return redaction.Terms(
        names=clean(names),
        place_names=clean(place_names),
        people=clean(people),
        numbers=clean(numbers),
        emails=clean(emails),
    )


def auto_redacted_fields(application, terms=None):
    """The automatic redaction of the jury-visible fields, before any organiser edits."""
    terms = terms or redaction_terms(application)
    return redaction.redact_fields({name: getattr(application, name) or "" for name in JURY_VISIBLE_FIELDS}, terms)


def jury_attachments(application):
    return (
        Attachment.objects.filter(application=application, requirement__visible_to_jury=True)
        .select_related("requirement")
        .order_by("requirement__order", "requirement_id", "uploaded_at", "id")
    )


def build_blind_entry(application):
    """The juror's view of an entry: code, category, redacted content, neutral attachment labels."""
    application = Application.objects.select_related("category", "owner").get(pk=application.pk)
    terms = redaction_terms(application)
    compiled = redaction.compile_terms(terms)
    edited = getattr(application, "anonymised", None)
    texts = {name: redaction.redact(getattr(application, name) or "", compiled) for name in JURY_VISIBLE_FIELDS}
    if edited is not None:
        texts.update({k: v for k, v in edited.fields.items() if k in texts})
    labels = {f.name: f.verbose_name for f in Application._meta.get_fields() if f.name in JURY_VISIBLE_FIELDS}
    fields = tuple((str(labels[name]).capitalize(), texts[name]) for name in JURY_VISIBLE_FIELDS)
    indicators = tuple(
        BlindIndicator(*(redaction.redact(v or "", compiled) for v in (i.name, i.baseline, i.achieved, i.source)))
        for i in ResultIndicator.objects.filter(application=application).order_by("order", "id")
    )
    attachments = []
    numbering = {}
    for attachment in jury_attachments(application):
        numbering[attachment.requirement_id] = numbering.get(attachment.requirement_id, 0) + 1
        label = f"{attachment.requirement.name} {numbering[attachment.requirement_id]}"
        extension = EXTENSION_BY_MIME.get(attachment.content_type, "bin")
        attachments.append(BlindAttachment(id=attachment.pk, label=label, extension=extension))
    return BlindEntry(
        code=application.code or "",
        category=application.category.name,
        fields=fields,
        indicators=indicators,
        attachments=tuple(attachments),
        implementation_start=application.implementation_start,
        implementation_end=application.implementation_end,
    )


def build_rows(assignments):
    """Dashboard rows from jury.queries.juror_assignments(member)."""
    from .models import Scorecard

    labels = {"not_started": _("not started"), "draft": _("draft"), "submitted": _("submitted")}
    rows = []
    for assignment in assignments:
        application = assignment.application
        cards = list(application.scorecards.all())
        state = cards[0].status if cards else "not_started"
        if state not in (Scorecard.Status.DRAFT, Scorecard.Status.SUBMITTED):
            state = "not_started"
        rows.append(
            BlindRow(
                code=application.code or "", category=application.category.name, state=state, state_label=labels[state]
            )
        )
    return rows
