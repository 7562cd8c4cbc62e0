"""The organisers' forms of communications: the text of one e-mail, a message to applicants, the log's filter."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contest.forms import AccessibleFormMixin

from . import placeholders
from .models import SentEmail


def _checked(text, allowed, check=placeholders.check):
    try:
        check(text, allowed)
    except placeholders.TemplateError as error:
        if error.body_only:
            raise forms.ValidationError(
                _("%(names)s may be written only in the body: the subject is kept in the log of sent e-mails."),
                params={"names": ", ".join(error.problems)},
                code="body_only",
            ) from None
        if error.unbalanced:
            raise forms.ValidationError(
                _("Unpaired braces: %(pieces)s. A placeholder is written {{ name }}."),
                params={"pieces": " ".join(error.problems)},
                code="braces",
            ) from None
        raise forms.ValidationError(
            ngettext(
                "Unknown placeholder: %(names)s. Use only the placeholders listed beside the form.",
                "Unknown placeholders: %(names)s. Use only the placeholders listed beside the form.",
                len(error.problems),
            ),
            params={"names": ", ".join(error.problems)},
            code="placeholder",
        ) from None
    return text


class TextForm(AccessibleFormMixin, forms.Form):
    """A subject and a body with the placeholders `allowed`; an unknown one is refused, naming it."""

    subject = forms.CharField(label=_("subject"), max_length=200)
    body = forms.CharField(label=_("body"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def clean_subject(self):
        return _checked(self.cleaned_data["subject"], self.allowed, placeholders.check_subject)

    def clean_body(self):
        return _checked(self.cleaned_data["body"], self.allowed)


class LogFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("all"))] + list(SentEmail.Status.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
