"""Calendar feeds, "my meetings", and generating a body's schedule for a municipal year."""

import datetime
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from membership.models import Person
from partnerships.models import Body
from partnerships.roles import Role, has_role

from .. import schedule, services
from ..calendars import calendar_response, seated_body_ids
from ..models import CalendarToken, Meeting
from ..visibility import member_body_ids

PRIVATE = "private, no-store"


@login_not_required
def public_calendar(request):
    meetings = Meeting.objects.visible_to(AnonymousUser())
    return calendar_response(request, meetings, viewer=AnonymousUser(), name="Public meetings")


@login_not_required
def body_calendar(request, slug):
    body = get_object_or_404(Body, slug=slug)
    meetings = Meeting.objects.visible_to(request.user).filter(body=body)
    response = calendar_response(
        request, meetings, viewer=request.user, name=f"{body.name} meetings"
    )
    if request.user.is_authenticated:
        response["Cache-Control"] = PRIVATE
    return response


@login_not_required
def person_calendar(request, token):
    """A person's meetings, seen as their own login would see them (or as the public)."""
    calendar_token = get_object_or_404(
        CalendarToken.objects.select_related("person__user"), token=token
    )
    person = calendar_token.person
    viewer = person.user or AnonymousUser()
    meetings = Meeting.objects.visible_to(viewer).filter(body_id__in=seated_body_ids(person))
    response = calendar_response(
        request, meetings, viewer=viewer, name=f"{person.full_name}: meetings"
    )
    response["Cache-Control"] = PRIVATE
    return response


def my_meetings(request):
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        return render(request, "meetings/my_meetings.html", {"person": None})
    if request.method == "POST":
        CalendarToken.objects.update_or_create(
            person=person, defaults={"token": secrets.token_urlsafe()}
        )
        messages.success(request, "Your calendar has a new address: the old one no longer works")
        return redirect("meetings:my-meetings")
    calendar_token, _ = CalendarToken.objects.get_or_create(person=person)
    meetings = (
        Meeting.objects.visible_to(request.user)
        .upcoming()
        .filter(body_id__in=member_body_ids(request.user))
        .select_related("body")
    )
    address = request.build_absolute_uri(
        reverse("meetings:calendar-person", kwargs={"token": calendar_token.token})
    )
    response = render(
        request,
        "meetings/my_meetings.html",
        {
            "person": person,
            "meetings": meetings,
            "calendar_address": address,
            "webcal_address": "webcal://" + address.partition("://")[2],
        },
    )
    response["Cache-Control"] = PRIVATE
    return response


WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
]


NUMERIC = {"inputmode": "numeric", "spellcheck": "false"}


class ScheduleForm(forms.Form):
    body = forms.ModelChoiceField(
        queryset=Body.objects.alive().select_related("partnership").order_by("name"),
        label="Body",
        empty_label=None,
        error_messages={"required": "Choose the body"},
    )
    year = forms.IntegerField(
        label="Municipal year",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4", **NUMERIC}),
        min_value=2000,
        max_value=2100,
        help_text="The year it starts: 2026 runs from 1 May 2026 to 30 April 2027",
        error_messages={
            "required": "Enter the year the municipal year starts",
            "invalid": "Enter the year as a number, like 2026",
            "min_value": "Enter a year from 2000",
            "max_value": "Enter a year before 2100",
        },
    )
    count = forms.IntegerField(
        label="Number of meetings (optional)",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-2", **NUMERIC}),
        required=False,
        min_value=1,
        max_value=52,
        help_text="Leave empty to use the number a year in the agreed terms of reference",
        error_messages={
            "min_value": "Enter at least 1 meeting",
            "max_value": "Enter at most 52 meetings",
        },
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the day of the week"},
    )
    time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input govuk-input--width-5"}),
        help_text="Use the 24-hour clock, for example 14:00",
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time like 14:00",
        },
    )
    venue = forms.CharField(label="Venue (optional)", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the bodies once: rendering the select would otherwise run the query twice.
        self.fields["body"].widget.choices = list(iter(self.fields["body"].choices))

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if body and not cleaned.get("count"):
            cleaned["count"] = schedule.agreed_meetings_per_year(body)
            if not cleaned["count"]:
                self.add_error(
                    "count",
                    f"{body.name} has no agreed terms of reference saying how often it meets: "
                    "enter the number of meetings",
                )
        return cleaned


def generate_schedule(request):
    if not has_role(request.user, Role.DEMOCRATIC_SERVICES):
        raise PermissionDenied
    initial = {
        "year": schedule.current_municipal_year(timezone.localdate()) + 1,
        "time": datetime.time(14, 0),
    }
    if "body" in request.GET:
        initial["body"] = Body.objects.filter(slug=request.GET["body"]).first()
    form = ScheduleForm(request.POST or None, initial=initial)
    proposals = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposals = schedule.proposed_schedule(
            body=data["body"],
            year=data["year"],
            count=data["count"],
            weekday=data["weekday"],
            time=data["time"],
        )
        if "create" in request.POST:
            chosen = set(request.POST.getlist("dates"))
            starts = [p.starts_at for p in proposals if p.date.isoformat() in chosen]
            if starts:
                with transaction.atomic():
                    for starts_at in starts:
                        services.create_meeting(
                            body=data["body"],
                            starts_at=starts_at,
                            by=request.user,
                            venue=data["venue"],
                        )
                messages.success(
                    request,
                    f"{len(starts)} {'meeting' if len(starts) == 1 else 'meetings'} of "
                    f"{data['body'].name} created",
                )
                return redirect("meetings:meeting-list")
            form.add_error(None, "Choose at least one of the dates below to create")
    first_day, last_day = (
        schedule.municipal_year(form.cleaned_data["year"])
        if proposals is not None
        else (None, None)
    )
    return render(
        request,
        "meetings/schedule.html",
        {"form": form, "proposals": proposals, "first_day": first_day, "last_day": last_day},
    )
