"""Forms for partnership managers: partnerships, bodies, lifecycle, reporting lines, terms."""

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

from . import services
from .models import (
    Body,
    BodyStatus,
    Organisation,
    Partnership,
    ReportingLine,
    TermsOfReference,
    ToRSection,
)


def date_field(label: str, *, required: bool = True, help_text: str = "") -> DateInputField:
    field = DateInputField(
        label=label, required=required, help_text=help_text or "For example, 1 4 2015"
    )
    field.error_messages["required"] = f"Enter the {label.lower()}"
    return field


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["name", "short_name", "legal_basis", "lead_organisation", "description"]
        labels = {"name": "Name", "description": "What the partnership is for"}
        error_messages = {
            "name": {
                "required": "Enter the name of the partnership",
                "unique": "There is already a partnership with this name",
            }
        }

    def save(self, commit=True):
        if not self.instance.slug:
            self.instance.slug = services.unique_slug(Partnership, self.instance.name)
        return super().save(commit)


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = [
            "name",
            "short_name",
            "partnership",
            "kind",
            "meets_in_public",
            "access_to_information",
            "predecessors",
            "notes",
        ]
        labels = {"kind": "Type of body", "predecessors": "Bodies it replaces"}
        error_messages = {
            "name": {"required": "Enter the name of the body"},
            "partnership": {"required": "Choose the partnership the body belongs to"},
            "kind": {"required": "Choose the type of body"},
        }
        widgets = {"predecessors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].empty_label = None
        self.fields["predecessors"].queryset = Body.objects.select_related("partnership").exclude(
            pk=self.instance.pk
        )
        self.fields["predecessors"].required = False

    def clean(self):
        cleaned = super().clean()
        partnership, name = cleaned.get("partnership"), cleaned.get("name")
        if partnership and name:
            clash = Body.objects.filter(partnership=partnership, name__iexact=name).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error("name", f"{partnership} already has a body called {name}")
        return cleaned


class NewBodyForm(BodyForm):
    status = forms.ChoiceField(
        label="Status when it starts",
        choices=[
            (BodyStatus.PROPOSED, "Proposed"),
            (BodyStatus.SHADOW, "Shadow (meeting before it takes on its powers)"),
            (BodyStatus.ACTIVE, "Active"),
        ],
        initial=BodyStatus.ACTIVE,
        widget=forms.RadioSelect,
    )
    status_on = date_field("Date it takes that status")

    class Meta(BodyForm.Meta):
        fields = [*BodyForm.Meta.fields[:4], "status", "status_on", *BodyForm.Meta.fields[4:]]


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(
        label="New status", choices=BodyStatus.choices, widget=forms.RadioSelect
    )
    effective_on = date_field("Date it takes effect")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        help_text="For example, the decision that made the change",
    )

    def __init__(self, *args, body: Body, **kwargs):
        self.body = body
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") and cleaned.get("effective_on"):
            existing = list(self.body.status_changes.values_list("effective_on", "status"))
            try:
                services.check_status_history(
                    [*existing, (cleaned["effective_on"], cleaned["status"])]
                )
            except ValidationError as error:
                self.add_error("status", error)
        return cleaned


class ReportingLineForm(forms.ModelForm):
    starts_on = date_field(
        "Start date", required=False, help_text="Leave empty if it always applied"
    )
    ends_on = date_field(
        "End date",
        required=False,
        help_text="The first day it no longer applies. Leave empty if it still applies",
    )

    class Meta:
        model = ReportingLine
        fields = [
            "kind",
            "to_body",
            "to_organisation",
            "cadence",
            "is_primary",
            "starts_on",
            "ends_on",
            "note",
        ]
        labels = {
            "kind": "Kind of line",
            "to_body": "To a body",
            "to_organisation": "Or to an organisation",
            "is_primary": "This is the body's main (primary) reporting line",
            "cadence": "How often it reports",
        }

    def __init__(self, *args, from_body: Body, **kwargs):
        self.from_body = from_body
        super().__init__(*args, **kwargs)
        self.instance.from_body = from_body
        self.fields["to_body"].queryset = Body.objects.exclude(pk=from_body.pk).select_related(
            "partnership"
        )
        self.fields["to_body"].required = False
        self.fields["to_organisation"].queryset = Organisation.objects.all()
        self.fields["to_organisation"].required = False
        self.fields["cadence"].required = False

    def clean(self):
        cleaned = super().clean()
        to_body, to_organisation = cleaned.get("to_body"), cleaned.get("to_organisation")
        if not to_body and not to_organisation:
            self.add_error("to_body", "Choose the body or the organisation the line goes to")
            return cleaned
        if to_body and to_organisation:
            self.add_error("to_organisation", "Choose a body or an organisation, not both")
            return cleaned
        candidate = self.instance
        for name in [
            "kind",
            "to_body",
            "to_organisation",
            "cadence",
            "is_primary",
            "starts_on",
            "ends_on",
        ]:
            setattr(candidate, name, cleaned.get(name))
        try:
            services.check_reporting_line(candidate)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    self.add_error(field, errors)
            else:
                field = (
                    "to_body" if error.code in {"cycle", "target_ended", "self"} else "is_primary"
                )
                self.add_error(field, error)
        return cleaned

    def save(self, commit=True):
        return services.save_reporting_line(line=self.instance)


class TermsOfReferenceForm(forms.ModelForm):
    review_on = date_field("Review date", required=False, help_text="When it is due for review")

    class Meta:
        model = TermsOfReference
        fields = [
            "meetings_per_year",
            "frequency_note",
            "quorum_count",
            "quorum_fraction",
            "quorum_basis",
            "quorum_counts_advisors",
            "quorum_requires_chair",
            "quorum_required_organisations",
            "review_on",
        ]
        labels = {
            "meetings_per_year": "Meetings a year",
            "frequency_note": "How often it meets, in words (optional)",
            "quorum_count": "Quorum: fewest voting members present",
            "quorum_fraction": "Quorum: or a share of the seats",
            "quorum_basis": "Share of which seats",
        }
        widgets = {
            "quorum_required_organisations": forms.CheckboxSelectMultiple,
            "quorum_basis": forms.RadioSelect,
        }


class ToRSectionForm(forms.ModelForm):
    class Meta:
        model = ToRSection
        fields = ["kind", "heading", "text"]
        labels = {"kind": "Section", "heading": "Heading (if not the usual one)", "text": "Text"}
        error_messages = {"text": {"required": "Enter the text of the section"}}


ToRSectionFormSet = forms.inlineformset_factory(
    TermsOfReference,
    ToRSection,
    form=ToRSectionForm,
    extra=1,
    can_delete=True,
    can_order=False,
)


class AgreeTermsForm(forms.Form):
    agreed_on = date_field("Date agreed")
    effective_on = date_field(
        "Date it takes effect",
        required=False,
        help_text="Leave empty if the same as the date agreed",
    )


class CompareVersionsForm(forms.Form):
    old = forms.IntegerField(label="Compare version", min_value=1)
    new = forms.IntegerField(label="with version", min_value=1)
