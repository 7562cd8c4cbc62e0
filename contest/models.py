"""Editions and their set-up (categories, criteria, attachment requirements, checklist), TERC units, audit events."""

from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .phases import phase_at, results_visible


class FileType(NamedTuple):
    label: str
    mime: str
    extension: str
    zip_based: bool = False


# The one table of attachment file types: the key stored in AttachmentRequirement.allowed_types, the MIME type
# a file of that kind is stored and served as, and the extension its names get whatever the uploader called it.
FILE_TYPES = {
    "pdf": FileType("PDF", "application/pdf", "pdf"),
    "jpeg": FileType("JPEG", "image/jpeg", "jpg"),
    "png": FileType("PNG", "image/png", "png"),
    "docx": FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", True),
    "xlsx": FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", True),
    "odt": FileType("ODT", "application/vnd.oasis.opendocument.text", "odt", True),
    "ods": FileType("ODS", "application/vnd.oasis.opendocument.spreadsheet", "ods", True),
    "zip": FileType("ZIP", "application/zip", "zip", True),
}
FILE_TYPE_CHOICES = [(key, file_type.label) for key, file_type in FILE_TYPES.items()]
EXTENSION_BY_MIME = {file_type.mime: file_type.extension for file_type in FILE_TYPES.values()}
TYPE_KEY_BY_MIME = {file_type.mime: key for key, file_type in FILE_TYPES.items()}


def type_key_for_mime(mime):
    """Our type key ("pdf", "docx", ...) for the MIME type a file was stored as, or None for another type."""
    return TYPE_KEY_BY_MIME.get(mime)


FILE_TYPE_KEYS = {key for key, _label in FILE_TYPE_CHOICES}
ALLOWED_TYPES_HELP = format_lazy("{}: {}", _("allowed file types"), ", ".join(sorted(FILE_TYPE_KEYS)))


# The tie-break rules jury.ranking knows (jury.ranking.TIE_RULES; contest does not import the jury).
RANKING_TIE_RULES = ("criteria", "mean", "median", "trimmed", "min")


class EditionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_draft=False)


class Edition(models.Model):
    name = models.CharField(_("name"), max_length=200, default="Samorządowy Lider Zarządzania – Razem dla Rozwoju")
    number = models.PositiveIntegerField(_("edition number"), unique=True)
    year = models.PositiveIntegerField(_("year"), unique=True)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    description = models.TextField(_("call text"), blank=True)
    eligibility = models.TextField(
        _("who may apply"),
        blank=True,
        help_text=_("Shown on the call page: which local governments may apply, alone or in a partnership."),
    )
    contact_name = models.CharField(_("contact person or office"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    is_draft = models.BooleanField(
        _("draft"), default=True, help_text=_("A draft edition is invisible to the public whatever its dates.")
    )
    call_published_at = models.DateTimeField(_("call published"))
    submissions_open_at = models.DateTimeField(_("submissions open"))
    submission_deadline = models.DateTimeField(
        _("submission deadline"), help_text=_("The last moment (inclusive) at which an application can be submitted.")
    )
    formal_review_ends_at = models.DateTimeField(_("formal review ends"))
    scoring_starts_at = models.DateTimeField(_("jury scoring starts"))
    scoring_ends_at = models.DateTimeField(_("jury scoring ends"))
    results_at = models.DateTimeField(_("results announced"))
    archived_at = models.DateTimeField(_("moved to the archive"), null=True, blank=True)
    rules_document = models.FileField(_("rules (PDF)"), upload_to="rules/", blank=True)
    min_local_government_partners = models.PositiveSmallIntegerField(
        _("minimum local-government partners"),
        default=2,
        help_text=_("Without another sector's partner, at least this many local-government units must take part."),
    )
    allow_cross_sector_partnership = models.BooleanField(
        _("one local-government unit plus another sector is enough"), default=True
    )
    summary_max_length = models.PositiveIntegerField(_("summary length limit"), default=1500)
    min_justification_length = models.PositiveIntegerField(_("minimum justification length"), default=50)
    jurors_per_entry = models.PositiveSmallIntegerField(
        _("jurors per entry"), null=True, blank=True, help_text=_("Empty: every juror scores every entry.")
    )
    ranking_method = models.CharField(
        _("ranking method"),
        max_length=10,
        choices=[("mean", _("mean")), ("median", _("median")), ("trimmed", _("trimmed mean"))],
        default="mean",
        help_text=_("Trimmed mean: the highest and lowest totals are dropped when an entry has at least five cards."),
    )
    ranking_standardise = models.BooleanField(
        _("adjusted results count"),
        default=False,
        help_text=_("Results adjusted for harsh and lenient jurors decide the places (raw results are shown too)."),
    )
    ranking_tie_rules = models.CharField(
        _("tie-break rules"),
        max_length=100,
        default="criteria,median",
        help_text=_(
            "Comma-separated, applied in order: criteria (mean points per criterion in their order), mean, median, "
            "trimmed, min (the higher lowest total). What is still tied is shown ex aequo."
        ),
    )
    ranking_disagreement_share = models.DecimalField(
        _("disagreement threshold"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Entries whose jurors' totals spread more than this share of the maximum are flagged."),
    )
    results_withdrawn_at = models.DateTimeField(
        _("results withdrawn"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by unpublishing: the results are hidden again until they are published anew."),
    )
    results_withdrawn_reason = models.TextField(_("reason for withdrawing the results"), blank=True, editable=False)
    publish_jury_feedback = models.BooleanField(
        _("applicants see the jury's feedback"),
        default=False,
        help_text=_(
            "After publication each applicant sees per-criterion averages and the jurors' justifications, "
            "with no juror named or numbered."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditionQuerySet.as_manager()

    DATE_FIELDS = [
        "call_published_at",
        "submissions_open_at",
        "submission_deadline",
        "formal_review_ends_at",
        "scoring_starts_at",
        "scoring_ends_at",
        "results_at",
        "archived_at",
    ]

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-year"]

    def __str__(self):
        # In the active language: the name ends up in e-mails and pages in either language.
        return pgettext("edition name", "Edition %(number)s (%(year)s)") % {"number": self.number, "year": self.year}

    def clean(self):
        errors = {}
        previous = None
        for field in self.DATE_FIELDS:
            value = getattr(self, field)
            if value is None:
                continue
            if previous is not None and value < getattr(self, previous):
                errors[field] = _("%(this)s must not be earlier than %(previous)s.") % {
                    "this": capfirst(self._meta.get_field(field).verbose_name),
                    "previous": self._meta.get_field(previous).verbose_name,
                }
            previous = field
        unknown = [rule for rule in self.tie_rules if rule not in RANKING_TIE_RULES]
        if unknown or not self.tie_rules and self.ranking_tie_rules.strip():
            errors["ranking_tie_rules"] = _("Unknown tie-break rule %(rule)s; choose from %(rules)s.") % {
                "rule": (unknown or [self.ranking_tie_rules])[0],
                "rules": ", ".join(RANKING_TIE_RULES),
            }
        if errors:
            raise ValidationError(errors)

    @property
    def tie_rules(self):
        """The tie-break rules as a tuple, in order, without blanks."""
        return tuple(rule.strip() for rule in (self.ranking_tie_rules or "").split(",") if rule.strip())

    def phase(self, at=None):
        return phase_at(self, at)

    @property
    def current_phase(self):
        return self.phase()

    def timeline(self):
        """The public milestones, in order, for the call page."""
        rows = [
            (_("Call published"), self.call_published_at),
            (_("Submissions open"), self.submissions_open_at),
            (_("Submission deadline"), self.submission_deadline),
            (_("Formal review ends"), self.formal_review_ends_at),
            (_("Jury scoring"), self.scoring_starts_at),
            (_("Jury scoring ends"), self.scoring_ends_at),
            (_("Results announced"), self.results_at),
        ]
        return rows

    @property
    def results_visible(self):
        return results_visible(self)


class Category(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "name"], name="unique_category_name")]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), validators=[MinValueValidator(1, _("Maximum points must be at least 1."))]
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0, _("The weight cannot be negative."))],
    )
    requires_justification = models.BooleanField(_("written justification required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_points__gte=1), name="criterion_max_points_positive"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="criterion_weight_not_negative"),
        ]

    def __str__(self):
        return self.name


class AttachmentRequirement(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="attachment_requirements")
    name = models.CharField(_("name"), max_length=200)
    help_text = models.TextField(_("help text"), blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    allowed_types = models.JSONField(_("allowed file types"), default=list, help_text=ALLOWED_TYPES_HELP)
    max_size_mb = models.PositiveIntegerField(
        _("maximum size (MB)"),
        default=10,
        validators=[MinValueValidator(1, _("The size limit must be at least 1 MB."))],
    )
    visible_to_jury = models.BooleanField(
        _("shown to the jury"), default=True, help_text=_("Turn off for attachments that identify the applicant.")
    )
    published_for_awarded = models.BooleanField(
        _("published for awarded entries"),
        default=False,
        help_text=_(
            "Photos or a presentation shown on the laureate page of a laureate or distinguished entry after "
            "publication. Pictures are published as resized copies without their metadata."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attachment requirement")
        verbose_name_plural = _("attachment requirements")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        types = self.allowed_types or []
        if not isinstance(types, list) or not types:
            raise ValidationError({"allowed_types": _("Choose at least one allowed file type.")})
        unknown = sorted(set(types) - FILE_TYPE_KEYS)
        if unknown:
            raise ValidationError(
                {"allowed_types": _("Unknown file types: %(types)s.") % {"types": ", ".join(unknown)}}
            )

    @property
    def max_size_bytes(self):
        return self.max_size_mb * 1024 * 1024


class SystemCheck(models.TextChoices):
    """What the system can check itself for a checklist item (applications.formal_checks computes each): the item is
    pre-filled in the formal review from the application's data, and the reviewer still decides."""

    NONE = "", _("none: the reviewer checks it")
    ON_TIME = "on_time", _("submitted on time")
    DECLARATIONS = "declarations", _("every declaration accepted")
    ATTACHMENTS = "attachments", _("every required attachment present")
    PARTNERSHIP = "partnership", _("the partnership meets the edition's conditions")
    PARTNERS_TERC = "partners_terc", _("every local-government partner is a unit of the TERC register")


class ChecklistItem(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="checklist_items")
    text = models.CharField(_("text"), max_length=300)
    system_check = models.CharField(
        _("checked by the system"),
        max_length=20,
        choices=SystemCheck.choices,
        default=SystemCheck.NONE,
        blank=True,
        help_text=_(
            "The formal review pre-fills the item as met when the system's check passes, and says why when it does "
            "not; the reviewer can still change the answer."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("formal checklist item")
        verbose_name_plural = _("formal checklist items")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class TerritorialUnit(models.Model):
    """One unit of the TERC register (GUS)."""

    class Kind(models.TextChoices):
        VOIVODESHIP = "voivodeship", _("voivodeship")
        COUNTY = "county", _("county (powiat)")
        CITY_COUNTY = "city_county", _("city with county rights")
        URBAN = "urban", _("urban municipality")
        RURAL = "rural", _("rural municipality")
        URBAN_RURAL = "urban_rural", _("urban-rural municipality")
        SUB_UNIT = "sub_unit", _("part of a municipality")

    code = models.CharField(_("TERC code"), max_length=7, unique=True)
    woj = models.CharField(_("voivodeship code"), max_length=2, db_index=True)
    pow = models.CharField(max_length=2, blank=True)
    gmi = models.CharField(max_length=2, blank=True)
    rodz = models.CharField(max_length=1, blank=True)
    name = models.CharField(_("name"), max_length=100)
    kind_label = models.CharField(_("kind as registered"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    search_name = models.CharField(max_length=100, db_index=True)
    label = models.CharField(_("full label"), max_length=300)
    valid_on = models.DateField(_("register state"))

    class Meta:
        verbose_name = _("territorial unit (TERC)")
        verbose_name_plural = _("territorial units (TERC)")
        ordering = ["code"]

    def __str__(self):
        return self.label

    @property
    def is_local_government(self):
        return self.kind != self.Kind.SUB_UNIT

    @property
    def county_code(self):
        return self.woj + self.pow if self.pow else ""

    @property
    def voivodeship_code(self):
        return self.woj


APPEND_ONLY = (
    "Audit events are appended with contest.audit.record(), which chains each to the one before it by hash; "
    "AuditEvent.objects.{verb}() would {what}. Call contest.audit.record(action, actor=..., target=..., ...) instead."
)


class AuditEventQuerySet(models.QuerySet):
    """Refuses every way around contest.audit.record(): a row written without it has no place in the chain
    (verify_audit would report it as inserted), and rows are never changed or removed (the database refuses too)."""

    def create(self, **kwargs):
        raise TypeError(APPEND_ONLY.format(verb="create", what="write an event outside the hash chain"))

    def bulk_create(self, objs, *args, **kwargs):
        raise TypeError(APPEND_ONLY.format(verb="bulk_create", what="write events outside the hash chain"))

    def get_or_create(self, defaults=None, **kwargs):
        raise TypeError(APPEND_ONLY.format(verb="get_or_create", what="write an event outside the hash chain"))

    def update_or_create(self, defaults=None, **kwargs):
        raise TypeError(APPEND_ONLY.format(verb="update_or_create", what="change events of the chain"))

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY.format(verb="update", what="change events of the chain"))

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError(APPEND_ONLY.format(verb="bulk_update", what="change events of the chain"))

    def delete(self):
        raise TypeError(APPEND_ONLY.format(verb="delete", what="remove events from the chain"))

    delete.queryset_only = True


class AuditEvent(models.Model):
    """An append-only record of a change that matters: who, when, what, from, to, why."""

    # Set by contest.audit.record before the hash is taken, so the stored instant is the hashed one.
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    # PROTECT: an account named by events is anonymised, never deleted, so the chain keeps its actor id.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The hash chain (contest.audit_chain): position, the previous event's hash and this event's own.
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class InfoPage(models.Model):
    """A page the organisers write in the admin: the accessibility statement and the personal-data clause. The body
    is plain text with a small markup (see contest.infotext), escaped on output: no HTML of anyone's reaches a page."""

    class Slug(models.TextChoices):
        ACCESSIBILITY = "deklaracja-dostepnosci", _("accessibility statement")
        PRIVACY = "ochrona-danych", _("personal-data information clause")

    slug = models.SlugField(_("page address"), max_length=60, unique=True, choices=Slug.choices)
    title_pl = models.CharField(_("title (Polish)"), max_length=200)
    body_pl = models.TextField(
        _("text (Polish)"),
        help_text=_(
            "Plain text. A blank line starts a new paragraph; a line starting with “## ” is a heading, one starting "
            "with “- ” an item of a list. Addresses (https://…) and e-mail addresses become links. HTML is shown "
            "as text."
        ),
    )
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_en = models.TextField(
        _("text (English)"), blank=True, help_text=_("Empty: the Polish text is shown in English too.")
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        ordering = ["slug"]

    def __str__(self):
        return self.title_pl

    def in_language(self, language):
        """(title, body) in the language, falling back to Polish where the English text is empty."""
        if language == "en" and self.body_en.strip():
            return self.title_en or self.title_pl, self.body_en
        return self.title_pl, self.body_pl
