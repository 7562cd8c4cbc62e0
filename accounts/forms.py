"""The account's own form: the name and phone a person corrects themselves (the e-mail changes through allauth)."""

import re

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms import AccessibleFormMixin

from .models import User

PHONE = re.compile(r"^\+?[0-9 ()\-]{6,40}$")


class ProfileForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "email_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_language"].choices = [
            ("", _("the site's language (Polish)")),
            ("pl", "polski"),
            ("en", "English"),
        ]

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a phone number: digits, spaces, dashes, brackets and a leading +."))
        return phone


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, refused when the information clause changed after the page was shown: the account's
    consent would otherwise record a clause text the person never saw (contest.clause)."""

    def clean(self):
        cleaned = super().clean()
        # The clause's text is the organisers' information page (contest owns it), as in accounts.adapters.
        from contest import clause

        if clause.changed_since_shown(self.data):
            raise forms.ValidationError(clause.changed_message())
        return cleaned
