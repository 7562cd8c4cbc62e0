"""Admin for organisers: editions with their set-up as inlines, the information pages, TERC units, the audit trail
(read-only)."""
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
from .queries import edition_with_setup, published_editions
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
    def get_fieldsets(self, request, obj=None):
        """The edition's set-up in sections, each saying what it decides; the personal-data section points to the
        edition's own page for it (retention), the results section to the publication page."""
        if obj is None:
            personal = _("Set on the edition's personal-data page once the edition is saved.")
            results = _("The results are published and withdrawn on the edition's publication page.")
        else:
            personal = format_html(
                '{} <a href="{}">{}</a>',
                _("How long the edition keeps personal data (drafts never submitted, contact data of entries not "
                  "awarded) is set on the edition's own page."),
                reverse("retention:edition", args=[obj.year]),
                _("Personal data of the edition"),
            )
            results = format_html(
                '{} <a href="{}">{}</a>',
                _("The results are published and withdrawn, with a confirmation, on the edition's publication page."),
                reverse("results_organiser:publication", args=[obj.year]),
                _("Publication of the results"),
            )
        return [
            (
                pgettext_lazy("edition admin section", "Basics"),
                {
                    "fields": ["name", ("number", "year"), "theme", "is_draft"],
                    "description": _(
                        "A draft is invisible to the public whatever its dates: untick it when the call is ready, "
                        "after checking the page with “Preview the call page”."
                    ),
                },
            ),
            (
                pgettext_lazy("edition admin section", "Dates (Warsaw time)"),
                {
                    "fields": Edition.DATE_FIELDS,
                    "description": _(
                        "Each date must not be earlier than the one above it. The phase of the edition (call, "
                        "submissions, formal review, scoring, results, archive) follows from these dates alone."
                    ),
                },
            ),
            (
                pgettext_lazy("edition admin section", "Call and eligibility"),
                {
                    "fields": [
                        "description",
                        "eligibility",
                        "rules_document",
                        "contact_name",
                        ("contact_email", "contact_phone"),
                        "min_local_government_partners",
                        "allow_cross_sector_partnership",
                        "summary_max_length",
                    ],
                    "description": _(
                        "What the public call page shows, and the conditions the application form checks when an "
                        "application is submitted. Categories, attachments and the formal checklist are below."
                    ),
                },
            ),
            (
                pgettext_lazy("edition admin section", "Review"),
                {
                    "fields": [
                        "jurors_per_entry",
                        "min_justification_length",
                        "ranking_method",
                        "ranking_standardise",
                        "ranking_tie_rules",
                        "ranking_disagreement_share",
                    ],
                    "description": _(
                        "How many jurors score each entry, how long a justification must be, and how the ranking is "
                        "computed from the jurors' cards. The criteria are below."
                    ),
                },
            ),
            (
                pgettext_lazy("edition admin section", "Results"),
                {"fields": ["publish_jury_feedback"], "description": results},
            ),
            (pgettext_lazy("edition admin section", "Personal data"), {"fields": [], "description": personal}),
        ]

    def get_urls(self):
        # Before the admin's own: its "<path:object_id>/" would take the address first.
        preview = path(
            "<path:object_id>/podglad/",
            self.admin_site.admin_view(self.preview_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request, object_id):
        """The public call page of the edition as it will look, drafts and unpublished calls included: for staff
        who may see the edition here (admin_view checks the staff session; this, the model permission), never
        indexed. The public address keeps answering 404 until the edition is public and its call published."""
        edition = self.get_object(request, unquote(object_id))
        if edition is None:
            raise Http404
        if not self.has_view_or_change_permission(request, edition):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        edition = edition_with_setup(Edition.objects.filter(pk=edition.pk)).get()
        public = published_editions().filter(pk=edition.pk).exists()
        response = TemplateResponse(
            request,
            "contest/edition_preview.html",
            {
                "edition": edition,
                "is_public": public,
                "change_url": reverse("admin:contest_edition_change", args=[edition.pk]),
            },
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

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
