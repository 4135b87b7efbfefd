"""The agenda builder, agenda items and publishing the agenda."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from membership.visibility import shown_name
from partnerships import fragments

from .. import services
from ..deadlines import LONDON, is_late, meeting_date, publication_deadline
from ..forms import AgendaItemForm, PublishForm
from ..models import AgendaItem, Meeting, Paper
from ..notifications import item_position
from .meetings import is_exempt_item, no_store, not_visible, reader_key, shared_page


def _require(request, perm: str) -> None:
    # Checked before any lookup, so a refusal says nothing about whether the meeting exists.
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _item_is_late(meeting: Meeting) -> bool:
    """Whether an item added now would be a late item."""
    return meeting.is_published and is_late(meeting)


def _deadline(meeting: Meeting):
    if meeting.body.follows_access_to_information_rules:
        return publication_deadline(meeting_date(meeting))
    return None


def agenda_builder(request, pk):
    _require(request, "meetings.change_meeting")
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    items = sorted(
        meeting.items.select_related("parent").annotate(paper_count=Count("papers")),
        key=item_position,
    )
    siblings = {}
    for item in items:
        siblings.setdefault(item.parent_id, []).append(item)
    for group in siblings.values():
        for n, item in enumerate(group):
            item.is_first, item.is_last = n == 0, n == len(group) - 1
    response = render(
        request,
        "meetings/agenda_builder.html",
        {
            "meeting": meeting,
            "items": items,
            "deadline": _deadline(meeting),
            "late": is_late(meeting),
            "starts_at": timezone.localtime(meeting.starts_at, LONDON),
        },
    )
    return no_store(response) if any(is_exempt_item(item) for item in items) else response


def create_item(request, pk):
    _require(request, "meetings.add_agendaitem")
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    late = _item_is_late(meeting)
    form = AgendaItemForm(request.POST or None, late=late)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(meeting=meeting, by=request.user, **form.item_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Item {item.number} added: {item.title}")
            return redirect("meetings:agenda-builder", pk=meeting.pk)
    return render(
        request,
        "meetings/item_form.html",
        {
            "form": form,
            "meeting": meeting,
            "late": late,
            "title": "Add an agenda item",
            "button": "Add item",
        },
    )


def edit_item(request, pk):
    _require(request, "meetings.change_agendaitem")
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body", "parent"), pk=pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_item(item=item, by=request.user, **form.item_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Item {item.number} saved")
            return redirect("meetings:agenda-builder", pk=item.meeting_id)
    response = render(
        request,
        "meetings/item_form.html",
        {
            "form": form,
            "meeting": item.meeting,
            "item": item,
            "late": item.is_late,
            "title": f"Edit item {item.number}",
            "button": "Save changes",
        },
    )
    return no_store(response) if is_exempt_item(item) else response


@require_POST
def move_item(request, pk):
    _require(request, "meetings.change_agendaitem")
    item = get_object_or_404(AgendaItem.objects.select_related("parent"), pk=pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        item = services.move_item(item=item, direction=direction)
        messages.success(request, f"{item.title} is now item {item.number}")
    return redirect("meetings:agenda-builder", pk=item.meeting_id)


def publish(request, pk):
    _require(request, "meetings.change_meeting")
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    late = is_late(meeting)
    form = PublishForm(request.POST or None, late=late)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.publish_agenda(
                meeting=meeting,
                by=request.user,
                urgency_reason=form.cleaned_data.get("urgency_reason", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            what = "Supplementary agenda" if meeting.agenda_version > 1 else "Agenda"
            messages.success(request, f"{what} published. Members have been sent an e-mail")
            return redirect(meeting)
    return render(
        request,
        "meetings/publish.html",
        {
            "form": form,
            "meeting": meeting,
            "late": late,
            "deadline": _deadline(meeting),
            "supplementary": meeting.is_published,
            "item_count": meeting.items.count(),
        },
    )


@login_not_required
def item_detail(request, pk):
    version = fragments.read_version()
    user = request.user
    item = (
        AgendaItem.objects.visible_to(user)
        .select_related("meeting__body", "parent", "presenter")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        return not_visible(request)
    reader = reader_key(user, item.meeting.body_id, "meetings.change_agendaitem")
    content, exempt = fragments.cached(
        "item",
        (item.pk, *reader),
        lambda: _item_content(item, user, *reader[1:]),
        version=version,
    )
    context = {"item": item, "meeting": item.meeting, "content": content}
    # Reads of exempt material are logged, as the paper and pack downloads are.
    return shared_page(request, "meetings/item_detail.html", context, item, exempt=exempt)


def _item_content(item, user, names_visible: bool, can_edit: bool) -> tuple[str, bool]:
    """The item page's content as the user's class sees it, and whether it shows exempt matter."""
    item.visible_papers = list(
        Paper.objects.visible_to(user).filter(item=item).order_by("order", "pk")
    )
    sub_items = sorted(
        AgendaItem.objects.visible_to(user).filter(parent=item).select_related("parent"),
        key=item_position,
    )
    content = render_to_string(
        "meetings/_item_content.html",
        {
            "item": item,
            "meeting": item.meeting,
            "sub_items": sub_items,
            "presenter_name": (
                shown_name(item.presenter, names_visible=names_visible) if item.presenter else ""
            ),
            "starts_at": timezone.localtime(item.meeting.starts_at, LONDON),
            "can_edit": can_edit,
        },
    )
    exempt = (
        item.is_exempt
        or (item.parent is not None and item.parent.is_exempt)
        or any(paper.is_exempt for paper in item.visible_papers)
        or any(sub.is_exempt for sub in sub_items)
    )
    return content, exempt
