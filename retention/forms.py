"""The organisers' forms: an edition's retention periods and an entry of the register of processing activities."""

from django import forms

from contest.forms import AccessibleFormMixin

from . import services
from .models import ProcessingActivity, RetentionPolicy


class PolicyForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = list(services.POLICY_FIELDS)


class ActivityForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = ProcessingActivity
        fields = list(services.ACTIVITY_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in services.ACTIVITY_FIELDS
            if name not in ("name", "order")
        }
