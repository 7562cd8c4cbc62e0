"""Admin views of applications: read-only; they change only through the applicant and formal review pages."""

from django.contrib import admin

from contest.admin import ReadOnlyAdmin, ReadOnlyInline
from contest.models import Category

from .models import Application, Attachment, Partner, ResultIndicator


class CategoryOfEditionFilter(admin.RelatedFieldListFilter):
    """Categories by their edition ("2026 – Partnerstwa gmin"): every edition has categories of the same names. With
    an edition chosen in the edition filter, only its categories are offered."""

    def field_choices(self, field, request, model_admin):
        categories = Category.objects.select_related("edition").order_by("-edition__year", "order", "name")
        edition = request.GET.get("edition__id__exact", "")
        if edition.isdigit():
            categories = categories.filter(edition_id=edition)
        return [(category.pk, f"{category.edition.year} – {category.name}") for category in categories]


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
    list_filter = ["edition", "status", ("category", CategoryOfEditionFilter)]
    search_fields = ["code", "title", "partnership_name", "owner__email"]
    inlines = [PartnerInline, IndicatorInline, AttachmentInline]
