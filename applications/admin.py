"""Admin views of applications: read-mostly, status changes go through the formal review pages."""

from django.contrib import admin

from .models import Application, Attachment, Partner, ResultIndicator


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    raw_id_fields = ["territorial_unit"]


class IndicatorInline(admin.TabularInline):
    model = ResultIndicator
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["requirement", "original_name", "size", "content_type", "sha256", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "edition", "category", "status", "submitted_at"]
    list_filter = ["edition", "status", "category"]
    search_fields = ["code", "title", "partnership_name", "owner__email"]
    readonly_fields = ["status", "code", "sequence", "version", "submitted_at", "owner"]
    raw_id_fields = ["editors"]
    inlines = [PartnerInline, IndicatorInline, AttachmentInline]
