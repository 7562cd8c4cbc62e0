"""The user's own profile page, and the admin's login, which is allauth's."""
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from . import services
from .forms import ProfileForm


@login_required
def profile(request):
    """The account page: name and phone, corrected here (RODO art. 16); links to e-mail, password, 2FA, my data."""
    # On a POST the form works on a copy: a refused form must not change request.user (the page shows it).
    instance = get_user_model().objects.get(pk=request.user.pk) if request.method == "POST" else request.user
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            services.update_profile(
                request.user, by=request.user, **{name: form.cleaned_data[name] for name in services.PROFILE_FIELDS}
            )
            messages.success(request, _("Your details have been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)


def admin_login(request, extra_context=None):
    """Replaces the admin's own login form (no rate limit, no second factor): everyone logs in at allauth's page.

    GET or POST, nothing here reads a password."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    next_url = next_url if safe else ""
    next_url = next_url or reverse("admin:index")
    if request.user.is_authenticated:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return redirect(next_url)
    return redirect(f"{resolve_url('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
