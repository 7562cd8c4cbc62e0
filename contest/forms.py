"""Organiser forms for the edition set-up (used by the admin)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FILE_TYPE_CHOICES, AttachmentRequirement, Criterion


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


class CriterionForm(forms.ModelForm):
    # The model field is unsigned, so its form field would only say "at least 0"; 0 is refused too.
    max_points = forms.IntegerField(
        label=_("maximum points"),
        min_value=1,
        max_value=32767,
        error_messages={"min_value": _("Maximum points must be at least 1.")},
    )

    class Meta:
        model = Criterion
        fields = ["name", "description", "max_points", "weight", "requires_justification", "order"]


class CopyEditionForm(forms.Form):
    number = forms.IntegerField(label=_("number of the new edition"), min_value=1)
    year = forms.IntegerField(label=_("year of the new edition"), min_value=2000, max_value=2100)
