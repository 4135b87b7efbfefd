"""The bulk download: the public record as a zip of CSV files with a README describing each field.

Built as the public sees the record (an anonymous user through the visibility layer), so it holds
no exempt item, no unpublished agenda, no decision from unapproved minutes and no withheld name.
Rebuilt nightly and on demand (tasks.py); stored under MEDIA_ROOT and served by a view.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetings.models import AgendaItem, Decision, Meeting, MinuteEntry, Minutes
from membership.importer import FORMULA_STARTS
from membership.models import Membership, Seat
from membership.visibility import shown_name
from partnerships.models import Body

STORED_AS = "opendata/public-record.zip"


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable


@dataclass(frozen=True)
class Table:
    file_name: str
    description: str
    rows: Callable
    columns: list[Column]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    # As the roster exports do: a spreadsheet must not run a cell as a formula.
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _public():
    return AnonymousUser()


def _bodies():
    return Body.objects.with_status().select_related("partnership").order_by("pk")


def _seats():
    return Seat.objects.select_related("body", "represents", "nominating_organisation").order_by(
        "pk"
    )


def _memberships():
    return Membership.objects.select_related("seat__body", "person", "organisation").order_by("pk")


def _meetings():
    return Meeting.objects.visible_to(_public()).select_related("body", "minutes").order_by("pk")


def _items():
    return (
        AgendaItem.objects.visible_to(_public())
        .select_related("meeting", "parent", "presenter")
        .order_by(
            "meeting_id",
            Coalesce("parent__order", "order"),
            F("parent").asc(nulls_first=True),
            "order",
        )
    )


def _decisions():
    return (
        Decision.objects.filter(item__minute__in=MinuteEntry.objects.visible_to(_public()))
        .select_related("item__meeting", "item__parent", "referred_to")
        .order_by("pk")
    )


def _withheld(membership: Membership) -> bool:
    return membership.person is not None and not membership.person.publish_name


def _minutes_status(meeting: Meeting) -> str:
    minutes = getattr(meeting, "minutes", None)
    return "approved" if minutes and minutes.status == Minutes.Status.APPROVED else ""


TABLES = [
    Table(
        "bodies.csv",
        "Every body of every partnership: boards, executive groups, sub-groups and so on.",
        _bodies,
        [
            Column("id", "The body's number, used by the other files", lambda b: b.pk),
            Column("slug", "Its short name in web addresses", lambda b: b.slug),
            Column("name", "Its name", lambda b: b.name),
            Column("short_name", "An abbreviation, if it has one", lambda b: b.short_name),
            Column("partnership", "The partnership it belongs to", lambda b: b.partnership.name),
            Column("kind", "What sort of body it is, for example trust_board", lambda b: b.kind),
            Column(
                "status",
                "Its lifecycle status on the day the file was built, for example active",
                lambda b: b.status_on_date,
            ),
            Column(
                "meets_in_public",
                "yes if members of the public may attend its meetings",
                lambda b: b.meets_in_public,
            ),
            Column(
                "access_to_information",
                "statutory, voluntary or none: whether the rules on publishing agendas apply",
                lambda b: b.access_to_information,
            ),
            Column("url", "Its page on this site", lambda b: _site(b.get_absolute_url())),
        ],
    ),
    Table(
        "seats.csv",
        "The seats on each body, held or vacant, past and present.",
        _seats,
        [
            Column("id", "The seat's number, used by memberships.csv", lambda s: s.pk),
            Column("body_id", "The body (bodies.csv id)", lambda s: s.body_id),
            Column("label", "The seat as the terms of reference print it", lambda s: s.label),
            Column(
                "role", "chair, vice_chair, co_chair, member, advisor and so on", lambda s: s.role
            ),
            Column(
                "represents",
                "Who the seat speaks for, for example Primary school heads",
                lambda s: s.represents.name if s.represents else "",
            ),
            Column(
                "nominating_organisation",
                "The organisation that nominates the holder",
                lambda s: s.nominating_organisation.name if s.nominating_organisation else "",
            ),
            Column("kind", "named, ex_officio or rotation", lambda s: s.kind),
            Column(
                "ex_officio_of_id",
                "For an ex officio seat: the seat (id) whose holder also holds this one",
                lambda s: s.ex_officio_of_id,
            ),
            Column(
                "max_holders",
                "How many may hold it at once (2 for a job share)",
                lambda s: s.max_holders,
            ),
            Column("voting", "yes if the holder votes", lambda s: s.voting),
            Column("starts_on", "The first day the seat existed, if known", lambda s: s.starts_on),
            Column(
                "ends_on",
                "The first day the seat no longer existed; empty if it still does",
                lambda s: s.ends_on,
            ),
        ],
    ),
    Table(
        "memberships.csv",
        "Who held each seat, and when. Children's and young people's names are withheld: "
        'their rows say "Name withheld" and have no person_id.',
        _memberships,
        [
            Column("id", "The holding's number", lambda m: m.pk),
            Column("seat_id", "The seat held (seats.csv id)", lambda m: m.seat_id),
            Column("body_id", "The seat's body (bodies.csv id)", lambda m: m.seat.body_id),
            Column(
                "person_id",
                "The person's number on this site; empty for a withheld name or a rotation seat",
                lambda m: "" if _withheld(m) or m.person is None else m.person_id,
            ),
            Column(
                "person",
                'The holder\'s name, or "Name withheld"; empty for a rotation seat',
                lambda m: shown_name(m.person, names_visible=False) if m.person else "",
            ),
            Column(
                "organisation",
                "The organisation the holder represents or works for in the seat",
                lambda m: m.organisation.name if m.organisation else "",
            ),
            Column(
                "job_title",
                "The holder's job title when appointed (empty for a withheld name)",
                lambda m: "" if _withheld(m) else m.job_title,
            ),
            Column(
                "arrangement",
                "sole, job_share, interim, acting or rotation",
                lambda m: m.arrangement,
            ),
            Column("starts_on", "The first day they held the seat", lambda m: m.starts_on),
            Column(
                "ends_on",
                "The first day they no longer held it; empty if they still do",
                lambda m: m.ends_on,
            ),
            Column("end_reason", "Why the holding ended, if it has", lambda m: m.end_reason),
        ],
    ),
    Table(
        "meetings.csv",
        "Public meetings of every body.",
        _meetings,
        [
            Column("id", "The meeting's number, used by items.csv", lambda m: m.pk),
            Column("body_id", "The body that met (bodies.csv id)", lambda m: m.body_id),
            Column("title", "Its title, if not just the body's name", lambda m: m.title),
            Column("starts_at", "Start, ISO 8601 date and time in UK time", lambda m: m.starts_at),
            Column("ends_at", "End, if known", lambda m: m.ends_at),
            Column("venue", "Where it is held", lambda m: m.venue),
            Column("kind", "ordinary, extraordinary, workshop and so on", lambda m: m.kind),
            Column(
                "status",
                "scheduled, agenda_published, held, cancelled or postponed",
                lambda m: m.status,
            ),
            Column(
                "agenda_published_at",
                "When the agenda was published; empty if it is not yet",
                lambda m: m.agenda_published_at,
            ),
            Column(
                "minutes_status",
                "approved once its minutes are approved; empty until then",
                _minutes_status,
            ),
            Column("url", "Its page on this site", lambda m: _site(m.get_absolute_url())),
        ],
    ),
    Table(
        "items.csv",
        "The items on published agendas of public meetings. Exempt items are left out.",
        _items,
        [
            Column("id", "The item's number, used by decisions.csv", lambda i: i.pk),
            Column("meeting_id", "The meeting (meetings.csv id)", lambda i: i.meeting_id),
            Column(
                "parent_id", "For a sub-item: the item (id) it belongs to", lambda i: i.parent_id
            ),
            Column("number", "Its number on the agenda, for example 4 or 4.2", lambda i: i.number),
            Column("kind", "report, presentation, previous_minutes and so on", lambda i: i.kind),
            Column("title", "Its title", lambda i: i.title),
            Column(
                "purpose",
                "decision, information, noting, discussion or endorsement",
                lambda i: i.purpose,
            ),
            Column(
                "presenter",
                'Who presents it, or "Name withheld"',
                lambda i: shown_name(i.presenter, names_visible=False) if i.presenter else "",
            ),
            Column("summary", "A summary of the item", lambda i: i.summary),
            Column(
                "recommendations", "What the meeting is asked to do", lambda i: i.recommendations
            ),
            Column(
                "is_late", "yes if it was added after the agenda was published", lambda i: i.is_late
            ),
            Column(
                "urgency_reason",
                "For a late item: the chair's reason for taking it",
                lambda i: i.urgency_reason,
            ),
        ],
    ),
    Table(
        "decisions.csv",
        "Decisions recorded in approved minutes of public meetings, on items that are not exempt.",
        _decisions,
        [
            Column("id", "The decision's number", lambda d: d.pk),
            Column("item_id", "The item decided on (items.csv id)", lambda d: d.item_id),
            Column("meeting_id", "The meeting (meetings.csv id)", lambda d: d.item.meeting_id),
            Column(
                "outcome",
                "agreed, agreed_amended, noted, endorsed, deferred, rejected or referred",
                lambda d: d.outcome,
            ),
            Column("text", "The decision as minuted", lambda d: d.text),
            Column("mode", "consensus or vote", lambda d: d.mode),
            Column("votes_for", "Votes for, if it went to a vote", lambda d: d.votes_for),
            Column(
                "votes_against", "Votes against, if it went to a vote", lambda d: d.votes_against
            ),
            Column("abstentions", "Abstentions, if it went to a vote", lambda d: d.abstentions),
            Column(
                "needs_ratification",
                "yes if each partner must ratify it through its own governance",
                lambda d: d.needs_ratification,
            ),
            Column(
                "was_inquorate",
                "yes if taken without a quorum (to be ratified at a quorate meeting)",
                lambda d: d.was_inquorate,
            ),
            Column(
                "referred_to",
                "For a referral: the body (slug) it was referred to",
                lambda d: d.referred_to.slug if d.referred_to else "",
            ),
        ],
    ),
]


def readme(generated_at: datetime.datetime) -> str:
    lines = [
        f"# {settings.SERVICE_NAME}: the public record",
        "",
        f"Built {_text(generated_at)}. Rebuilt every night.",
        "",
        "The files are CSV (UTF-8, comma-separated, with a header row). Dates are ISO 8601",
        "(YYYY-MM-DD), and times are UK local time with their offset. yes/no columns hold",
        '"yes" or "no"; an empty cell means not known or not applicable. Ids link the files.',
        "",
        "This is what the public can see on the site: exempt items, unpublished agendas,",
        "draft minutes and the names of children and young people are never included.",
        "The same data is available as JSON in Popolo form from the API at /api/v1/.",
    ]
    for table in TABLES:
        lines += ["", f"## {table.file_name}", "", table.description, ""]
        lines += [f"- `{column.name}`: {column.description}" for column in table.columns]
    return "\n".join(lines) + "\n"


def table_csv(table: Table) -> str:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([column.name for column in table.columns])
    for row in table.rows():
        writer.writerow([_text(column.value(row)) for column in table.columns])
    return text.getvalue()


def build(generated_at: datetime.datetime | None = None) -> bytes:
    """The zip file's bytes."""
    generated_at = generated_at or timezone.now()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", readme(generated_at))
        for table in TABLES:
            archive.writestr(table.file_name, table_csv(table))
    return buffer.getvalue()


def publish() -> str:
    """Build the bundle and store it in place of the previous one; returns its storage name."""
    content = build()
    if default_storage.exists(STORED_AS):
        default_storage.delete(STORED_AS)
    return default_storage.save(STORED_AS, ContentFile(content))
