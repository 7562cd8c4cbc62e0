"""Admin of the jury: read-only views for organisers; every change goes through the jury pages and their services."""

from django.contrib import admin

from contest.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Affiliation,
    Assignment,
    ConflictOfInterest,
    CriterionScore,
    ImpartialityDeclaration,
    Invitation,
    JuryMember,
    ReminderLog,
    Scorecard,
    ScorecardRevision,
)


@admin.register(JuryMember)
class JuryMemberAdmin(ReadOnlyAdmin):
    list_display = ["user", "edition", "is_chair", "is_active", "max_entries"]
    list_filter = ["edition", "is_chair", "is_active"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "edition", "is_chair", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["edition"]
    search_fields = ["email"]
    exclude = ["token_hash"]


@admin.register(Affiliation)
class AffiliationAdmin(ReadOnlyAdmin):
    list_display = ["user", "territorial_unit", "organisation_name", "role", "started_on", "ended_on"]
    search_fields = ["user__email", "organisation_name", "nip", "regon", "krs"]


@admin.register(ImpartialityDeclaration)
class ImpartialityDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["member", "text_version", "signed_at"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["member", "application", "source", "created_at", "lifted_at"]
    list_filter = ["source", "member__edition"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["member", "application", "source", "created_at"]
    list_filter = ["member__edition", "source"]


class CriterionScoreInline(ReadOnlyInline, admin.TabularInline):
    model = CriterionScore


class ScorecardRevisionInline(ReadOnlyInline, admin.TabularInline):
    model = ScorecardRevision


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["member", "application", "status", "revision", "updated_at"]
    list_filter = ["member__edition", "status"]
    inlines = [CriterionScoreInline, ScorecardRevisionInline]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["edition", "sent_at", "sent_by", "member"]
