"""Forms of the applicant's journey and the formal review; errors are tied to fields for screen readers."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communications.forms import TextForm
from communications.kinds import MESSAGE_PLACEHOLDERS
from contest.collation import polish_sort_key
from contest.forms import AccessibleFormMixin
from contest.identifiers import clean_krs, clean_nip, clean_regon
from contest.models import TerritorialUnit
from contest.teryt import SearchField
from contest.validators import SingleLineMixin, validate_no_contact_details

from . import declarations as declaration_texts
from .models import JURY_VISIBLE_FIELDS, Application, Declaration, Partner, Status
from .queries import ANY_STATUS
from .services import FORM_FIELDS, SECTIONS, checklist_version


class StartForm(AccessibleFormMixin, forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, empty_label=None)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = edition.categories.all()
        self.decorate()


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(AccessibleFormMixin, forms.ModelForm):
    """The main draft form. Nothing is required here: completeness is checked at submission."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    declaration_truth = forms.BooleanField(required=False)
    declaration_publication = forms.BooleanField(required=False)
    declaration_privacy = forms.BooleanField(required=False)

    class Meta:
        model = Application
        fields = ["category", *FORM_FIELDS]
        widgets = {
            "formed_on": DATE_WIDGET,
            "implementation_start": DATE_WIDGET,
            "implementation_end": DATE_WIDGET,
            "partnership_krs": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {
            "partnership_krs": _("Only if the partnership is registered (e.g. an association of municipalities)."),
            "legal_form": _("E.g. agreement between municipalities, association, inter-municipal union."),
        }

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, instance=application, **kwargs)
        self.application = application
        self.fields["category"].queryset = application.edition.categories.all()
        self.fields["category"].empty_label = None
        self.fields["version"].initial = application.version
        for name in FORM_FIELDS + ["category"]:
            self.fields[name].required = False
        self.fields["category"].required = application.status == Status.DRAFT
        limit = application.edition.summary_max_length
        self.fields["summary"].help_text = _("At most %(limit)s characters.") % {"limit": limit}
        self.fields["summary"].widget.attrs["data-maxlength"] = str(limit)
        self.fields["public_summary"].help_text = _(
            "Shown on the public results page if the entry is awarded; the jury never sees it. You may name the "
            "partnership and its members here. At most %(limit)s characters."
        ) % {"limit": limit}
        self.fields["public_summary"].widget.attrs["data-maxlength"] = str(limit)
        for name in JURY_VISIBLE_FIELDS:
            if name in self.fields:
                self.fields[name].jury_visible = True
                if isinstance(self.fields[name].widget, forms.Textarea):
                    self.fields[name].widget.attrs["rows"] = 5
        # Nothing is required to save a draft; these are required to submit, and the form marks them so.
        from .progress import required_form_fields

        for name in required_form_fields():
            self.fields[name].required_for_submission = True
        declared = {d.kind for d in application.declarations.all()}
        for kind in Declaration.Kind.values:
            field = self.fields[f"declaration_{kind}"]
            field.required_for_submission = True
            field.label = declaration_texts.current(kind)[1]
            field.initial = kind in declared
        from .services import editable_fields

        editable = set(editable_fields(application))
        for name in FORM_FIELDS + ["category"]:
            if name not in editable:
                self.fields[name].disabled = True
        if application.status != Status.DRAFT:
            for kind in Declaration.Kind.values:
                self.fields[f"declaration_{kind}"].disabled = True
        self.decorate()

    def clean_partnership_krs(self):
        return clean_krs(self.cleaned_data.get("partnership_krs"))

    def draft_values(self):
        """The values that passed their format checks; fields with errors keep the old saved value."""
        return {k: v for k, v in self.cleaned_data.items() if k in FORM_FIELDS or k == "category"}

    def accepted_declarations(self):
        return {k for k in Declaration.Kind.values if self.cleaned_data.get(f"declaration_{k}")}

    def field_sections(self):
        """Fields grouped for the template: (heading, [bound fields])."""
        from .services import CONTACT_FIELDS, CONTENT_FIELDS, PARTNERSHIP_FIELDS, PUBLIC_FIELDS

        return [
            (_("The partnership"), [self["category"], *(self[n] for n in PARTNERSHIP_FIELDS)]),
            (_("The project"), [self[n] for n in CONTENT_FIELDS]),
            (_("For the public results page"), [self[n] for n in PUBLIC_FIELDS]),
            (_("Contact person"), [self[n] for n in CONTACT_FIELDS]),
        ]


class IndicatorForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    baseline = forms.CharField(label=_("Baseline value"), max_length=100, required=False)
    achieved = forms.CharField(label=_("Achieved value"), max_length=100, required=False)
    source = forms.CharField(label=_("Source of data"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decorate()

    def clean(self):
        data = super().clean()
        if any(data.get(k) for k in ("baseline", "achieved", "source")) and not data.get("name"):
            self.add_error("name", _("Name the indicator."))
        return data


class BaseIndicatorFormSet(forms.BaseFormSet):
    def rows(self):
        return [
            {k: form.cleaned_data.get(k, "") for k in ("name", "baseline", "achieved", "source")}
            for form in self.forms
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get("name")
        ]


IndicatorFormSet = forms.formset_factory(IndicatorForm, formset=BaseIndicatorFormSet, extra=2, max_num=30)


class PartnerForm(AccessibleFormMixin, forms.ModelForm):
    terc_code = forms.CharField(
        label=_("TERC code of the local-government unit"),
        max_length=7,
        required=False,
        help_text=_("Type the unit's name in the search field to find its 7-digit code."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "data-terc-code": "1"}),
    )

    # Wider than the stored value: people type separators (525-001-12-66), which are removed before the check.
    nip = forms.CharField(label=_("NIP"), max_length=20, required=False, help_text=_("10 digits, e.g. 5260250274."))
    regon = forms.CharField(label=_("REGON"), max_length=20, required=False, help_text=_("9 or 14 digits."))
    krs = forms.CharField(
        label=_("KRS"),
        max_length=20,
        required=False,
        help_text=_("10 digits, where the partner is registered in the KRS."),
    )

    class Meta:
        model = Partner
        fields = ["kind", "terc_code", "name", "nip", "regon", "krs", "role", "is_leader"]
        widgets = {"role": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "name": _("For partners other than local-government units."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.territorial_unit_id:
            self.fields["terc_code"].initial = self.instance.territorial_unit.code
            # With JavaScript the code field gives way to the chosen unit's name (static/js/applications.js).
            self.fields["terc_code"].widget.attrs["data-terc-label"] = self.instance.territorial_unit.label
        self.fields["kind"].widget.attrs["data-partner-kind"] = "1"
        self.decorate()

    def clean_nip(self):
        return clean_nip(self.cleaned_data.get("nip"))

    def clean_regon(self):
        return clean_regon(self.cleaned_data.get("regon"))

    def clean_krs(self):
        return clean_krs(self.cleaned_data.get("krs"))

    def clean_role(self):
        return (self.cleaned_data.get("role") or "").strip()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        code = (data.get("terc_code") or "").strip()
        self.instance.territorial_unit = None
        if kind == Partner.Kind.LOCAL_GOVERNMENT:
            if not code:
                self.add_error("terc_code", _("Choose the local-government unit (its TERC code)."))
            else:
                unit = TerritorialUnit.objects.filter(code=code).exclude(kind=TerritorialUnit.Kind.SUB_UNIT).first()
                if unit is None:
                    self.add_error(
                        "terc_code",
                        _("There is no local-government unit with the TERC code %(code)s.") % {"code": code},
                    )
                else:
                    self.instance.territorial_unit = unit
        elif kind:
            if not (data.get("name") or "").strip() and "name" not in self.errors:
                self.add_error("name", _("Give the partner's name."))
            if data.get("is_leader"):
                self.add_error("is_leader", _("The leading partner must be a local-government unit."))
        return data


class UnitSearchForm(SingleLineMixin, forms.Form):
    unit_query = forms.CharField(label=_("Find a local-government unit by name"), max_length=100, required=False)


class AttachmentForm(AccessibleFormMixin, forms.Form):
    requirement = forms.ModelChoiceField(label=_("Attachment type"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("File"),
        max_length=None,
        allow_empty_file=True,
        error_messages={"required": _("No file was chosen. Choose a file on your computer, then select “Upload”.")},
    )
    replace = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = application.edition.attachment_requirements.all()
        self.decorate()


class InviteForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(label=_("Co-editor's e-mail address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decorate()


class ChecklistForm(AccessibleFormMixin, forms.Form):
    ANSWERS = [("", _("not checked")), ("yes", _("met")), ("no", _("not met"))]

    def __init__(self, *args, application, checks=None, **kwargs):
        """checks: formal_checks.system_checks(application). An item linked to a check the system made starts as
        "met" when the check passed and no answer was saved yet; a failed check leaves it for the reviewer, with the
        reason beside it. What the reviewer submits is what is saved."""
        super().__init__(*args, **kwargs)
        results = {r.item_id: r for r in application.checklist_results.all()}
        # The answers' version when the form was drawn: sent back so that a stale tab cannot overwrite them.
        self.version = checklist_version(results.values())
        self.items = list(application.edition.checklist_items.all())
        self.checks = {item.pk: (checks or {}).get(item.system_check) for item in self.items}
        for item in self.items:
            result = results.get(item.pk)
            check = self.checks[item.pk]
            if result is None:
                initial = "yes" if check and check.passed else ""
            else:
                initial = "" if result.passed is None else ("yes" if result.passed else "no")
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=self.ANSWERS,
                required=False,
                initial=initial,
                # The system's note, read out with the answer (aria-describedby, see decorate).
                help_text=check.note if check else "",
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note"), max_length=500, required=False, initial=result.note if result else ""
            )
        self.decorate()

    def rows(self):
        """(answer, note, the system's check or None) per item."""
        return [(self[f"item_{item.pk}"], self[f"note_{item.pk}"], self.checks[item.pk]) for item in self.items]

    def answers(self):
        mapping = {"": None, "yes": True, "no": False}
        return {
            item.pk: (mapping[self.cleaned_data.get(f"item_{item.pk}") or ""], self.cleaned_data.get(f"note_{item.pk}"))
            for item in self.items
        }


class DecisionForm(AccessibleFormMixin, forms.Form):
    DECISIONS = [
        ("accept", _("Accept formally")),
        ("corrections", _("Request corrections")),
        ("reject", _("Reject formally")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Justification or what to correct"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when rejecting or asking for corrections; the applicant receives it by e-mail."),
        # Kept for good in the hash-chained audit trail: no e-mail addresses, no phone numbers.
        validators=[validate_no_contact_details],
    )
    deadline = forms.DateTimeField(
        label=_("Corrections deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Warsaw time."),
    )
    fields_to_correct = forms.MultipleChoiceField(
        label=_("What may be corrected"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, optional=False, **kwargs):
        """optional: the one review form, where the checklist may be saved without a decision yet."""
        super().__init__(*args, **kwargs)
        if optional:
            self.fields["decision"].required = False
            self.fields["decision"].choices = [("", _("No decision yet: save the checklist")), *self.DECISIONS]
            self.fields["decision"].initial = ""
        choices = [(name, Application._meta.get_field(name).verbose_name) for name in FORM_FIELDS]
        choices += list(SECTIONS.items())
        self.fields["fields_to_correct"].choices = choices
        self.decorate()

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in ("reject", "corrections") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the justification."))
        if decision == "corrections":
            deadline = data.get("deadline")
            if not deadline:
                self.add_error("deadline", _("Set the corrections deadline."))
            elif deadline <= timezone.now():
                self.add_error("deadline", _("The corrections deadline must be in the future."))
            if not data.get("fields_to_correct"):
                self.add_error("fields_to_correct", _("Choose at least one field or part to correct."))
        return data


class OrganiserFilterForm(SingleLineMixin, forms.Form):
    q = SearchField(label=_("Search"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False, empty_label=_("all"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    voivodeship = forms.ChoiceField(label=_("Voivodeship of the leader"), required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = edition.categories.all()
        # Drafts are left out unless asked for: the list is the formal review's work, drafts a reminder's.
        self.fields["status"].choices = [("", _("all submitted")), (ANY_STATUS, _("all, drafts included"))] + list(
            Status.choices
        )
        voivodeships = TerritorialUnit.objects.filter(kind=TerritorialUnit.Kind.VOIVODESHIP).values_list("woj", "name")
        in_order = sorted(voivodeships, key=lambda v: polish_sort_key(v[1]))
        self.fields["voivodeship"].choices = [("", _("all")), *in_order]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


class SelectedIdsField(forms.Field):
    """The ids of the ticked rows: whole numbers, at most MAX of them."""

    widget = forms.MultipleHiddenInput
    MAX = 1000
    default_error_messages = {
        "required": _("Select at least one application."),
        "invalid": _("The selection is not valid; reload the list and select again."),
        "too_many": _("Select at most %(max)s applications at once."),
    }

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            ids = sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(i <= 0 or i > 2**31 for i in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(ids) > self.MAX:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many", params={"max": self.MAX})
        return ids


class BulkActionForm(forms.Form):
    """An action on the ticked applications of the organisers' list."""

    # No action is chosen for the organiser: ticking rows to export must not find the acceptance already selected.
    ACTIONS = [
        ("", _("Choose an action")),
        ("accept", _("Accept formally")),
        ("csv", _("Export the selection (CSV)")),
        ("xlsx", _("Export the selection (XLSX)")),
        ("message", _("Write to their applicants")),
    ]
    action = forms.ChoiceField(
        label=_("With the selected"),
        choices=ACTIONS,
        error_messages={"required": _("Choose what to do with the selected applications.")},
    )
    ids = SelectedIdsField(label=_("Selected applications"))

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["action"].widget.attrs["class"] = "form-select"


class ApplicantMessageForm(TextForm):
    """A message to the applicants of the ticked applications (`ids`) or of those the list's filters select
    (`filters`, the list's query string); the same placeholders for each application."""

    ids = SelectedIdsField(required=False)
    filters = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    # Set by the confirmation page: the applications it counted (a digest of their ids) and its one-time token.
    scope = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, allowed=MESSAGE_PLACEHOLDERS, **kwargs)
        self.fields["subject"].label = _("subject of the message")
        self.fields["body"].label = _("text of the message")
