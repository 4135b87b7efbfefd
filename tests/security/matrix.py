"""The permission matrix: every URL name by identity by object state, against an independent oracle.

`build_world()` makes one small partnership whose objects sit in every state that matters (draft,
published, cancelled, held and private meetings; open and exempt items; an exempt paper on an open
item; draft and approved minutes; drafting and submitted reports; draft and agreed terms of
reference; a child's person page) and one user per identity. `cells()` pairs every named route
with the objects its URL can name. `expected()` is the oracle: it is written from the rules in
DESIGN.md ("The one visibility layer") and the roles' descriptions in partnerships/roles.py, from
facts recorded here when the world is built, and never calls the app's visibility code or
`has_perm`, so a mistake in either shows up as a disagreement instead of agreeing with itself.
"""

import dataclasses
import datetime
import zoneinfo
from decimal import Decimal

from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meetings.models import (
    Action,
    CalendarToken,
    Decision,
    MinuteEntry,
    Minutes,
    Paper,
    Ratification,
)
from membership.models import Seat
from partnerships.models import TermsOfReference
from partnerships.roles import Role
from reports.models import FundingStream, PooledFundAgreement
from subscriptions.links import confirmation_code
from subscriptions.models import Subscription
from tests.factories import (
    AgendaItemFactory,
    AnnualReportFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    ReportingLineFactory,
    SeatFactory,
    UserFactory,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")

# Outcomes. "absent": a 404 that is not an access decision (say, editing a version that is no
# longer a draft); "method": the route takes POST only, so a GET is answered 405.
ALLOW, REDIRECT, DENY, LOGIN, FORBIDDEN, ABSENT, METHOD = (
    "allow",
    "redirect",
    "deny",
    "login",
    "forbidden",
    "absent",
    "method",
)
OPEN = {ALLOW, REDIRECT}
STATUS_OF = {ALLOW: 200, DENY: 404, ABSENT: 404, FORBIDDEN: 403, METHOD: 405}


# Identities --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Identity:
    """Who is asking, as the rules see them (not as the app's code computes it)."""

    name: str
    signed_in: bool = True
    roles: frozenset = frozenset()  # "ds" (democratic services), "pm" (partnership manager)
    superuser: bool = False
    bodies: frozenset = frozenset()  # bodies they sit on today, directly or ex officio


IDENTITIES = (
    Identity("anonymous", signed_in=False),
    Identity("signed in, no role or seat"),
    Identity("member of A", bodies=frozenset("A")),
    Identity("chair of A", bodies=frozenset("A")),
    # Holds a seat on D whose holder is ex officio on A.
    Identity("ex officio member of A", bodies=frozenset("AD")),
    # Appointed to A from tomorrow: not a member yet.
    Identity("member of A from tomorrow"),
    Identity("democratic services officer", roles=frozenset({"ds"})),
    Identity("partnership manager", roles=frozenset({"pm"})),
    Identity("member of B", bodies=frozenset("B")),
    Identity("member of C (receives A's reports)", bodies=frozenset("C")),
    Identity("superuser", superuser=True),
    # Deactivated after signing in: the session no longer signs anyone in.
    Identity("deactivated member of A", signed_in=False),
    # Signed in while a member; the holding ended before the request.
    Identity("member of A removed mid-session"),
)

# What each role may change, from the roles' descriptions (partnerships/roles.py, DESIGN.md):
# partnership managers own the structure, keep the rosters and run the reports; democratic
# services run the meetings, schedule them, and keep people's details and registers of interests.
CAPABILITIES = {
    "meetings": {"ds", "pm"},
    "schedule": {"ds"},
    "structure": {"pm"},
    "rosters": {"pm"},
    "people": {"ds", "pm"},
    "reports": {"pm"},
    "funding": {"pm"},
    "sees everything": {"ds", "pm"},
}


def can(who: Identity, capability: str) -> bool:
    return who.signed_in and (who.superuser or bool(who.roles & CAPABILITIES[capability]))


def staff(who: Identity) -> bool:
    return can(who, "sees everything")


# Object states: the facts the oracle reads ----------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Page:
    tag: str = "page"


@dataclasses.dataclass(frozen=True)
class MeetingState:
    tag: str
    body: str
    public: bool
    published: bool
    held: bool = False


@dataclasses.dataclass(frozen=True)
class ItemState:
    tag: str
    meeting: MeetingState
    exempt: bool = False
    parent_exempt: bool = False
    previous_minutes: bool = False

    @property
    def confidential(self) -> bool:
        return self.exempt or self.parent_exempt


@dataclasses.dataclass(frozen=True)
class PaperState:
    tag: str
    item: ItemState
    exempt: bool = False


@dataclasses.dataclass(frozen=True)
class EntryState:
    tag: str
    item: ItemState
    approved: bool


@dataclasses.dataclass(frozen=True)
class ReportState:
    tag: str
    body: str
    receiving: str
    submitted: bool


@dataclasses.dataclass(frozen=True)
class TermsState:
    tag: str
    draft: bool


@dataclasses.dataclass(frozen=True)
class PersonState:
    tag: str
    child: bool


@dataclasses.dataclass(frozen=True)
class ActionState:
    tag: str
    owner: str | None  # the identity that owns it, if a person with a login


@dataclasses.dataclass(frozen=True)
class PackState:
    tag: str
    meeting: MeetingState
    part: str
    items: tuple  # the meeting's ItemStates
    papers: tuple  # the meeting's PaperStates


@dataclasses.dataclass(frozen=True)
class AdminState:
    tag: str = "admin"
    view: str = ""


# The rules ------------------------------------------------------------------------------------


def sees_meeting(who: Identity, m: MeetingState) -> bool:
    """Public meetings are public; private ones are for the body's members and the staff."""
    return staff(who) or m.public or m.body in who.bodies


def sits_on(who: Identity, body: str) -> bool:
    return staff(who) or body in who.bodies


def sees_item(who: Identity, i: ItemState) -> bool:
    """Items of published agendas: open ones of public meetings, all of them for the body's
    members; anything for the staff."""
    if staff(who):
        return True
    if not i.meeting.published:
        return False
    if i.meeting.body in who.bodies:
        return True
    return i.meeting.public and not i.confidential


def sees_paper(who: Identity, p: PaperState) -> bool:
    """A paper follows its item, and an exempt paper on an open item is exempt itself."""
    if staff(who):
        return True
    if not p.item.meeting.published:
        return False
    if p.item.meeting.body in who.bodies:
        return True
    return p.item.meeting.public and not p.item.confidential and not p.exempt


def sees_entry(who: Identity, e: EntryState) -> bool:
    """Draft minutes are for the body's members; the public get approved minutes of open items."""
    if sits_on(who, e.item.meeting.body):
        return True
    return e.approved and e.item.meeting.public and not e.item.confidential


def sees_report(who: Identity, r: ReportState) -> bool:
    """A draft is its body's; once submitted the receiving body's members may read it too."""
    return sits_on(who, r.body) or (r.submitted and r.receiving in who.bodies)


def sees_register(who: Identity, m: MeetingState) -> bool:
    """Attendance and declarations: from the inside always, from outside once a public meeting
    has been held."""
    return sits_on(who, m.body) or (m.public and m.held)


def has_pack_part(who: Identity, p: PackState) -> bool:
    """Part A: the open items the person may see. Part B: the exempt items and papers."""
    items = [i for i in p.items if sees_item(who, i)]
    papers = [x for x in p.papers if sees_paper(who, x) and sees_item(who, x.item)]
    if p.part == "a":
        return any(not i.confidential for i in items)
    return any(i.confidential for i in items) or any(x.exempt for x in papers)


def shown(who: Identity, visible: bool, *, public_page: bool) -> str:
    """A thing the person may see is shown; otherwise anonymous people are asked to sign in and
    signed-in people get a 404, which does not confirm it exists."""
    if not public_page and not who.signed_in:
        return LOGIN
    if visible:
        return ALLOW
    return DENY if who.signed_in else LOGIN


def for_staff(capability: str, then=lambda who, target: ALLOW):
    def rule(who, target):
        if not who.signed_in:
            return LOGIN
        if not can(who, capability):
            return FORBIDDEN
        return then(who, target)

    return rule


def public(who, target):
    return ALLOW


def signed_in(who, target):
    return ALLOW if who.signed_in else LOGIN


def post_only(who, target):
    return METHOD if who.signed_in else LOGIN


def public_view(predicate):
    return lambda who, target: shown(who, predicate(who, target), public_page=True)


def private_view(predicate):
    return lambda who, target: shown(who, predicate(who, target), public_page=False)


def draft_only(who, target: TermsState):
    return ALLOW if target.draft else ABSENT


def while_drafting(who, target: ReportState):
    return REDIRECT if target.submitted else ALLOW


def once_submitted(who, target: ReportState):
    return ALLOW if target.submitted else ABSENT


def previous_minutes_only(who, target: ItemState):
    return ALLOW if target.previous_minutes else ABSENT


def terms_rule(who, target: TermsState):
    # Agreed and superseded versions are public record; a draft is for those who write it.
    if not target.draft or can(who, "structure"):
        return ALLOW
    return DENY if who.signed_in else LOGIN


def person_rule(who, target: PersonState):
    # Children's names are withheld from everyone but the staff who keep the rosters.
    return shown(who, not target.child or staff(who), public_page=True)


def action_rule(who, target: ActionState):
    # Owners update their own actions; the staff who keep the action log update any.
    if not who.signed_in:
        return LOGIN
    return ALLOW if can(who, "meetings") or target.owner == who.name else DENY


def pack_download_rule(who, target: PackState):
    # A pack not yet built sends the person to the pack page to prepare it.
    if sees_meeting(who, target.meeting) and has_pack_part(who, target):
        return REDIRECT
    return DENY if who.signed_in else LOGIN


def subscription_link_rule(who, target):
    # The token in a link is the secret: a real one opens for anyone, a made-up one is absent.
    return ABSENT if target.tag == "made-up link" else ALLOW


def login_rule(who, target):
    return REDIRECT if who.signed_in else ALLOW


# Records only the system writes (sign-in attempts, background task results): nobody adds them.
SYSTEM_RECORDS = {
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "django_tasks_database.dbtaskresult",
}


def admin_rule(who, target):
    # The admin site is for staff users (is_staff); in this world only the superuser is one.
    if not who.superuser:
        return LOGIN
    return FORBIDDEN if target.tag in SYSTEM_RECORDS and target.view == "add" else ALLOW


def admin_login_rule(who, target):
    # The admin's sign-in sends everyone through the service's own sign-in page; a signed-in
    # person who is not staff is told there is nothing there.
    if who.superuser:
        return REDIRECT
    return DENY if who.signed_in else LOGIN


def history_rule(who, target):
    # A history page names an object, perhaps an exempt one: refused like the object, with a 404.
    if not who.signed_in:
        return LOGIN
    return ALLOW if staff(who) else DENY


def two_factor_set_up_rule(who, target):
    # Officers, managers and admins link an authenticator app; for anyone else it is staff-only.
    if not who.signed_in:
        return LOGIN
    return ALLOW if staff(who) else FORBIDDEN


RULES = {
    "home": public,
    "accessibility": public,
    "healthz": public,
    "login": login_rule,
    # Signing out is a POST; like every page not listed as public, it sends visitors to sign in.
    "logout": post_only,
    "password_change": signed_in,
    # Without a pending second step, the code page sends the person on.
    "two-factor-verify": lambda who, target: REDIRECT if who.signed_in else LOGIN,
    "two-factor-set-up": two_factor_set_up_rule,
    "search:search": public,
    "partnerships:object-history": history_rule,
    # open data: the public record, for anyone
    "opendata:api-root": public,
    "opendata:api-organizations": public,
    "opendata:api-people": public,
    "opendata:api-posts": public,
    "opendata:api-memberships": public,
    "opendata:api-events": public,
    "opendata:api-schema": public,
    "opendata:feed-rss": public,
    "opendata:feed-atom": public,
    "opendata:body-feed-rss": public,
    "opendata:body-feed-atom": public,
    "opendata:developers": public,
    "opendata:bundle-download": public,
    "opendata:bundle-rebuild": post_only,
    "password_change_done": signed_in,
    # partnerships
    "partnerships:partnership-list": public,
    "partnerships:partnership-detail": public,
    "partnerships:body-list": public,
    "partnerships:body-detail": public,
    "partnerships:tor-list": public,
    "partnerships:tor-detail": terms_rule,
    "partnerships:tor-diff": terms_rule,
    "partnerships:structure-chart": public,
    "partnerships:structure-diff": public,
    "partnerships:structure-download": public,
    "partnerships:partnership-create": for_staff("structure"),
    "partnerships:partnership-update": for_staff("structure"),
    "partnerships:structure-import": for_staff("structure"),
    "partnerships:body-create": for_staff("structure"),
    "partnerships:body-update": for_staff("structure"),
    "partnerships:body-status-create": for_staff("structure"),
    "partnerships:reporting-line-create": for_staff("structure"),
    "partnerships:reporting-line-update": for_staff("structure"),
    "partnerships:tor-create": post_only,
    "partnerships:tor-update": for_staff("structure", draft_only),
    "partnerships:tor-agree": for_staff("structure", draft_only),
    # membership
    "membership:roster": public,
    "membership:roster-export": public,
    "membership:vacancy-list": public,
    "membership:person-detail": person_rule,
    "membership:organisation-detail": public,
    "membership:person-list": signed_in,
    "membership:body-compliance": signed_in,
    "membership:partnership-compliance": signed_in,
    "membership:overlap": signed_in,
    "membership:seat-create": for_staff("rosters"),
    "membership:seat-update": for_staff("rosters"),
    "membership:appoint": for_staff("rosters"),
    "membership:substitute-create": for_staff("rosters"),
    "membership:membership-end": for_staff("rosters"),
    "membership:roster-import": for_staff("rosters"),
    "membership:person-create": for_staff("people"),
    "membership:person-update": for_staff("people"),
    "membership:interest-create": for_staff("people"),
    # meetings
    "meetings:meeting-list": public,
    "meetings:calendar-public": public,
    "meetings:calendar-body": public,
    "meetings:calendar-person": public,  # the token is the secret
    "meetings:my-meetings": signed_in,
    "meetings:action-list": signed_in,
    "meetings:my-actions": signed_in,
    "meetings:meeting-detail": public_view(sees_meeting),
    "meetings:pack": public_view(sees_meeting),
    "meetings:minutes": public_view(sees_meeting),
    "meetings:attendance": public_view(sees_register),
    "meetings:declarations": public_view(sees_register),
    "meetings:item-detail": public_view(sees_item),
    "meetings:paper-download": public_view(sees_paper),
    "meetings:pack-download": pack_download_rule,
    "meetings:meeting-create": for_staff("meetings"),
    "meetings:schedule-generate": for_staff("schedule"),
    "meetings:meeting-update": for_staff("meetings"),
    "meetings:agenda-builder": for_staff("meetings"),
    "meetings:item-create": for_staff("meetings"),
    "meetings:agenda-publish": for_staff("meetings"),
    "meetings:item-update": for_staff("meetings"),
    "meetings:item-move": post_only,
    "meetings:paper-upload": for_staff("meetings"),
    "meetings:minute-entry-update": for_staff("meetings"),
    "meetings:minutes-approve": for_staff("meetings", previous_minutes_only),
    "meetings:decision-create": for_staff("meetings"),
    "meetings:ratification-update": for_staff("meetings"),
    "meetings:action-create": for_staff("meetings"),
    "meetings:action-update": action_rule,
    # reports
    "reports:report-list": signed_in,
    "reports:body-reports": signed_in,
    "reports:analytics": signed_in,
    "reports:partnership-health": signed_in,
    "reports:funding-list": signed_in,
    "reports:stream-detail": signed_in,
    "reports:pool-detail": signed_in,
    "reports:report-detail": private_view(sees_report),
    "reports:report-export": private_view(sees_report),
    "reports:report-create": for_staff("reports"),
    "reports:report-update": for_staff("reports", while_drafting),
    "reports:report-submit": for_staff("reports", while_drafting),
    "reports:report-rollup": for_staff("reports", while_drafting),
    "reports:report-receive": for_staff("reports", once_submitted),
    "reports:stream-create": for_staff("funding"),
    "reports:allocation-create": for_staff("funding"),
    "reports:post-create": for_staff("funding"),
    "reports:pool-create": for_staff("funding"),
    # subscriptions: the world's bodies meet in public, so anyone may ask to follow them
    "subscriptions:follow": public,
    "subscriptions:check-email": public,
    "subscriptions:confirm": subscription_link_rule,
    "subscriptions:unsubscribe": subscription_link_rule,
    "subscriptions:my-subscriptions": signed_in,
    "admin:login": admin_login_rule,
}


def expected(who: Identity, url_name: str, target) -> str:
    """What the rules say this person should get from this URL for this object."""
    if url_name.startswith("admin:") and url_name not in RULES:
        return admin_rule(who, target)
    return RULES[url_name](who, target)


def observed(response) -> str:
    """The outcome a response shows, in the oracle's words (or the bare status code)."""
    code = response.status_code
    if code in (301, 302):
        location = response.headers.get("Location", "")
        if location.startswith((reverse("login"), reverse("admin:login"))):
            return LOGIN
        return REDIRECT
    return {200: ALLOW, 403: FORBIDDEN, 404: DENY, 405: METHOD}.get(code, str(code))


def agrees(outcome: str, seen: str) -> bool:
    return seen == outcome or (outcome == ABSENT and seen == DENY)


def judge(outcome: str, seen: str) -> str | None:
    """None when the app agrees; otherwise a leak, a wrongful lockout or a wrong refusal."""
    if agrees(outcome, seen):
        return None
    if seen in OPEN and outcome not in OPEN:
        return "leak"
    if outcome in OPEN:
        return "lockout"
    return "wrong refusal"


# The world ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Cell:
    url_name: str
    url: str
    target: object


def _user(username, role=None, **fields):
    user = UserFactory(username=username, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _at(day: int, month: int = 4, year: int = 2015):
    return datetime.datetime(year, month, day, 14, tzinfo=LONDON)


def _paper(item, title, *, exempt=False):
    name = default_storage.save(f"papers/matrix/{title}.pdf", ContentFile(b"%PDF-1.4\n%matrix\n"))
    return Paper.objects.create(
        item=item,
        title=title,
        file=name,
        original_name=f"{title}.pdf",
        content_type="application/pdf",
        size=18,
        is_exempt=exempt,
        exempt_paragraph=3 if exempt else None,
        public_interest_statement="Commercially sensitive" if exempt else "",
    )


def _item(meeting, title, *, exempt=False, parent=None, kind="report"):
    return AgendaItemFactory(
        meeting=meeting,
        title=title,
        parent=parent,
        kind=kind,
        is_exempt=exempt,
        exempt_paragraph=3 if exempt else None,
        public_interest_statement="Commercially sensitive" if exempt else "",
    )


class World:
    """The objects and users, and the state facts the oracle reads, keyed by the objects' pks."""

    def __init__(self):
        self.users = {}
        self.meetings = []  # (Meeting, MeetingState)
        self.items = []
        self.papers = []
        self.entries = []
        self.reports = []
        self.terms = []
        self.people = []
        self.actions = []


def build_world() -> World:
    w = World()
    today = datetime.date.today()
    partnership = PartnershipFactory(name="Matrix Partnership")
    w.partnership = partnership
    bodies = {
        key: BodyFactory(name=f"Matrix Board {key}", partnership=partnership, meets_in_public=True)
        for key in "ABCD"
    }
    w.bodies = bodies
    organisation = OrganisationFactory(name="Matrix County Council")
    w.organisation = organisation

    # Users and seats.
    users = w.users
    users["signed in, no role or seat"] = _user("matrix-plain")
    users["democratic services officer"] = _user("matrix-officer", Role.DEMOCRATIC_SERVICES)
    users["partnership manager"] = _user("matrix-manager", Role.PARTNERSHIP_MANAGER)
    users["superuser"] = _user("matrix-admin", is_staff=True, is_superuser=True)

    def seated(identity, body, role="member", **membership):
        user = _user(f"matrix-{len(users)}", Role.BOARD_MEMBER)
        users[identity] = user
        person = PersonFactory(name=f"{identity.title()} Person", user=user)
        seat = SeatFactory(body=body, role=role, label=f"Seat for {identity}")
        MembershipFactory(seat=seat, person=person, **membership)
        return person, seat

    member_person, member_seat = seated("member of A", bodies["A"])
    chair_person, _ = seated("chair of A", bodies["A"], role="chair")
    _, source_seat = seated("ex officio member of A", bodies["D"])
    Seat.objects.create(
        body=bodies["A"], label="Ex officio", kind="ex_officio", ex_officio_of=source_seat
    )
    seated("member of A from tomorrow", bodies["A"], starts_on=today + datetime.timedelta(1))
    seated("member of B", bodies["B"])
    seated("member of C (receives A's reports)", bodies["C"])
    seated("deactivated member of A", bodies["A"])
    _, w.removed_seat = seated("member of A removed mid-session", bodies["A"])
    w.member_seat = member_seat
    w.member_holding = member_seat.memberships.get()
    child = PersonFactory(name="Matrix Child", publish_name=False)
    MembershipFactory(seat=SeatFactory(body=bodies["A"], label="Young person"), person=child)
    w.people = [
        (member_person, PersonState("adult", child=False)),
        (child, PersonState("child", True)),
    ]
    CalendarToken.objects.create(person=member_person)
    w.calendar_token = member_person.calendar_token.token

    # Meetings of A in every state, a private one, and a private one of B.
    now = timezone.now()

    def meeting(tag, body, starts, *, public=True, published=True, status="agenda_published"):
        m = MeetingFactory(
            body=bodies[body],
            starts_at=starts,
            is_public=public,
            status=status,
            agenda_published_at=now if published else None,
            agenda_version=1 if published else 0,
        )
        state = MeetingState(tag, body, public, published, held=status == "held")
        w.meetings.append((m, state))
        return m, state

    def item(m, ms, tag, **kwargs):
        parent = kwargs.pop("parent", None)
        i = _item(m, f"{tag}", parent=parent[0] if parent else None, **kwargs)
        state = ItemState(
            f"{ms.tag}: {tag}",
            ms,
            exempt=kwargs.get("exempt", False),
            parent_exempt=bool(parent and parent[1].exempt),
            previous_minutes=kwargs.get("kind") == "previous_minutes",
        )
        w.items.append((i, state))
        return i, state

    def paper(it, tag, *, exempt=False):
        p = _paper(it[0], tag.replace(" ", "-"), exempt=exempt)
        w.papers.append((p, PaperState(f"{it[1].tag}: {tag}", it[1], exempt)))
        return p

    def minutes(m, ms, items, *, approved_at=None):
        record = Minutes.objects.create(
            meeting=m,
            status="approved" if approved_at else "draft",
            approved_at=approved_at,
            approved_on=today if approved_at else None,
            signed_by=chair_person if approved_at else None,
        )
        for it in items:
            e = MinuteEntry.objects.create(minutes=record, item=it[0], text="<p>Noted.</p>")
            w.entries.append((e, EntryState(f"{it[1].tag} minute", it[1], bool(approved_at))))

    m, ms = meeting("draft meeting", "A", _at(20, 5), published=False, status="scheduled")
    draft_open = item(m, ms, "open item")
    item(m, ms, "exempt item", exempt=True)
    paper(draft_open, "paper")

    m_pub, ms = meeting("published meeting", "A", _at(29))
    open_item = item(m_pub, ms, "open item")
    exempt_item = item(m_pub, ms, "exempt item", exempt=True)
    item(m_pub, ms, "open sub-item of exempt item", parent=exempt_item)
    item(m_pub, ms, "previous minutes", kind="previous_minutes")
    paper(open_item, "public paper")
    paper(open_item, "exempt paper on open item", exempt=True)
    paper(exempt_item, "paper on exempt item")

    m, ms = meeting("cancelled meeting", "A", _at(6, 5), status="cancelled")
    paper(item(m, ms, "open item"), "paper")

    m, ms = meeting("held meeting, draft minutes", "A", _at(1, 3), status="held")
    held_open = item(m, ms, "open item")
    held_exempt = item(m, ms, "exempt item", exempt=True)
    minutes(m, ms, [held_open, held_exempt])
    w.held_meeting = m
    Action.objects.create(
        meeting=m, item=held_open[0], description="Owned", owner=member_person, due_on=today
    )
    Action.objects.create(
        meeting=m,
        item=held_exempt[0],
        description="An organisation's",
        owner_organisation=organisation,
        due_on=today,
    )
    w.actions = [
        (a, ActionState(a.description, "member of A" if a.owner_id else None))
        for a in Action.objects.filter(meeting=m).order_by("pk")
    ]

    m, ms = meeting("held meeting, approved minutes", "A", _at(1, 2), status="held")
    approved_open = item(m, ms, "open item")
    minutes(m, ms, [approved_open, item(m, ms, "exempt item", exempt=True)], approved_at=m_pub)
    decision = Decision.objects.create(
        item=approved_open[0], text="Agreed", outcome="agreed", needs_ratification=True
    )
    w.ratification = Ratification.objects.create(decision=decision, organisation=organisation)

    m, ms = meeting("private meeting", "A", _at(1, 1), public=False, status="held")
    private_open = item(m, ms, "open item")
    paper(private_open, "paper")
    paper(item(m, ms, "exempt item", exempt=True), "paper")
    minutes(m, ms, [private_open], approved_at=m_pub)

    m, ms = meeting("B's private meeting", "B", _at(8, 4), public=False, status="held")
    b_open = item(m, ms, "open item")
    paper(b_open, "paper")
    paper(item(m, ms, "exempt item", exempt=True), "paper", exempt=True)
    minutes(m, ms, [b_open])

    # Reports: A's to C, drafting and submitted; B's to A, drafting and submitted.
    for body, receiving, year in (
        ("A", "C", 2015),
        ("A", "C", 2016),
        ("B", "A", 2015),
        ("B", "A", 2016),
    ):
        submitted = year == 2016
        report = AnnualReportFactory(
            body=bodies[body],
            receiving_body=bodies[receiving],
            period_starts_on=datetime.date(year, 4, 1),
            period_ends_on=datetime.date(year + 1, 3, 31),
            status="submitted" if submitted else "drafting",
            submitted_at=now if submitted else None,
        )
        tag = f"{body}'s {'submitted' if submitted else 'drafting'} report to {receiving}"
        w.reports.append((report, ReportState(tag, body, receiving, submitted)))

    # Terms of reference of A: superseded, agreed, draft.
    for version, status in ((1, "superseded"), (2, "agreed"), (3, "draft")):
        terms = TermsOfReference.objects.create(
            body=bodies["A"],
            version=version,
            status=status,
            agreed_on=None if status == "draft" else datetime.date(2013 + version, 3, 1),
        )
        w.terms.append((terms, TermsState(f"ToR v{version} ({status})", status == "draft")))

    w.line = ReportingLineFactory(from_body=bodies["A"], to_body=bodies["C"])
    w.stream = FundingStream.objects.create(
        name="Matrix stream", funder=organisation, amount_per_year=Decimal(1000)
    )
    w.pool = PooledFundAgreement.objects.create(
        name="Matrix pool", legal_basis="s75", host=organisation, body=bodies["A"]
    )
    w.subscription = Subscription.objects.create(
        body=bodies["A"], email="matrix-follower@example.org", confirmation_sent_at=now
    )
    return w


# The URLs -------------------------------------------------------------------------------------


def named_routes(patterns=None, namespace=""):
    """Every named route outside the admin site, with its parameter names."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", tuple(getattr(entry.pattern, "converters", {}))


def _pack_states(w: World):
    states = []
    for m, ms in w.meetings:
        items = tuple(s for i, s in w.items if i.meeting_id == m.pk)
        papers = tuple(s for p, s in w.papers if p.item.meeting_id == m.pk)
        for part in "ab":
            states.append((m, PackState(f"{ms.tag}: part {part}", ms, part, items, papers)))
    return states


def cells(w: World) -> list[Cell]:
    """Every (URL, target) the matrix requests; each non-admin route name appears at least once."""
    out = []

    def add(name, target, query="", **kwargs):
        out.append(Cell(name, reverse(name, kwargs=kwargs) + query, target))

    by_pk = {
        "meetings": [(m.pk, s) for m, s in w.meetings],
        "items": [(i.pk, s) for i, s in w.items],
    }
    # Pages for everyone, read through the visibility layer: every meeting and item.
    for pk, state in by_pk["meetings"]:
        for name in ("meeting-detail", "pack", "attendance", "declarations", "minutes"):
            add(f"meetings:{name}", state, pk=pk)
    for m, pack in _pack_states(w):
        add("meetings:pack-download", pack, f"?part={pack.part}", pk=m.pk)
    for pk, state in by_pk["items"]:
        add("meetings:item-detail", state, pk=pk)
    # Staff pages: what the object is does not change who may open them, so a few of each.
    staff_tags = {"draft meeting", "published meeting", "private meeting", "B's private meeting"}
    staff_meetings = [(pk, s) for pk, s in by_pk["meetings"] if s.tag in staff_tags]
    for pk, state in staff_meetings:
        for name in ("meeting-update", "agenda-builder", "item-create", "agenda-publish"):
            add(f"meetings:{name}", state, pk=pk)
        add("meetings:action-create", state, pk=pk)
    staff_items = [(pk, s) for pk, s in by_pk["items"] if s.meeting.tag == "published meeting"]
    for pk, state in staff_items:
        for name in ("item-update", "paper-upload", "decision-create", "minutes-approve"):
            add(f"meetings:{name}", state, pk=pk)
    add("meetings:item-move", by_pk["items"][0][1], pk=by_pk["items"][0][0])
    for p, state in w.papers:
        add("meetings:paper-download", state, pk=p.pk)
    for e, state in w.entries:
        add("meetings:minute-entry-update", state, pk=e.pk)
    for a, state in w.actions:
        add("meetings:action-update", state, pk=a.pk)
    add("meetings:ratification-update", Page("ratification"), pk=w.ratification.pk)
    add("meetings:calendar-person", Page("member's token"), token=w.calendar_token)
    links = {
        "subscriptions:confirm": confirmation_code(w.subscription),
        "subscriptions:unsubscribe": w.subscription.token,
    }
    for name, token in links.items():
        add(name, Page("link"), token=token)
        add(name, Page("made-up link"), token="made-up")

    for r, state in w.reports:
        for name in ("report-detail", "report-update", "report-submit", "report-receive"):
            add(f"reports:{name}", state, pk=r.pk)
        add("reports:report-rollup", state, pk=r.pk)
        add("reports:report-export", state, fmt="docx", pk=r.pk)
    # PDFs take longest to render: one report's is enough to show the format is guarded alike.
    report, state = w.reports[0]
    add("reports:report-export", state, fmt="pdf", pk=report.pk)

    for t, state in w.terms:
        for name in ("tor-detail", "tor-update", "tor-agree"):
            add(f"partnerships:{name}", state, slug=w.bodies["A"].slug, version=t.version)
    add(
        "partnerships:tor-diff",
        TermsState("v1 and v2 (agreed)", False),
        "?old=1&new=2",
        slug=w.bodies["A"].slug,
    )
    add(
        "partnerships:tor-diff",
        TermsState("v2 and v3 (draft)", True),
        "?old=2&new=3",
        slug=w.bodies["A"].slug,
    )

    for person, state in w.people:
        add("membership:person-detail", state, pk=person.pk)
        add("membership:person-update", state, pk=person.pk)
        add("membership:interest-create", state, pk=person.pk)

    body_routes = [
        "partnerships:body-detail",
        "partnerships:body-update",
        "partnerships:body-status-create",
        "partnerships:reporting-line-create",
        "partnerships:tor-list",
        "partnerships:tor-create",
        "membership:roster",
        "membership:body-compliance",
        "membership:seat-create",
        "meetings:calendar-body",
        "reports:body-reports",
        "opendata:body-feed-rss",
        "opendata:body-feed-atom",
        "subscriptions:follow",
        "subscriptions:check-email",
    ]
    for key in "AB":
        body = w.bodies[key]
        for name in body_routes:
            add(name, Page(f"body {key}"), slug=body.slug)
        for fmt in ("csv", "xlsx"):
            add("membership:roster-export", Page(f"body {key}"), fmt=fmt, slug=body.slug)

    slug = w.partnership.slug
    for name in (
        "partnerships:partnership-detail",
        "partnerships:partnership-update",
        "partnerships:structure-chart",
        "partnerships:structure-diff",
        "membership:partnership-compliance",
        "membership:overlap",
        "reports:analytics",
        "reports:partnership-health",
    ):
        add(name, Page("partnership"), slug=slug)
    for fmt in ("svg", "png", "pdf"):
        add("partnerships:structure-download", Page("partnership"), slug=slug, fmt=fmt)

    add("partnerships:reporting-line-update", Page("line"), pk=w.line.pk)
    for name in ("seat-update", "appoint", "substitute-create"):
        add(f"membership:{name}", Page("seat"), pk=w.member_seat.pk)
    add("membership:membership-end", Page("holding"), pk=w.member_holding.pk)
    add("membership:organisation-detail", Page("organisation"), pk=w.organisation.pk)
    add("reports:stream-detail", Page("stream"), pk=w.stream.pk)
    add("reports:allocation-create", Page("stream"), pk=w.stream.pk)
    add("reports:pool-detail", Page("pool"), pk=w.pool.pk)
    for obj in confidential_objects(w):
        label = obj._meta.label_lower
        add("partnerships:object-history", Page(label), model=label, pk=obj.pk)

    covered = {c.url_name for c in out}
    for name, params in named_routes():
        if name not in covered:
            assert not params, f"the matrix has no objects for {name} {params}"
            add(name, Page())

    out.extend(admin_cells(w))
    return out


def confidential_objects(w: World) -> list:
    """One of each kind of confidential object: exempt item and paper, private meeting, draft
    minute, drafting report."""
    return [
        next(i for i, s in w.items if s.exempt),
        next(p for p, s in w.papers if s.exempt),
        next(m for m, s in w.meetings if not s.public),
        next(e for e, s in w.entries if not s.approved),
        next(r for r, s in w.reports if not s.submitted),
    ]


def admin_cells(w: World) -> list[Cell]:
    """The admin index, each app's index, and each registered model's list and add pages, plus
    the change and history pages of the confidential objects."""
    out = [Cell("admin:index", reverse("admin:index"), AdminState())]
    out.append(Cell("admin:login", reverse("admin:login"), AdminState("login")))
    app_labels = set()
    for model in admin.site._registry:
        opts = model._meta
        app_labels.add(opts.app_label)
        for view in ("changelist", "add"):
            name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
            out.append(Cell(name, reverse(name), AdminState(opts.label_lower, view)))
    for label in sorted(app_labels):
        out.append(
            Cell("admin:app_list", reverse("admin:app_list", args=[label]), AdminState(label))
        )
    for obj in confidential_objects(w):
        if not admin.site.is_registered(type(obj)):
            continue
        opts = obj._meta
        for view in ("change", "history", "delete"):
            name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
            out.append(
                Cell(name, reverse(name, args=[obj.pk]), AdminState(f"{opts.label} {obj.pk}"))
            )
    return out
