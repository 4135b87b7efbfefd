"""Forms for democratic services: meetings, agenda items and publishing the agenda."""

import datetime

from django import forms
from django.utils import timezone

from membership.models import Person
from partnerships.forms import date_field
from partnerships.models import Body

from .deadlines import LONDON
from .models import EXEMPT_PARAGRAPHS, AgendaItem, Meeting
from .services import CHOOSE_PARAGRAPH, EXPLAIN_PUBLIC_INTEREST, GIVE_URGENCY_REASON

TIME_FORMATS = ["%H:%M", "%H.%M", "%I:%M%p", "%I.%M%p", "%I%p", "%I:%M %p", "%I %p"]
PUBLIC_CHOICES = [
    ("", "As the body usually meets"),
    ("yes", "In public"),
    ("no", "In private"),
]


def _time_field(label: str, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=TIME_FORMATS,
        help_text="Use the 24-hour clock, for example 14:00",
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a time, like 14:00",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
    )


class MeetingForm(forms.Form):
    """A meeting's date, time, place and whether the public may attend."""

    body = forms.ModelChoiceField(
        label="Body",
        queryset=Body.objects.select_related("partnership"),
        error_messages={"required": "Choose the body that is meeting"},
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="Only if it is not just the body's name, for example Annual conference",
    )
    kind = forms.ChoiceField(label="Type of meeting", choices=Meeting.Kind.choices)
    starts_on = date_field("Date of the meeting", help_text="For example, 29 4 2015")
    starts_time = _time_field("Start time")
    ends_time = _time_field("End time (optional)", required=False)
    venue = forms.CharField(label="Venue", required=False, max_length=300)
    online_url = forms.URLField(
        label="Link to join online (optional)",
        required=False,
        error_messages={"invalid": "Enter a web address, like https://meet.example.org/board"},
        widget=forms.URLInput(attrs={"class": "govuk-input"}),
    )
    is_public = forms.ChoiceField(
        label="Can the public attend?",
        choices=PUBLIC_CHOICES,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, instance: Meeting | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            starts = timezone.localtime(instance.starts_at, LONDON)
            ends = timezone.localtime(instance.ends_at, LONDON) if instance.ends_at else None
            kwargs.setdefault(
                "initial",
                {
                    "body": instance.body_id,
                    "title": instance.title,
                    "kind": instance.kind,
                    "starts_on": starts.date(),
                    "starts_time": starts.strftime("%H:%M"),
                    "ends_time": ends.strftime("%H:%M") if ends else "",
                    "venue": instance.venue,
                    "online_url": instance.online_url,
                    "is_public": "yes" if instance.is_public else "no",
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["body"].label_from_instance = lambda body: (
            f"{body.name} ({body.partnership.short_name or body.partnership.name})"
        )
        if instance is not None:
            # A meeting stays with its body; the choice is whether the public may attend.
            del self.fields["body"]
            self.fields["is_public"].choices = PUBLIC_CHOICES[1:]
            self.fields["is_public"].required = True
            self.fields["is_public"].error_messages["required"] = (
                "Choose whether the public can attend"
            )

    def clean(self):
        cleaned = super().clean()
        day, start, end = (
            cleaned.get("starts_on"),
            cleaned.get("starts_time"),
            cleaned.get("ends_time"),
        )
        if day and start:
            cleaned["starts_at"] = datetime.datetime.combine(day, start, tzinfo=LONDON)
            cleaned["ends_at"] = None
            if end:
                if end <= start:
                    self.add_error("ends_time", "The end time must be after the start time")
                else:
                    cleaned["ends_at"] = datetime.datetime.combine(day, end, tzinfo=LONDON)
        return cleaned

    def meeting_fields(self) -> dict:
        """Keyword arguments for services.create_meeting/update_meeting."""
        data = self.cleaned_data
        public = {"yes": True, "no": False}.get(data["is_public"])
        return {
            "title": data["title"],
            "kind": data["kind"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "venue": data["venue"],
            "online_url": data["online_url"],
            "is_public": public,
        }


class AgendaItemForm(forms.ModelForm):
    """An agenda item; exempt items need a Schedule 12A paragraph and a public interest test."""

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "kind",
            "purpose",
            "presenter",
            "presenter_title",
            "summary",
            "recommendations",
            "questions",
            "minutes_allocated",
            "is_exempt",
            "exempt_paragraph",
            "public_interest_statement",
            "urgency_reason",
        ]
        labels = {
            "title": "Title",
            "kind": "Type of item",
            "purpose": "Purpose",
            "presenter": "Presented by (optional)",
            "presenter_title": "Presenter's job title (optional)",
            "summary": "Summary (optional)",
            "recommendations": "Recommendations (optional)",
            "questions": "Questions or decisions required (optional)",
            "minutes_allocated": "Time allowed, in minutes (optional)",
            "is_exempt": "Exempt from publication (Schedule 12A)",
            "exempt_paragraph": "Paragraph of Schedule 12A",
            "public_interest_statement": "Public interest test",
            "urgency_reason": "Reason for urgency",
        }
        help_texts = {
            "public_interest_statement": (
                "Why the public interest in keeping the information exempt outweighs the "
                "public interest in disclosing it"
            ),
            "urgency_reason": (
                "The chair's reason for considering the item although it is late. It is "
                "printed in the minutes"
            ),
        }
        error_messages = {
            "title": {"required": "Enter the title of the item"},
            "kind": {"required": "Choose the type of item"},
        }
        widgets = {
            "exempt_paragraph": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
            "questions": forms.Textarea(attrs={"rows": 3}),
            "public_interest_statement": forms.Textarea(attrs={"rows": 3}),
            "urgency_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, late: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.late = late or self.instance.is_late
        self.fields["presenter"].queryset = Person.objects.order_by("sort_name", "name")
        self.fields["exempt_paragraph"].choices = EXEMPT_PARAGRAPHS
        self.fields["exempt_paragraph"].required = False
        self.fields["purpose"].choices = [("", "Not stated"), *AgendaItem.Purpose.choices]
        if not self.late:
            del self.fields["urgency_reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_exempt"):
            if not cleaned.get("exempt_paragraph"):
                self.add_error("exempt_paragraph", CHOOSE_PARAGRAPH)
            if not cleaned.get("public_interest_statement", "").strip():
                self.add_error("public_interest_statement", EXPLAIN_PUBLIC_INTEREST)
        if self.late and not cleaned.get("urgency_reason", "").strip():
            self.add_error("urgency_reason", GIVE_URGENCY_REASON)
        return cleaned

    def item_fields(self) -> dict:
        """Keyword arguments for services.add_item/edit_item."""
        return {name: self.cleaned_data[name] for name in self.fields}


class PublishForm(forms.Form):
    urgency_reason = forms.CharField(
        label="Reason for urgency",
        help_text=(
            "The chair's reason for considering the agenda although it is published after the "
            "deadline. It is printed in the minutes"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, late: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if late:
            self.fields["urgency_reason"].error_messages["required"] = GIVE_URGENCY_REASON
        else:
            del self.fields["urgency_reason"]
