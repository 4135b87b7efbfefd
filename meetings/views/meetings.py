"""The meetings list and meeting pages (public, through the visibility layer), and scheduling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from membership.visibility import can_see_withheld_names, shown_name
from partnerships import fragments
from partnerships.audit import AccessEvent, record_access
from partnerships.models import Body

from .. import services
from ..deadlines import LONDON, is_late, meeting_date, publication_deadline
from ..forms import MeetingForm
from ..models import Action, AgendaItem, Meeting, Paper
from ..notifications import item_position
from ..visibility import reader_class, sees_everything

PAST_MEETINGS_SHOWN = 100
NO_STORE = "private, no-store"


def not_visible(request):
    """Hide what the user may not see: 404 when signed in, the sign-in page when not."""
    record_access(request, None, AccessEvent.Kind.DENIED)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404("Not found")


def is_exempt_item(item: AgendaItem) -> bool:
    return item.is_exempt or (item.parent is not None and item.parent.is_exempt)


def no_store(response):
    """Keep pages with exempt material out of shared and browser caches."""
    response["Cache-Control"] = NO_STORE
    return response


@login_not_required
def meeting_list(request):
    visible = Meeting.objects.visible_to(request.user)
    bodies = Body.objects.filter(pk__in=visible.values("body_id")).order_by("name")
    body = None
    if slug := request.GET.get("body"):
        body = next((b for b in bodies if b.slug == slug), None)
        if body is None:
            raise Http404("No such body")
        visible = visible.filter(body=body)
    meetings = visible.select_related("body")
    now = timezone.now()
    upcoming = list(meetings.filter(starts_at__gte=now).order_by("starts_at"))
    past = list(meetings.filter(starts_at__lt=now).order_by("-starts_at")[:PAST_MEETINGS_SHOWN])
    staff = sees_everything(request.user)
    for meeting in upcoming:
        meeting.deadline = (
            publication_deadline(meeting_date(meeting))
            if staff
            and meeting.body.follows_access_to_information_rules
            and meeting.status == Meeting.Status.SCHEDULED
            else None
        )
        meeting.deadline_missed = meeting.deadline is not None and is_late(meeting)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "bodies": bodies,
            "body": body,
            "can_schedule": request.user.has_perm("meetings.add_meeting"),
            "past_limit": PAST_MEETINGS_SHOWN,
        },
    )


def agenda_for(meeting: Meeting, user) -> list[AgendaItem]:
    """The items the user may see, in agenda order, with `visible_papers` prefetched."""
    papers = Paper.objects.visible_to(user).order_by("order", "pk")
    items = (
        AgendaItem.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("parent", "presenter")
        .prefetch_related(Prefetch("papers", queryset=papers, to_attr="visible_papers"))
    )
    return sorted(items, key=item_position)


def carried_forward_actions(meeting: Meeting, user) -> list[Action]:
    """The action log's actions, without any that came from an item the user may not see."""
    result = list(
        services.actions_to_carry_forward(meeting).select_related(
            "owner", "owner_organisation", "meeting", "item__parent"
        )
    )
    if not sees_everything(user):
        # Only the candidates' own items are checked: `item__in=<every item the user may see>`
        # hashed all of them on each agenda view (0.6 s with 260,000 items, see bench/README.md).
        item_ids = [action.item_id for action in result if action.item_id is not None]
        visible = set(
            AgendaItem.objects.visible_to(user).filter(pk__in=item_ids).values_list("pk", flat=True)
            if item_ids
            else []
        )
        result = [a for a in result if a.item_id is None or a.item_id in visible]
    names_visible = can_see_withheld_names(user)
    day = meeting_date(meeting)
    for action in result:
        action.owner_name = (
            shown_name(action.owner, names_visible=names_visible) if action.owner else ""
        )
        action.is_overdue = action.due_on < day
    return result


@login_not_required
def meeting_detail(request, pk):
    version = fragments.read_version()
    meeting = (
        Meeting.objects.visible_to(request.user)
        .select_related("body__partnership")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        return not_visible(request)
    user = request.user
    reader = reader_key(user, meeting.body_id, "meetings.change_meeting")
    content, exempt = fragments.cached(
        "meeting",
        (meeting.pk, *reader),
        lambda: _meeting_content(meeting, user, *reader[1:]),
        version=version,
    )
    context = {"meeting": meeting, "content": content}
    return shared_page(request, "meetings/meeting_detail.html", context, meeting, exempt=exempt)


def reader_key(user, body_id: int, edit_permission: str) -> tuple:
    """Everything about the reader that a kept meeting or item page depends on, and nothing
    else: the class the visibility layer puts them in for the body, whether withheld names are
    shown to them, and whether they may edit."""
    return (
        reader_class(user, body_id),
        can_see_withheld_names(user),
        user.has_perm(edit_permission),
    )


def shared_page(request, template, context, obj, *, exempt: bool):
    """The page around kept content; a read of exempt matter is logged and kept out of caches."""
    response = render(request, template, context)
    if not exempt:
        return response
    record_access(request, obj, AccessEvent.Kind.EXEMPT_VIEWED)
    return no_store(response)


def _meeting_content(meeting, user, names_visible: bool, can_edit: bool) -> tuple[str, bool]:
    """The meeting page's content as the user's class sees it, and whether it shows exempt items."""
    items = agenda_for(meeting, user)
    for item in items:
        item.presenter_name = (
            shown_name(item.presenter, names_visible=names_visible) if item.presenter else ""
        )
    has_action_log = any(item.kind == AgendaItem.Kind.ACTION_LOG for item in items)
    actions = carried_forward_actions(meeting, user) if has_action_log else []
    exempt = any(
        item.is_exempt or any(p.is_exempt for p in item.visible_papers) for item in items
    ) or any(action.item is not None and is_exempt_item(action.item) for action in actions)
    follows_rules = meeting.body.follows_access_to_information_rules
    content = render_to_string(
        "meetings/_meeting_content.html",
        {
            "meeting": meeting,
            "starts_at": timezone.localtime(meeting.starts_at, LONDON),
            "ends_at": timezone.localtime(meeting.ends_at, LONDON) if meeting.ends_at else None,
            "items": items,
            "actions": actions,
            "deadline": publication_deadline(meeting_date(meeting)) if follows_rules else None,
            "can_edit": can_edit,
        },
    )
    return content, exempt


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def create_meeting(request):
    _require(request, "meetings.add_meeting")
    initial = {}
    if slug := request.GET.get("body"):
        initial["body"] = Body.objects.filter(slug=slug).first()
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.meeting_fields()
        meeting = services.create_meeting(
            body=form.cleaned_data["body"],
            starts_at=fields.pop("starts_at"),
            by=request.user,
            **fields,
        )
        messages.success(request, f"Meeting scheduled: {meeting}")
        return redirect("meetings:agenda-builder", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "title": "Schedule a meeting", "button": "Schedule meeting"},
    )


def edit_meeting(request, pk):
    _require(request, "meetings.change_meeting")
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST":
        if "cancel_meeting" in request.POST:
            try:
                services.cancel_meeting(meeting=meeting, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"Meeting cancelled: {meeting}")
            return redirect(meeting)
        if form.is_valid():
            services.update_meeting(meeting=meeting, by=request.user, **form.meeting_fields())
            messages.success(request, "Changes saved")
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "meeting": meeting,
            "title": f"Edit {meeting}",
            "button": "Save changes",
            "can_cancel": meeting.status not in (Meeting.Status.CANCELLED, Meeting.Status.HELD),
        },
    )
