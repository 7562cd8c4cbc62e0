"""Partnerships' applications: partners, content, indicators, attachments, declarations, versions, formal review."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import InvitationState
from contest.models import AttachmentRequirement, Category, ChecklistItem, Edition, TerritorialUnit


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CORRECTIONS_REQUESTED = "corrections", _("corrections requested")
    ACCEPTED = "accepted", _("formally accepted")
    REJECTED = "rejected", _("formally rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    IN_JURY_REVIEW = "jury_review", _("in jury review")
    LAUREATE = "laureate", _("laureate")
    DISTINCTION = "distinction", _("distinction")
    NOT_AWARDED = "not_awarded", _("not awarded")


# Groups of statuses, the one definition every query, permission, signal and service uses. Set after the class:
# inside a TextChoices body they would become members.
# The applicants may change the content.
Status.EDITABLE = frozenset({Status.DRAFT, Status.CORRECTIONS_REQUESTED})
# Submitted and waiting for the organisers' formal decision.
Status.IN_FORMAL_REVIEW = frozenset({Status.SUBMITTED, Status.CORRECTIONS_REQUESTED})
# The committee's outcome, made public at publication.
Status.DECIDED = frozenset({Status.LAUREATE, Status.DISTINCTION, Status.NOT_AWARDED})
# Awarded by the committee: their data stays as published (retention keeps them).
Status.AWARDED = frozenset({Status.LAUREATE, Status.DISTINCTION})
# What an application never submitted can be: a draft, or a draft its applicant withdrew.
Status.NEVER_SUBMITTED = frozenset({Status.DRAFT, Status.WITHDRAWN})
# Formally accepted, and every later state: the entries the jury scores, ranks and decides on.
Status.ACCEPTED_FOR_JURY = frozenset({Status.ACCEPTED, Status.IN_JURY_REVIEW}) | Status.DECIDED
# Entries checked for conflicts of interest: on their way to the jury or with it. Drafts, withdrawn and rejected
# entries never reach a juror; decided ones are not re-checked, so a late affiliation cannot change a published result.
Status.CONFLICT_RELEVANT = Status.IN_FORMAL_REVIEW | {Status.ACCEPTED, Status.IN_JURY_REVIEW}


# The one table of allowed status changes; applications.services.change_status() enforces it.
TRANSITIONS = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    # Back to a draft only when its applicants reopen it before the deadline (services.reopen).
    Status.SUBMITTED: {
        Status.ACCEPTED,
        Status.REJECTED,
        Status.CORRECTIONS_REQUESTED,
        Status.WITHDRAWN,
        Status.DRAFT,
    },
    Status.CORRECTIONS_REQUESTED: {Status.SUBMITTED, Status.REJECTED, Status.WITHDRAWN},
    Status.ACCEPTED: {Status.IN_JURY_REVIEW, Status.REJECTED},
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
    Status.IN_JURY_REVIEW: {Status.LAUREATE, Status.DISTINCTION, Status.NOT_AWARDED},
    Status.LAUREATE: set(),
    Status.DISTINCTION: set(),
    Status.NOT_AWARDED: set(),
}

# Content the jury may read (after redaction); everything else is identifying or administrative.
JURY_VISIBLE_FIELDS = [
    "title",
    "summary",
    "problem",
    "goals",
    "cooperation_method",
    "activities",
    "partner_roles",
    "resident_involvement",
    "results_description",
    "costs_and_funding",
    "sustainability",
    "replicability",
]


class Application(models.Model):
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="applications"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="applications"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_applications")
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coedited_applications", verbose_name=_("co-editors")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    code = models.CharField(_("code"), max_length=20, unique=True, null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock: bumped by every save of the draft.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    # The partnership
    partnership_name = models.CharField(_("partnership name"), max_length=300, blank=True)
    legal_form = models.CharField(_("legal form of the partnership"), max_length=200, blank=True)
    formed_on = models.DateField(_("date formed"), null=True, blank=True)
    partnership_krs = models.CharField(_("KRS of the partnership"), max_length=10, blank=True)

    # Content (jury-visible after redaction)
    title = models.CharField(_("project title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_(
            "Shown on the public results page if the entry is awarded. The summary above is for the jury only."
        ),
    )
    problem = models.TextField(_("the problem addressed"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    cooperation_method = models.TextField(_("method of cooperation"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    partner_roles = models.TextField(_("partner roles and decision rules"), blank=True)
    resident_involvement = models.TextField(_("involvement of residents and stakeholders"), blank=True)
    results_description = models.TextField(_("results"), blank=True)
    costs_and_funding = models.TextField(_("costs and funding"), blank=True)
    sustainability = models.TextField(_("sustainability"), blank=True)
    replicability = models.TextField(_("replicability"), blank=True)
    implementation_start = models.DateField(_("implementation start"), null=True, blank=True)
    implementation_end = models.DateField(_("implementation end"), null=True, blank=True)

    # Contact person (identifying)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_position = models.CharField(_("position"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    # Formal review: corrections window
    corrections_deadline = models.DateTimeField(_("corrections deadline"), null=True, blank=True)
    corrections_fields = models.JSONField(_("fields to correct"), default=list, blank=True)
    corrections_note = models.TextField(_("what to correct"), blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "sequence"], name="unique_application_sequence"),
        ]

    def __str__(self):
        return self.code or _("Draft #%(id)s") % {"id": self.pk}

    @property
    def is_editable(self):
        return self.status in Status.EDITABLE

    @property
    def awaiting_corrections(self):
        """Sent back by the organisers: only the fields and parts they asked for may change, until the deadline."""
        return self.status == Status.CORRECTIONS_REQUESTED

    @property
    def leader(self):
        return next((p for p in self.partners.all() if p.is_leader), None)


class Partner(models.Model):
    class Kind(models.TextChoices):
        LOCAL_GOVERNMENT = "jst", _("local-government unit")
        NGO = "ngo", _("non-governmental organisation")
        BUSINESS = "business", _("business")
        UNIVERSITY = "university", _("university or research institute")
        PUBLIC_ADMINISTRATION = "public", _("public administration")
        OTHER = "other", _("other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    territorial_unit = models.ForeignKey(
        TerritorialUnit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("TERC unit")
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    nip = models.CharField(_("NIP"), max_length=10, blank=True, db_index=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True, db_index=True)
    krs = models.CharField(_("KRS"), max_length=10, blank=True, db_index=True)
    role = models.TextField(_("role in the project"), blank=True)
    is_leader = models.BooleanField(_("leading partner"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["-is_leader", "order", "id"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.name:
            return self.name
        return self.territorial_unit.label if self.territorial_unit_id else ""


class ResultIndicator(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    baseline = models.CharField(_("baseline value"), max_length=100, blank=True)
    achieved = models.CharField(_("achieved value"), max_length=100, blank=True)
    source = models.CharField(_("source of data"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("result indicator")
        verbose_name_plural = _("result indicators")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


def attachment_path(instance, filename):
    """A generated storage name: the user's file name never reaches the storage."""
    return f"attachments/{instance.application.edition_id}/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    requirement = models.ForeignKey(AttachmentRequirement, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The copy jurors download: metadata, scripts and embedded files removed (jury.sanitise). Made on the first
    # juror download and kept beside the original, which organisers and applicants keep getting unchanged.
    jury_copy = models.FileField(upload_to=attachment_path, max_length=300, blank=True, default="")
    jury_copy_sha256 = models.CharField(max_length=64, blank=True, default="")
    # jury.sanitise.SANITISER_VERSION the copy was made with: a copy of another version is made again (0: before
    # versions were recorded).
    jury_copy_version = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["requirement__order", "requirement_id", "uploaded_at"]

    def __str__(self):
        return self.original_name


class Declaration(models.Model):
    """A declaration accepted by an applicant, with the exact text and its version."""

    class Kind(models.TextChoices):
        TRUTH = "truth", _("truth of the information")
        PUBLICATION = "publication", _("consent to publication as good practice")
        PRIVACY = "privacy", _("information clause on personal data")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="declarations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text_version = models.CharField(max_length=20)
    text = models.TextField()
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="unique_declaration_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.text_version})"


class ApplicationVersion(models.Model):
    """A frozen copy of an application at each submission or resubmission."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="unique_application_version")]

    def __str__(self):
        return f"{self.application_id} v{self.number}"


class ChecklistResult(models.Model):
    """The organiser's answer to one formal checklist item for one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checklist_results")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="+")
    passed = models.BooleanField(null=True)
    note = models.CharField(max_length=500, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "item"], name="unique_checklist_result")]

    def __str__(self):
        return f"{self.item_id}: {self.passed}"


class CoEditorInvitation(InvitationState, models.Model):
    """A co-editor invitation sent by e-mail; accepting it adds the user to the application's editors.

    Only the SHA-256 of the secret token is stored (as for jury invitations): whoever reads the database
    cannot use a pending link.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("co-editor invitation")
        verbose_name_plural = _("co-editor invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.email
