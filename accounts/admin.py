"""Admin for users: only superusers change accounts and roles here, and every role change is audited."""
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from contest.admin import ReadOnlyAdmin
from contest.admin_names import InflectedTitles

from .access import recent_authentication_required
from .models import Consent, User
from .services import ROLE_FIELDS, ROLE_FLAGS, ROLE_SETS, change_roles, record_password_set


@admin.register(User)
class UserAdmin(InflectedTitles, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_organiser", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_organiser", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone")}),
        (_("Roles"), {"fields": ("is_organiser", "is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["groups", "user_permissions"]

    # Whoever may edit an account's e-mail or password can take it over, and whoever may set roles can make
    # themself superuser: so adding and changing accounts (the password form included) is for superusers
    # alone, whatever permissions a group grants. Viewing follows the permission (organisers have none).
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are anonymised, never deleted: deleting one would cascade to jury records

    # Roles and passwords change only in a session that proved who it is in the last few minutes.
    @method_decorator(recent_authentication_required)
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @method_decorator(recent_authentication_required)
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        requested = {name: form.cleaned_data[name] for name in ROLE_FIELDS if name in form.changed_data}
        stored = User.objects.select_for_update().get(pk=obj.pk) if change else User()
        for name in ROLE_FLAGS:
            if name in requested:  # the service sets them, after comparing with what is stored
                setattr(obj, name, getattr(stored, name))
        super().save_model(request, obj, form, change)
        for name in ROLE_SETS:
            form.cleaned_data.pop(name, None)  # keeps save_related from writing groups behind the service's back
        if requested:
            change_roles(obj, by=request.user, **requested)

    @method_decorator(recent_authentication_required)
    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                stored = User.objects.filter(pk=user.pk).values_list("password", flat=True).get()
                if stored != user.password:
                    record_password_set(user, by=request.user)
        return response


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "text_version", "given_at"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "kind", "text_version", "text", "given_at"]
