"""The action log: all actions a user may see, their own actions, adding, progress and closing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from membership.models import Person
from membership.visibility import can_see_withheld_names, shown_name
from partnerships.forms import date_field
from partnerships.models import Body, Organisation

from .. import actions as services
from ..models import Action, AgendaItem, Meeting
from .minutes import apply_errors

# Forms -----------------------------------------------------------------------------------------


class ActionForm(forms.Form):
    item = forms.ModelChoiceField(
        label="Agenda item (optional)", queryset=AgendaItem.objects.none(), required=False
    )
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the action"},
    )
    owner = forms.ModelChoiceField(
        label="Owner", queryset=Person.objects.order_by("sort_name"), required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label="Or the organisation that owns it",
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    due_on = date_field("Due date")

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.select_related("parent")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("owner") and not cleaned.get("owner_organisation"):
            self.add_error("owner", "Choose who owns the action: a person or an organisation")
        return cleaned


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[(s.value, s.label) for s in services.OPEN_STATUSES]
        + [(Action.Status.DONE.value, Action.Status.DONE.label)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status of the action"},
    )
    note = forms.CharField(
        label="Progress note", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(forms.Form):
    at_meeting = forms.ModelChoiceField(
        label="Meeting that closed it",
        queryset=Meeting.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the meeting that closed the action"},
    )
    minute_ref = forms.CharField(
        label="Minute reference",
        max_length=20,
        help_text="For example, 4.2",
        error_messages={"required": "Enter the minute that closed the action, for example 4.2"},
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = (
            Meeting.objects.filter(
                body_id=action.meeting.body_id, starts_at__gte=action.meeting.starts_at
            )
            .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.POSTPONED])
            .select_related("body")
        )


class ActionFilterForm(forms.Form):
    body = forms.ModelChoiceField(
        label="Body", queryset=Body.objects.none(), required=False, to_field_name="slug"
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any"), ("overdue", "Overdue"), *Action.Status.choices],
        required=False,
    )


# Helpers ---------------------------------------------------------------------------------------


def visible_actions(user):
    """Actions of meetings the user may see; those on an item only if they may see the item."""
    return Action.objects.filter(meeting__in=Meeting.objects.visible_to(user)).filter(
        Q(item__isnull=True) | Q(item__in=AgendaItem.objects.visible_to(user))
    )


def _decorate(request, actions: list[Action]) -> list[Action]:
    """Owner names as the viewer may see them, whether each is overdue, who may update it."""
    today = timezone.localdate()
    names_visible = can_see_withheld_names(request.user)
    staff = request.user.has_perm("meetings.change_action")
    for action in actions:
        action.owner_name = (
            shown_name(action.owner, names_visible=names_visible) if action.owner else ""
        )
        action.is_overdue = services.is_overdue(action, today)
        action.can_update = staff or (
            action.owner is not None and action.owner.user_id == request.user.pk
        )
    return actions


def _with_related(actions):
    return actions.select_related(
        "meeting__body", "item__parent", "owner", "owner_organisation", "closed_at"
    )


# Views -----------------------------------------------------------------------------------------


# Action logs can quote exempt items: never kept in shared caches.
@never_cache
def action_list(request):
    actions = visible_actions(request.user)
    form = ActionFilterForm(request.GET or None)
    form.fields["body"].queryset = Body.objects.filter(
        pk__in=Meeting.objects.visible_to(request.user).values("body_id")
    ).order_by("name")
    if form.is_valid():
        if body := form.cleaned_data["body"]:
            actions = actions.filter(meeting__body=body)
        status = form.cleaned_data["status"]
        if status == "overdue":
            actions = services.overdue(actions, timezone.localdate())
        elif status:
            actions = actions.filter(status=status)
    return render(
        request,
        "meetings/action_list.html",
        {"form": form, "actions": _decorate(request, list(_with_related(actions)))},
    )


@never_cache
def my_actions(request):
    person = Person.objects.filter(user=request.user).first()
    # Owners always see their own actions: the action was given to them at the meeting.
    actions = []
    if person is not None:
        actions = list(
            _with_related(person.actions.exclude(status=Action.Status.CLOSED)).order_by(
                "due_on", "pk"
            )
        )
    return render(
        request,
        "meetings/my_actions.html",
        {"person": person, "actions": _decorate(request, actions)},
    )


@never_cache
def create_action(request, pk):
    if not request.user.has_perm("meetings.add_action"):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.create_action(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Action added")
            return redirect(reverse("meetings:action-update", kwargs={"pk": action.pk}))
    return render(request, "meetings/action_form.html", {"meeting": meeting, "form": form})


@never_cache
def update_action(request, pk):
    action = get_object_or_404(_with_related(Action.objects), pk=pk)
    if not services.can_update(request.user, action):
        raise Http404("No action found")
    can_close = request.user.has_perm("meetings.change_action")
    closing = request.method == "POST" and "close" in request.POST
    if closing and not can_close:
        raise PermissionDenied
    progress_form = ProgressForm(
        request.POST if request.method == "POST" and not closing else None,
        initial={"status": action.status},
    )
    close_form = CloseForm(request.POST if closing else None, action=action) if can_close else None
    form = close_form if closing else progress_form
    if request.method == "POST" and form.is_valid():
        try:
            if closing:
                services.close_action(action=action, by=request.user, **form.cleaned_data)
                messages.success(request, "Action closed")
            else:
                services.update_action(action=action, by=request.user, **form.cleaned_data)
                messages.success(request, "Progress recorded")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(reverse("meetings:action-update", kwargs={"pk": action.pk}))
    _decorate(request, [action])
    return render(
        request,
        "meetings/action_form.html",
        {
            "action": action,
            "meeting": action.meeting,
            "progress_form": progress_form,
            "close_form": close_form,
            "updates": list(action.updates.select_related("created_by")),
        },
    )
