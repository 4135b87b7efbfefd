"""Minutes: the minutes page, editing a minute (with conflict handling), approval, decisions."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache

from membership.visibility import can_see_withheld_names, shown_name
from partnerships.models import Body, Organisation

from .. import minutes as services
from ..models import (
    Action,
    AgendaItem,
    Decision,
    Meeting,
    MinuteCorrection,
    MinuteEntry,
    Minutes,
    Ratification,
)
from ..visibility import is_member, sees_everything
from .meetings import not_visible

# Forms -----------------------------------------------------------------------------------------


class MinuteEntryForm(forms.Form):
    text = forms.CharField(
        label="Minute",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What was discussed. Paragraphs, lists, bold, italics and links are kept.",
    )
    resolution = forms.CharField(
        label="Resolved", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label="Corrected minute",
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Enter the corrected minute"},
    )
    reason = forms.CharField(
        label="Why it is corrected",
        help_text="For example, agreed as a correction at the meeting on 22 July 2015",
        error_messages={"required": "Say why the minute is corrected"},
    )


class ApprovalForm(forms.Form):
    minutes = forms.ModelChoiceField(
        label="Minutes to approve",
        queryset=Minutes.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the minutes to approve"},
    )
    correction_entry = forms.ModelChoiceField(
        label="Minute corrected at the meeting (optional)",
        queryset=MinuteEntry.objects.none(),
        required=False,
    )
    correction_text = forms.CharField(
        label="Corrected minute", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    correction_reason = forms.CharField(label="Correction agreed", required=False)

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = Minutes.objects.select_related("meeting__body").filter(
            meeting__body_id=item.meeting.body_id, meeting__starts_at__lt=item.meeting.starts_at
        )
        if item.minutes_to_approve_id:
            candidates = candidates.filter(pk=item.minutes_to_approve_id)
        else:
            candidates = candidates.exclude(status=Minutes.Status.APPROVED)
        self.fields["minutes"].queryset = candidates.order_by("-meeting__starts_at")
        self.fields["minutes"].label_from_instance = lambda minutes: str(minutes.meeting)
        self.fields["correction_entry"].queryset = MinuteEntry.objects.filter(
            minutes__in=candidates
        ).select_related("item__parent", "minutes__meeting__body")

    def clean(self):
        cleaned = super().clean()
        entry = cleaned.get("correction_entry")
        if entry is not None:
            if cleaned.get("minutes") and entry.minutes_id != cleaned["minutes"].pk:
                self.add_error("correction_entry", "Choose a minute from the minutes approved")
            if not cleaned.get("correction_text", "").strip():
                self.add_error("correction_text", "Enter the corrected minute")
            if not cleaned.get("correction_reason", "").strip():
                self.add_error("correction_reason", "Say what correction was agreed")
        return cleaned

    def corrections(self) -> list[services.Correction]:
        entry = self.cleaned_data.get("correction_entry")
        if entry is None:
            return []
        return [
            services.Correction(
                entry=entry,
                text=self.cleaned_data["correction_text"],
                reason=self.cleaned_data["correction_reason"],
            )
        ]


class DecisionForm(forms.Form):
    text = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the decision"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    mode = forms.ChoiceField(
        label="How it was decided",
        choices=Decision.Mode.choices,
        initial=Decision.Mode.CONSENSUS,
        widget=forms.RadioSelect,
    )
    votes_for = forms.IntegerField(label="Votes for", required=False, min_value=0)
    votes_against = forms.IntegerField(label="Votes against", required=False, min_value=0)
    abstentions = forms.IntegerField(label="Abstentions", required=False, min_value=0)
    needs_ratification = forms.BooleanField(
        label="Each partner must ratify it through its own governance", required=False
    )
    ratifying_organisations = forms.ModelMultipleChoiceField(
        label="Partners who must ratify it",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    referred_to = forms.ModelChoiceField(
        label="Referred to (if referred)",
        queryset=Body.objects.none(),
        required=False,
    )
    was_inquorate = forms.BooleanField(
        label="Taken without a quorum (to be ratified at a quorate meeting)", required=False
    )

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_to"].queryset = (
            Body.objects.exclude(pk=item.meeting.body_id).select_related("partnership")
        ).order_by("name")


# Helpers ---------------------------------------------------------------------------------------


def minutes_url(meeting_id: int, item_id: int | None = None) -> str:
    url = reverse("meetings:minutes", kwargs={"pk": meeting_id})
    return f"{url}#item-{item_id}" if item_id else url


def require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Views -----------------------------------------------------------------------------------------


@login_not_required
def minutes(request, pk):
    user = request.user
    meeting = Meeting.objects.visible_to(user).select_related("body").filter(pk=pk).first()
    if meeting is None:
        return not_visible(request)
    can_edit = user.has_perm("meetings.change_minuteentry")
    if request.method == "POST":
        return _staff_action(request, meeting, can_edit)
    record = (
        Minutes.objects.select_related("approved_at__body", "signed_by")
        .filter(meeting=meeting)
        .first()
    )
    names_visible = can_see_withheld_names(user)
    entries = list(
        MinuteEntry.objects.visible_to(user)
        .filter(minutes__meeting=meeting)
        .select_related("item__parent")
        .prefetch_related(
            Prefetch(
                "item__decisions",
                Decision.objects.select_related("referred_to").prefetch_related(
                    Prefetch(
                        "ratifications",
                        Ratification.objects.select_related("organisation").order_by(
                            "organisation__name"
                        ),
                    )
                ),
            ),
            Prefetch("item__actions", Action.objects.select_related("owner", "owner_organisation")),
            Prefetch("corrections", MinuteCorrection.objects.order_by("created_at")),
        )
        .order_by(
            Coalesce("item__parent__order", "item__order"),
            F("item__parent").asc(nulls_first=True),
            "item__order",
        )
    )
    sees_drafts = sees_everything(user) or is_member(user, meeting.body)
    shows_record = record is not None and (sees_drafts or record.status == Minutes.Status.APPROVED)
    general_actions = []
    if shows_record:
        general_actions = list(
            Action.objects.filter(meeting=meeting, item__isnull=True).select_related(
                "owner", "owner_organisation"
            )
        )
    for action in [*general_actions, *(a for e in entries for a in e.item.actions.all())]:
        action.owner_name = (
            shown_name(action.owner, names_visible=names_visible) if action.owner else ""
        )
    response = render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "record": record if shows_record else None,
            "has_minutes": record is not None,
            "entries": entries if shows_record else [],
            "general_actions": general_actions,
            "signer_name": (
                shown_name(record.signed_by, names_visible=names_visible)
                if shows_record and record.signed_by
                else ""
            ),
            "can_edit": can_edit,
            "can_decide": user.has_perm("meetings.add_decision"),
            "can_add_action": user.has_perm("meetings.add_action"),
        },
    )
    if shows_record and (
        record.status != Minutes.Status.APPROVED or any(e.item.is_exempt for e in entries)
    ):
        patch_cache_control(response, private=True, no_store=True)
    return response


def _staff_action(request, meeting: Meeting, can_edit: bool):
    if not can_edit:
        raise PermissionDenied
    step = request.POST.get("step")
    try:
        if step == "start":
            services.ensure_minutes(meeting)
            messages.success(request, "Minutes started for every item")
        elif step == "circulate":
            services.circulate(minutes=get_object_or_404(Minutes, meeting=meeting), by=request.user)
            messages.success(request, "Draft minutes marked as circulated")
        else:
            raise Http404("No such step")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(minutes_url(meeting.pk))


@never_cache
def edit_entry(request, pk):
    require(request, "meetings.change_minuteentry")
    entry = get_object_or_404(
        MinuteEntry.objects.visible_to(request.user).select_related(
            "minutes__meeting__body", "item__parent"
        ),
        pk=pk,
    )
    meeting = entry.minutes.meeting
    if entry.minutes.status == Minutes.Status.APPROVED:
        return _correct_entry(request, entry)
    their_text = None
    if request.method == "POST":
        form = MinuteEntryForm(request.POST)
        if form.is_valid():
            try:
                services.save_entry(
                    entry=entry,
                    text=form.cleaned_data["text"],
                    resolution=form.cleaned_data["resolution"],
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except services.Conflict as conflict:
                # Keep the user's text in the form, now based on the version they have seen.
                data = request.POST.copy()
                data["version"] = entry.version
                form = MinuteEntryForm(data)
                form.is_valid()
                form.add_error(None, conflict)
                their_text = entry
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Minute of item {entry.item.number} saved")
                return redirect(minutes_url(meeting.pk, entry.item_id))
    else:
        form = MinuteEntryForm(
            initial={"text": entry.text, "resolution": entry.resolution, "version": entry.version}
        )
    return render(
        request,
        "meetings/minute_entry_form.html",
        {"entry": entry, "meeting": meeting, "form": form, "their_version": their_text},
    )


def _correct_entry(request, entry: MinuteEntry):
    form = CorrectionForm(request.POST or None, initial={"text": entry.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_entry(
                entry=entry,
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Correction to item {entry.item.number} recorded")
            return redirect(minutes_url(entry.minutes.meeting_id, entry.item_id))
    return render(
        request,
        "meetings/minute_entry_form.html",
        {"entry": entry, "meeting": entry.minutes.meeting, "form": form, "correcting": True},
    )


@never_cache
def approve(request, pk):
    require(request, "meetings.change_minutes")
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__body"),
        pk=pk,
        kind=AgendaItem.Kind.PREVIOUS_MINUTES,
    )
    form = ApprovalForm(
        request.POST or None, item=item, initial={"minutes": item.minutes_to_approve_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            approved = services.approve_minutes(
                minutes=form.cleaned_data["minutes"],
                at_item=item,
                corrections=form.corrections(),
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Minutes of {approved.meeting} approved and signed")
            return redirect(minutes_url(approved.meeting_id))
    signer = services.signer_for(item.meeting)
    return render(
        request,
        "meetings/approve_minutes.html",
        {
            "item": item,
            "meeting": item.meeting,
            "form": form,
            "signer": signer,
            "has_candidates": form.fields["minutes"].queryset.exists(),
        },
    )


@never_cache
def add_decision(request, pk):
    require(request, "meetings.add_decision")
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body", "parent"), pk=pk)
    form = DecisionForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Decision on item {item.number} recorded")
            return redirect(minutes_url(item.meeting_id, item.pk))
    return render(
        request,
        "meetings/decision_form.html",
        {"item": item, "meeting": item.meeting, "form": form},
    )
