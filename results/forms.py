"""The good-practice archive's filters: a GET form whose unrecognised values are cleared rather than refused."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms import AccessibleFormMixin
from contest.teryt import SearchField

from .models import PublishedEntry
from .queries import UNIT_TYPES


class ArchiveForm(AccessibleFormMixin, forms.Form):
    q = SearchField(
        label=_("Search"),
        help_text=_("Words from the partnership's name, the title or the summary; Polish letters are optional."),
    )
    voivodeship = forms.ChoiceField(label=_("voivodeship"), required=False)
    unit = forms.ChoiceField(label=_("type of unit"), required=False)
    category = forms.TypedChoiceField(label=_("category"), required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label=_("year"), required=False, coerce=int, empty_value=None)
    outcome = forms.ChoiceField(label=_("outcome"), required=False)

    def __init__(self, data=None, *, voivodeships=(), categories=(), years=()):
        super().__init__(data)
        self.fields["voivodeship"].choices = [("", _("all voivodeships")), *voivodeships]
        self.fields["unit"].choices = [
            ("", _("all types of unit")),
            *((key, label) for key, (label, _kinds) in UNIT_TYPES.items()),
        ]
        self.fields["category"].choices = [
            ("", _("all categories")),
            *((str(year), list(group)) for year, group in categories),
        ]
        self.fields["year"].choices = [("", _("all years")), *((year, str(year)) for year in years)]
        self.fields["outcome"].choices = [
            ("", _("all outcomes")),
            (PublishedEntry.Outcome.LAUREATE, _("Laureates")),
            (PublishedEntry.Outcome.DISTINCTION, _("Distinctions")),
        ]
        self.decorate(validate=False)

    def values(self):
        """(the valid filters as {name: value}, the names of the fields whose values were not recognised)."""
        self.is_valid()
        cleared = sorted(name for name in self.fields if name in self.errors)
        values = {
            name: self.cleaned_data[name]
            for name in self.fields
            if name not in cleared and self.cleaned_data.get(name) not in (None, "")
        }
        return values, cleared


def as_query(values):
    """The filters as query-string parameters (strings), in the form's field order, empty ones left out."""
    order = list(ArchiveForm.base_fields)
    return {name: str(values[name]) for name in order if name in values}
