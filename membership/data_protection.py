"""Subject access and erasure (UK GDPR arts. 15 and 17) for the people on our bodies.

`personal_data(person)` gathers everything held about someone, for a subject access request.
`anonymise(person, by=…)` is erasure as far as the public record allows:

- the person's name becomes "Former member <id>" and their contact details, aliases, job title,
  organisations, register of interests, private calendar address and login link are removed;
- their holdings (seat history), substitutions, attendance, declarations at meetings and actions
  stay, attached to the anonymous record, so quorum, attendance figures and the minutes still
  add up;
- minute texts that name them are NOT rewritten: approved minutes are the legal record of the
  meeting (Local Government Act 1972 s.100C) and may only change by a recorded correction.
  `personal_data` lists those mentions so the officer handling the request can see them, and
  the erasure exemption for public-interest archiving / legal obligation (UK GDPR art. 17(3))
  is the basis for keeping them;
- earlier versions of the person in the audit history are overwritten with the anonymised
  values, so the erased details do not survive there either.

Imports from meetings and reports (higher apps) are deliberate: subject access must cover
everything held about a person, wherever it lives.
"""

import logging
import re

from django.apps import apps
from django.db import transaction
from django.db.models import Q

from meetings.models import Action, Attendance, Declaration, MinuteEntry
from reports.models import AnnualReport

from .models import InterestDeclaration, Membership, Person, Substitute

logger = logging.getLogger(__name__)

ANONYMOUS_NAME = "Former member {pk}"


def _date(value):
    return value.isoformat() if value else None


def _names(person: Person) -> list[str]:
    return [name for name in [person.name, *person.aliases] if name.strip()]


def minute_mentions(person: Person):
    """Minute entries whose text or resolution contains the person's name or an alias."""
    condition = Q()
    for name in _names(person):
        condition |= Q(text__icontains=name) | Q(resolution__icontains=name)
    if not condition:
        return MinuteEntry.objects.none()
    return MinuteEntry.objects.filter(condition).select_related("item__meeting__body")


def _excerpt(text: str, names: list[str], width: int = 80) -> str:
    plain = re.sub(r"<[^>]+>", " ", text)
    for name in names:
        found = plain.lower().find(name.lower())
        if found >= 0:
            start = max(found - width, 0)
            return " ".join(plain[start : found + len(name) + width].split())
    return ""


def personal_data(person: Person) -> dict:
    """Everything held about the person, as plain JSON-ready data."""
    user = person.user
    holdings = Membership.objects.filter(person=person).select_related("seat__body", "organisation")
    substitutes = Substitute.objects.filter(person=person).select_related("seat__body")
    interests = InterestDeclaration.objects.filter(person=person).select_related("body")
    attendance = (
        Attendance.objects.filter(Q(person=person) | Q(substitute_for=person))
        .select_related("meeting__body", "seat", "person", "substitute_for")
        .order_by("meeting__starts_at", "pk")
    )
    declarations = Declaration.objects.filter(person=person).select_related("meeting__body", "item")
    actions = Action.objects.filter(owner=person).select_related("meeting__body")
    names = _names(person)
    return {
        "person": {
            "id": person.pk,
            "name": person.name,
            "honorific": person.honorific,
            "sort_name": person.sort_name,
            "aliases": list(person.aliases),
            "job_title": person.job_title,
            "email": person.email,
            "phone": person.phone,
            "publish_name": person.publish_name,
            "organisations": [org.name for org in person.organisations.all()],
            "created_at": _date(person.created_at),
            "updated_at": _date(person.updated_at),
        },
        "login": None
        if user is None
        else {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "last_login": _date(user.last_login),
            "date_joined": _date(user.date_joined),
            "groups": [group.name for group in user.groups.all()],
        },
        "holdings": [
            {
                "body": m.seat.body.name,
                "seat": m.seat.label,
                "role": m.seat.get_role_display(),
                "organisation": m.organisation.name if m.organisation else None,
                "job_title": m.job_title,
                "arrangement": m.get_arrangement_display(),
                "starts_on": _date(m.starts_on),
                "ends_on": _date(m.ends_on),
                "term_ends_on": _date(m.term_ends_on),
                "end_reason": m.get_end_reason_display() if m.end_reason else "",
                "notes": m.notes,
            }
            for m in holdings
        ],
        "substitute_for": [
            {
                "body": s.seat.body.name,
                "seat": s.seat.label,
                "starts_on": _date(s.starts_on),
                "ends_on": _date(s.ends_on),
            }
            for s in substitutes
        ],
        "interests": [
            {
                "kind": i.get_kind_display(),
                "description": i.description,
                "body": i.body.name if i.body else None,
                "registered_on": _date(i.registered_on),
                "reviewed_on": _date(i.reviewed_on),
                "ends_on": _date(i.ends_on),
            }
            for i in interests
        ],
        "attendance": [
            {
                "meeting": str(a.meeting),
                "meeting_id": a.meeting_id,
                "date": _date(a.meeting.starts_at.date()),
                "status": a.get_status_display(),
                "seat": a.seat.label if a.seat else None,
                "substitute_for": str(a.substitute_for) if a.substitute_for else None,
                "substituted_by": str(a.person or a.name) if a.substitute_for == person else None,
            }
            for a in attendance
        ],
        "declarations": [
            {
                "meeting": str(d.meeting),
                "item": d.item.title if d.item else None,
                "interest": d.interest,
                "withdrew": d.withdrew,
            }
            for d in declarations
        ],
        "actions": [
            {
                "meeting": str(a.meeting),
                "description": a.description,
                "due_on": _date(a.due_on),
                "status": a.get_status_display(),
            }
            for a in actions
        ],
        "minutes_mentions": [
            {
                "meeting": str(entry.item.meeting),
                "item": entry.item.title,
                "excerpt": _excerpt(f"{entry.text} {entry.resolution}", names),
            }
            for entry in minute_mentions(person)
        ],
        "reports_submitted": []
        if user is None
        else [
            {"report": str(report), "submitted_at": _date(report.submitted_at)}
            for report in AnnualReport.objects.filter(submitted_by=user).select_related("body")
        ],
        "subscriptions": [
            {
                "body": subscription.body.name,
                "email": subscription.email or None,
                "confirmed_at": _date(subscription.confirmed_at),
            }
            for subscription in _subscriptions(person).select_related("body")
        ],
    }


def _subscriptions(person: Person):
    """The bodies the person follows, signed in or by their e-mail address (subscriptions app)."""
    subscriptions = apps.get_model("subscriptions", "Subscription")
    held = Q(pk__in=[])
    if person.user_id:
        held |= Q(user_id=person.user_id)
    if person.email:
        held |= Q(user__isnull=True, email__iexact=person.email)
    return subscriptions.objects.filter(held)


@transaction.atomic
def anonymise(person: Person, *, by) -> Person:
    """Erase what identifies the person; keep their place in the record. See the module notes."""
    anonymous = ANONYMOUS_NAME.format(pk=person.pk)
    # Before the address and the login are erased: they are how the subscriptions are found.
    _subscriptions(person).delete()
    person.name = anonymous
    person.sort_name = anonymous
    person.honorific = ""
    person.aliases = []
    person.job_title = ""
    person.email = ""
    person.phone = ""
    person.user = None
    person.save()
    person.organisations.clear()
    person.interests.all().delete()
    Membership.objects.filter(person=person).exclude(notes="").update(notes="")
    calendar_tokens = apps.get_model("meetings", "CalendarToken")
    calendar_tokens.objects.filter(person=person).delete()
    _scrub_history(person)
    # The ids only: the log must not repeat the personal data it records erasing.
    logger.info("Person %s anonymised by user %s", person.pk, getattr(by, "pk", None))
    return person


def _scrub_history(person: Person) -> None:
    """Overwrite the person's earlier versions in the append-only audit history, if kept."""
    try:
        events = apps.get_model("membership", "PersonEvent")
    except LookupError:
        return
    import pgtrigger

    fields = {
        "name": person.name,
        "sort_name": person.sort_name,
        "honorific": "",
        "aliases": [],
        "job_title": "",
        "email": "",
        "phone": "",
        "user_id": None,
    }
    present = {f.name for f in events._meta.concrete_fields} | {
        f.attname for f in events._meta.concrete_fields
    }
    with pgtrigger.ignore(f"{events._meta.label}:append_only"):
        events.objects.filter(pgh_obj_id=person.pk).update(
            **{key: value for key, value in fields.items() if key in present}
        )
