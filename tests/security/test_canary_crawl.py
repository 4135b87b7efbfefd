"""The canary crawl: no confidential marker reaches anyone not entitled to it, on any channel.

One world holds a unique marker in every confidential thing the visibility layers hide: exempt
items, sub-items and papers (title, file name, PDF text), the exempt minute, decision,
declaration and carried-forward action; a draft agenda; a private meeting; draft minutes; a
drafting and a submitted annual report; a draft version of terms of reference; a person's contact
details and register of interests; a child's name; funding details. Each low-privilege identity
then requests every named URL of the site (django's resolver, so a new URL is crawled without
being listed here) with every id there is and two past the largest, every slug, every format and the
query variants that change what is shown (search for each marker, API lists with
`updated_since`, feeds, calendars, exports, the open-data bundle), and every response's headers
and body (PDFs through pdftotext, zip-based formats unpacked) are searched for every marker the
identity may not see. The crawl runs twice: cold, and again after the staff have requested every
URL and built every pack and bundle, so nothing they warmed can reach the public.

Left out, on purpose: staff-only routes are requested for the confidential ids only (STAFF_ONLY
below says why); a PNG chart's text is pixels, so its SVG source is what is searched; personal
calendar feeds are requested for people without a login, the identity's own and guessed tokens,
since another member's token is that member's secret (their feed shows what they may see).

It can fail: the staff must see every marker somewhere (or the crawl does not reach it), pages
with exempt material must say `Cache-Control: private, no-store`, and every e-mail sent while the
world was built is checked against what its recipient may see.
"""

import collections
import dataclasses
import datetime
import html
import io
import re
import subprocess
import time
import urllib.parse
import zipfile
import zoneinfo
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from weasyprint import HTML

from meetings import actions, attendance, minutes, services
from meetings.models import (
    Action,
    AgendaItem,
    CalendarToken,
    Meeting,
    MinuteEntry,
    Minutes,
    Paper,
    Ratification,
)
from meetings.papers import save_paper
from membership.models import InterestDeclaration, Membership, Person, Seat
from partnerships import services as structure
from partnerships.models import Body, Organisation, Partnership, ReportingLine, TermsOfReference
from partnerships.roles import Role
from reports import services as reporting
from reports.models import (
    AnnualReport,
    FundingAllocation,
    FundingStream,
    PooledFundAgreement,
)
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    ReportingLineFactory,
    SeatFactory,
    UserFactory,
)
from tests.security.matrix import RULES, named_routes

pytestmark = pytest.mark.django_db(transaction=True)

LONDON = zoneinfo.ZoneInfo("Europe/London")

# Who may see each kind of confidential thing, besides the staff (officers, managers, admins).
# Every other identity below must never see its markers. From DESIGN.md ("The one visibility
# layer") and the visibility modules: members see their body's exempt material, private
# meetings, draft minutes and reports; a receiving body's members see submitted reports; only
# those who edit terms of reference see drafts; only staff see contact details, children's names
# and unpublished agendas; interests and funding are for anyone signed in.
MEMBER_A, MEMBER_C = "member of A", "member of the body A reports to (C)"
SIGNED_IN = {
    "signed in, no role",
    "member of another body (B)",
    "former member of A",
    MEMBER_C,
    MEMBER_A,
}
ENTITLED = {
    "exempt": {MEMBER_A},
    "private meeting": {MEMBER_A},
    "draft minutes": {MEMBER_A},
    "draft agenda": set(),
    "draft report": {MEMBER_A},
    "submitted report": {MEMBER_A, MEMBER_C},
    "draft terms": set(),
    "contact details": set(),
    "child's name": set(),
    "interests": SIGNED_IN,
    "funding": SIGNED_IN,
}
# Categories whose pages must never be stored by a browser or shared cache.
NO_STORE_CATEGORIES = {"exempt"}


@dataclasses.dataclass(frozen=True)
class Marker:
    text: str
    category: str
    where: str


def _markers() -> dict[str, Marker]:
    # Letters only: PDF layout can break a line at a hyphen or space, which would hide a leak;
    # each ends in "Qz" so that none is a part of another.
    table = [
        ("exempt", "exempt item title"),
        ("exempt", "exempt item summary"),
        ("exempt", "exempt item recommendations"),
        ("exempt", "exempt item public interest statement"),
        ("exempt", "sub item of exempt item"),
        ("exempt", "exempt paper title"),
        ("exempt", "exempt paper file name"),
        ("exempt", "exempt paper text"),
        ("exempt", "paper on exempt item title"),
        ("exempt", "paper on exempt item text"),
        ("exempt", "exempt minute"),
        ("exempt", "exempt resolution"),
        ("exempt", "exempt decision"),
        ("exempt", "declaration on exempt item"),
        ("exempt", "action on exempt item"),
        ("private meeting", "private meeting venue"),
        ("private meeting", "private meeting item"),
        ("private meeting", "private meeting paper text"),
        ("draft minutes", "draft minute"),
        ("draft minutes", "draft minute decision"),
        ("draft agenda", "draft agenda item"),
        ("draft agenda", "draft agenda paper text"),
        ("draft report", "draft report title"),
        ("draft report", "draft report summary"),
        ("draft report", "draft report line"),
        ("submitted report", "submitted report summary"),
        ("submitted report", "submitted report line"),
        ("draft terms", "draft terms section"),
        ("contact details", "email"),
        ("contact details", "phone"),
        ("child's name", "child name"),
        ("interests", "registered interest"),
        ("funding", "funding stream notes"),
        ("funding", "funding allocation purpose"),
        ("funding", "support post"),
    ]
    out = {}
    for category, where in table:
        word = "".join(part.capitalize() for part in re.split(r"\W+", where))
        out[where] = Marker(f"Cnry{word}Qz", category, where)
    return out


MARKERS = _markers()
NOTHING = "CnryNothingMatchesThisQz"
TIMES = collections.Counter()


def m(where: str) -> str:
    return MARKERS[where].text


# The world -------------------------------------------------------------------------------------


def _user(username, role=None, **fields):
    user = UserFactory(username=username, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _pdf(text, name):
    return SimpleUploadedFile(name, HTML(string=f"<p>Paper {text}</p>").write_pdf())


def _at(year, month, day):
    return datetime.datetime(year, month, day, 14, tzinfo=LONDON)


def _hold(meeting, officer, people):
    attendance.record_attendance(
        meeting=meeting,
        rows=[
            attendance.AttendanceRow(
                status="present", person=person, seat=person.memberships.order_by("pk")[0].seat
            )
            for person in people
        ],
        by=officer,
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    return minutes.ensure_minutes(meeting)


def build_world(officer, manager):
    """Bodies A, B and C of one partnership (A reports to C), with every confidential thing."""
    partnership = PartnershipFactory(name="Canary Partnership")
    a = BodyFactory(name="Canary Board", partnership=partnership, meets_in_public=True)
    b = BodyFactory(name="Other Board", partnership=partnership, meets_in_public=True)
    c = BodyFactory(name="Receiving Board", partnership=partnership, meets_in_public=True)
    ReportingLineFactory(from_body=a, to_body=c)
    organisation = OrganisationFactory(name="Canary Council")
    TermsOfReference.objects.create(
        body=a, version=1, status="agreed", agreed_on=datetime.date(2014, 3, 1), quorum_count=2
    )
    TermsOfReference.objects.get(body=a, version=1).sections.create(
        order=1, kind="purpose", heading="Purpose", text="To lead the partnership."
    )
    draft = structure.draft_terms_of_reference(body=a, by=manager)
    structure.save_draft_sections(
        terms=draft,
        sections=[
            {"kind": "purpose", "heading": "Purpose", "text": f"To {m('draft terms section')}"}
        ],
        by=manager,
    )

    chair = PersonFactory(name="Ann Chair")
    MembershipFactory(seat=SeatFactory(body=a, role="chair", label="Chair"), person=chair)
    member_user = _user("member", Role.BOARD_MEMBER)
    member = PersonFactory(name="Morgan Member", user=member_user, email="morgan@example.org")
    MembershipFactory(seat=SeatFactory(body=a, label="Health"), person=member)
    former_user = _user("former", Role.BOARD_MEMBER)
    MembershipFactory(
        seat=SeatFactory(body=a, label="Police"),
        person=PersonFactory(name="Fay Former", user=former_user, email="fay@example.org"),
        ends_on=datetime.date(2015, 1, 1),
    )
    outsider_user = _user("outsider", Role.BOARD_MEMBER)
    outsider = PersonFactory(name="Otto Outsider", user=outsider_user, email="otto@example.org")
    MembershipFactory(seat=SeatFactory(body=b, role="chair", label="Chair"), person=outsider)
    receiver_user = _user("receiver", Role.BOARD_MEMBER)
    receiver = PersonFactory(name="Rita Receiver", user=receiver_user, email="rita@example.org")
    MembershipFactory(seat=SeatFactory(body=c, role="chair", label="Chair"), person=receiver)
    plain_user = _user("plain")
    # A former member with contact details and a registered interest; a child on the board.
    contact = PersonFactory(
        name="Casey Contact",
        email=f"{m('email')}@example.org",
        phone=f"01632 {m('phone')}",
    )
    MembershipFactory(
        seat=SeatFactory(body=a, label="Voluntary sector"),
        person=contact,
        ends_on=datetime.date(2014, 1, 1),
    )
    InterestDeclaration.objects.create(
        person=contact,
        body=a,
        kind="employment",
        description=f"Trustee of {m('registered interest')}",
        registered_on=datetime.date(2013, 5, 1),
    )
    child = PersonFactory(name=f"Kim {m('child name')}", publish_name=False)
    MembershipFactory(seat=SeatFactory(body=a, label="Young person"), person=child)

    # Funding: signed-in people read it; the public does not.
    stream = FundingStream.objects.create(
        name="Canary grant",
        funder=organisation,
        amount_per_year=Decimal(34000),
        recipient_body=a,
        notes=f"Ends with {m('funding stream notes')}",
    )
    FundingAllocation.objects.create(
        stream=stream,
        body=a,
        purpose=f"Conference {m('funding allocation purpose')}",
        amount_per_year=Decimal(3333),
    )
    PooledFundAgreement.objects.create(
        name="Canary pool", legal_basis="s75", host=organisation, body=a
    )
    from reports.models import SupportPost

    post = SupportPost.objects.create(
        title=f"Manager {m('support post')}", employer=organisation, fte=Decimal("0.65")
    )
    post.supports.add(a)

    # 1. A published public meeting with exempt material, held, minuted and approved.
    meeting = services.create_meeting(body=a, starts_at=_at(2015, 4, 29), by=officer)
    public_item = services.add_item(
        meeting=meeting,
        by=officer,
        title="Budget monitoring",
        purpose="decision",
        summary="The budget is on track.",
    )
    exempt = services.add_item(
        meeting=meeting,
        by=officer,
        title=f"Contract award {m('exempt item title')}",
        purpose="decision",
        summary=f"Bids from {m('exempt item summary')}",
        recommendations=f"Award to {m('exempt item recommendations')}",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement=f"Sensitive: {m('exempt item public interest statement')}",
    )
    services.add_item(
        meeting=meeting, by=officer, parent=exempt, title=f"Scores {m('sub item of exempt item')}"
    )
    save_paper(
        item=public_item, upload=_pdf("Appendix", "appendix.pdf"), title="Appendix", by=officer
    )
    save_paper(
        item=public_item,
        upload=_pdf(m("exempt paper text"), f"tender {m('exempt paper file name')}.pdf"),
        title=f"Tender prices {m('exempt paper title')}",
        by=officer,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Prices",
    )
    save_paper(
        item=exempt,
        upload=_pdf(m("paper on exempt item text"), "evaluation.pdf"),
        title=f"Evaluation {m('paper on exempt item title')}",
        by=officer,
    )
    services.publish_agenda(meeting=meeting, by=officer)
    attendance.declare_interest(
        meeting=meeting,
        person=member,
        interest=f"Works for {m('declaration on exempt item')}",
        item=exempt,
        withdrew=True,
        by=officer,
    )
    record = _hold(meeting, officer, [chair, member])
    for entry in record.entries.all():
        exempt_entry = entry.item.is_exempt
        minutes.save_entry(
            entry=entry,
            text=f"<p>Chose {m('exempt minute')}</p>" if exempt_entry else "<p>Noted.</p>",
            resolution=f"Awarded to {m('exempt resolution')}" if exempt_entry else "",
            expected_version=1,
            by=officer,
        )
    minutes.record_decision(
        item=exempt, text=f"Award to {m('exempt decision')}", outcome="agreed", by=officer
    )
    actions.create_action(
        meeting=meeting,
        item=exempt,
        description=f"Sign with {m('action on exempt item')}",
        owner=member,
        due_on=datetime.date(2015, 6, 1),
        by=officer,
    )

    # 2. The next meeting approves those minutes and carries the action forward.
    second = services.create_meeting(body=a, starts_at=_at(2015, 7, 22), by=officer)
    approval = second.items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    minutes.approve_minutes(minutes=record, at_item=approval, by=officer)
    services.publish_agenda(meeting=second, by=officer)

    # 3. A held public meeting whose minutes are still a draft.
    third = services.create_meeting(body=a, starts_at=_at(2015, 9, 2), by=officer)
    open_item = services.add_item(meeting=third, by=officer, title="Early help", purpose="decision")
    services.publish_agenda(meeting=third, by=officer)
    draft_record = _hold(third, officer, [chair, member])
    for entry in draft_record.entries.all():
        text = f"<p>Noted {m('draft minute')}</p>" if entry.item_id == open_item.pk else "<p>N</p>"
        minutes.save_entry(entry=entry, text=text, resolution="", expected_version=1, by=officer)
    minutes.record_decision(
        item=open_item, text=f"Agreed {m('draft minute decision')}", outcome="agreed", by=officer
    )

    # 4. A private meeting of A, published.
    private = services.create_meeting(
        body=a,
        starts_at=_at(2015, 10, 7),
        by=officer,
        is_public=False,
        venue=f"Room {m('private meeting venue')}",
    )
    private_item = services.add_item(
        meeting=private,
        by=officer,
        title=f"Safeguarding {m('private meeting item')}",
        purpose="decision",
    )
    save_paper(
        item=private_item,
        upload=_pdf(m("private meeting paper text"), "safeguarding.pdf"),
        title="Safeguarding review",
        by=officer,
    )
    services.publish_agenda(meeting=private, by=officer)

    # 5. A public meeting whose agenda is still being drafted.
    drafting = services.create_meeting(body=a, starts_at=_at(2015, 11, 4), by=officer)
    draft_item = services.add_item(
        meeting=drafting,
        by=officer,
        title=f"Restructure {m('draft agenda item')}",
        purpose="decision",
    )
    save_paper(
        item=draft_item,
        upload=_pdf(m("draft agenda paper text"), "restructure.pdf"),
        title="Restructure options",
        by=officer,
    )

    # 6. B's published meeting, and C's.
    for body, day in ((b, 6), (c, 13)):
        other = services.create_meeting(body=body, starts_at=_at(2015, 5, day), by=officer)
        services.publish_agenda(meeting=other, by=officer)

    # Reports of A to C: one being drafted, one submitted.
    for year, where in ((2016, "draft report"), (2015, "submitted report")):
        report = reporting.start_report(
            body=a,
            receiving_body=c,
            period_starts_on=datetime.date(year, 4, 1),
            period_ends_on=datetime.date(year + 1, 3, 31),
            kind="annual",
            by=manager,
        )
        fields = {"summary": f"Summary {m(where + ' summary')}"}
        if where == "draft report":
            fields["title"] = f"Annual report {m('draft report title')}"
        reporting.save_report(
            report=report,
            fields=fields,
            lines=[{"title": f"Line {m(where + ' line')}", "rag": "green", "narrative": ""}],
            indicators=[],
            escalations=[],
            by=manager,
        )
        if where == "submitted report":
            reporting.submit_report(report=report, by=manager)

    for person in (chair, member, outsider, receiver, contact):
        CalendarToken.objects.create(person=person)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.APPROVED
    assert AnnualReport.objects.filter(status="submitted").count() == 1
    return {
        "identities": {
            "anonymous": None,
            "signed in, no role": plain_user,
            "member of another body (B)": outsider_user,
            "former member of A": former_user,
            MEMBER_C: receiver_user,
            MEMBER_A: member_user,
        },
        "addresses": {
            "morgan@example.org": MEMBER_A,
            "otto@example.org": "member of another body (B)",
            "rita@example.org": MEMBER_C,
            "fay@example.org": "former member of A",
        },
    }


# The URLs --------------------------------------------------------------------------------------

# Which model each <int:pk> names. A URL with a pk not listed here fails the crawl, so a new
# route is given its ids on purpose.
PK_MODEL = {
    "partnerships:reporting-line-update": ReportingLine,
    "membership:seat-update": Seat,
    "membership:appoint": Seat,
    "membership:substitute-create": Seat,
    "membership:membership-end": Membership,
    "membership:person-detail": Person,
    "membership:person-update": Person,
    "membership:interest-create": Person,
    "membership:organisation-detail": Organisation,
    "meetings:item-detail": AgendaItem,
    "meetings:item-update": AgendaItem,
    "meetings:item-move": AgendaItem,
    "meetings:paper-upload": AgendaItem,
    "meetings:minutes-approve": AgendaItem,
    "meetings:decision-create": AgendaItem,
    "meetings:paper-download": Paper,
    "meetings:minute-entry-update": MinuteEntry,
    "meetings:action-update": Action,
    "meetings:ratification-update": Ratification,
    "reports:stream-detail": FundingStream,
    "reports:allocation-create": FundingStream,
    "reports:pool-detail": PooledFundAgreement,
}
PK_PREFIX_MODEL = {"meetings:": Meeting, "reports:report-": AnnualReport}
# Routes whose slug is a partnership's; every other slug route takes a body's.
PARTNERSHIP_SLUG = {
    "partnerships:partnership-detail",
    "partnerships:partnership-update",
    "partnerships:structure-chart",
    "partnerships:structure-diff",
    "partnerships:structure-download",
    "membership:partnership-compliance",
    "membership:overlap",
    "reports:analytics",
    "reports:partnership-health",
}
FORMATS = {
    "partnerships:structure-download": ["svg", "png", "pdf", "txt"],
    "membership:roster-export": ["csv", "xlsx", "txt"],
    "reports:report-export": ["docx", "pdf", "txt"],
}
# The history pages of the models that hold confidential text (staff only; every id).
HISTORY_MODELS = [
    AgendaItem,
    Paper,
    MinuteEntry,
    Meeting,
    Action,
    AnnualReport,
    TermsOfReference,
    Person,
    InterestDeclaration,
    FundingStream,
]


def _ids(model) -> list[int]:
    """Every id there is, and the two past the largest.

    A missing id in between answers as one past the largest does; asking for every number from
    1 would grow with the ids that earlier tests used up (thousands, late in the suite).
    """
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    last = ids[-1] if ids else 0
    return [*ids, last + 1, last + 2]


# Routes for the staff only (the matrix's for_staff and history rules): everyone else is refused
# on their permission before the object is read, so these are requested for the ids the public
# may not see (the confidential ones, which a refusal page could name) and one past the largest,
# not for every id. Every other route takes every id there is and two past the largest.
STAFF_ONLY = {
    name
    for name, rule in RULES.items()
    if rule.__qualname__.startswith(("for_staff.", "history_rule"))
}


def _sample_ids(model) -> list[int]:
    """The rows the public may not see (every row where there is no visibility layer)."""
    ids = list(_ids(model))
    if hasattr(model.objects, "visible_to"):
        public = set(model.objects.visible_to(AnonymousUser()).values_list("pk", flat=True))
        ids = [pk for pk in ids[:-2] if pk not in public] + ids[-2:-1]
    return ids


def _pk_model(name):
    if name in PK_MODEL:
        return PK_MODEL[name]
    for prefix, model in PK_PREFIX_MODEL.items():
        if name.startswith(prefix):
            return model
    raise AssertionError(f"The crawl has no ids for {name}: add it to PK_MODEL")


def _queries(name, kwargs) -> list[str]:
    """The query strings that change what a page shows, besides none at all."""
    meetings = _ids(Meeting)
    if name == "search:search":
        words = [marker.text for marker in MARKERS.values()]
        words += ["contract", "award", "safeguarding", "report", "grant", "kim", "casey"]
        return [f"?q={urllib.parse.quote(word)}" for word in words]
    if name.startswith("opendata:api-") and name not in (
        "opendata:api-root",
        "opendata:api-schema",
    ):
        return ["?per_page=500", "?per_page=500&updated_since=2000-01-01"]
    if name == "meetings:pack-download":
        return ["?part=a", "?part=b"]
    if name == "meetings:action-list":
        return ["", "?status=open", "?status=done", *(f"?meeting={pk}" for pk in meetings)]
    if name == "meetings:meeting-list":
        return ["", *(f"?body={slug}" for slug in Body.objects.values_list("slug", flat=True))]
    if name == "partnerships:tor-diff":
        # Every pair of the versions there are, and one that is not.
        versions = _ids(TermsOfReference)[:-1]
        return [f"?old={old}&new={new}" for old in versions for new in versions if old < new]
    if name == "membership:person-list":
        return ["", "?q=kim", "?q=casey"]
    return [""]


def every_url(user) -> list[tuple[str, str]]:
    """(URL name, address) for every named route, every id and two past the largest (for the
    staff-only routes, the confidential ids)."""
    bodies = [*Body.objects.values_list("slug", flat=True), "no-such-body"]
    partnerships = [*Partnership.objects.values_list("slug", flat=True), "no-such-partnership"]
    # Public feeds of people without a login, the identity's own, and guesses.
    tokens = list(
        CalendarToken.objects.filter(person__user__isnull=True).values_list("token", flat=True)
    )
    if user is not None:
        tokens += CalendarToken.objects.filter(person__user=user).values_list("token", flat=True)
    tokens += ["not-a-token", "1", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]
    urls = []
    for name, params in named_routes():
        slugs = partnerships if name in PARTNERSHIP_SLUG else bodies
        if not params:
            kwargs_list = [{}]
        elif params == ("pk",):
            ids = (_sample_ids if name in STAFF_ONLY else _ids)(_pk_model(name))
            kwargs_list = [{"pk": pk} for pk in ids]
        elif params == ("slug",):
            kwargs_list = [{"slug": slug} for slug in slugs]
        elif params == ("token",):
            kwargs_list = [{"token": token} for token in tokens]
        elif params == ("slug", "version"):
            versions = _ids(TermsOfReference)
            if name in STAFF_ONLY:
                slugs = slugs[:1]
            kwargs_list = [{"slug": s, "version": v} for s in slugs for v in versions]
        elif params == ("slug", "fmt"):
            kwargs_list = [{"slug": s, "fmt": f} for s in slugs for f in FORMATS[name]]
        elif params == ("pk", "fmt"):
            ids = _ids(_pk_model(name))
            kwargs_list = [{"pk": pk, "fmt": f} for pk in ids for f in FORMATS[name]]
        elif params == ("model", "pk"):
            kwargs_list = [
                {"model": model._meta.label_lower, "pk": pk}
                for model in HISTORY_MODELS
                for pk in _sample_ids(model)
            ]
        else:
            raise AssertionError(f"The crawl has no ids for {name} {params}")
        for kwargs in kwargs_list:
            address = reverse(name, kwargs=kwargs)
            urls += [(name, address + query) for query in _queries(name, kwargs)]
    return urls


# Reading a response ----------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def _unzipped(data: bytes) -> str:
    """Every member of a zip (DOCX, XLSX, the CSV bundle), with and without its XML tags."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            text = archive.read(info).decode("utf-8", errors="replace")
            parts += [info.filename, text, re.sub(r"<[^>]+>", "", text)]
    return "\n".join(parts)


def read(response) -> str:
    """Everything a response says: headers, and the body as text in every form worth searching."""
    data = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    if data.startswith(b"%PDF"):
        body = _pdf_text(data) + data.decode("latin-1")
    elif data.startswith(b"PK\x03\x04"):
        body = _unzipped(data)
    else:
        # iCalendar folds long lines with CRLF and a space; PNG text chunks read as latin-1.
        body = data.decode("utf-8", errors="replace").replace("\r\n ", "")
    text = headers + "\n" + body
    # The escaped and encoded forms: HTML entities, URL encoding, JSON's \u escapes.
    json_unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda u: chr(int(u[1], 16)), text)
    return "\n".join(
        (text, html.unescape(text), urllib.parse.unquote_plus(text), json_unescaped)
    ).lower()


def markers_in(text: str) -> set[str]:
    return {where for where, marker in MARKERS.items() if marker.text.lower() in text}


def hidden_from(identity: str) -> set[str]:
    return {w for w, marker in MARKERS.items() if identity not in ENTITLED[marker.category]}


def client_for(user) -> Client:
    client = Client(raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    return client


# The crawl -------------------------------------------------------------------------------------


def _hits(response) -> int:
    """How many results a search page says it found."""
    try:
        results = response.context["results"]
    except KeyError:
        return 0
    return results.count if results else 0


def crawl(identities, *, tally) -> list[tuple]:
    """Request every URL as each identity; return (identity, URL, status, markers) for leaks."""
    leaks = []
    for identity, user in identities.items():
        client = client_for(user)
        forbidden = hidden_from(identity)
        # The search page repeats the words searched for: a marker searched for counts as found
        # only if it appears more often than a word that matches nothing.
        echoes = read(client.get(f"/search/?q={NOTHING}")).count(NOTHING.lower())
        assert echoes > 0, "the search page no longer repeats the query: simplify the crawl"
        for name, url in every_url(user):
            t0 = time.monotonic()
            response = client.get(url)
            assert response.status_code < 500, (identity, url)
            tally[identity] += 1
            text = read(response)
            found = markers_in(text) & forbidden
            if name == "search:search":
                searched = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["q"][0]
                where = next((w for w in found if MARKERS[w].text == searched), None)
                if where and text.count(searched.lower()) <= echoes and not _hits(response):
                    found.discard(where)
            if found:
                leaks.append((identity, url, response.status_code, sorted(found)))
            TIMES[name] += time.monotonic() - t0
    return leaks


def warm(staff) -> tuple[set[str], list[tuple]]:
    """The staff build every pack and the bundle and request every URL; what they saw, and the
    pages with exempt material that a cache could keep."""
    officer = client_for(staff["democratic services officer"])
    # Packs take seconds each to build: those of A's meetings, where every marker on an agenda is.
    for pk in Meeting.objects.filter(body__name="Canary Board").values_list("pk", flat=True):
        for part in "ab":
            officer.post(reverse("meetings:pack", kwargs={"pk": pk}), {"part": part})
    officer.post(reverse("opendata:bundle-rebuild"))
    seen, cacheable = set(), []
    for identity, user in staff.items():
        client = client_for(user)
        for name, url in every_url(user):
            t0 = time.monotonic()
            response = client.get(url)
            assert response.status_code < 500, (identity, url)
            found = markers_in(read(response))
            TIMES[name] += time.monotonic() - t0
            seen |= found
            cache = response.headers.get("Cache-Control", "")
            needs_no_store = any(MARKERS[w].category in NO_STORE_CATEGORIES for w in found)
            if (
                needs_no_store and not {"private", "no-store"} <= set(re.split(r"[\s,]+", cache))
            ) or (found and "public" in cache):
                cacheable.append((identity, url, cache))
    # The public's own Part A packs, built by an anonymous visitor after the staff's.
    public = client_for(None)
    for pk in Meeting.objects.filter(body__name="Canary Board").values_list("pk", flat=True):
        public.post(reverse("meetings:pack", kwargs={"pk": pk}), {"part": "a"})
    return seen, cacheable


def check_mail(mail, addresses) -> list[tuple]:
    """Markers in e-mails to people not entitled to them (anyone unknown is entitled to none)."""
    wrong = []
    for message in mail:
        text = "\n".join([message.subject, message.body, *message.to, *message.cc, *message.bcc])
        found = markers_in(text.lower())
        for address in [*message.to, *message.cc, *message.bcc]:
            identity = addresses.get(address, "unknown recipient")
            allowed = {w for w in found if identity in ENTITLED[MARKERS[w].category]}
            if found - allowed:
                wrong.append((address, message.subject, sorted(found - allowed)))
    return wrong


@pytest.fixture(autouse=True)
def _tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_no_marker_reaches_anyone_not_entitled_on_any_channel(
    officer, partnership_manager, mailoutbox, capsys
):
    started = time.monotonic()
    world = build_world(officer, partnership_manager)
    mail = list(mailoutbox)
    identities = world["identities"]
    # The superuser has every permission both of these have; crawling as them too would double
    # the staff's part of the runtime and reach nothing more.
    staff = {"democratic services officer": officer, "partnership manager": partnership_manager}

    cold_tally, warm_tally = {}, {}
    for tally in (cold_tally, warm_tally):
        tally.update(dict.fromkeys(identities, 0))
    timings = {"world": time.monotonic() - started}
    cold_leaks = crawl(identities, tally=cold_tally)
    timings["cold"] = time.monotonic() - started - sum(timings.values())
    seen, cacheable = warm(staff)
    timings["staff"] = time.monotonic() - started - sum(timings.values())
    warm_leaks = crawl(identities, tally=warm_tally)
    timings["warm"] = time.monotonic() - started - sum(timings.values())
    # Every e-mail: those sent while the world was built, and any the crawl itself caused.
    mail_leaks = check_mail(list(mailoutbox), world["addresses"])
    elapsed = time.monotonic() - started

    with capsys.disabled():
        print(f"\ncanary crawl: {len(MARKERS)} markers, {len(identities)} identities")
        for identity in identities:
            print(
                f"  {identity:<38} cold {cold_tally[identity]:>5}  warm {warm_tally[identity]:>5}"
            )
        total = sum(cold_tally.values()) + sum(warm_tally.values())
        print(
            f"  requests {total} (cold {sum(cold_tally.values())}, cache-warmed "
            f"{sum(warm_tally.values())}); hits: cold {len(cold_leaks)}, warm {len(warm_leaks)}, "
            f"e-mail {len(mail_leaks)} of {len(mail)} messages; {elapsed:.0f} s"
        )
        print("  seconds:", {k: round(v) for k, v in timings.items()})
        print("  slowest routes (s):", [(n, round(t)) for n, t in TIMES.most_common(6)])
        for leak in [*cold_leaks, *warm_leaks]:
            print("  LEAK", *leak)
        for leak in mail_leaks:
            print("  MAIL LEAK", *leak)
        for row in cacheable:
            print("  CACHEABLE", *row)

    assert set(MARKERS) - seen == set(), "the staff never saw these: the crawl does not reach them"
    assert cacheable == [], "pages with exempt material must say Cache-Control: private, no-store"
    assert any(markers_in(" ".join([x.subject, x.body]).lower()) for x in mail), (
        "no e-mail carried a marker to a member: the mail check proves nothing"
    )
    assert cold_leaks == []
    assert warm_leaks == []
    assert mail_leaks == []
    assert all(count > 500 for count in cold_tally.values())
