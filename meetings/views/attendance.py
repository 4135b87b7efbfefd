"""The register of a meeting with its quorum at the start and on each item, and the
declarations of interest with the prompts shown before the meeting."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from membership.models import Membership, Person, Seat
from membership.roster import seats_on
from membership.visibility import can_see_withheld_names, shown_name

from ..attendance import AttendanceRow, declare_interest, prompts, record_attendance
from ..models import AgendaItem, Attendance, Declaration, Meeting
from ..quorum import item_key, quorum_through
from ..visibility import is_member, sees_everything
from .meetings import is_exempt_item, no_store, not_visible

Status = Attendance.Status
MEMBER_CHOICES = [
    ("", "Not recorded"),
    (Status.PRESENT, "Present"),
    (Status.APOLOGIES, "Apologies"),
    (Status.ABSENT, "Absent"),
]


class Denied(Exception):
    pass


def _meeting(request, pk) -> Meeting:
    """The meeting, if the user sees it from the inside (a member or staff); others see the
    register of a public meeting once it has been held."""
    user = request.user
    meeting = (
        Meeting.objects.visible_to(user).select_related("body__partnership").filter(pk=pk).first()
    )
    inside = meeting is not None and (sees_everything(user) or is_member(user, meeting.body))
    if meeting is None or not (inside or meeting.status == Meeting.Status.HELD):
        raise Denied
    return meeting


def _denied(request):
    # Logged as a refusal, then sign-in for anonymous visitors and 404 for others.
    return not_visible(request)


def _items(meeting, user) -> list[AgendaItem]:
    items = AgendaItem.objects.visible_to(user).filter(meeting=meeting).select_related("parent")
    return sorted(items, key=item_key)


def _private_if_exempt(response, items: list[AgendaItem]):
    """Keep pages naming exempt items out of shared and browser caches."""
    if any(is_exempt_item(item) for item in items):
        return no_store(response)
    return response


def _name(row: Attendance, names_visible: bool) -> str:
    if row.person is None:
        return row.name
    return shown_name(row.person, names_visible=names_visible)


class RegisterForm(forms.Form):
    """The register: a status for each holder, a substitute or rotation attendee per seat, and
    officers in attendance and guests by name."""

    in_attendance = forms.CharField(
        label="Officers in attendance",
        help_text="One a line, for example: Jo Clark, Head of Commissioning",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    guests = forms.CharField(
        label="Guests",
        help_text="One a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, seats, items, people, register, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = [seat for seat in seats if seat.holders]
        self.people = {person.pk: person for person in people}
        item_choices = [("", "Stayed to the end")] + [
            (str(i.pk), f"Item {i.number}: {i.title}") for i in items
        ]
        self.items = {str(item.pk): item for item in items}
        own = {(row.seat_id, row.person_id): row for row in register if not row.substitute_for_id}
        by_person = {r.person_id: r for r in own.values() if r.person_id}
        self.entries = []
        for seat in self.seats:
            entry = {"seat": seat, "holders": []}
            if seat.kind == Seat.Kind.ROTATION:
                name = f"rotation-{seat.pk}"
                self.fields[name] = forms.CharField(label="Who attended", required=False)
                came = [r for r in register if r.seat_id == seat.pk and r.person_id is None]
                self.initial[name] = came[0].name if came else ""
                entry["rotation"] = name
            for holding in seat.holders:
                if not holding.person_id:
                    continue
                status, left = (
                    f"status-{seat.pk}-{holding.person_id}",
                    f"left-{seat.pk}-{holding.person_id}",
                )
                self.fields[status] = forms.ChoiceField(
                    label=holding.person.full_name,
                    choices=MEMBER_CHOICES,
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.fields[left] = forms.ChoiceField(
                    label=f"{holding.person.full_name} left before",
                    choices=item_choices,
                    required=False,
                )
                row = own.get((seat.pk, holding.person_id)) or by_person.get(holding.person_id)
                if row is not None and row.status in dict(MEMBER_CHOICES):
                    self.initial[status] = row.status
                    self.initial[left] = str(row.left_before_item_id or "")
                entry["holders"].append((holding, status, left))
            if seat.kind != Seat.Kind.ROTATION:
                name = f"substitute-{seat.pk}"
                named = [(str(s.person_id), s.person.full_name) for s in seat.standing_substitutes]
                others = [
                    (str(p.pk), p.full_name)
                    for p in people
                    if p.pk not in {s.person_id for s in seat.standing_substitutes}
                    and p.pk not in {h.person_id for h in seat.holders}
                ]
                choices = [("", "No substitute")]
                if named:
                    choices.append(("Named substitutes", named))
                choices.append(("Everyone else", others))
                self.fields[name] = forms.ChoiceField(
                    label="Substitute who attended", choices=choices, required=False
                )
                holder_ids = {h.person_id for h in seat.holders}
                came = [r for r in register if r.substitute_for_id in holder_ids]
                self.initial[name] = str(came[0].person_id) if came else ""
                entry["substitute"] = name
            self.entries.append(entry)
        for field in ("in_attendance", "guests"):
            status = Status.IN_ATTENDANCE if field == "in_attendance" else Status.GUEST
            self.initial[field] = "\n".join(
                row.person.full_name if row.person else row.name
                for row in register
                if row.status == status
            )
        self.named_others = {
            row.person.full_name: row.person
            for row in register
            if row.person and row.status in (Status.IN_ATTENDANCE, Status.GUEST)
        }
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "govuk-select"

    def bound_entries(self):
        for entry in self.entries:
            yield {
                "seat": entry["seat"],
                "holders": [
                    (holding, self[status], self[left])
                    for holding, status, left in entry["holders"]
                ],
                "substitute": self[entry["substitute"]] if "substitute" in entry else None,
                "rotation": self[entry["rotation"]] if "rotation" in entry else None,
            }

    def rows(self) -> list[AttendanceRow]:
        data = self.cleaned_data
        rows = []
        for entry in self.entries:
            seat = entry["seat"]
            away = None
            for holding, status, left in entry["holders"]:
                if data[status]:
                    rows.append(
                        AttendanceRow(
                            status=data[status],
                            person=holding.person,
                            seat=seat,
                            left_before_item=self.items.get(data[left]),
                        )
                    )
                if data[status] != Status.PRESENT and away is None:
                    away = holding.person
            if entry.get("rotation") and data[entry["rotation"]].strip():
                rows.append(
                    AttendanceRow(status=Status.PRESENT, seat=seat, name=data[entry["rotation"]])
                )
            substitute = entry.get("substitute") and data[entry["substitute"]]
            if substitute:
                rows.append(
                    AttendanceRow(
                        status=Status.PRESENT,
                        person=self.people[int(substitute)],
                        seat=seat,
                        substitute_for=away or entry["holders"][0][0].person,
                    )
                )
        for field, status in (("in_attendance", Status.IN_ATTENDANCE), ("guests", Status.GUEST)):
            for line in data[field].splitlines():
                if line.strip():
                    person = self.named_others.get(line.strip())
                    rows.append(
                        AttendanceRow(status=status, person=person, name="" if person else line)
                    )
        return rows


def _register_sections(register, names_visible):
    sections = [
        (
            "Members present",
            [r for r in register if r.status == Status.PRESENT and not r.substitute_for_id],
        ),
        (
            "Substitutes",
            [r for r in register if r.status == Status.PRESENT and r.substitute_for_id],
        ),
        ("Apologies", [r for r in register if r.status == Status.APOLOGIES]),
        ("Absent", [r for r in register if r.status == Status.ABSENT]),
        ("In attendance", [r for r in register if r.status == Status.IN_ATTENDANCE]),
        ("Guests", [r for r in register if r.status == Status.GUEST]),
    ]
    return [
        (
            title,
            [
                {
                    "name": _name(row, names_visible),
                    "seat": row.seat.label if row.seat else "",
                    "substitute_for": (
                        shown_name(row.substitute_for, names_visible=names_visible)
                        if row.substitute_for
                        else ""
                    ),
                    "left_before": row.left_before_item,
                }
                for row in rows
            ],
        )
        for title, rows in sections
        if rows
    ]


@login_not_required
def attendance(request, pk):
    try:
        meeting = _meeting(request, pk)
    except Denied:
        return _denied(request)
    user = request.user
    can_edit = user.has_perm("meetings.change_attendance")
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    names_visible = can_see_withheld_names(user)
    on = timezone.localdate(meeting.starts_at)
    seats = seats_on(Seat.objects.filter(body_id=meeting.body_id), on)
    items = _items(meeting, user)
    register = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("person", "seat", "substitute_for", "left_before_item__parent")
        .order_by("pk")
    )
    form = None
    if can_edit:
        people = Person.objects.order_by("sort_name", "name")
        form = RegisterForm(
            request.POST or None, seats=seats, items=items, people=people, register=register
        )
        if request.method == "POST" and form.is_valid():
            try:
                record_attendance(meeting=meeting, rows=form.rows(), by=user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Attendance saved")
                return redirect("meetings:attendance", pk=meeting.pk)
    start, per_item = quorum_through(meeting, items, seats)
    response = render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "form": form,
            "entries": list(form.bound_entries()) if form else [],
            "sections": _register_sections(register, names_visible),
            "start": start,
            "per_item": per_item,
        },
    )
    return _private_if_exempt(response, items)


class DeclarationForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Who declared the interest",
        queryset=Person.objects.none(),
        empty_label="Choose a person",
    )
    item = forms.ModelChoiceField(
        label="Agenda item",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="Not on one item",
        help_text="Leave empty for an interest in the meeting's business generally",
    )
    interest = forms.CharField(label="The interest", widget=forms.Textarea(attrs={"rows": 3}))
    withdrew = forms.BooleanField(
        label="They withdrew from the item and did not vote", required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        on = timezone.localdate(meeting.starts_at)
        holders = Membership.objects.current(on).filter(seat__body_id=meeting.body_id)
        self.fields["person"].queryset = (
            Person.objects.filter(
                Q(pk__in=holders.values("person_id")) | Q(attendance__meeting=meeting)
            )
            .distinct()
            .order_by("sort_name", "name")
        )
        self.fields["person"].error_messages["required"] = "Choose who declared the interest"
        self.fields["item"].queryset = meeting.items.order_by("parent__order", "order")
        self.fields["item"].label_from_instance = lambda item: f"Item {item.number}: {item.title}"
        self.fields["interest"].error_messages["required"] = "Enter the interest they declared"


@login_not_required
def declarations(request, pk):
    try:
        meeting = _meeting(request, pk)
    except Denied:
        return _denied(request)
    user = request.user
    can_edit = user.has_perm("meetings.add_declaration")
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    names_visible = can_see_withheld_names(user)
    form = None
    if can_edit:
        initial = {key: request.GET[key] for key in ("person", "item") if request.GET.get(key)}
        form = DeclarationForm(request.POST or None, meeting=meeting, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                declare_interest(
                    meeting=meeting,
                    person=data["person"],
                    interest=data["interest"],
                    item=data["item"],
                    withdrew=data["withdrew"],
                    by=user,
                )
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Declaration by {data['person'].full_name} recorded")
                return redirect("meetings:declarations", pk=meeting.pk)
    items = _items(meeting, user)
    visible = {item.pk for item in items}
    declared = [
        d
        for d in Declaration.objects.filter(meeting=meeting).select_related("person").order_by("pk")
        if d.item_id is None or d.item_id in visible
    ]
    groups = [("General", [d for d in declared if d.item_id is None])] + [
        (f"Item {item.number}: {item.title}", [d for d in declared if d.item_id == item.pk])
        for item in items
    ]
    response = render(
        request,
        "meetings/declarations.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "form": form,
            "prompts": prompts(meeting) if can_edit else [],
            "groups": [
                (
                    title,
                    [
                        {
                            "name": shown_name(d.person, names_visible=names_visible),
                            "interest": d.interest,
                            "withdrew": d.withdrew,
                        }
                        for d in rows
                    ],
                )
                for title, rows in groups
                if rows
            ],
        },
    )
    return _private_if_exempt(response, items)
