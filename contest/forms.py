"""Forms shared by every app (the accessible, Bootstrap-styled form mixin) and the organiser forms for the edition
set-up (used by the admin)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FILE_TYPE_CHOICES, AttachmentRequirement, Criterion
from .validators import MultiLineMixin, SingleLineMixin


class AccessibleFormMixin(MultiLineMixin, SingleLineMixin):
    """Adds aria-describedby (help and error) and aria-invalid to every widget, Bootstrap classes too.

    Single-line text fields refuse control characters, text areas text-direction controls (contest.validators).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Styles only: validating here would run before a subclass's __init__ has finished (querysets, fields).
        self.decorate(validate=False)

    def decorate(self, *, validate=True):
        """Call again after adding fields in __init__; full_clean calls it to mark the fields with errors.
        validate=False marks errors only if the form has already been validated."""
        cleaned = validate or self._errors is not None
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            css = field.widget.attrs.get("class", "")
            if isinstance(field.widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                base = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                base = "form-select"
            else:
                base = "form-control"
            classes = {c for c in css.split() if c != "is-invalid"} | ({base} if base else set())
            if self.is_bound and cleaned and name in self.errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
                classes.add("is-invalid")
            else:
                field.widget.attrs.pop("aria-invalid", None)
            field.widget.attrs["class"] = " ".join(sorted(classes))
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)

    def full_clean(self):
        super().full_clean()
        self.decorate()


class AttachmentRequirementForm(forms.ModelForm):
    allowed_types = forms.MultipleChoiceField(
        label=_("allowed file types"),
        choices=FILE_TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one allowed file type.")},
    )

    class Meta:
        model = AttachmentRequirement
        fields = [
            "name",
            "help_text",
            "is_required",
            "allowed_types",
            "max_size_mb",
            "visible_to_jury",
            "published_for_awarded",
            "order",
        ]


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
