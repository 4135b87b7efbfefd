"""Forms for progress reports: starting one, the editor's sections and rows, receiving, the
roll-up, and the filters of the report lists."""

from django import forms

from meetings.models import AgendaItem
from partnerships.forms import date_field
from partnerships.models import Body

from .models import RAG, AnnualReport, Direction, Escalation, Indicator, ReportLine


class StartReportForm(forms.Form):
    body = forms.ModelChoiceField(
        label="Body reporting",
        queryset=Body.objects.order_by("name"),
        to_field_name="slug",
        error_messages={"required": "Choose the body that is reporting"},
    )
    receiving_body = forms.ModelChoiceField(
        label="Body it reports to",
        queryset=Body.objects.order_by("name"),
        to_field_name="slug",
        error_messages={"required": "Choose the body the report goes to"},
    )
    kind = forms.ChoiceField(
        label="Type of report",
        choices=AnnualReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of report"},
    )
    period_starts_on = date_field("First day of the period", help_text="For example, 1 4 2015")
    period_ends_on = date_field("Last day of the period", help_text="For example, 31 3 2016")

    def clean(self):
        cleaned = super().clean()
        body, receiving = cleaned.get("body"), cleaned.get("receiving_body")
        if body and receiving and body == receiving:
            self.add_error(
                "receiving_body", "Choose a different body: a body cannot report to itself"
            )
        starts_on, ends_on = cleaned.get("period_starts_on"), cleaned.get("period_ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("period_ends_on", "The last day must be after the first day")
        return cleaned


class ReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["title", "summary", "achievements", "gaps", "next_priorities"]
        labels = {
            "title": "Title",
            "summary": "Executive summary",
            "achievements": "Key achievements",
            "gaps": "Gaps and challenges",
            "next_priorities": "Priorities for next year",
        }
        help_texts = {"title": "Leave empty to use the body's name and the period"}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "achievements": forms.Textarea(attrs={"rows": 5}),
            "gaps": forms.Textarea(attrs={"rows": 5}),
            "next_priorities": forms.Textarea(attrs={"rows": 4}),
        }


def _blank_choice(choices, label):
    return [("", label), *choices]


class ReportLineForm(forms.ModelForm):
    class Meta:
        model = ReportLine
        fields = ["title", "rag", "direction", "narrative"]
        labels = {
            "title": "Priority or work area",
            "rag": "RAG rating",
            "direction": "Direction of travel",
            "narrative": "Progress",
        }
        help_texts = {"narrative": "Needed for red and amber lines: what is off track and the plan"}
        error_messages = {"title": {"required": "Enter the priority or work area of the line"}}
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rag"].choices = _blank_choice(RAG.choices, "Not rated")
        self.fields["direction"].choices = _blank_choice(Direction.choices, "Not stated")


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "value", "target", "trend", "rag"]
        labels = {
            "name": "Indicator",
            "unit": "Unit",
            "baseline": "Baseline",
            "value": "Latest value",
            "target": "Target",
            "trend": "Trend",
            "rag": "RAG rating",
        }
        help_texts = {"unit": "For example, %"}
        error_messages = {
            "name": {"required": "Enter the name of the indicator"},
            "value": {"invalid": "Enter the latest value as a number"},
            "target": {"invalid": "Enter the target as a number"},
            "baseline": {"invalid": "Enter the baseline as a number"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trend"].choices = _blank_choice(Direction.choices, "Not stated")
        self.fields["rag"].choices = _blank_choice(RAG.choices, "Not rated")


class EscalationForm(forms.ModelForm):
    class Meta:
        model = Escalation
        fields = ["issue", "ask"]
        labels = {"issue": "Issue or barrier", "ask": "What you ask of the receiving body"}
        error_messages = {
            "issue": {"required": "Describe the issue you are escalating"},
            "ask": {"required": "Say what you ask the receiving body to do about it"},
        }
        widgets = {
            "issue": forms.Textarea(attrs={"rows": 3}),
            "ask": forms.Textarea(attrs={"rows": 3}),
        }


def _formset(model, form):
    return forms.inlineformset_factory(
        AnnualReport, model, form=form, extra=1, can_delete=True, can_order=False
    )


ReportLineFormSet = _formset(ReportLine, ReportLineForm)
IndicatorFormSet = _formset(Indicator, IndicatorForm)
EscalationFormSet = _formset(Escalation, EscalationForm)


def kept_rows(formset) -> list[dict]:
    """The filled-in rows of a valid formset that are not ticked for deletion, in order."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ReceiveForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened to the report",
        choices=[
            (AnnualReport.Status.RECEIVED, "Received, not yet considered at a meeting"),
            (AnnualReport.Status.CONSIDERED, "Considered at a meeting"),
            (AnnualReport.Status.NOTED, "Noted at a meeting"),
            (AnnualReport.Status.ENDORSED, "Endorsed at a meeting"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened to the report"},
    )
    item = forms.ModelChoiceField(
        label="Agenda item that considered it",
        queryset=AgendaItem.objects.none(),
        required=False,
        help_text="Needed if it was considered, noted or endorsed at a meeting",
    )

    def __init__(self, *args, report: AnnualReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = (
            AgendaItem.objects.filter(meeting__body_id=report.receiving_body_id)
            .select_related("meeting__body", "parent")
            .order_by("-meeting__starts_at", "order")
        )
        self.fields["item"].label_from_instance = lambda item: (
            f"{item.meeting.starts_at:%-d %B %Y}, item {item.number}: {item.title}"
        )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome and outcome != AnnualReport.Status.RECEIVED and not cleaned.get("item"):
            self.add_error("item", "Choose the agenda item that considered the report")
        return cleaned


class RollUpForm(forms.Form):
    scope = forms.ChoiceField(
        label="Which reports to compile",
        choices=[
            ("level", "Reports of the bodies that report directly to this body"),
            ("tree", "Reports of every body beneath, at every level"),
        ],
        widget=forms.RadioSelect,
        initial="level",
        error_messages={"required": "Choose which reports to compile"},
    )


class ReportFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False)
    body = forms.ModelChoiceField(
        label="Body", queryset=Body.objects.none(), required=False, to_field_name="slug"
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[
            ("", "Any"),
            ("overdue", "Overdue"),
            ("expected", "Expected, not started"),
            *AnnualReport.Status.choices,
        ],
        required=False,
    )

    def __init__(self, *args, years: list[int], bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            ("", "This year and last"),
            *[(year, f"{year}/{str(year + 1)[2:]}") for year in years],
        ]
        self.fields["body"].queryset = bodies
