"""Organiser forms for the edition set-up (used by the admin)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FILE_TYPE_CHOICES, AttachmentRequirement


class AttachmentRequirementForm(forms.ModelForm):
    allowed_types = forms.MultipleChoiceField(
        label=_("allowed file types"),
        choices=FILE_TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one allowed file type.")},
    )

    class Meta:
        model = AttachmentRequirement
        fields = ["name", "help_text", "is_required", "allowed_types", "max_size_mb", "visible_to_jury", "order"]


class CopyEditionForm(forms.Form):
    number = forms.IntegerField(label=_("number of the new edition"), min_value=1)
    year = forms.IntegerField(label=_("year of the new edition"), min_value=2000, max_value=2100)
