"""Admin views of applications: read-only; they change only through the applicant and formal review pages."""

from django.contrib import admin

from contest.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Application, Attachment, Partner, ResultIndicator


class PartnerInline(ReadOnlyInline, admin.TabularInline):
    model = Partner


class IndicatorInline(ReadOnlyInline, admin.TabularInline):
    model = ResultIndicator


class AttachmentInline(ReadOnlyInline, admin.TabularInline):
    model = Attachment
    fields = ["requirement", "original_name", "size", "content_type", "sha256", "uploaded_at"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "edition", "category", "status", "submitted_at"]
    list_filter = ["edition", "status", "category"]
    search_fields = ["code", "title", "partnership_name", "owner__email"]
    inlines = [PartnerInline, IndicatorInline, AttachmentInline]
