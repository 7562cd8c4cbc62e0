"""Admin of the jury: read-mostly views for organisers; decisions go through the jury pages and their services."""

from django.contrib import admin

from .models import (
    Affiliation,
    Assignment,
    ConflictOfInterest,
    ImpartialityDeclaration,
    Invitation,
    JuryMember,
    ReminderLog,
    Scorecard,
)


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "edition", "is_chair", "is_active", "max_entries"]
    list_filter = ["edition", "is_chair", "is_active"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "edition", "is_chair", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["edition"]
    search_fields = ["email"]
    readonly_fields = ["token_hash", "accepted_by", "accepted_at", "invited_by"]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["user", "territorial_unit", "organisation_name", "role", "started_on", "ended_on"]
    search_fields = ["user__email", "organisation_name", "nip", "regon", "krs"]
    raw_id_fields = ["user", "territorial_unit"]


@admin.register(ImpartialityDeclaration)
class ImpartialityDeclarationAdmin(admin.ModelAdmin):
    list_display = ["member", "text_version", "signed_at"]
    readonly_fields = ["member", "user", "text_version", "text", "signed_at"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["member", "application", "source", "created_at", "lifted_at"]
    list_filter = ["source", "member__edition"]
    readonly_fields = [f.name for f in ConflictOfInterest._meta.fields]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["member", "application", "source", "created_at"]
    list_filter = ["member__edition", "source"]


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["member", "application", "status", "revision", "updated_at"]
    list_filter = ["member__edition", "status"]
    readonly_fields = [f.name for f in Scorecard._meta.fields]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["edition", "sent_at", "sent_by"]
    readonly_fields = ["edition", "sent_at", "sent_by", "recipients"]
