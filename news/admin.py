"""Admin for organisers: the dispatches of announcements with their counts, read-only (the command creates them).
Subscribers' addresses are not listed here: they are used only to send what each person asked for."""

from django.contrib import admin

from contest.admin import ReadOnlyAdmin

from .models import Dispatch


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdmin):
    list_display = ["edition", "kind", "created_at", "recipients", "batches", "sent", "failed"]
    list_filter = ["kind"]
    readonly_fields = ["edition", "kind", "created_at", "recipients", "batches", "sent", "failed"]
