"""Jury membership, invitations, affiliations, declarations, conflicts of interest, assignments and scorecards."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import InvitationState
from applications.models import Application
from contest.models import Criterion, Edition, TerritorialUnit


class JuryMember(models.Model):
    """A person on the competition committee of one edition."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="jury_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="jury_memberships"
    )
    is_chair = models.BooleanField(_("chair of the committee"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    max_entries = models.PositiveIntegerField(
        _("maximum entries"), null=True, blank=True, help_text=_("Empty: no limit on this juror's load.")
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    # "Juror 3" on ranking pages: stable within the edition, given in the order of joining (members are deactivated,
    # not deleted, so a number is not given twice).
    number = models.PositiveIntegerField(_("juror number"), editable=False)

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        ordering = ["edition", "-is_chair", "id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="unique_jury_member"),
            models.UniqueConstraint(fields=["edition", "number"], name="unique_jury_member_number"),
        ]

    def __str__(self):
        return f"{self.user} ({self.edition})"

    def save(self, *args, **kwargs):
        if self.number is None:
            with transaction.atomic():
                # The edition's row serialises the numbering of two members joining at once.
                Edition.objects.select_for_update().filter(pk=self.edition_id).exists()
                last = JuryMember.objects.filter(edition_id=self.edition_id).aggregate(n=models.Max("number"))["n"]
                self.number = (last or 0) + 1
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)


class Invitation(InvitationState, models.Model):
    """An e-mailed invitation to the jury; only the hash of its secret token is stored."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="jury_invitations"
    )
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    is_chair = models.BooleanField(_("chair of the committee"), default=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("jury invitation")
        verbose_name_plural = _("jury invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.email


class Affiliation(models.Model):
    """A juror's tie to a local government or organisation, used to detect conflicts of interest."""

    class Role(models.TextChoices):
        EMPLOYEE = "employee", _("employee")
        COUNCILLOR = "councillor", _("councillor")
        BOARD_MEMBER = "board_member", _("board member")
        ADVISER = "adviser", _("adviser")
        OTHER = "other", _("other")

    class Scope(models.TextChoices):
        UNIT = "unit", _("this unit only (with its parts)")
        COUNTY = "county", _("the whole county (powiat) and its municipalities")
        VOIVODESHIP = "voivodeship", _("the whole voivodeship and all units in it")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="jury_affiliations"
    )
    territorial_unit = models.ForeignKey(
        TerritorialUnit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("local-government unit")
    )
    scope = models.CharField(_("extent"), max_length=20, choices=Scope.choices, default=Scope.UNIT)
    organisation_name = models.CharField(_("organisation name"), max_length=300, blank=True)
    nip = models.CharField(_("NIP"), max_length=10, blank=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True)
    krs = models.CharField(_("KRS"), max_length=10, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: still ongoing."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["user", "id"]

    def __str__(self):
        if self.territorial_unit_id:
            return self.territorial_unit.label
        return self.organisation_name or self.nip or self.regon or self.krs


class ImpartialityDeclaration(models.Model):
    """The signed statement of impartiality (oświadczenie o bezstronności) for one edition."""

    member = models.OneToOneField(
        JuryMember, verbose_name=_("jury member"), on_delete=models.CASCADE, related_name="declaration"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text_version = models.CharField(_("text version"), max_length=20)
    text = models.TextField(_("text signed"))
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        verbose_name = _("impartiality declaration")
        verbose_name_plural = _("impartiality declarations")

    def __str__(self):
        return f"{self.user} {self.text_version} {self.signed_at:%Y-%m-%d %H:%M}"


class ConflictOfInterest(models.Model):
    """One juror's conflict with one entry; lifted conflicts keep their row so the decision stays on record."""

    class Source(models.TextChoices):
        AUTO = "auto", _("detected automatically")
        DECLARED = "declared", _("declared by the juror")
        ORGANISER = "organiser", _("added by an organiser")

    member = models.ForeignKey(
        JuryMember, verbose_name=_("jury member"), on_delete=models.CASCADE, related_name="conflicts"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="jury_conflicts"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    reason = models.TextField(_("reason"), blank=True)
    matched = models.JSONField(_("what matched"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["member", "application"]
        constraints = [models.UniqueConstraint(fields=["member", "application"], name="unique_conflict_pair")]

    def __str__(self):
        return f"{self.member_id} × {self.application_id} ({self.source})"

    @property
    def is_active(self):
        return self.lifted_at is None


class Assignment(models.Model):
    """An entry given to a juror to score."""

    class Source(models.TextChoices):
        AUTO = "auto", _("automatic")
        MANUAL = "manual", _("by hand")

    member = models.ForeignKey(
        JuryMember, verbose_name=_("jury member"), on_delete=models.CASCADE, related_name="assignments"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="jury_assignments"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.AUTO)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["member", "application"]
        constraints = [models.UniqueConstraint(fields=["member", "application"], name="unique_assignment")]

    def __str__(self):
        return f"{self.member_id} × {self.application_id}"


class Scorecard(models.Model):
    """One juror's scores for one entry: a draft until submitted; revisions after submission are kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    class Progress(models.TextChoices):
        """Where one juror stands with one entry, as the juror's dashboard and the organisers' board show it: the
        card's Status, or why there is no card to show. Not stored: no field has these choices."""

        NONE = "none", "–"  # the organisers' board: the entry is not assigned to the juror
        # Adjectives agreeing with "karta" (f): a card is "złożona", where an application is "złożony".
        NOT_STARTED = "not_started", pgettext_lazy("scorecard", "not started")
        DRAFT = "draft", pgettext_lazy("scorecard", "draft")
        SUBMITTED = "submitted", pgettext_lazy("scorecard", "submitted")
        CONFLICT = "conflict", _("conflict")
        PREPARING = "preparing", _("being prepared")  # the juror's dashboard: not yet signed off for the jury

    member = models.ForeignKey(
        JuryMember, verbose_name=_("jury member"), on_delete=models.CASCADE, related_name="scorecards"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="scorecards"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    overall_comment = models.TextField(_("overall comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    # The card's criterion scores as "criterion id,points,criterion id,points,..." (-1 for no points), written by
    # database triggers on jury_criterionscore (migration 0009), never by Python: whoever writes the scores, the
    # ranking reads one short text per card instead of joining every score (jury.queries.counted_card_table).
    packed_points = models.TextField(default="", editable=False)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["member", "application"]
        constraints = [models.UniqueConstraint(fields=["member", "application"], name="unique_scorecard")]
        # The ranking page asks which cards were submitted after the latest freeze: usually none of thousands.
        indexes = [models.Index(fields=["submitted_at"], name="jury_scorecard_submitted")]

    def __str__(self):
        return f"{self.member_id} × {self.application_id} ({self.status}, {self.revision})"

    def save(self, *args, **kwargs):
        """Never writes packed_points: the triggers own it, and this object's copy may predate the scores just
        saved (the scoring service saves the scores, then the card)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "packed_points"
            ]
        elif kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = [name for name in kwargs["update_fields"] if name != "packed_points"]
        super().save(*args, **kwargs)


class CriterionScore(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "criterion"], name="unique_criterion_score")]

    def __str__(self):
        return f"{self.criterion_id}: {self.points}"


class ScorecardRevision(models.Model):
    """A frozen copy of a scorecard at each submission."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["scorecard", "number"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "number"], name="unique_scorecard_revision")]

    def __str__(self):
        return f"{self.scorecard_id} #{self.number}"


class AnonymisedContent(models.Model):
    """The organiser-reviewed anonymised text of an entry; when present it replaces the automatic redaction."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="anonymised")
    fields = models.JSONField(default=dict)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("anonymised content")
        verbose_name_plural = _("anonymised contents")

    def __str__(self):
        return str(self.application_id)


class ReminderLog(models.Model):
    """One batch of reminder e-mails to jurors with unfinished work, or (with `member`) a reminder to one juror sent
    from the progress board; the two have separate limits (jury.services.reminders)."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="jury_reminders"
    )
    member = models.ForeignKey(
        JuryMember,
        verbose_name=_("juror reminded"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        help_text=_("Empty: a reminder to every juror with unfinished work."),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.JSONField(default=list)

    class Meta:
        verbose_name = _("reminder batch")
        verbose_name_plural = _("reminder batches")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.edition_id} {self.sent_at:%Y-%m-%d %H:%M}"


class RedactionTerm(models.Model):
    """An extra word or phrase hidden from jurors in every entry of an edition: a nickname, a mayor, a local brand."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="redaction_terms")
    term = models.CharField(_("term"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("redaction term")
        verbose_name_plural = _("redaction terms")
        ordering = ["edition", "term"]
        constraints = [models.UniqueConstraint(fields=["edition", "term"], name="unique_redaction_term")]

    def __str__(self):
        return self.term


class AnonymisationCheck(models.Model):
    """An organiser's sign-off that an entry's anonymised version reveals nobody.

    It holds the hash of the juror's view it was given for: once that view changes (an edit, a new redaction term, a
    changed partner), the hashes differ and the sign-off no longer counts.
    """

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="anonymisation_check")
    content_hash = models.CharField(max_length=64)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("anonymisation check")
        verbose_name_plural = _("anonymisation checks")

    def __str__(self):
        return f"{self.application_id} {self.content_hash[:12]}"


class Decision(models.Model):
    """The committee's outcome for one entry, recorded during deliberation. It changes neither the application's
    status nor sends anything: statuses and outcome e-mails change at publication."""

    class Outcome(models.TextChoices):
        LAUREATE = "laureate", _("laureate")
        DISTINCTION = "distinction", _("distinction")
        FINALIST = "finalist", _("finalist")
        NOT_AWARDED = "not_awarded", _("not awarded")

    # Outcomes whose citation will appear on public pages.
    CITED = frozenset({"laureate", "distinction"})

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="decisions")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    # "" for the one decision of today; room for multi-stage judging later.
    stage = models.CharField(_("stage"), max_length=40, blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    prize_tier = models.CharField(_("prize tier"), max_length=100, blank=True, default="")
    citation = models.TextField(_("citation"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["edition", "application"]
        constraints = [models.UniqueConstraint(fields=["application", "stage"], name="unique_decision_per_stage")]

    def __str__(self):
        return f"{self.application_id} {self.outcome}"


class DecisionLock(models.Model):
    """The organisers' lock on the decisions of an edition (and stage); unlocking deletes it, with a reason that
    the audit trail keeps."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="decision_locks")
    stage = models.CharField(_("stage"), max_length=40, blank=True, default="")
    locked_at = models.DateTimeField(_("locked at"), default=timezone.now)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("decision lock")
        verbose_name_plural = _("decision locks")
        constraints = [models.UniqueConstraint(fields=["edition", "stage"], name="unique_decision_lock")]

    def __str__(self):
        return f"{self.edition_id} {self.stage or '-'}"


class RankingSnapshot(models.Model):
    """A frozen ranking: every counted score, the method and its settings, the result, and a SHA-256 over all of it
    (jury.services.ranking.digest). A later freeze makes a new snapshot; earlier ones stay."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="ranking_snapshots")
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("frozen at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("frozen by")
    )
    settings = models.JSONField(_("settings"))
    scores = models.JSONField(_("scores"))
    result = models.JSONField(_("result"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # jury.services.ranking.cards_digest of the counted cards when frozen: the ranking page tells whether anything
    # changed since without reading `scores`. Not part of sha256 (the snapshot's content is); None on older ones
    # (nullable so that SQLite adds the column in place: rebuilding the table would drop its append-only triggers).
    cards_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001

    class Meta:
        verbose_name = _("ranking snapshot")
        verbose_name_plural = _("ranking snapshots")
        ordering = ["edition", "-number"]
        constraints = [models.UniqueConstraint(fields=["edition", "number"], name="unique_ranking_snapshot")]

    def __str__(self):
        return f"{self.edition_id} #{self.number} {self.sha256[:12]}"
