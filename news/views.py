"""Public pages of the announcements: subscribe, check your inbox, confirm (the button posts), unsubscribe (the
button posts; a mail client's one-click POST needs no session, the token is the authority)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from contest.errors import add_to_form

from . import consent, services
from .forms import SubscribeForm


def _client_ip(request):
    """The address the login rate limits see (allauth's, which honours the trusted proxies)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.subscribe(
                form.cleaned_data["email"],
                language=request.LANGUAGE_CODE,
                consent_version=form.cleaned_data["consent_version"],
                client_ip=_client_ip(request),
            )
        except services.TooManyRequests as error:
            add_to_form(form, error)
            status = 429
        except services.NewsError as error:
            form = _consent_changed(form, error)
        else:
            return redirect("news:check_inbox")
    context = {"form": form, "consent_version": consent.VERSION, "consent_text": consent.TEXT}
    return render(request, "news/subscribe.html", context, status=status)


def _consent_changed(form, error):
    """The form again with the current text's version and the box unticked: the person confirms what they read."""
    fresh = SubscribeForm({"email": form.data.get("email", ""), "consent_version": consent.VERSION})
    fresh.full_clean()
    fresh.errors["consent"] = fresh.error_class(error.field_errors.get("consent") or [error.message])
    fresh.decorate()
    return fresh


@require_GET
def check_inbox(request):
    return render(request, "news/check_inbox.html", {"valid_days": services.confirmation_validity().days})


def _invalid(request, error):
    return render(request, "news/invalid_link.html", {"message": error.message}, status=404)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button and changes nothing (mail scanners fetch links); the button's POST confirms."""
    try:
        subscription = services.subscription_for_confirmation(token)
        if request.method == "POST":
            subscription = services.confirm(token)
            return render(request, "news/confirmed.html", {"subscription": subscription})
    except services.NewsError as error:
        return _invalid(request, error)
    if subscription.confirmed_at:
        return render(request, "news/confirmed.html", {"subscription": subscription, "earlier": True})
    return render(request, "news/confirm.html", {"token": token})


@csrf_exempt  # RFC 8058: the mail client posts with no cookie and no CSRF token; the token in the path decides
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST (the button, or a mail client's one-click request) ends the subscription."""
    try:
        subscription = services.subscription_to_end(token)
        if request.method == "POST":
            earlier = subscription.unsubscribed_at is not None
            services.unsubscribe(token)
            return render(request, "news/unsubscribed.html", {"earlier": earlier})
    except services.NewsError as error:
        return _invalid(request, error)
    if subscription.unsubscribed_at:
        return render(request, "news/unsubscribed.html", {"earlier": True})
    return render(request, "news/unsubscribe.html", {"token": token, "pending": subscription.confirmed_at is None})
