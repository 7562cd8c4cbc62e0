"""The subscription form: an address and the consent, with the version of the consent text that was shown."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms import AccessibleFormMixin

from . import consent as consent_text


class SubscribeForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("e-mail address"),
        max_length=254,
        help_text=_("We send a link to this address; the subscription starts when you confirm it."),
        error_messages={"invalid": _("Enter an e-mail address such as name@example.pl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # The page shows the whole text beside the box (news/subscribe.html); the short label names it in the error summary.
    consent = forms.BooleanField(
        label=_("consent to the announcements"),
        error_messages={"required": _("Tick the box to give your consent: without it we cannot send announcements.")},
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, max_length=20, initial=consent_text.VERSION)
