"""Admin for organisers: editions with their set-up as inlines, the information pages, TERC units, the audit trail
(read-only)."""
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from . import audit
from .admin_names import InflectedTitles, inflect_other_apps
from .errors import ServiceError
from .forms import AttachmentRequirementForm, CopyEditionForm, CriterionForm
from .models import (
    AttachmentRequirement,
    AuditEvent,
    Category,
    ChecklistItem,
    Criterion,
    Edition,
    InfoPage,
    TerritorialUnit,
)
from .services import copy_edition


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


class CriterionInline(admin.StackedInline):
    model = Criterion
    form = CriterionForm
    extra = 0
    fields = [("name", "order"), "description", ("max_points", "weight", "requires_justification")]


class AttachmentRequirementInline(admin.StackedInline):
    model = AttachmentRequirement
    form = AttachmentRequirementForm
    extra = 0
    fields = [
        ("name", "order"),
        "help_text",
        ("is_required", "visible_to_jury", "published_for_awarded"),
        "allowed_types",
        "max_size_mb",
    ]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["text", "system_check", "order"]


@admin.register(Edition)
class EditionAdmin(InflectedTitles, admin.ModelAdmin):
    list_display = ["year", "number", "theme", "is_draft", "phase_display", "submission_deadline"]
    list_filter = ["is_draft", "year"]
    search_fields = ["name", "theme", "year"]
    inlines = [CategoryInline, CriterionInline, AttachmentRequirementInline, ChecklistItemInline]
    actions = ["copy_selected"]
    fieldsets = [
        (None, {"fields": ["name", ("number", "year"), "theme", "description", "is_draft", "rules_document"]}),
        (
            _("Call page: who may apply and whom to ask"),
            {"fields": ["eligibility", "contact_name", ("contact_email", "contact_phone")]},
        ),
        (_("Timeline (Warsaw time)"), {"fields": Edition.DATE_FIELDS}),
        (
            _("Rules"),
            {
                "fields": [
                    "min_local_government_partners",
                    "allow_cross_sector_partnership",
                    "summary_max_length",
                    "min_justification_length",
                    "jurors_per_entry",
                ]
            },
        ),
        (
            _("Ranking"),
            {
                "fields": [
                    "ranking_method",
                    "ranking_standardise",
                    "ranking_tie_rules",
                    "ranking_disagreement_share",
                ]
            },
        ),
        (_("Publication"), {"fields": ["publish_jury_feedback"]}),
    ]

    @admin.display(description=_("phase"))
    def phase_display(self, obj):
        return obj.phase().label

    @admin.action(description=_("Copy to start a new edition"))
    def copy_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one edition to copy."), messages.ERROR)
            return None
        source = queryset.get()
        form = CopyEditionForm(
            request.POST if "apply" in request.POST else None,
            initial={"number": source.number + 1, "year": source.year + 1},
        )
        if form.is_valid():
            try:
                new = copy_edition(
                    source, number=form.cleaned_data["number"], year=form.cleaned_data["year"], by=request.user
                )
            except ServiceError as error:  # duplicate year or number, dates out of order
                reason = " ".join(error.messages)
                self.message_user(request, _("The edition could not be copied: %s") % reason, messages.ERROR)
                return None
            self.message_user(request, _("Edition copied as a draft."), messages.SUCCESS)
            return redirect("admin:contest_edition_change", new.pk)
        return render(
            request,
            "admin/contest/copy_edition.html",
            {"form": form, "source": source, "queryset": queryset, "opts": self.model._meta,
             "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "title": _("Copy edition")},
        )


@admin.register(TerritorialUnit)
class TerritorialUnitAdmin(InflectedTitles, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "label"]
    list_filter = ["kind", "woj"]
    search_fields = ["code", "name", "search_name"]
    readonly_fields = [f.name for f in TerritorialUnit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(InflectedTitles, admin.ModelAdmin):
    """An admin that only shows: where a service changes the data, the service is the only way to change it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline:
    """The same for inlines (mixed into TabularInline or StackedInline)."""

    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor", "edition", "from_state", "to_state"]
    list_filter = ["action", "edition"]
    search_fields = ["action", "reason", "actor__email", "target_id"]
    date_hierarchy = "at"


@admin.register(InfoPage)
class InfoPageAdmin(InflectedTitles, admin.ModelAdmin):
    """The two fixed pages the organisers write (seeded by a migration): edited, never added or deleted here."""

    list_display = ["title_pl", "slug", "updated_at"]
    readonly_fields = ["slug", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "updated_at"]}),
        (_("Polish"), {"fields": ["title_pl", "body_pl"]}),
        (_("English"), {"fields": ["title_en", "body_en"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record("info_page.changed", actor=request.user, target=obj, fields=sorted(form.changed_data))


inflect_other_apps(admin.site)
