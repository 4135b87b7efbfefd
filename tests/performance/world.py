"""A partnership that can grow: the same shape at a small and a large size, for query budgets.

`build()` makes the small world: body A with three members, two meetings of three items (one held
with approved minutes, one coming up), a paper, a decision, an action, reports, terms of reference,
funding and the reporting lines around A. `grow()` then adds rows of every kind a page lists (more
items on the same agenda, more papers, more members on the roster, more meetings, more actions,
more report lines, more bodies in the chart ...) so a page's URL names the same objects at both
sizes and only the number of rows behind it changes.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from meetings.models import (
    Action,
    ActionUpdate,
    Attendance,
    CalendarToken,
    Decision,
    Declaration,
    Meeting,
    MinuteEntry,
    Minutes,
    Paper,
    Ratification,
)
from membership.models import InterestDeclaration, StatutoryCategory, Substitute
from partnerships.models import Priority, TermsOfReference, ToRSection, WorkArea
from partnerships.roles import Role
from reports.models import (
    AnnualReport,
    Escalation,
    FundingAllocation,
    FundingStream,
    Indicator,
    PooledFundAgreement,
    PoolShare,
    ReportLine,
    SupportPost,
)
from subscriptions.models import Subscription
from tests.factories import (
    AgendaItemFactory,
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

# Statutory categories for A's seats, so the compliance pages have rows of their own to check.
CATEGORIES = [value for value, _ in StatutoryCategory.choices][:10]

LONDON = zoneinfo.ZoneInfo("Europe/London")

# How many rows of each kind the page shows, at each size. The large world has five times the
# small one's rows of every kind.
SMALL = 3
LARGE = 15


def _at(day: int, month: int = 4, year: int = 2015, hour: int = 14):
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


class World:
    """The objects whose pages are measured, and one user per identity."""

    def __init__(self):
        self.size = 0
        self.users = {}


def _user(username, role=None):
    user = UserFactory(username=username)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def build() -> World:
    w = World()
    now = timezone.now()
    today = datetime.date.today()
    w.partnership = PartnershipFactory(name="Budget Partnership")
    w.organisation = OrganisationFactory(name="Budget County Council")
    w.body = BodyFactory(name="Budget Board A", partnership=w.partnership, meets_in_public=True)
    w.parent = BodyFactory(name="Budget Board B", partnership=w.partnership, meets_in_public=True)
    w.line = ReportingLineFactory(from_body=w.body, to_body=w.parent)

    w.users["officer"] = _user("budget-officer", Role.DEMOCRATIC_SERVICES)
    w.users["manager"] = _user("budget-manager", Role.PARTNERSHIP_MANAGER)
    w.users["member"] = _user("budget-member", Role.BOARD_MEMBER)
    w.member = PersonFactory(name="Budget Member", user=w.users["member"])
    w.seat = SeatFactory(body=w.body, label="Chair", role="chair", statutory_category="")
    w.holding = MembershipFactory(seat=w.seat, person=w.member, organisation=w.organisation)
    CalendarToken.objects.create(person=w.member)
    w.token = w.member.calendar_token.token

    # The held meeting (approved minutes) and the next one, whose agenda approves them.
    w.held = MeetingFactory(
        body=w.body,
        starts_at=_at(1, 3),
        status="held",
        agenda_published_at=now,
        agenda_version=1,
    )
    w.next = MeetingFactory(
        body=w.body,
        starts_at=_at(29, 4),
        status="agenda_published",
        agenda_published_at=now,
        agenda_version=1,
    )
    w.minutes = Minutes.objects.create(
        meeting=w.held,
        status="approved",
        approved_at=w.next,
        approved_on=today,
        signed_by=w.member,
    )
    w.approval_item = AgendaItemFactory(
        meeting=w.next,
        order=1,
        kind="previous_minutes",
        title="Minutes of the previous meeting",
        minutes_to_approve=w.minutes,
    )
    w.terms = TermsOfReference.objects.create(
        body=w.body, version=1, status="agreed", agreed_on=datetime.date(2014, 3, 1)
    )
    w.draft_terms = TermsOfReference.objects.create(body=w.body, version=2, status="draft")
    w.stream = FundingStream.objects.create(
        name="Budget stream", funder=w.organisation, amount_per_year=Decimal(100000)
    )
    w.pool = PooledFundAgreement.objects.create(
        name="Budget pool", legal_basis="s75", host=w.organisation, body=w.body
    )
    w.report = AnnualReport.objects.create(
        body=w.body,
        receiving_body=w.parent,
        reporting_line=w.line,
        period_starts_on=datetime.date(2014, 4, 1),
        period_ends_on=datetime.date(2015, 3, 31),
        status="submitted",
        submitted_at=now,
        title="Budget annual report",
    )
    w.draft_report = AnnualReport.objects.create(
        body=w.body,
        receiving_body=w.parent,
        reporting_line=w.line,
        period_starts_on=datetime.date(2015, 4, 1),
        period_ends_on=datetime.date(2016, 3, 31),
        title="Budget report being drafted",
    )
    # Someone from the public following A, by e-mail, not yet confirmed.
    w.subscription = Subscription.objects.create(
        body=w.body, email="budget-follower@example.org", confirmation_sent_at=now
    )
    grow(w, SMALL)
    return w


def _paper(item, n: int) -> Paper:
    name = default_storage.save(f"papers/budget/paper-{n}.pdf", ContentFile(b"%PDF-1.4\n%b\n"))
    return Paper.objects.create(
        item=item,
        title=f"Budget paper {n}",
        file=name,
        original_name=f"paper-{n}.pdf",
        content_type="application/pdf",
        size=12,
    )


def grow(w: World, size: int) -> World:
    """Add rows of every kind until there are `size` of each (of most kinds: a third of that for
    papers, decisions, actions and the like, so the small world has one of each)."""
    now = timezone.now()
    for n in range(w.size, size):
        one_in_three = n % 3 == 0
        # A member on A's roster, who also sits on a body of their own that reports to A.
        person = PersonFactory(name=f"Budget Person {n}")
        organisation = OrganisationFactory(name=f"Budget Organisation {n}")
        person.organisations.add(organisation)
        seat = SeatFactory(
            body=w.body, label=f"Representative {n}", statutory_category=CATEGORIES[n % 10]
        )
        MembershipFactory(seat=seat, person=person, organisation=w.organisation)
        Substitute.objects.create(seat=seat, person=w.member)
        child = BodyFactory(
            name=f"Budget Group {n}", partnership=w.partnership, meets_in_public=True
        )
        line = ReportingLineFactory(from_body=child, to_body=w.body)
        MembershipFactory(seat=SeatFactory(body=child, label="Lead"), person=person)
        # The member sits on every sub-group too, so their own pages grow.
        MembershipFactory(seat=SeatFactory(body=child, label="Member"), person=w.member)
        SeatFactory(body=child, label=f"Vacant seat {n}")
        PartnershipFactory(name=f"Budget Partnership {n}")
        InterestDeclaration.objects.create(
            person=w.member,
            body=w.body,
            kind="employment",
            description=f"Interest {n}",
            registered_on=datetime.date(2014, 1, 1),
        )
        InterestDeclaration.objects.create(
            person=person,
            kind="employment",
            description=f"Interest {n}",
            registered_on=datetime.date(2014, 1, 1),
        )
        # Items on both agendas; the held meeting's have minutes and a register.
        item = AgendaItemFactory(
            meeting=w.held, order=n + 1, title=f"Budget item {n}", presenter=person
        )
        if n == 0:
            w.first_item = item
        AgendaItemFactory(meeting=w.next, order=n + 2, title=f"Next item {n}", presenter=person)
        MinuteEntry.objects.create(minutes=w.minutes, item=item, text=f"<p>Noted {n}.</p>")
        Attendance.objects.create(meeting=w.held, person=person, seat=seat, status="present")
        # Another meeting of A, held, each with an item; and one of the body that reports to A.
        other = MeetingFactory(
            body=w.body,
            starts_at=_at(1 + n % 28, 1 + (n // 28) % 12, 2014),
            status="held",
            agenda_published_at=now,
            agenda_version=1,
        )
        AgendaItemFactory(meeting=other, order=1, title=f"Other item {n}")
        # Coming up, so the member's own list of meetings grows too.
        MeetingFactory(
            body=child,
            starts_at=now + datetime.timedelta(days=n + 1),
            status="agenda_published",
            agenda_published_at=now,
            agenda_version=1,
        )
        # Reports: a line of each kind on A's reports, and the report of A's sub-group to A.
        for report in (w.report, w.draft_report):
            priority, _ = Priority.objects.get_or_create(
                body=w.body, number=n + 1, defaults={"title": f"Priority {n}"}
            )
            area, _ = WorkArea.objects.get_or_create(
                priority=priority, name=f"Work area {n}", defaults={"delivered_by": child}
            )
            ReportLine.objects.create(
                report=report,
                order=n,
                priority=priority,
                work_area=area,
                title=f"Line {n}",
                rag="green",
            )
            Indicator.objects.create(report=report, order=n, name=f"Indicator {n}", value=n)
            Escalation.objects.create(report=report, order=n, issue=f"Issue {n}", ask="Help")
        # An older report of A's, and the sub-group's report to A, compiled into A's draft.
        AnnualReport.objects.create(
            body=w.body,
            receiving_body=w.parent,
            period_starts_on=datetime.date(1990 + n, 4, 1),
            period_ends_on=datetime.date(1991 + n, 3, 31),
            status="submitted",
            submitted_at=now,
        )
        compiled = AnnualReport.objects.create(
            body=child,
            receiving_body=w.body,
            reporting_line=line,
            period_starts_on=datetime.date(2015, 4, 1),
            period_ends_on=datetime.date(2016, 3, 31),
            status="submitted",
            submitted_at=now,
            title=f"Report of group {n}",
        )
        w.draft_report.compiles.add(compiled)
        ToRSection.objects.create(terms=w.terms, order=n, kind="purpose", text=f"Purpose {n}")
        # Older versions of A's terms (numbered above the current ones: only the count matters).
        TermsOfReference.objects.create(
            body=w.body, version=100 + n, status="superseded", agreed_on=datetime.date(2012, 3, 1)
        )
        ToRSection.objects.create(
            terms=w.draft_terms, order=n, kind="purpose", text=f"Purpose {n} (new)"
        )
        # Funding: allocations to the sub-groups, posts, shares of the pool.
        FundingAllocation.objects.create(
            stream=w.stream, body=child, amount_per_year=Decimal(1000 + n)
        )
        post = SupportPost.objects.create(
            title=f"Coordinator {n}", employer=organisation, fte=Decimal(1), funded_by=w.stream
        )
        post.supports.add(w.body, child)
        PoolShare.objects.create(
            agreement=w.pool, organisation=organisation, percentage=Decimal("1.5")
        )
        FundingStream.objects.create(
            name=f"Stream {n}",
            funder=organisation,
            amount_per_year=Decimal(500),
            recipient_body=child,
        )
        PooledFundAgreement.objects.create(
            name=f"Pool {n}", legal_basis="s10", host=organisation, body=child
        )
        Subscription.objects.create(body=child, user=w.users["member"], confirmed_at=now)
        # Each change to the held meeting is a line on its history page.
        Meeting.objects.filter(pk=w.held.pk).update(venue=f"Committee room {n}")
        if one_in_three:
            # Papers, decisions, actions and declarations all on the first item, whose own page
            # lists them too.
            item = w.first_item
            _paper(item, n)
            _paper(w.approval_item, n)
            decision = Decision.objects.create(
                item=item, text=f"Agreed {n}", outcome="agreed", needs_ratification=True
            )
            Ratification.objects.create(decision=decision, organisation=organisation)
            action = Action.objects.create(
                meeting=w.held,
                item=item,
                description=f"Budget action {n}",
                owner=w.member,
                due_on=datetime.date(2015, 6, 1),
            )
            ActionUpdate.objects.create(
                action=action, text="Under way", created_by=w.users["member"]
            )
            Action.objects.create(
                meeting=w.held,
                item=item,
                description=f"Organisation's action {n}",
                owner_organisation=organisation,
                due_on=datetime.date(2015, 6, 1),
            )
            Declaration.objects.create(
                meeting=w.held, item=item, person=person, interest=f"Employed by {organisation}"
            )
    w.size = size
    return w
