"""The organisers' forms: an edition's retention periods and an entry of the register of processing activities."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms import AccessibleFormMixin

from . import queries, services
from .models import ProcessingActivity, RetentionPolicy


class PolicyForm(AccessibleFormMixin, forms.ModelForm):
    """The periods; a change that makes data fall due at once (a shortened period, a typo) is saved only with the
    box ticked, after the page said how many drafts and entries the next run would then delete or anonymise."""

    confirm_due = forms.BooleanField(
        label=_("I confirm: the next run may delete and anonymise the data these settings make due now"),
        required=False,
    )

    class Meta:
        model = RetentionPolicy
        fields = list(services.POLICY_FIELDS)

    def __init__(self, *args, at=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.at = at
        # The edition's plan under the saved settings, before the form copies its values onto the instance.
        self.saved_plan = queries.plan(self.instance.edition, at) if self.is_bound else None

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.saved_plan is None:
            return cleaned
        proposed = RetentionPolicy(
            edition=self.instance.edition, **{name: cleaned[name] for name in services.POLICY_FIELDS}
        )
        plan = queries.plan(self.instance.edition, self.at, policy=proposed)
        drafts = len(set(plan.draft_ids) - set(self.saved_plan.draft_ids))
        contacts = len(set(plan.contact_ids) - set(self.saved_plan.contact_ids))
        if (drafts or contacts) and not cleaned.get("confirm_due"):
            self.add_error(
                "confirm_due",
                _(
                    "With these settings the next run deletes %(drafts)s more drafts never submitted and anonymises "
                    "the contact data of %(contacts)s entries at once; this cannot be undone. Check the values, then "
                    "tick the box to confirm."
                )
                % {"drafts": drafts, "contacts": contacts},
            )
        return cleaned

    @property
    def needs_confirmation(self):
        return "confirm_due" in self.errors


class ActivityForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = ProcessingActivity
        fields = list(services.ACTIVITY_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in services.ACTIVITY_FIELDS
            if name not in ("name", "order")
        }
