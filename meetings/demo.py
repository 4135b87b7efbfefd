"""Demo meetings from the seed papers; `load()` is idempotent.

- Cambridgeshire Children's Trust Board (seed 000): the November 2014 meeting that set up a working
  group on the Trust's future, and the 29 April 2015 meeting that took its report ("Future
  arrangements of the Children's Trust", item 4) and agreed to replace the Board with an Executive
  Group from 1 June 2015. The paper names none of the Board's members, so the demo gives the Board
  six illustrative seats and holders, marked as such; the exempt staffing item and its paper are
  illustrative too. The November meeting's date is inferred ("the last meeting in November 2014").
- Cambridgeshire Children's Trust Executive Group: its first meeting, scheduled for October 2015.
- Worcestershire Joint Commissioning Board (seed 004): the September 2009 meeting that was to give
  final approval to the draft Children's Trust constitution. The paper gives the month only.
- Upcoming meetings in 2027 of bodies that are still active, so the calendar has a future.

Everything goes through the meetings services, so the demo obeys the same rules as a user. Each
step first looks for what it would create (meetings by body and start, items by meeting and
title, papers by title, actions by description), so loading twice changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from membership.models import Person, SeatRole
from membership.services import appoint, create_seat
from partnerships.demo import cambridgeshire, worcestershire
from partnerships.models import Body, Organisation

from . import services
from .actions import close_action, create_action, update_action
from .attendance import AttendanceRow, declare_interest, record_attendance
from .deadlines import LONDON, meeting_date, publication_deadline
from .minutes import approve_minutes, circulate, ensure_minutes, record_decision, save_entry
from .models import Action, AgendaItem, Attendance, Meeting, Minutes, Paper
from .papers import save_paper

Kind, Purpose = AgendaItem.Kind, AgendaItem.Purpose
SHIRE_HALL = "Shire Hall, Castle Hill, Cambridge CB3 0AP"
NEW_SHIRE_HALL = "New Shire Hall, Emery Crescent, Alconbury Weald, Huntingdon PE28 4YE"
COUNTY_HALL = "County Hall, Spetchley Road, Worcester WR5 2NP"

ILLUSTRATIVE = "Illustrative holder: the seed paper names no members of the Board."

# (seat, role, nominated by the county council, honorific, name, job title): a chair, a
# vice-chair and four members, enough for a register, a signature and an action owner.
BOARD_SEATS = [
    ("Chair", SeatRole.CHAIR, True, "Councillor", "Ruth Alder", "County councillor"),
    (
        "Vice-chair",
        SeatRole.VICE_CHAIR,
        False,
        "",
        "Tom Fenwick",
        "Head of Children's Commissioning, NHS",
    ),
    (
        "Representative of Children's Services",
        SeatRole.MEMBER,
        True,
        "",
        "Nadia Kerr",
        "Head of Service, Children's Services",
    ),
    (
        "Representative of the district councils",
        SeatRole.MEMBER,
        False,
        "Councillor",
        "Owen Leigh",
        "District councillor",
    ),
    ("Representative of schools", SeatRole.MEMBER, False, "", "Grace Okoye", "Headteacher"),
    (
        "Representative of the voluntary and community sector",
        SeatRole.MEMBER,
        False,
        "",
        "Martin Rowe",
        "Chief executive of a local charity",
    ),
]

PRESENTER = "Meredith Teasdale"
PRESENTER_JOB = "Service Director, Strategy & Commissioning"
PRESENTER_TITLE = f"{PRESENTER_JOB}, Cambridgeshire County Council"

FUTURE_TITLE = "Future arrangements of the Children's Trust"
FUTURE_SUMMARY = (
    "From 1 June 2015 the County Council stops funding the Children's Trust (£34k a year): the "
    "0.65 FTE Children's Trust Manager post, the annual conference, grants to the Area "
    "Partnerships and the costs of Board meetings. The Area Partnership Manager post, also "
    "council-funded, ends on 31 August 2015. After the November 2014 meeting the Board set up a "
    "working group, which has met twice and proposes a smaller model; every Board member has "
    "been able to comment on the options."
)
FUTURE_RECOMMENDATIONS = (
    "That the Children's Trust Board be disbanded in its current form and replaced by a small "
    "Executive Group meeting twice a year and reporting to the Health and Wellbeing Board, an "
    "annual conference, the three Area Partnerships (continuing as now) and commissioned work. "
    "The Trust stays the primary delivery mechanism for the Health and Wellbeing Board's "
    "Priority 1, \u201cEnsuring a positive start to life for children, young people and their "
    "families\u201d."
)
FUTURE_QUESTIONS = (
    "Are partners in agreement to the model of working described in the paper?\n"
    "What funding is available from partners for the annual conference, the Area Partnership "
    "Manager role and potential executive support?\n"
    "When would partners like the new arrangements to begin: could the existing Board meetings "
    "be used for the Executive Group meetings?"
)
FUTURE_DECISION = (
    "The Children's Trust Board be disbanded in its current form and replaced from 1 June 2015 "
    "by a Children's Trust Executive Group, meeting twice a year and reporting to the Health and "
    "Wellbeing Board; the three Area Partnerships and the annual conference continue."
)

STAFFING_TITLE = "Children's Trust Manager post: staffing implications of the funding ending"
STAFFING_PARAGRAPH = 1
STAFFING_STATEMENT = (
    "The report concerns the employment of the individual who holds the Children's Trust "
    "Manager post, which ends when the council's funding stops on 1 June 2015. While that person "
    "is consulted, the public interest in protecting their privacy outweighs the public interest "
    "in disclosure. The decision on the Trust's future arrangements is taken in public at item 4."
)

# Item 4's paper, abridged from seed 000.
FUTURE_PAPER = f"""
<h1>{FUTURE_TITLE}</h1>
<p>Children's Trust Board, Wednesday 29 April 2015. Agenda item 4.<br>
{PRESENTER}, {PRESENTER_TITLE}</p>
<h2>1. Purpose</h2>
<p>To make a decision over the future arrangements of the Children's Trust.</p>
<h2>2. Background</h2>
<p>To comply with the Children Act 2004 the Children's Trust has to evidence that it is improving
the wellbeing of children. Whilst the County Council is responsible for reporting on this, other
statutory organisations have a duty to work in partnership to achieve positive outcomes.</p>
<p>As of 1 June 2015, Cambridgeshire County Council will cease the funding (currently £34k per
annum) for the Children's Trust: the Children's Trust Manager (0.65 FTE) post, the annual
conference, annual funding support to Area Partnerships and the costs of Board meetings and
development days. The Area Partnership Manager post is due to end on 31 August 2015. It is proposed
that the Area Partnerships will continue.</p>
<p>Following the last meeting in November 2014, the Board agreed that a working group should be
established to discuss possible options for the future of the Children's Trust. The working group
has met twice and has discussed the preferred future model.</p>
<h2>3. Future model</h2>
<p>A small Executive Group, an annual conference, all three Area Partnerships and commissioned
work. The current Children's Trust Board should be disbanded in its current form. The Executive
Group will meet twice a year to oversee the work of the Area Partnerships and the work it
commissions, and will report to the Health and Wellbeing Board.</p>
<h2>4. Questions and decisions required</h2>
<ul>{"".join(f"<li>{question}</li>" for question in FUTURE_QUESTIONS.splitlines())}</ul>
"""

STAFFING_PAPER = f"""
<h1>{STAFFING_TITLE}</h1>
<p><strong>Not for publication: Schedule 12A, paragraph 1.</strong></p>
<p>An illustrative paper in the demo: the seed papers do not include it.</p>
<p>The Children's Trust Manager post (0.65 FTE) is funded by the County Council's grant to the
Children's Trust, which ends on 1 June 2015. This report sets out the consultation with the post
holder and the options for redeployment.</p>
"""

CONSTITUTION_TITLE = "Children's Trust Board: draft constitution"
CONSTITUTION_SUMMARY = (
    "The draft constitution of the statutory Children's Trust Board, drawn from the July 2009 "
    "workshop of the Joint Commissioning Group and the Partnership Advisory Body: keep it simple "
    "and use existing arrangements as far as possible. An inclusive Board chaired by the Cabinet "
    "Member or an independent chair, meeting quarterly and focused on the Children and Young "
    "People's Plan, with a Management Group chaired by the Director of Children's Services."
)
CONSTITUTION_RECOMMENDATIONS = (
    "That the Board approves the draft constitution, to be reported to the County Council's "
    "Cabinet in November 2009, with shadow arrangements from January 2010 and the Trust fully "
    "effective from April 2010."
)
CONSTITUTION_PAPER = f"""
<h1>{CONSTITUTION_TITLE}</h1>
<p>Joint Commissioning Board, September 2009.</p>
<p>{CONSTITUTION_SUMMARY}</p>
<p>{CONSTITUTION_RECOMMENDATIONS}</p>
"""


def load() -> None:
    """Build the demo meetings; running it again changes nothing."""
    by = get_user_model().objects.get(username="officer")
    _load_childrens_trust_board(by)
    _load_executive_group(by)
    _load_joint_commissioning_board(by)
    _load_upcoming(by)


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Building blocks -------------------------------------------------------------------------------


def _meeting(body: Body, starts_at: datetime.datetime, by, **fields) -> Meeting:
    existing = Meeting.objects.filter(body=body, starts_at=starts_at).first()
    return existing or services.create_meeting(body=body, starts_at=starts_at, by=by, **fields)


def _item(meeting: Meeting, order: int, by, **fields) -> AgendaItem:
    """Item `order` of the agenda: added at the end, then moved up to its number.

    Found again by its title: moving it renumbers the standing items below it.
    """
    item = meeting.items.filter(parent=None, title=fields["title"]).first()
    if item is not None:
        return item
    item = services.add_item(meeting=meeting, by=by, **fields)
    while item.order > order:
        item = services.move_item(item=item, direction="up")
    if item.order != order:
        raise ValueError(f"The demo puts {item.title!r} at {order}, but the agenda is shorter")
    return item


def _standing(meeting: Meeting, kind: str) -> AgendaItem:
    return meeting.items.get(parent=None, kind=kind)


def _pdf(html: str) -> bytes:
    import weasyprint  # Slow to import, and only needed the first time the demo loads.

    return weasyprint.HTML(string=f"<html><body>{html}</body></html>").write_pdf()


def _paper(item: AgendaItem, title: str, filename: str, html: str, by, **exempt) -> Paper:
    existing = item.papers.filter(title=title).first()
    if existing is not None:
        return existing
    upload = SimpleUploadedFile(filename, _pdf(html), content_type="application/pdf")
    return save_paper(item=item, upload=upload, title=title, by=by, **exempt)


def _published(meeting: Meeting, published_at: datetime.datetime, by) -> Meeting:
    """Record that the agenda was published on a past date.

    publish_agenda publishes today, which for a meeting years ago would make the agenda late
    (and e-mail its members now), so the demo records the publication as it happened, after
    checking it met the deadline as publish_agenda would have.
    """
    if meeting.is_published:
        return meeting
    deadline = publication_deadline(meeting_date(meeting))
    if meeting.body.follows_access_to_information_rules and published_at.date() > deadline:
        raise ValueError(f"The demo publishes {meeting} after its deadline, {deadline}")
    meeting.agenda_published_at = published_at
    meeting.agenda_published_by = by
    meeting.agenda_version = 1
    meeting.calendar_sequence += 1
    meeting.status = Meeting.Status.AGENDA_PUBLISHED
    meeting.save(
        update_fields=[
            "agenda_published_at",
            "agenda_published_by",
            "agenda_version",
            "calendar_sequence",
            "status",
            "updated_at",
        ]
    )
    return meeting


def _held(meeting: Meeting, by) -> Meeting:
    if meeting.status == Meeting.Status.HELD:
        return meeting
    return services.update_meeting(meeting=meeting, by=by, status=Meeting.Status.HELD)


def _minute(minutes: Minutes, item: AgendaItem, text: str, by, resolution: str = "") -> None:
    entry = minutes.entries.get(item=item)
    if not entry.text and minutes.status != Minutes.Status.APPROVED:
        save_entry(
            entry=entry, text=text, resolution=resolution, expected_version=entry.version, by=by
        )


def _decision(item: AgendaItem, text: str, outcome: str, by) -> None:
    if not item.decisions.filter(text=text).exists():
        record_decision(item=item, text=text, outcome=outcome, by=by)


def _action(meeting: Meeting, item: AgendaItem, description: str, owner: Person, due_on, by):
    existing = meeting.actions.filter(description=description).first()
    return existing or create_action(
        meeting=meeting, item=item, description=description, owner=owner, due_on=due_on, by=by
    )


def _person(name: str, **fields) -> Person:
    return Person.objects.filter(name=name).first() or Person.objects.create(name=name, **fields)


# Cambridgeshire Children's Trust Board ---------------------------------------------------------


def _board_members(board: Body) -> dict[str, Person]:
    """The illustrative holders of the Board's seats, by seat label."""
    council = Organisation.objects.get(name=cambridgeshire.COUNCIL)
    people = {}
    for label, role, nominated, honorific, name, job_title in BOARD_SEATS:
        seat = board.seats.filter(label=label).first() or create_seat(
            body=board,
            label=label,
            role=role,
            nominating_organisation=council if nominated else None,
            starts_on=cambridgeshire.KNOWN_FROM,
            ends_on=cambridgeshire.CHANGE,
        )
        person = _person(name, honorific=honorific, job_title=job_title)
        if not seat.memberships.filter(person=person).exists():
            appoint(
                seat=seat,
                person=person,
                organisation=council if nominated else None,
                starts_on=cambridgeshire.KNOWN_FROM,
                ends_on=cambridgeshire.CHANGE,
                notes=ILLUSTRATIVE,
            )
        people[label] = person
    return people


def _load_childrens_trust_board(by) -> None:
    board = Body.objects.get(slug=cambridgeshire.BOARD)
    people = _board_members(board)
    vice_chair = people["Vice-chair"]
    services_rep = people["Representative of Children's Services"]
    voluntary_rep = people["Representative of the voluntary and community sector"]
    presenter = _person(PRESENTER, job_title=PRESENTER_JOB)
    presenter.organisations.add(Organisation.objects.get(name=cambridgeshire.COUNCIL))

    november, working_group = _board_november_2014(board, by, services_rep)
    april = _meeting(
        board,
        _at(2015, 4, 29, 14),
        by,
        ends_at=_at(2015, 4, 29, 16),
        venue=SHIRE_HALL,
        is_public=True,
    )
    future = _item(
        april,
        4,
        by,
        kind=Kind.REPORT,
        title=FUTURE_TITLE,
        purpose=Purpose.DECISION,
        presenter=presenter,
        presenter_title=PRESENTER_TITLE,
        summary=FUTURE_SUMMARY,
        recommendations=FUTURE_RECOMMENDATIONS,
        questions=FUTURE_QUESTIONS,
        minutes_allocated=45,
    )
    staffing = _item(
        april,
        6,
        by,
        kind=Kind.REPORT,
        title=STAFFING_TITLE,
        purpose=Purpose.NOTING,
        presenter=presenter,
        presenter_title=PRESENTER_TITLE,
        is_exempt=True,
        exempt_paragraph=STAFFING_PARAGRAPH,
        public_interest_statement=STAFFING_STATEMENT,
    )
    _paper(future, FUTURE_TITLE, "future-arrangements-of-the-childrens-trust.pdf", FUTURE_PAPER, by)
    _paper(
        staffing,
        "Children's Trust Manager post: staffing implications",
        "childrens-trust-manager-post.pdf",
        STAFFING_PAPER,
        by,
        is_exempt=True,
        exempt_paragraph=STAFFING_PARAGRAPH,
        public_interest_statement=STAFFING_STATEMENT,
    )
    # The deadline for 29 April 2015 was Tuesday 21 April.
    _published(april, _at(2015, 4, 20, 10), by)
    _held(april, by)

    if not april.attendance.exists():
        present, apologies = Attendance.Status.PRESENT, Attendance.Status.APOLOGIES
        seats = {seat.label: seat for seat in board.seats.all()}
        register = [
            ("Chair", present),
            ("Vice-chair", apologies),
            ("Representative of Children's Services", present),
            ("Representative of the district councils", present),
            ("Representative of schools", apologies),
            ("Representative of the voluntary and community sector", present),
        ]
        rows = [
            AttendanceRow(status=status, person=people[label], seat=seats[label])
            for label, status in register
        ]
        rows.append(AttendanceRow(status=Attendance.Status.IN_ATTENDANCE, person=presenter))
        record_attendance(meeting=april, rows=rows, by=by)
    interest = (
        "Trustee of a voluntary organisation that runs projects funded by an Area Partnership grant"
    )
    if not april.declarations.filter(person=voluntary_rep).exists():
        declare_interest(meeting=april, person=voluntary_rep, interest=interest, item=future, by=by)

    previous = _standing(april, Kind.PREVIOUS_MINUTES)
    if november.minutes.status != Minutes.Status.APPROVED:
        approve_minutes(minutes=november.minutes, at_item=previous, by=by)
    action_log = _standing(april, Kind.ACTION_LOG)
    if working_group.status == Action.Status.OPEN:
        update_action(
            action=working_group,
            status=Action.Status.DONE,
            note="The working group has met twice; its preferred model is item 4 on 29 April.",
            by=by,
        )
    if working_group.status != Action.Status.CLOSED:
        close_action(action=working_group, at_meeting=april, minute_ref=action_log.number, by=by)

    minutes = ensure_minutes(april)
    _minute(
        minutes,
        _standing(april, Kind.APOLOGIES),
        f"<p>Apologies were received from {vice_chair} (vice-chair) and "
        f"{people['Representative of schools']}.</p>",
        by,
    )
    _minute(
        minutes,
        _standing(april, Kind.DECLARATIONS),
        f"<p>{voluntary_rep} declared an interest in item 4 as a trustee of a voluntary "
        "organisation that runs projects funded by an Area Partnership grant, and took part in "
        "the discussion.</p>",
        by,
    )
    _minute(
        minutes,
        previous,
        "<p>The minutes of the meeting held on 26 November 2014 were agreed as a correct record "
        "and signed by the chair.</p>",
        by,
    )
    _minute(
        minutes,
        future,
        f"<p>{presenter} introduced the report of the working group set up in November 2014. "
        "Members supported the smaller model, asked that the Area Partnerships keep their local "
        "focus, and noted that partners would need to find funding for the annual conference "
        "and the Area Partnership Manager post.</p>",
        by,
        resolution=FUTURE_DECISION,
    )
    _minute(
        minutes,
        action_log,
        "<p>The working group action from 26 November 2014 was closed: its report is item 4.</p>",
        by,
    )
    _minute(
        minutes,
        staffing,
        "<p>The Board noted the consultation with the holder of the Children's Trust Manager "
        "post and the options for redeployment.</p>",
        by,
    )
    _decision(future, FUTURE_DECISION, "agreed", by)
    _action(
        april,
        future,
        "Ask each partner what funding it can offer for the annual conference, the Area "
        "Partnership Manager role and executive support, and report the replies to the first "
        "meeting of the Executive Group",
        services_rep,
        datetime.date(2015, 6, 1),
        by,
    )


def _board_november_2014(board: Body, by, owner: Person) -> tuple[Meeting, Action]:
    """The meeting that set up the working group; its minutes are circulated for approval."""
    november = _meeting(
        board,
        _at(2014, 11, 26, 14),
        by,
        ends_at=_at(2014, 11, 26, 16),
        venue=SHIRE_HALL,
        is_public=True,
    )
    future = _item(
        november,
        5,
        by,
        kind=Kind.REPORT,
        title="The future of the Children's Trust",
        purpose=Purpose.DISCUSSION,
        summary=(
            "The County Council's funding for the Children's Trust ends on 1 June 2015. How "
            "should partners work together on the Trust's priorities after that?"
        ),
        recommendations="That a working group be set up to discuss options for the future.",
    )
    _published(november, _at(2014, 11, 17, 10), by)
    _held(november, by)

    resolution = (
        "A working group be established to discuss possible options for the future of the "
        "Children's Trust, and all Board members be given the chance to comment on them."
    )
    minutes = ensure_minutes(november)
    _minute(
        minutes,
        future,
        "<p>The Board discussed the end of the County Council's funding for the Children's "
        "Trust from 1 June 2015 and how partners might keep working together on children's "
        "outcomes.</p>",
        by,
        resolution=resolution,
    )
    _decision(future, resolution, "agreed", by)
    action = _action(
        november,
        future,
        "Convene the working group on the future of the Children's Trust and bring its "
        "preferred model to the Board",
        owner,
        datetime.date(2015, 3, 31),
        by,
    )
    if minutes.status == Minutes.Status.DRAFT:
        circulate(minutes=minutes, by=by)
    november.refresh_from_db()
    return november, action


# Other bodies ----------------------------------------------------------------------------------


def _load_executive_group(by) -> None:
    """Its first meeting, as scheduled after the Board agreed the change: not yet published."""
    executive = Body.objects.get(slug=cambridgeshire.EXECUTIVE)
    _meeting(
        executive,
        _at(2015, 10, 14, 14),
        by,
        ends_at=_at(2015, 10, 14, 16),
        venue=SHIRE_HALL,
    )


def _load_joint_commissioning_board(by) -> None:
    jcb = Body.objects.get(slug=worcestershire.JCB)
    meeting = _meeting(
        jcb, _at(2009, 9, 22, 14), by, ends_at=_at(2009, 9, 22, 16), venue=COUNTY_HALL
    )
    manager = Person.objects.filter(name="Peter Sugg").first()
    item = _item(
        meeting,
        5,
        by,
        kind=Kind.REPORT,
        title=CONSTITUTION_TITLE,
        purpose=Purpose.DECISION,
        presenter=manager,
        presenter_title="Interim Partnership Manager",
        summary=CONSTITUTION_SUMMARY,
        recommendations=CONSTITUTION_RECOMMENDATIONS,
    )
    _paper(item, CONSTITUTION_TITLE, "draft-constitution.pdf", CONSTITUTION_PAPER, by)
    _published(meeting, _at(2009, 9, 14, 10), by)
    _held(meeting, by)


def _load_upcoming(by) -> None:
    """Bodies still active today: the Health and Wellbeing Board and the Executive Group."""
    hwb = Body.objects.get(slug=cambridgeshire.HWB)
    for day in (datetime.date(2027, 1, 21), datetime.date(2027, 3, 18), datetime.date(2027, 5, 27)):
        _meeting(
            hwb,
            _at(day.year, day.month, day.day, 10),
            by,
            ends_at=_at(day.year, day.month, day.day, 12),
            venue=NEW_SHIRE_HALL,
        )
    first = Meeting.objects.get(body=hwb, starts_at=_at(2027, 1, 21, 10))
    _item(
        first,
        5,
        by,
        kind=Kind.REPORT,
        title="Children's Trust: annual progress on Priority 1",
        purpose=Purpose.INFORMATION,
        summary=(
            "The Children's Trust Executive Group's annual report on the Area Partnerships and "
            "its commissioned work, the Board's Priority 1."
        ),
    )
    executive = Body.objects.get(slug=cambridgeshire.EXECUTIVE)
    _meeting(
        executive,
        _at(2027, 4, 21, 14),
        by,
        ends_at=_at(2027, 4, 21, 16),
        venue=NEW_SHIRE_HALL,
    )
