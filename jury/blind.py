"""The one place that turns models into what a juror's page may hold: frozen, already-redacted objects.

Juror views and templates get only the frozen dataclasses built here (BlindEntry, BlindRow, BlindEdition,
BlindScorecard, BlindCriterion, ...), never a model instance, a queryset or a manager: nothing a template could
follow to an Application, a Partner or a person.
"""

import datetime
import decimal
import hashlib
import json
from dataclasses import asdict, dataclass, replace

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from applications.models import JURY_VISIBLE_FIELDS, Application, Attachment, Partner, ResultIndicator
from contest.models import EXTENSION_BY_MIME, TerritorialUnit

from . import redaction, redaction_store

# Extensions (as jury.blind gives them, from the stored MIME type) a browser may show in place, and how.
INLINE_VIEWERS = {"pdf": "pdf", "jpg": "image", "png": "image"}


@dataclass(frozen=True)
class BlindAttachment:
    id: int
    label: str
    extension: str

    @property
    def download_name(self):
        return f"{self.label}.{self.extension}".replace(" ", "_")

    @property
    def viewer(self):
        """How a browser may show the juror's copy in place ("pdf" or "image"); None: a download only.

        Derived, not a field: the fields are part of the content an organiser signs off (content_hash). Only
        types found in the content at upload reach here, and no markup type (HTML, SVG) is ever one of them.
        """
        return INLINE_VIEWERS.get(self.extension)


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
    implementation_start: datetime.date | None = None
    implementation_end: datetime.date | None = None
    checked: bool = False  # an organiser signed off exactly this content

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
    ready: bool = True  # signed off: the juror may open it

    @property
    def is_submitted(self):
        from .models import Scorecard

        return self.state == Scorecard.Status.SUBMITTED


def redaction_terms(application, counties=None, extra=None):
    """Every known name, person and number of the entry, plus the edition's own redaction terms.

    `counties` (code → name) and `extra` (the edition's terms) let a caller that builds many entries load them once.
    """
    partners = list(application.partners.all())
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
    if counties is None:
        counties = _county_names(county_codes)
    place_names += [counties[code] for code in sorted(county_codes) if code in counties]
    if extra is None:
        extra = edition_terms(application.edition_id)
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
        extra=clean(extra),
    )


def _county_names(codes):
    if not codes:
        return {}
    return dict(TerritorialUnit.objects.filter(code__in=codes).values_list("code", "name"))


def edition_terms(edition_id):
    """The organisers' extra redaction terms of an edition, in their order."""
    from .models import RedactionTerm

    return tuple(RedactionTerm.objects.filter(edition_id=edition_id).order_by("term").values_list("term", flat=True))


def auto_redacted_fields(application, terms=None):
    """The automatic redaction of the jury-visible fields, before any organiser edits."""
    terms = terms or redaction_terms(application)
    return redaction.redact_fields({name: getattr(application, name) or "" for name in JURY_VISIBLE_FIELDS}, terms)


def _loaded(applications):
    """The applications with everything their juror's view needs, in a fixed number of queries."""
    ids = [a.pk for a in applications]
    return list(
        Application.objects.filter(pk__in=ids)
        .select_related("category", "owner", "anonymised", "anonymisation_check")
        .prefetch_related(
            Prefetch("partners", queryset=Partner.objects.select_related("territorial_unit").order_by("id")),
            "editors",
            Prefetch("indicators", queryset=ResultIndicator.objects.order_by("order", "id"), to_attr="jury_indicators"),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(requirement__visible_to_jury=True)
                .select_related("requirement")
                .order_by("requirement__order", "requirement_id", "uploaded_at", "id"),
                to_attr="jury_files",
            ),
        )
    )


def _field_labels():
    return {f.name: f.verbose_name for f in Application._meta.get_fields() if f.name in JURY_VISIBLE_FIELDS}


def _inputs(application):
    """The texts redaction reads for a juror's view of the entry, in a fixed order: the jury-visible fields (an
    organiser's edited version where there is one), then each indicator's four values."""
    texts = {name: getattr(application, name) or "" for name in JURY_VISIBLE_FIELDS}
    edited = getattr(application, "anonymised", None)
    if edited is not None:
        # An organiser's version meets today's terms too: a term added after the edit is hidden there as well, and
        # the changed text voids the sign-off (content_hash).
        texts.update({k: v or "" for k, v in edited.fields.items() if k in texts})
    indicators = [v or "" for i in application.jury_indicators for v in (i.name, i.baseline, i.achieved, i.source)]
    return tuple(texts[name] for name in JURY_VISIBLE_FIELDS) + tuple(indicators)


def _build(application, redacted, labels):
    """The BlindEntry from the redacted texts of _inputs(application) (in its order)."""
    count = len(JURY_VISIBLE_FIELDS)
    fields = tuple(
        (str(labels[name]).capitalize(), text) for name, text in zip(JURY_VISIBLE_FIELDS, redacted[:count], strict=True)
    )
    rest = redacted[count:]
    indicators = tuple(BlindIndicator(*rest[k : k + 4]) for k in range(0, len(rest), 4))
    attachments = []
    numbering = {}
    for attachment in application.jury_files:
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


def build_blind_entries(applications):
    """{application id: BlindEntry} for many applications at once, in a number of queries that does not grow."""
    loaded = _loaded(applications)
    county_codes = set()
    for application in loaded:
        for partner in application.partners.all():
            unit = partner.territorial_unit
            if unit is not None and unit.pow and unit.gmi:
                county_codes.add(unit.woj + unit.pow)
    counties = _county_names(county_codes)
    extras = {edition_id: edition_terms(edition_id) for edition_id in {a.edition_id for a in loaded}}
    labels = _field_labels()
    work = {}
    for application in loaded:
        terms = redaction_terms(application, counties=counties, extra=extras[application.edition_id])
        work[application.pk] = (_inputs(application), terms)
    redacted = redaction_store.redacted_many(work.values())
    entries = {}
    for application in loaded:
        entry = _build(application, redacted[work[application.pk]], labels)
        check = getattr(application, "anonymisation_check", None)
        entries[application.pk] = entry if check is None else _with_check(entry, check)
    return entries


def _with_check(entry, check):
    return replace(entry, checked=check.content_hash == content_hash(entry))


def build_blind_entry(application):
    """The juror's view of an entry: code, category, redacted content, neutral attachment labels."""
    return build_blind_entries([application])[application.pk]


def checked_entry(application):
    """The juror's view of an entry if an organiser signed off its anonymisation for this very content, else None."""
    entry = build_blind_entry(application)
    return entry if entry.checked else None


def content_hash(entry):
    """A fingerprint of everything a juror sees of the entry; a sign-off counts only while it stays the same.

    Field labels are left out: they follow the reader's language, the texts do not (the fields' order is fixed).
    """
    content = {
        "code": entry.code,
        "category": entry.category,
        "fields": [text for _label, text in entry.fields],
        "indicators": [asdict(i) for i in entry.indicators],
        "attachments": [asdict(a) for a in entry.attachments],
        "period": [_plain(entry.implementation_start), _plain(entry.implementation_end)],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _plain(value):
    if isinstance(value, (datetime.date, decimal.Decimal)):
        return str(value)
    return value


@dataclass(frozen=True)
class ReviewField:
    """One field on the organiser's check page: the original with what redaction took out, and the juror's text."""

    label: str
    original: tuple  # (piece, redacted) pairs
    shown: tuple  # (piece, is_mark) pairs


def review(application):
    """The check page's side-by-side view: per field, the original with redacted spans and the juror's version."""
    [loaded] = _loaded([application])
    terms = redaction_terms(loaded)
    compiled = redaction.compile_terms(terms)
    labels = _field_labels()
    work = (_inputs(loaded), terms)
    entry = _build(loaded, redaction_store.redacted_many([work])[work], labels)
    shown = dict(zip(JURY_VISIBLE_FIELDS, (text for _label, text in entry.fields), strict=True))
    fields = tuple(
        ReviewField(
            label=str(labels[name]).capitalize(),
            original=tuple(redaction.highlight(getattr(loaded, name) or "", compiled)),
            shown=tuple(redaction.marked(shown[name])),
        )
        for name in JURY_VISIBLE_FIELDS
    )
    indicators = tuple(
        ReviewField(
            label=f"{_('Indicator')} {number}",
            original=tuple(
                redaction.highlight(" · ".join(v or "" for v in (i.name, i.baseline, i.achieved, i.source)), compiled)
            ),
            shown=tuple(redaction.marked(" · ".join((b.name, b.baseline, b.achieved, b.source)))),
        )
        for number, (i, b) in enumerate(zip(loaded.jury_indicators, entry.indicators, strict=True), start=1)
    )
    return entry, fields + indicators


# Juror pages' other objects -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlindEdition:
    year: int
    name: str
    scoring_starts_at: datetime.datetime | None
    scoring_ends_at: datetime.datetime | None
    min_justification_length: int

    def __str__(self):
        return self.name


def blind_edition(edition):
    return BlindEdition(
        year=edition.year,
        name=str(edition),
        scoring_starts_at=edition.scoring_starts_at,
        scoring_ends_at=edition.scoring_ends_at,
        min_justification_length=edition.min_justification_length,
    )


@dataclass(frozen=True)
class BlindScorecard:
    """The juror's own scorecard: its state only (the scores are in the form)."""

    status: str
    status_label: str
    revision: int

    @property
    def is_submitted(self):
        from .models import Scorecard

        return self.status == Scorecard.Status.SUBMITTED


def blind_scorecard(card):
    if card is None:
        return None
    from .models import Scorecard

    # The dashboard's words for the card's state (they agree with "karta"), not the field's own choice labels.
    label = dict(Scorecard.Progress.choices)[card.status]
    return BlindScorecard(status=card.status, status_label=str(label), revision=card.revision)


@dataclass(frozen=True)
class BlindCriterion:
    pk: int
    name: str
    description: str
    max_points: int
    weight: decimal.Decimal
    requires_justification: bool


def blind_criteria(edition):
    return [
        BlindCriterion(
            pk=c.pk,
            name=c.name,
            description=c.description,
            max_points=c.max_points,
            weight=c.weight,
            requires_justification=c.requires_justification,
        )
        for c in edition.criteria.all()
    ]


@dataclass(frozen=True)
class BlindDeclaration:
    text: str
    text_version: str
    signed_at: datetime.datetime


def blind_declaration(declaration):
    if declaration is None:
        return None
    return BlindDeclaration(
        text=declaration.text, text_version=declaration.text_version, signed_at=declaration.signed_at
    )


@dataclass(frozen=True)
class BlindAffiliation:
    """One of the juror's own affiliations, as their list shows it."""

    id: int
    unit_label: str
    scope_label: str
    organisation_name: str
    nip: str
    regon: str
    krs: str
    role_label: str
    started_on: datetime.date | None
    ended_on: datetime.date | None

    def __str__(self):
        return self.unit_label or self.organisation_name or self.nip or self.regon or self.krs


def blind_affiliations(user):
    return [
        BlindAffiliation(
            id=a.pk,
            unit_label=a.territorial_unit.label if a.territorial_unit_id else "",
            scope_label=str(a.get_scope_display()),
            organisation_name=a.organisation_name,
            nip=a.nip,
            regon=a.regon,
            krs=a.krs,
            role_label=str(a.get_role_display()),
            started_on=a.started_on,
            ended_on=a.ended_on,
        )
        for a in user.jury_affiliations.select_related("territorial_unit")
    ]


@dataclass(frozen=True)
class BlindMembership:
    year: int
    edition: str
    is_chair: bool


def blind_memberships(members):
    return [BlindMembership(year=m.edition.year, edition=str(m.edition), is_chair=m.is_chair) for m in members]


def build_rows(assignments):
    """Dashboard rows from jury.queries.juror_assignments(member); entries not yet signed off are "being prepared"."""
    from .models import Scorecard

    assignments = list(assignments)
    labels = dict(Scorecard.Progress.choices)
    entries = build_blind_entries([a.application for a in assignments])
    rows = []
    for assignment in assignments:
        application = assignment.application
        cards = list(application.scorecards.all())
        state = cards[0].status if cards else "not_started"
        if state not in (Scorecard.Status.DRAFT, Scorecard.Status.SUBMITTED):
            state = "not_started"
        ready = entries[application.pk].checked
        if not ready:
            state = "preparing"
        rows.append(
            BlindRow(
                code=application.code or "",
                category=application.category.name,
                state=state,
                state_label=labels[state],
                ready=ready,
            )
        )
    return rows


# Score sheets (karta oceny) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlindSheetScore:
    criterion: str
    max_points: int
    weight: decimal.Decimal
    points: int | None
    justification: str


@dataclass(frozen=True)
class BlindScoreSheet:
    """One submitted scorecard as its printed sheet: the entry only by code and category, the juror only by number."""

    code: str
    category: str
    juror_number: int | None  # on the organisers' sheets (jury.queries.juror_numbers); None on the juror's own
    scores: tuple
    overall_comment: str
    submitted_at: datetime.datetime | None
    revision: int

    @property
    def total(self):
        return sum(s.points or 0 for s in self.scores)

    @property
    def max_total(self):
        return sum(s.max_points for s in self.scores)


def build_score_sheets(scorecards, numbers=None):
    """BlindScoreSheets from jury.queries.submitted_scorecards(); `numbers` ({member id: n}, from
    jury.queries.juror_numbers) labels each sheet with its juror's number, for the organisers."""
    return [
        BlindScoreSheet(
            code=card.application.code or "",
            category=card.application.category.name,
            juror_number=numbers[card.member_id] if numbers is not None else None,
            scores=tuple(
                BlindSheetScore(
                    criterion=s.criterion.name,
                    max_points=s.criterion.max_points,
                    weight=s.criterion.weight,
                    points=s.points,
                    justification=s.justification,
                )
                for s in card.scores.all()
            ),
            overall_comment=card.overall_comment,
            submitted_at=card.submitted_at,
            revision=card.revision,
        )
        for card in scorecards
    ]
