"""Forms for rosters: seats, appointments, substitutes, people and their interests."""

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

from partnerships.forms import date_field
from partnerships.models import Organisation

from . import services
from .models import InterestDeclaration, Membership, Person, Seat


def apply_service_errors(
    form: forms.Form, error: ValidationError, default_field: str | None = None
):
    """Show a service's ValidationError on the form, on its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else default_field, errors)
    else:
        form.add_error(default_field, error)


class SeatForm(forms.ModelForm):
    starts_on = date_field(
        "Date the seat starts", required=False, help_text="Leave empty if it always existed"
    )
    ends_on = date_field(
        "Date the seat ends", required=False, help_text="Leave empty if it still exists"
    )

    class Meta:
        model = Seat
        fields = [
            "label",
            "role",
            "represents",
            "nominating_organisation",
            "kind",
            "ex_officio_of",
            "max_holders",
            "voting",
            "counts_for_quorum",
            "statutory_category",
            "starts_on",
            "ends_on",
        ]
        labels = {
            "label": "Seat, as printed on the membership list",
            "max_holders": "How many people may hold it at once",
            "ex_officio_of": "Held ex officio by the holder of",
        }
        error_messages = {"label": {"required": "Enter the seat as printed on the membership list"}}

    def __init__(self, *args, body, **kwargs):
        self.body = body
        super().__init__(*args, **kwargs)
        self.instance.body = body
        self.fields["ex_officio_of"].queryset = Seat.objects.select_related("body").exclude(
            pk=self.instance.pk
        )

    def clean(self):
        cleaned = super().clean()
        candidate = self.instance
        for name in ("role", "kind", "ex_officio_of", "starts_on", "ends_on"):
            setattr(candidate, name, cleaned.get(name))
        if not self.errors:
            try:
                services.check_seat(candidate)
            except ValidationError as error:
                apply_service_errors(self, error, "role")
        return cleaned

    def save(self, commit=True):
        services.save_seat(seat=self.instance)
        return self.instance


class AppointForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Person",
        queryset=Person.objects.order_by("sort_name"),
        required=False,
        help_text="Leave empty for a group seat filled in rotation",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation they represent",
        queryset=Organisation.objects.all(),
        required=False,
    )
    arrangement = forms.ChoiceField(
        label="Arrangement", choices=Membership.Arrangement.choices, initial="sole"
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        required=False,
        help_text="Leave empty to use their current title",
    )
    starts_on: DateInputField = date_field("Date they start")
    term_ends_on = date_field(
        "Date the term of office ends", required=False, help_text="If there is one"
    )

    def __init__(self, *args, seat: Seat, **kwargs):
        self.seat = seat
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = Membership(
            seat=self.seat,
            person=cleaned.get("person"),
            organisation=cleaned.get("organisation"),
            arrangement=cleaned.get("arrangement"),
            starts_on=cleaned.get("starts_on"),
        )
        try:
            services.check_holding(candidate)
        except ValidationError as error:
            apply_service_errors(self, error, "person")
        return cleaned


class EndMembershipForm(forms.Form):
    ends_on = date_field("Date they stop holding the seat")
    reason = forms.ChoiceField(
        label="Why", choices=[("", "Not recorded"), *Membership.EndReason.choices], required=False
    )


class SubstituteForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Substitute",
        queryset=Person.objects.order_by("sort_name"),
        error_messages={"required": "Choose the substitute"},
    )


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "honorific",
            "name",
            "job_title",
            "organisations",
            "email",
            "phone",
            "publish_name",
        ]
        labels = {
            "honorific": "Title (optional)",
            "publish_name": "Show their name on public pages",
        }
        error_messages = {"name": {"required": "Enter the person's name"}}
        widgets = {"organisations": forms.CheckboxSelectMultiple}


class InterestForm(forms.ModelForm):
    registered_on = date_field("Date registered")

    class Meta:
        model = InterestDeclaration
        fields = ["kind", "description", "body", "registered_on"]
        labels = {"kind": "Kind of interest", "body": "Only for this body (optional)"}
        error_messages = {"description": {"required": "Describe the interest"}}
