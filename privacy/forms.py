"""Forms of the data-rights pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms import AccessibleFormMixin

from . import services


class ErasureRequestForm(AccessibleFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand: once the organisers approve, my account is anonymised and I can no longer log in. "
            "This cannot be undone."
        )
    )


class RefuseForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.MAX_REASON,
        help_text=_("The person is told it by e-mail; it is kept in the audit trail, so write no e-mail addresses."),
    )

    def clean_reason(self):
        try:
            return services.validate_reason(self.cleaned_data["reason"])
        except services.PrivacyError as error:
            raise forms.ValidationError(error.messages) from error


class ApproveForm(AccessibleFormMixin, forms.Form):
    confirm = forms.BooleanField(label=_("I confirm: anonymise this account now. This cannot be undone."))
