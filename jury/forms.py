"""Forms of the jury pages: they parse what was sent and tie errors to fields; the rules of the domain (what an
affiliation needs, scores, redaction terms) are jury.services', whose refusals views put back on these forms."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import JURY_VISIBLE_FIELDS, Application
from contest.errors import add_to_form
from contest.forms import AccessibleFormMixin
from contest.models import TerritorialUnit
from contest.teryt import SearchField
from contest.validators import validate_no_contact_details

from .models import Affiliation
from .services import JuryError, check_affiliation_dates, justification_field, parse_emails, points_field
from .services.scoring import POINTS_PATTERN, parse_points, points_not_a_number, points_out_of_range


class InviteForm(AccessibleFormMixin, forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One or many, separated by commas, spaces or new lines."),
    )
    is_chair = forms.BooleanField(label=_("Invite to preside over the committee"), required=False)

    def clean_emails(self):
        valid, invalid = parse_emails(self.cleaned_data["emails"])
        if invalid:
            raise forms.ValidationError(
                _("These are not valid e-mail addresses: %(list)s") % {"list": ", ".join(invalid)}
            )
        if not valid:
            raise forms.ValidationError(_("Give at least one e-mail address."))
        return valid


class RegisterForm(AccessibleFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email="", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            user = get_user_model()(email=self.email, full_name=data.get("full_name", ""))
            try:
                validate_password(one, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class DeclarationForm(AccessibleFormMixin, forms.Form):
    confirm = forms.BooleanField(label=_("I have read the declaration and I sign it."), required=True)


class AffiliationForm(AccessibleFormMixin, forms.Form):
    unit_code = SearchField(
        label=_("Local-government unit (TERC code or name)"),
        help_text=_("For example 0201011 or Bolesławiec. Leave empty for an organisation."),
    )
    scope = forms.ChoiceField(label=_("Extent"), choices=Affiliation.Scope.choices, initial=Affiliation.Scope.UNIT)
    organisation_name = forms.CharField(label=_("Organisation name"), max_length=300, required=False)
    # Wider than the stored value: separators and a "PL" prefix are removed before the check (contest.identifiers).
    nip = forms.CharField(label=_("NIP"), max_length=20, required=False)
    regon = forms.CharField(label=_("REGON"), max_length=20, required=False)
    krs = forms.CharField(label=_("KRS"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Affiliation.Role.choices)
    started_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Optional.")
    )
    ended_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if it continues."),
    )

    def clean_unit_code(self):
        from contest.teryt import search_units

        value = (self.cleaned_data.get("unit_code") or "").strip()
        if not value:
            return None
        if value.isdigit():
            unit = TerritorialUnit.objects.filter(code=value).first()
        else:
            found = list(search_units(value, limit=2))
            exact = [u for u in found if u.name.casefold() == value.casefold()]
            unit = exact[0] if len(exact) == 1 else (found[0] if len(found) == 1 else None)
        if unit is None:
            raise forms.ValidationError(_("No single unit matches; give its seven-digit TERC code."))
        # The code, not the unit: a juror's page keeps no model instance, even in a form's cleaned data.
        return unit.code

    def clean(self):
        # What an affiliation needs (one of unit, name or registry number; numbers that check; an end not before the
        # start) is jury.services.add_affiliation's rule; its refusals come back onto these fields. The dates are
        # asked here too, so that the juror sees that error with the others.
        data = super().clean()
        try:
            check_affiliation_dates(data.get("started_on"), data.get("ended_on"))
        except JuryError as error:
            add_to_form(self, error)
        return data

    def affiliation_fields(self):
        data = self.cleaned_data
        code = data["unit_code"]
        return {
            "territorial_unit": TerritorialUnit.objects.get(code=code) if code else None,
            "scope": data["scope"],
            "organisation_name": data["organisation_name"],
            "nip": data["nip"],
            "regon": data["regon"],
            "krs": data["krs"],
            "role": data["role"],
            "started_on": data["started_on"],
            "ended_on": data["ended_on"],
        }


class PointsField(forms.IntegerField):
    """Points of one criterion: text read by jury.services.scoring.parse_points (the rule the live total in
    static/js/jury.js applies too), then Django's range checks. A text input, not type=number: a browser empties a
    number input it cannot parse ("7,5"), which would save a draft without the points and without a word."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        points = parse_points(value)
        if points is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return points


class ScorecardForm(AccessibleFormMixin, forms.Form):
    """Points and justification per criterion plus an overall comment; built from the edition's criteria."""

    overall_comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            out_of_range = points_out_of_range(criterion)
            self.fields[points_field(criterion)] = PointsField(
                label=_("Points (0–%(max)s)") % {"max": criterion.max_points},
                required=False,
                min_value=0,
                max_value=criterion.max_points,
                error_messages={
                    "invalid": points_not_a_number(criterion),
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                    "step_size": points_not_a_number(criterion),
                },
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "autocomplete": "off",
                        "size": 4,
                        # Read by static/js/jury.js for the live weighted total.
                        "data-weight": str(criterion.weight),
                        "data-max": criterion.max_points,
                        "data-points-pattern": POINTS_PATTERN,
                    }
                ),
            )
            self.fields[justification_field(criterion)] = forms.CharField(
                label=_("Justification") if criterion.requires_justification else _("Justification (optional)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.decorate(validate=False)

    def weighted_total(self):
        """(total, maximum) of points × weight over the criteria, from what was sent or else the saved card; points
        the form would refuse (not a whole number by parse_points, or out of range) count as none. Shown without
        JavaScript; jury.js keeps it live by the same rule."""
        total = maximum = Decimal(0)
        for criterion in self.criteria:
            name = points_field(criterion)
            raw = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
            points = raw if isinstance(raw, int) else parse_points(raw)
            weight = Decimal(criterion.weight)
            if points is not None and 0 <= points <= criterion.max_points:
                total += points * weight
            maximum += criterion.max_points * weight
        return total, maximum

    def rows(self):
        return [(c, self[points_field(c)], self[justification_field(c)]) for c in self.criteria]

    def values(self):
        data = self.cleaned_data
        return {c.pk: (data.get(points_field(c)), data.get(justification_field(c)) or "") for c in self.criteria}


class ChoiceOfPairForm(AccessibleFormMixin, forms.Form):
    """A juror and an entry picked from the organiser's lists by id; anything else is a form error, not a crash."""

    member = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Choose a juror."),
            "invalid": _("The juror chosen is not on the list; reload the page and choose again."),
            "min_value": _("The juror chosen is not on the list; reload the page and choose again."),
        },
    )
    entry = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Choose an entry."),
            "invalid": _("The entry chosen is not on the list; reload the page and choose again."),
            "min_value": _("The entry chosen is not on the list; reload the page and choose again."),
        },
    )


class ConflictAddForm(ChoiceOfPairForm):
    # Every reason below goes into the hash-chained audit trail: no e-mail addresses, no phone numbers.
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        error_messages={"max_length": _("The reason is longer than %(limit_value)d characters.")},
        validators=[validate_no_contact_details],
    )


class AssignmentChangeForm(ChoiceOfPairForm):
    action = forms.ChoiceField(choices=[("assign", _("Assign")), ("unassign", _("Remove"))], required=False)


class ConflictForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        validators=[validate_no_contact_details],
    )


class LiftConflictForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for lifting"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        validators=[validate_no_contact_details],
    )


class AssignmentForm(AccessibleFormMixin, forms.Form):
    mode = forms.ChoiceField(
        label=_("Who scores what"),
        choices=[("all", _("Every juror scores every entry")), ("k", _("Each entry gets a fixed number of jurors"))],
        widget=forms.RadioSelect,
    )
    k = forms.IntegerField(label=_("Jurors per entry"), min_value=1, max_value=50, required=False)

    def clean(self):
        data = super().clean()
        if data.get("mode") == "k" and not data.get("k"):
            self.add_error("k", _("Give the number of jurors per entry."))
        return data


# More than any juror can read in one edition, and far inside the database's integer column.
MAX_ENTRIES_PER_JUROR = 10_000


class MemberForm(AccessibleFormMixin, forms.Form):
    is_chair = forms.BooleanField(label=_("Presides over the committee"), required=False)
    max_entries = forms.IntegerField(
        label=_("Maximum entries"), min_value=0, max_value=MAX_ENTRIES_PER_JUROR, required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)


class AnonymisedForm(AccessibleFormMixin, forms.Form):
    def __init__(self, *args, initial_texts=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {f.name: f.verbose_name for f in Application._meta.get_fields() if f.name in JURY_VISIBLE_FIELDS}
        for name in JURY_VISIBLE_FIELDS:
            self.fields[name] = forms.CharField(
                label=str(labels[name]).capitalize(),
                required=False,
                initial=(initial_texts or {}).get(name, ""),
                widget=forms.TextInput() if name == "title" else forms.Textarea(attrs={"rows": 4}),
            )
        self.decorate(validate=False)


class RedactionTermsForm(AccessibleFormMixin, forms.Form):
    terms = forms.CharField(
        label=_("Extra redaction terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "One term per line: nicknames, mayors' names, local brands. Each is hidden as a whole phrase in any "
            "grammatical case; put a surname on a line of its own to hide it alone."
        ),
    )

    def clean_terms(self):
        from .services import check_terms_count, parse_terms

        try:
            terms = parse_terms(self.cleaned_data["terms"])
            check_terms_count(terms)
            return "\n".join(terms)
        except JuryError as error:
            raise forms.ValidationError(error.messages) from error


class AnonymisationCheckForm(forms.Form):
    """The fingerprint of the juror's view the organiser saw, so that a later change cannot be signed off unseen."""

    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class AuditFilterForm(AccessibleFormMixin, forms.Form):
    """The audit trail page's filters: one action, a range of days."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *((a, a) for a in actions)]
