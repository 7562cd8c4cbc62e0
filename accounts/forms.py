"""The account's own form: the name and phone a person corrects themselves (the e-mail changes through allauth)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms import AccessibleFormMixin

from .models import User

PHONE = re.compile(r"^\+?[0-9 ()\-]{6,40}$")


class ProfileForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone"]

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a phone number: digits, spaces, dashes, brackets and a leading +."))
        return phone
