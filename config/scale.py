"""A deterministic county-scale data set for performance work: `manage.py generate_scale`.

Several partnerships, hundreds of bodies and thousands of people with ten years of meetings,
agendas, papers, minutes, decisions, actions and reports, written with bulk_create so the full
size takes minutes rather than hours. The same seed and "today" give the same data: every choice
comes from one random.Random(seed), drawn in a fixed order.

The audit triggers (django-pghistory) are switched off while it runs (_history_triggers_off):
the generated rows are not real history, and a million history rows would double the time and
the database.

bulk_create sends no signals, so the search index is built here too, in bulk: SQL copies agenda
items, minutes, decisions and actions into search documents as search/indexing.py's builders
would; papers' documents carry the text written into their PDFs; the few bodies, terms, people
and reports go through search.indexing.rebuild.
"""

import contextlib
import datetime
import random
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from meetings.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    Meeting,
    MinuteEntry,
    Minutes,
    Paper,
    PaperKind,
)
from meetings.papers import PDF
from membership.models import (
    Constituency,
    InterestDeclaration,
    Membership,
    Person,
    Seat,
    SeatRole,
    Substitute,
)
from partnerships import fragments
from partnerships.models import (
    Body,
    BodyStatus,
    BodyStatusChange,
    Organisation,
    Partnership,
    Priority,
    ReportingLine,
    TermsOfReference,
    ToRSection,
)
from partnerships.roles import Role
from reports.models import RAG, AnnualReport, Direction, ReportLine
from search.indexing import rebuild
from search.models import Kind, SearchDocument

MEMBER_PASSWORD = "scale-partnership-2026"  # noqa: S105  # nosec B105  # load-test logins only
MEMBER_PREFIX = "scale-member-"
OFFICER_USERNAME = "scale-officer"
MANAGER_USERNAME = "scale-manager"
BATCH = 2000
LONDON = ZoneInfo(settings.TIME_ZONE)

AREAS = [
    "Northshire",
    "Westmoor",
    "Eastvale",
    "Southdown",
    "Midhurst",
    "Kingsbridge",
    "Ashford Vale",
    "Highfield",
    "Riverside",
    "Oakmere",
]
FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Eleanor",
    "Farid",
    "Grace",
    "Harry",
    "Imogen",
    "Jamal",
    "Kate",
    "Liam",
    "Maya",
    "Nathan",
    "Olivia",
    "Priya",
    "Quentin",
    "Rosa",
    "Sam",
    "Tariq",
    "Una",
    "Victor",
    "Wendy",
    "Xavier",
    "Yasmin",
    "Zoe",
    "Aled",
    "Bronwen",
    "Callum",
    "Deepa",
    "Eamon",
    "Fiona",
    "Gareth",
    "Hannah",
    "Idris",
    "Jess",
    "Kwame",
    "Lucy",
    "Mohammed",
    "Niamh",
]
LAST_NAMES = [
    "Adams",
    "Begum",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morris",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Shah",
    "Taylor",
    "Underwood",
    "Vaughan",
    "Walker",
    "Young",
    "Ahmed",
    "Brown",
    "Campbell",
    "Dixon",
    "Ellis",
    "Foster",
    "Gray",
    "Hughes",
    "Jackson",
    "Kelly",
    "Marsh",
    "Norris",
    "Owen",
    "Price",
    "Reid",
    "Singh",
    "Thomas",
    "Ward",
    "Wright",
    "Yates",
    "Baker",
    "Cooper",
    "Hart",
    "Mills",
]
JOB_TITLES = [
    "Director of Children's Services",
    "Director of Public Health",
    "Head teacher",
    "Chief Executive",
    "Service Manager",
    "Head of Commissioning",
    "Chief Inspector",
    "Designated Nurse",
    "Partnership Officer",
    "Head of Early Help",
    "Locality Manager",
    "Clinical Lead",
    "Assistant Director",
    "Programme Manager",
    "Councillor",
]
TOPICS = [
    "Early Help",
    "Mental Health",
    "Special Educational Needs",
    "Youth Justice",
    "Housing",
    "Domestic Abuse",
    "Healthy Weight",
    "Substance Misuse",
    "Child Poverty",
    "Skills",
    "Community Safety",
    "Carers",
    "Dementia",
    "Physical Activity",
    "Best Start",
    "Transitions",
    "Workforce",
    "Digital Inclusion",
    "Loneliness",
    "Air Quality",
    "Suicide Prevention",
    "Emotional Wellbeing",
    "Looked After Children",
    "Safeguarding Adults",
    "Neighbourhoods",
]
# Body kinds below the Health and Wellbeing Board, with how often each kind may meet.
BODY_KINDS = [
    (Body.Kind.EXECUTIVE_GROUP, "Executive Group", [12, 6, 6]),
    (Body.Kind.THEMATIC_SUBGROUP, "Sub-group", [6, 4, 4, 12]),
    (Body.Kind.AREA_PARTNERSHIP, "Area Partnership", [4, 6, 4]),
    (Body.Kind.TASK_AND_FINISH_GROUP, "Task and Finish Group", [12, 6]),
    (Body.Kind.JOINT_COMMISSIONING_BOARD, "Joint Commissioning Board", [6, 4]),
    (Body.Kind.ADVISORY_BODY, "Advisory Panel", [4, 3, 2]),
    (Body.Kind.SAFEGUARDING_BOARD, "Safeguarding Board", [4, 6]),
    (Body.Kind.YOUTH_SHADOW_BOARD, "Young People's Board", [6, 12]),
]
FREQUENCY_NOTES = {12: "monthly", 6: "bi-monthly", 4: "quarterly", 3: "termly", 2: "twice a year"}
REPORT_VERBS = [
    "update",
    "performance report",
    "annual review",
    "strategy",
    "action plan",
    "needs assessment",
    "progress report",
    "business case",
    "risk register",
]
PUBLIC_INTEREST = (
    "The public interest in keeping the information exempt outweighs the public interest in "
    "disclosing it, because it concerns {reason}."
)
EXEMPT_REASONS = {
    1: "identifiable individuals receiving services",
    3: "the financial affairs of providers bidding for a contract",
    4: "negotiations with staff about a service restructure",
    5: "legal advice given to the partners",
}


def _slugify(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def _bulk(model, rows, counts):
    """Insert the rows; PostgreSQL returns their ids, which later rows point at."""
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    counts[model.__name__] = counts.get(model.__name__, 0) + len(created)
    return created


def _copy(model, rows, counts):
    """Like _bulk, by COPY: for the tables of hundreds of thousands of rows.

    bulk_create compiles an INSERT per batch and spends most of its time in Python; COPY streams
    the values. The ids are taken from the table's sequence first, so later rows can point at
    these exactly as after bulk_create.
    """
    rows = list(rows)
    counts[model.__name__] = counts.get(model.__name__, 0) + len(rows)
    if not rows:
        return rows
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        for obj, pk in zip(rows, ids, strict=True):
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
            obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for obj in rows:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
        for obj in rows:
            obj._state.adding = False
    return rows


# PDF papers -------------------------------------------------------------------------------


def _pdf_escape(text: str) -> str:
    text = text.encode("ascii", "replace").decode("ascii")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with the lines in Helvetica: the smallest file pypdf and viewers accept."""
    stream = (
        "BT /F1 11 Tf 14 TL 56 780 Td "
        + " ".join(f"({_pdf_escape(line)}) Tj T*" for line in lines)
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode("ascii")
    return bytes(out)


# The generator ----------------------------------------------------------------------------


class _Generator:
    def __init__(self, *, bodies, people, years, seed, today, stdout):
        if bodies < 1 or people < 10 or years < 1:
            raise ValueError("Need at least 1 body, 10 people and 1 year.")
        self.n_bodies, self.n_people, self.years = bodies, people, years
        # Repeatable test data, not secrets.
        self.rng = random.Random(seed)  # noqa: S311  # nosec B311
        self.today = today or datetime.date.today()
        self.window_start = _years_before(self.today, years)
        self.horizon = self.today + datetime.timedelta(days=183)
        self.stdout = stdout
        self.counts: dict[str, int] = {}
        self.started = time.monotonic()

    def say(self, text):
        if self.stdout is not None:
            self.stdout.write(f"[{time.monotonic() - self.started:6.1f}s] {text}")

    # Structure ------------------------------------------------------------------------------

    def partnerships_and_organisations(self):
        rng = self.rng
        n = max(1, min(len(AREAS), round(self.n_bodies / 100)))
        self.areas = [AREAS[i] for i in range(n)]
        orgs, self.org_kinds = [], []
        for area in self.areas:
            specs = [
                (f"{area} County Council", Organisation.Kind.LOCAL_AUTHORITY),
                (f"{area} North District Council", Organisation.Kind.DISTRICT_COUNCIL),
                (f"{area} South District Council", Organisation.Kind.DISTRICT_COUNCIL),
                (f"NHS {area} Integrated Care Board", Organisation.Kind.NHS_COMMISSIONER),
                (f"{area} Hospitals NHS Foundation Trust", Organisation.Kind.NHS_PROVIDER),
                (f"{area} Community Health NHS Trust", Organisation.Kind.NHS_PROVIDER),
                (f"{area} Police", Organisation.Kind.POLICE),
                (
                    f"{area} Police and Crime Commissioner",
                    Organisation.Kind.POLICE_AND_CRIME_COMMISSIONER,
                ),
                (f"{area} Probation Delivery Unit", Organisation.Kind.PROBATION),
                (f"{area} Youth Offending Service", Organisation.Kind.YOUTH_OFFENDING),
                (f"{area} College", Organisation.Kind.FURTHER_EDUCATION),
                (f"Healthwatch {area}", Organisation.Kind.HEALTHWATCH),
                (f"{area} Council for Voluntary Service", Organisation.Kind.VOLUNTARY_SECTOR),
                (f"{area} Carers Trust", Organisation.Kind.VOLUNTARY_SECTOR),
                (f"{area} Parent Carer Forum", Organisation.Kind.PARENT_CARER_FORUM),
            ] + [
                (f"{area} {name} School", Organisation.Kind.SCHOOL)
                for name in rng.sample(["Oak", "Beech", "Castle", "Park", "Hill", "Brook"], 4)
            ]
            for name, kind in specs:
                orgs.append(
                    Organisation(
                        name=name, short_name="".join(w[0] for w in name.split())[:10], kind=kind
                    )
                )
        orgs = _bulk(Organisation, orgs, self.counts)
        per_area = len(orgs) // n
        self.area_orgs = [orgs[i * per_area : (i + 1) * per_area] for i in range(n)]
        self.partnerships = _bulk(
            Partnership,
            [
                Partnership(
                    name=f"{area} Health and Wellbeing Partnership",
                    slug=_slugify(f"{area} health and wellbeing partnership"),
                    short_name=f"{area[:3].upper()}HWP",
                    description=(
                        f"The partners who plan health, care and children's services in {area}."
                    ),
                    legal_basis=Partnership.LegalBasis.HWB,
                    lead_organisation=self.area_orgs[i][0],
                    two_tier_area=True,
                )
                for i, area in enumerate(self.areas)
            ],
            self.counts,
        )
        self.constituencies = _bulk(
            Constituency,
            [Constituency(name=f"Scale: {kind.label}") for kind in Organisation.Kind],
            self.counts,
        )

    def bodies(self):
        rng, n = self.rng, len(self.partnerships)
        specs = []  # (partnership index, parent spec index or None, kind, name, mpy, depth)
        per = [self.n_bodies // n + (1 if i < self.n_bodies % n else 0) for i in range(n)]
        for p, count in enumerate(per):
            area = self.areas[p]
            first = len(specs)
            names = set()
            for k in range(count):
                if k == 0:
                    specs.append(
                        (
                            p,
                            None,
                            Body.Kind.HEALTH_AND_WELLBEING_BOARD,
                            f"{area} Health and Wellbeing Board",
                            6,
                            0,
                        )
                    )
                    continue
                # A tree at most four deep: parents are drawn from earlier, shallower bodies.
                candidates = [i for i in range(first, len(specs)) if specs[i][5] < 3]
                parent = first if k < 6 else rng.choice(candidates[: max(6, len(candidates))])
                kind, label, frequencies = rng.choice(BODY_KINDS)
                name = f"{area} {rng.choice(TOPICS)} {label}"
                while name in names:
                    name = f"{area} {rng.choice(TOPICS)} {label} {len(names) + 2}"
                names.add(name)
                specs.append((p, parent, kind, name, rng.choice(frequencies), specs[parent][5] + 1))
        bodies = []
        for i, (p, _, kind, name, _, _) in enumerate(specs):
            public = kind == Body.Kind.HEALTH_AND_WELLBEING_BOARD or rng.random() < 0.3
            bodies.append(
                Body(
                    name=name,
                    slug=f"{_slugify(name)}-{i + 1}",
                    short_name="".join(w[0] for w in name.split())[:12],
                    partnership=self.partnerships[p],
                    kind=kind,
                    meets_in_public=public,
                    access_to_information=(
                        Body.AccessToInformation.STATUTORY
                        if kind == Body.Kind.HEALTH_AND_WELLBEING_BOARD
                        else Body.AccessToInformation.VOLUNTARY
                        if public
                        else Body.AccessToInformation.NONE
                    ),
                    notes="Generated for performance tests.",
                )
            )
        self.body_list = _bulk(Body, bodies, self.counts)
        self.body_specs = specs
        self.body_mpy = {b.pk: spec[4] for b, spec in zip(self.body_list, specs, strict=True)}
        self.body_area = {b.pk: spec[0] for b, spec in zip(self.body_list, specs, strict=True)}
        self.parent_of = {
            b.pk: (self.body_list[spec[1]] if spec[1] is not None else None)
            for b, spec in zip(self.body_list, specs, strict=True)
        }
        # When each came into being: most before the window, some during it.
        self.body_start = {}
        for b in self.body_list:
            if b.kind == Body.Kind.HEALTH_AND_WELLBEING_BOARD or rng.random() < 0.85:
                start = self.window_start - datetime.timedelta(days=rng.randint(30, 1500))
            else:
                span = (self.today - self.window_start).days // 2
                start = self.window_start + datetime.timedelta(days=rng.randint(1, max(2, span)))
            self.body_start[b.pk] = start
        # A parent exists before its children.
        for b in self.body_list:
            parent = self.parent_of[b.pk]
            if parent and self.body_start[b.pk] <= self.body_start[parent.pk]:
                self.body_start[b.pk] = self.body_start[parent.pk] + datetime.timedelta(days=1)

        changes, lines, terms = [], [], []
        for b in self.body_list:
            start = self.body_start[b.pk]
            if rng.random() < 0.2:
                changes.append(
                    BodyStatusChange(
                        body=b,
                        status=BodyStatus.SHADOW,
                        effective_on=start,
                        note="Met in shadow form first.",
                    )
                )
                start += datetime.timedelta(days=rng.randint(60, 180))
                self.body_start[b.pk] = start
            changes.append(BodyStatusChange(body=b, status=BodyStatus.ACTIVE, effective_on=start))
            parent = self.parent_of[b.pk]
            area_orgs = self.area_orgs[self.body_area[b.pk]]
            lines.append(
                ReportingLine(
                    from_body=b,
                    to_body=parent,
                    to_organisation=None if parent else area_orgs[0],
                    kind=ReportingLine.Kind.REPORTS_TO
                    if parent
                    else ReportingLine.Kind.ACCOUNTABLE_TO,
                    cadence=rng.choice(list(ReportingLine.Cadence.values)),
                    starts_on=start,
                    is_primary=True,
                )
            )
            mpy = self.body_mpy[b.pk]
            fraction = rng.random() < 0.5
            terms.append(
                TermsOfReference(
                    body=b,
                    version=1,
                    status=TermsOfReference.Status.AGREED,
                    effective_on=start,
                    agreed_on=start,
                    review_on=self.today + datetime.timedelta(days=rng.randint(30, 700)),
                    meetings_per_year=mpy,
                    frequency_note=FREQUENCY_NOTES.get(mpy, ""),
                    quorum_count=None if fraction else rng.randint(3, 6),
                    quorum_fraction=Decimal(rng.choice(["0.33", "0.50"])) if fraction else None,
                    quorum_basis=rng.choice(list(TermsOfReference.QuorumBasis.values)),
                    quorum_requires_chair=rng.random() < 0.4,
                )
            )
        _bulk(BodyStatusChange, changes, self.counts)
        self.lines = {line.from_body_id: line for line in _bulk(ReportingLine, lines, self.counts)}
        terms = _bulk(TermsOfReference, terms, self.counts)
        sections = []
        for t in terms:
            texts = [
                (ToRSection.Kind.PURPOSE, f"To lead partnership work on {t.body.name.lower()}."),
                (ToRSection.Kind.MEMBERSHIP, "Members are nominated by the partner organisations."),
                (ToRSection.Kind.QUORUM, t.quorum_display + "."),
                (ToRSection.Kind.FREQUENCY, f"The body meets {t.frequency_display.lower()}."),
            ]
            sections += [
                ToRSection(terms=t, order=n, kind=k, text=text)
                for n, (k, text) in enumerate(texts, start=1)
            ]
        _bulk(ToRSection, sections, self.counts)
        priorities = []
        for b in self.body_list:
            if b.kind == Body.Kind.HEALTH_AND_WELLBEING_BOARD:
                picked = rng.sample(TOPICS, 4)
                priorities += [
                    Priority(
                        body=b,
                        number=n,
                        title=topic,
                        description=f"Improve outcomes for {topic.lower()}.",
                    )
                    for n, topic in enumerate(picked, start=1)
                ]
        self.priorities = defaultdict(list)
        for priority in _bulk(Priority, priorities, self.counts):
            self.priorities[priority.body_id].append(priority)
        self.say(f"{len(self.body_list)} bodies in {len(self.partnerships)} partnerships")

    # People and seats -----------------------------------------------------------------------

    def people(self):
        rng = self.rng
        people = []
        for i in range(self.n_people):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            honorific = rng.choices(["", "Councillor", "Dr"], weights=[80, 12, 8])[0]
            name = f"{first} {last}"
            people.append(
                Person(
                    name=name,
                    honorific=honorific,
                    sort_name=f"{last}, {first}",
                    job_title="Councillor" if honorific == "Councillor" else rng.choice(JOB_TITLES),
                    email=f"{first}.{last}.{i + 1}@example.org".lower(),
                    publish_name=rng.random() > 0.01,
                )
            )
        self.person_list = _bulk(Person, people, self.counts)
        self.say(f"{len(self.person_list)} people")

    def seats_and_memberships(self):
        rng = self.rng
        seats, seat_meta = [], []
        big = self.body_list[0]
        for b in self.body_list:
            orgs = self.area_orgs[self.body_area[b.pk]]
            n_members = rng.randint(16, 20) if b.pk == big.pk else rng.randint(6, 14)
            roles = [SeatRole.CHAIR, SeatRole.VICE_CHAIR] + [SeatRole.MEMBER] * n_members
            roles += [SeatRole.ADVISOR] * rng.randint(0, 2)
            for order, role in enumerate(roles, start=1):
                org = orgs[0] if role == SeatRole.CHAIR else rng.choice(orgs)
                label = {
                    SeatRole.CHAIR: "Chair",
                    SeatRole.VICE_CHAIR: "Vice-chair",
                    SeatRole.ADVISOR: f"Adviser from {org.name}",
                }.get(role, f"Representative of {org.name}")
                voting = role != SeatRole.ADVISOR
                seats.append(
                    Seat(
                        body=b,
                        label=label,
                        role=role,
                        nominating_organisation=org,
                        represents=self.constituencies[
                            list(Organisation.Kind.values).index(org.kind)
                        ],
                        voting=voting,
                        counts_for_quorum=voting,
                        order=order,
                        starts_on=self.body_start[b.pk],
                    )
                )
                seat_meta.append(org)
        self.seat_list = _bulk(Seat, seats, self.counts)
        self.seats_of = defaultdict(list)
        for seat in self.seat_list:
            self.seats_of[seat.body_id].append(seat)

        # Each seat is held by a chain of people from the body's start; about one in twelve
        # member seats is vacant today (the last holder left and no one was appointed).
        memberships = []
        reasons = [
            Membership.EndReason.TERM_ENDED,
            Membership.EndReason.RESIGNED,
            Membership.EndReason.LEFT_ORGANISATION,
            Membership.EndReason.REPLACED,
        ]
        for seat, org in zip(self.seat_list, seat_meta, strict=True):
            start = seat.starts_on
            previous = None
            vacant = seat.role == SeatRole.MEMBER and rng.random() < 0.08
            while start < self.today:
                person = rng.choice(self.person_list)
                while person is previous:
                    person = rng.choice(self.person_list)
                end = start + datetime.timedelta(days=rng.randint(700, 1900))
                ends_on = end if end <= self.today else None
                if ends_on is None and vacant:
                    ends_on = self.today - datetime.timedelta(days=rng.randint(10, 200))
                    if ends_on <= start:
                        ends_on = start + datetime.timedelta(days=1)
                memberships.append(
                    Membership(
                        seat=seat,
                        person=person,
                        organisation=org,
                        job_title=person.job_title,
                        arrangement=Membership.Arrangement.SOLE,
                        starts_on=start,
                        ends_on=ends_on,
                        term_ends_on=end,
                        end_reason=rng.choice(reasons) if ends_on else "",
                    )
                )
                if ends_on is None or (vacant and ends_on < end):
                    break
                previous = person
                # Sometimes the seat stands empty for a while between holders.
                start = ends_on + datetime.timedelta(days=rng.choice([0, 0, 0, 30, 90]))
        self.membership_list = _bulk(Membership, memberships, self.counts)
        self.holdings_of = defaultdict(list)  # body id -> memberships
        seat_body = {seat.pk: seat for seat in self.seat_list}
        for m in self.membership_list:
            m.seat = seat_body[m.seat_id]
            self.holdings_of[m.seat.body_id].append(m)

        through = Person.organisations.through
        first_org = {}
        for m in self.membership_list:
            first_org.setdefault(m.person_id, m.organisation_id)
        rows = [through(person_id=p, organisation_id=o) for p, o in first_org.items()]
        through.objects.bulk_create(rows, batch_size=BATCH)

        substitutes = []
        for seat in self.seat_list:
            if seat.role == SeatRole.MEMBER and rng.random() < 0.15:
                substitutes.append(
                    Substitute(
                        seat=seat, person=rng.choice(self.person_list), starts_on=seat.starts_on
                    )
                )
        self.substitute_list = _bulk(Substitute, substitutes, self.counts)
        self.substitute_of = {s.seat_id: s.person_id for s in self.substitute_list}

        interests = []
        for person_id in first_org:
            if rng.random() < 0.5:
                interests.append(
                    InterestDeclaration(
                        person_id=person_id,
                        kind=rng.choice(list(InterestDeclaration.Kind.values)),
                        description=f"Trustee of a {rng.choice(TOPICS).lower()} charity.",
                        registered_on=self.window_start
                        + datetime.timedelta(days=rng.randint(0, 3000)),
                    )
                )
        _bulk(InterestDeclaration, interests, self.counts)
        self.say(f"{len(self.seat_list)} seats, {len(self.membership_list)} memberships")

    def holders_on(self, body_id, day):
        """Memberships of the body in force on the day, one per person, in seat order."""
        seen, holders = set(), []
        for m in self.holdings_of[body_id]:
            in_force = m.starts_on <= day and (m.ends_on is None or m.ends_on > day)
            if in_force and m.person_id not in seen:
                seen.add(m.person_id)
                holders.append(m)
        holders.sort(key=lambda m: m.seat.order)
        return holders

    def users(self):
        """Logins for load tests: current members (the big body's first), an officer, a manager."""
        user_model = get_user_model()
        password = make_password(MEMBER_PASSWORD)  # hashed once: thousands of PBKDF2 runs are slow
        big = self.body_list[0]
        ordered, seen = [], set()
        for body in self.body_list:
            for m in self.holders_on(body.pk, self.today):
                if m.person_id not in seen:
                    seen.add(m.person_id)
                    ordered.append(m.person_id)
            if body.pk == big.pk and ordered:
                self.big_member_person_id = ordered[0]
        users = [
            user_model(
                username=f"{MEMBER_PREFIX}{n}",
                password=password,
                email=f"{MEMBER_PREFIX}{n}@example.org",
            )
            for n in range(1, len(ordered) + 1)
        ] + [
            user_model(
                username=OFFICER_USERNAME,
                password=password,
                first_name="Scale",
                last_name="Officer",
            ),
            user_model(
                username=MANAGER_USERNAME,
                password=password,
                first_name="Scale",
                last_name="Manager",
            ),
        ]
        users = user_model.objects.bulk_create(users, batch_size=BATCH)
        self.counts["User"] = len(users)
        members, (self.officer, self.manager) = users[:-2], users[-2:]
        by_id = {p.pk: p for p in self.person_list}
        people = []
        for person_id, user in zip(ordered, members, strict=True):
            by_id[person_id].user = user
            people.append(by_id[person_id])
        Person.objects.bulk_update(people, ["user"], batch_size=BATCH)
        groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
        through = user_model.groups.through
        rows = [through(user_id=u.pk, group_id=groups[Role.BOARD_MEMBER].pk) for u in members]
        rows += [
            through(user_id=self.officer.pk, group_id=groups[Role.DEMOCRATIC_SERVICES].pk),
            through(user_id=self.manager.pk, group_id=groups[Role.PARTNERSHIP_MANAGER].pk),
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)
        self.member_user = members[0] if members else None
        self.say(f"{len(users)} logins")

    # Meetings -------------------------------------------------------------------------------

    def meetings(self):
        rng = self.rng
        meetings = []
        for b in self.body_list:
            mpy = self.body_mpy[b.pk]
            step = 12 // mpy
            weekday, week, hour = rng.randint(1, 3), rng.randint(1, 3), rng.choice([10, 14])
            first = max(self.body_start[b.pk], self.window_start)
            month = _add_months(first, rng.randint(0, step - 1) + 1)
            while month <= self.horizon:
                offset = (weekday - month.weekday()) % 7 + 7 * (week - 1)
                day = month + datetime.timedelta(days=offset)
                starts = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)
                past = day < self.today
                published = past or day <= self.today + datetime.timedelta(days=14)
                status = (
                    Meeting.Status.HELD
                    if past
                    else Meeting.Status.AGENDA_PUBLISHED
                    if published
                    else Meeting.Status.SCHEDULED
                )
                if past and rng.random() < 0.02:
                    status = Meeting.Status.CANCELLED
                meetings.append(
                    Meeting(
                        body=b,
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=2),
                        venue=rng.choice(
                            [
                                "Council Chamber, County Hall",
                                "Committee Room 2",
                                "Online (Microsoft Teams)",
                                "The Guildhall",
                            ]
                        ),
                        status=status,
                        is_public=b.meets_in_public,
                        agenda_published_at=(starts - datetime.timedelta(days=8))
                        if published
                        else None,
                        agenda_published_by=self.officer if published else None,
                        agenda_version=1 if published else 0,
                    )
                )
                month = _add_months(month, step)
        self.meeting_list = _bulk(Meeting, meetings, self.counts)
        self.meetings_of = defaultdict(list)
        for m in self.meeting_list:
            self.meetings_of[m.body_id].append(m)
        self.say(f"{len(self.meeting_list)} meetings")

    def minutes(self):
        """Minutes of each held meeting, approved at the body's next held meeting if it is past."""
        rng = self.rng
        self.next_held = {}
        minutes = []
        for body_id, meetings in self.meetings_of.items():
            held = [m for m in meetings if m.status == Meeting.Status.HELD]
            for i, m in enumerate(held):
                nxt = held[i + 1] if i + 1 < len(held) else None
                self.next_held[m.pk] = nxt
                signer = None
                if nxt is not None:
                    holders = self.holders_on(body_id, nxt.starts_at.date())
                    signer = holders[0].person_id if holders else None
                if nxt is not None and signer is not None:
                    minutes.append(
                        Minutes(
                            meeting=m,
                            status=Minutes.Status.APPROVED,
                            approved_at=nxt,
                            approved_on=nxt.starts_at.date(),
                            signed_by_id=signer,
                        )
                    )
                else:
                    status = rng.choice([Minutes.Status.DRAFT, Minutes.Status.CIRCULATED])
                    minutes.append(Minutes(meeting=m, status=status))
        self.minutes_of = {m.meeting_id: m for m in _bulk(Minutes, minutes, self.counts)}
        self.say(f"{len(self.minutes_of)} minutes")

    def agendas(self):
        """Items, papers, attendance, minute entries, decisions and actions, meeting by meeting."""
        rng = self.rng
        media = Path(settings.MEDIA_ROOT)
        items = []
        attendance, declarations = [], []
        for body_id, meetings in self.meetings_of.items():
            previous_minutes = None
            big = body_id == self.body_list[0].pk
            for meeting in meetings:
                day = meeting.starts_at.date()
                holders = self.holders_on(body_id, day)
                people = [h.person_id for h in holders] or [self.person_list[0].pk]
                standing = [
                    (
                        AgendaItem.Kind.APOLOGIES,
                        "Apologies for absence",
                        AgendaItem.Purpose.NOTING,
                        {},
                    ),
                    (
                        AgendaItem.Kind.DECLARATIONS,
                        "Declarations of interest",
                        AgendaItem.Purpose.NOTING,
                        {},
                    ),
                    (
                        AgendaItem.Kind.PREVIOUS_MINUTES,
                        "Minutes of the previous meeting",
                        AgendaItem.Purpose.DECISION,
                        {"minutes_to_approve": previous_minutes},
                    ),
                    (AgendaItem.Kind.ACTION_LOG, "Action log", AgendaItem.Purpose.NOTING, {}),
                ]
                rows = []
                for order, (kind, title, purpose, extra) in enumerate(standing, start=1):
                    rows.append(
                        AgendaItem(
                            meeting=meeting,
                            order=order,
                            kind=kind,
                            title=title,
                            purpose=purpose,
                            **extra,
                        )
                    )
                if meeting.agenda_published_at is not None:
                    n_business = rng.randint(12, 16) if big else rng.randint(8, 12)
                    for k in range(n_business + 1):
                        order = len(rows) + 1
                        if k == n_business:
                            rows.append(
                                AgendaItem(
                                    meeting=meeting,
                                    order=order,
                                    kind=AgendaItem.Kind.OTHER,
                                    title="Any other business",
                                    purpose=AgendaItem.Purpose.NOTING,
                                )
                            )
                            continue
                        kind = rng.choices(
                            [
                                AgendaItem.Kind.REPORT,
                                AgendaItem.Kind.PRESENTATION,
                                AgendaItem.Kind.VERBAL_UPDATE,
                            ],
                            weights=[6, 2, 2],
                        )[0]
                        topic = rng.choice(TOPICS)
                        verb = rng.choice(REPORT_VERBS)
                        purpose = rng.choice(list(AgendaItem.Purpose.values))
                        exempt = rng.random() < 0.05
                        paragraph = rng.choice(list(EXEMPT_REASONS)) if exempt else None
                        presenter = rng.choice(people)
                        rows.append(
                            AgendaItem(
                                meeting=meeting,
                                order=order,
                                kind=kind,
                                title=f"{topic} {verb}",
                                purpose=purpose,
                                presenter_id=presenter,
                                summary=(
                                    f"The {verb} on {topic.lower()} for {day:%B %Y}, with "
                                    "progress against the partnership's plan and the risks ahead."
                                ),
                                recommendations=(
                                    "The board is asked to "
                                    f"{'agree' if purpose == 'decision' else 'note'} "
                                    f"the {verb} on {topic.lower()}."
                                ),
                                minutes_allocated=rng.choice([10, 15, 20, 30]),
                                is_exempt=exempt,
                                exempt_paragraph=paragraph,
                                public_interest_statement=(
                                    PUBLIC_INTEREST.format(reason=EXEMPT_REASONS[paragraph])
                                    if exempt
                                    else ""
                                ),
                            )
                        )
                items += rows
                if meeting.status == Meeting.Status.HELD:
                    previous_minutes = self.minutes_of[meeting.pk]
                    # A substitute may hold another seat on the body: one record per person.
                    seen = {h.person_id for h in holders}
                    for h in holders:
                        roll = rng.random()
                        status = (
                            Attendance.Status.PRESENT
                            if roll < 0.8
                            else Attendance.Status.APOLOGIES
                            if roll < 0.95
                            else Attendance.Status.ABSENT
                        )
                        attendance.append(
                            Attendance(
                                meeting=meeting, person_id=h.person_id, seat=h.seat, status=status
                            )
                        )
                        sub = self.substitute_of.get(h.seat_id)
                        if (
                            status == Attendance.Status.APOLOGIES
                            and sub
                            and sub not in seen
                            and rng.random() < 0.5
                        ):
                            seen.add(sub)
                            attendance.append(
                                Attendance(
                                    meeting=meeting,
                                    person_id=sub,
                                    seat=h.seat,
                                    status=Attendance.Status.PRESENT,
                                    substitute_for_id=h.person_id,
                                )
                            )
                    if rng.random() < 0.1:
                        declarations.append(
                            Declaration(
                                meeting=meeting,
                                item=rows[-2],
                                person_id=rng.choice(people),
                                interest="Employed by a provider named in the report.",
                            )
                        )
        items = _copy(AgendaItem, items, self.counts)
        self.say(f"{len(items)} agenda items")
        _copy(Attendance, attendance, self.counts)
        _bulk(Declaration, declarations, self.counts)
        self.say(f"{len(attendance)} attendance records")

        # Papers: a report or presentation usually has one, sometimes with an appendix or a
        # background paper; the file is a real PDF written where the FileField would put it.
        papers, self.paper_text = [], {}
        for item in items:
            if item.kind not in (AgendaItem.Kind.REPORT, AgendaItem.Kind.PRESENTATION):
                continue
            if rng.random() > 0.75:
                continue
            kinds = [
                PaperKind.PRESENTATION
                if item.kind == AgendaItem.Kind.PRESENTATION
                else PaperKind.REPORT
            ]
            if rng.random() < 0.25:
                kinds.append(rng.choice([PaperKind.APPENDIX, PaperKind.BACKGROUND]))
            for order, kind in enumerate(kinds):
                title = (
                    item.title if order == 0 else f"{item.title}: {PaperKind(kind).label.lower()}"
                )
                lines = [
                    title,
                    f"{item.meeting.body.name}, {item.meeting.starts_at:%-d %B %Y}",
                    item.summary,
                    item.recommendations,
                ]
                content = minimal_pdf(lines)
                name = f"papers/{item.meeting_id}/{rng.getrandbits(128):032x}"
                path = media / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                paper = Paper(
                    item=item,
                    title=title,
                    kind=kind,
                    file=name,
                    original_name=f"{_slugify(title)[:80]}.pdf",
                    content_type=PDF,
                    size=len(content),
                    order=order,
                    is_exempt=item.is_exempt,
                    exempt_paragraph=item.exempt_paragraph,
                    public_interest_statement=item.public_interest_statement,
                    uploaded_by=self.officer,
                )
                papers.append(paper)
                # What pypdf reads back: Helvetica's standard encoding turns ' into a curly quote.
                self.paper_text[id(paper)] = "\n".join(lines).replace("'", "\u2019")
        papers = _copy(Paper, papers, self.counts)
        self.papers = papers
        self.say(f"{len(papers)} papers written to {media}")

        # Minute entries for every item of a held meeting; decisions and actions on some.
        entries, decisions, actions = [], [], []
        outcomes = {
            AgendaItem.Purpose.DECISION: [
                Decision.Outcome.AGREED,
                Decision.Outcome.AGREED_WITH_AMENDMENTS,
                Decision.Outcome.DEFERRED,
            ],
            AgendaItem.Purpose.ENDORSEMENT: [Decision.Outcome.ENDORSED],
        }
        for item in items:
            meeting = item.meeting
            minutes = self.minutes_of.get(meeting.pk)
            if minutes is None:
                continue
            resolution = ""
            if item.purpose in outcomes:
                resolution = f"RESOLVED: that the board {item.title.lower()} be agreed."
            entries.append(
                MinuteEntry(
                    minutes=minutes,
                    item=item,
                    text=f"<p>{item.title} was considered. Members discussed "
                    f"{rng.choice(TOPICS).lower()} and the risks to delivery.</p>",
                    resolution=resolution,
                    updated_by=self.officer,
                )
            )
            if item.purpose in outcomes and item.kind != AgendaItem.Kind.PREVIOUS_MINUTES:
                decisions.append(
                    Decision(
                        item=item,
                        text=f"The board agreed the {item.title.lower()}.",
                        outcome=rng.choice(outcomes[item.purpose]),
                    )
                )
            if item.kind == AgendaItem.Kind.REPORT and rng.random() < 0.15:
                due = meeting.starts_at.date() + datetime.timedelta(days=rng.randint(20, 120))
                closer = self.next_held.get(meeting.pk)
                while closer is not None and closer.starts_at.date() < due:
                    closer = self.next_held.get(closer.pk)
                if closer is not None:
                    status, closed_at = Action.Status.CLOSED, closer
                else:
                    status, closed_at = (
                        rng.choice([Action.Status.OPEN, Action.Status.IN_PROGRESS]),
                        None,
                    )
                owner = item.presenter_id
                actions.append(
                    Action(
                        meeting=meeting,
                        item=item,
                        description=f"Circulate the revised {item.title.lower()} to partners.",
                        owner_id=owner,
                        due_on=due,
                        status=status,
                        closed_at=closed_at,
                        closed_minute="4" if closed_at else "",
                    )
                )
        _copy(MinuteEntry, entries, self.counts)
        _copy(Decision, decisions, self.counts)
        actions = _copy(Action, actions, self.counts)
        updates = [
            ActionUpdate(
                action=a, text="Draft shared with partners; comments due.", created_by=self.officer
            )
            for a in actions
            if rng.random() < 0.5
        ]
        _copy(ActionUpdate, updates, self.counts)
        self.say(
            f"{len(entries)} minute entries, {len(decisions)} decisions, {len(actions)} actions"
        )
        self.item_count = defaultdict(int)
        for item in items:
            self.item_count[item.meeting_id] += 1

    # Reports --------------------------------------------------------------------------------

    def reports(self):
        """An annual report per body per financial year to the body it reports to."""
        rng = self.rng
        reports = []
        for b in self.body_list:
            parent = self.parent_of[b.pk]
            if parent is None:
                continue
            year = self.window_start.year
            while True:
                start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
                if start > self.today:
                    break
                year += 1
                if start < self.body_start[b.pk]:
                    continue
                done = end < self.today - datetime.timedelta(days=90)
                reports.append(
                    AnnualReport(
                        body=b,
                        receiving_body=parent,
                        reporting_line=self.lines[b.pk],
                        kind=AnnualReport.Kind.ANNUAL,
                        period_starts_on=start,
                        period_ends_on=end,
                        due_on=end + datetime.timedelta(days=60),
                        status=AnnualReport.Status.ENDORSED
                        if done
                        else AnnualReport.Status.DRAFTING,
                        summary=f"A year of work by the {b.name}.",
                        achievements=(
                            f"Progress on {rng.choice(TOPICS).lower()} "
                            f"and {rng.choice(TOPICS).lower()}."
                        ),
                        gaps=f"Waiting times for {rng.choice(TOPICS).lower()} services.",
                        next_priorities=f"{rng.choice(TOPICS)} and {rng.choice(TOPICS).lower()}.",
                        submitted_at=(
                            datetime.datetime(end.year, 5, 15, 12, tzinfo=LONDON) if done else None
                        ),
                        submitted_by=self.manager if done else None,
                    )
                )
        reports = _bulk(AnnualReport, reports, self.counts)
        lines = []
        for report in reports:
            hwb_priorities = self.priorities.get(self._top(report.body_id), [])
            for order, priority in enumerate(hwb_priorities[:3], start=1):
                lines.append(
                    ReportLine(
                        report=report,
                        order=order,
                        priority=priority,
                        title=priority.title,
                        rag=rng.choice(list(RAG.values)),
                        direction=rng.choice(list(Direction.values)),
                        narrative=f"Work on {priority.title.lower()} continued.",
                    )
                )
        _bulk(ReportLine, lines, self.counts)
        self.say(f"{len(reports)} annual reports")

    def _top(self, body_id):
        parent = self.parent_of[body_id]
        while parent is not None:
            body_id, parent = parent.pk, self.parent_of[parent.pk]
        return body_id

    # Search ---------------------------------------------------------------------------------

    def search_index(self):
        """Documents for everything generated, as search/indexing.py's builders make them."""

        def url(name):
            # Reverse with a marker id, then splice each row's id in with SQL.
            before, _, after = reverse(name, kwargs={"pk": 987654321}).partition("987654321")
            return before, after

        item_url, minutes_url = url("meetings:item-detail"), url("meetings:minutes")
        body_ids = [b.pk for b in self.body_list]
        tz = settings.TIME_ZONE
        date = f"(m.starts_at AT TIME ZONE '{tz}')::date"
        insert = (
            "INSERT INTO search_searchdocument (kind, object_id, body_id, meeting_id, date, url, "
            "title, summary, text, attachment_text) "
        )
        statements = [
            (
                "SELECT 'item', i.id, m.body_id, m.id, {date}, %s || i.id || %s, "
                "LEFT(i.title, 500), "
                "BTRIM(CONCAT_WS(E'\\n', NULLIF(i.recommendations, ''), NULLIF(i.questions, ''))), "
                "BTRIM(i.summary), '' FROM meetings_agendaitem i "
                "JOIN meetings_meeting m ON m.id = i.meeting_id WHERE m.body_id = ANY(%s)",
                [*item_url, body_ids],
            ),
            (
                "SELECT 'minute', e.id, m.body_id, m.id, {date}, %s || m.id || %s, "
                "LEFT('Minute: ' || i.title, 500), '', BTRIM(CONCAT_WS(E'\\n', NULLIF("
                "REGEXP_REPLACE(REPLACE(e.text, '<', ' <'), '<[^>]*>', '', 'g'), ''), "
                "NULLIF(e.resolution, ''))), '' FROM meetings_minuteentry e "
                "JOIN meetings_agendaitem i ON i.id = e.item_id "
                "JOIN meetings_meeting m ON m.id = i.meeting_id WHERE m.body_id = ANY(%s)",
                [*minutes_url, body_ids],
            ),
            (
                "SELECT 'decision', d.id, m.body_id, m.id, {date}, %s || m.id || %s, "
                "LEFT('Decision: ' || i.title, 500), BTRIM(d.text), '', '' "
                "FROM meetings_decision d "
                "JOIN meetings_agendaitem i ON i.id = d.item_id "
                "JOIN meetings_meeting m ON m.id = i.meeting_id WHERE m.body_id = ANY(%s)",
                [*minutes_url, body_ids],
            ),
            (
                "SELECT 'action', a.id, m.body_id, m.id, {date}, %s || m.id || %s, "
                "BTRIM('Action: ' || LEFT(a.description, 80)), BTRIM(a.description), '', '' "
                "FROM meetings_action a JOIN meetings_meeting m ON m.id = a.meeting_id "
                "WHERE m.body_id = ANY(%s)",
                [*minutes_url, body_ids],
            ),
        ]
        with connection.cursor() as cursor:
            for select, params in statements:
                cursor.execute(insert + select.format(date=date), params)
                kind = select.split("'")[1]
                self.counts[f"SearchDocument ({kind})"] = cursor.rowcount
                self.say(f"{cursor.rowcount} {kind} search documents")
        documents = [
            SearchDocument(
                kind=Kind.PAPER,
                object_id=paper.pk,
                body_id=paper.item.meeting.body_id,
                meeting_id=paper.item.meeting_id,
                date=paper.item.meeting.starts_at.astimezone(LONDON).date(),
                url=paper.get_absolute_url(),
                title=paper.title[:500],
                attachment_text=self.paper_text[id(paper)],
            )
            for paper in self.papers
        ]
        _copy(SearchDocument, documents, {})
        self.counts["SearchDocument (paper)"] = len(documents)
        # The small kinds go through the ordinary rebuild, which owns their builders.
        small = rebuild(kinds=[Kind.BODY, Kind.TERMS, Kind.PERSON, Kind.REPORT])
        self.counts["SearchDocument (bodies, terms, people, reports)"] = small
        self.say("search index built")

    # Summary --------------------------------------------------------------------------------

    def summary(self) -> dict:
        big = self.body_list[0]
        held = [m for m in self.meetings_of[big.pk] if m.status == Meeting.Status.HELD]
        meeting = max(
            held or self.meetings_of[big.pk], key=lambda m: (self.item_count[m.pk], m.starts_at)
        )
        member_user = (
            get_user_model().objects.filter(person__pk=self.big_member_person_id).first()
            if getattr(self, "big_member_person_id", None)
            else None
        )
        return {
            "seconds": round(time.monotonic() - self.started, 1),
            "today": self.today.isoformat(),
            "counts": dict(self.counts),
            "big_body": {"id": big.pk, "slug": big.slug, "name": big.name},
            "big_meeting": {
                "id": meeting.pk,
                "items": self.item_count[meeting.pk],
                "starts_at": meeting.starts_at.isoformat(),
            },
            "member": {
                "person_id": getattr(self, "big_member_person_id", None),
                "username": member_user.username if member_user else None,
                "password": MEMBER_PASSWORD,
            },
            "officer": {"username": OFFICER_USERNAME, "password": MEMBER_PASSWORD},
            "manager": {"username": MANAGER_USERNAME, "password": MEMBER_PASSWORD},
        }


def generate(*, bodies, people, years, seed=1, today=None, stdout=None) -> dict:
    """Generate the data set in the current transaction; returns the summary (counts, ids)."""
    generator = _Generator(
        bodies=bodies, people=people, years=years, seed=seed, today=today, stdout=stdout
    )
    with _history_triggers_off():
        generator.partnerships_and_organisations()
        generator.bodies()
        generator.people()
        generator.seats_and_memberships()
        generator.users()
        generator.meetings()
        generator.minutes()
        generator.agendas()
        generator.reports()
        generator.search_index()
    return generator.summary()


@contextlib.contextmanager
def _history_triggers_off():
    """Switch off the audit triggers of the governance tables for this transaction.

    `ALTER TABLE … DISABLE TRIGGER USER` leaves the foreign key checks on and is undone by a
    rollback. It is used rather than `pgtrigger.ignore()`, which still calls each trigger per row
    and whose check opens a subtransaction per call: at a million rows that was most of the time.
    It takes an exclusive lock on each table until the end of the transaction, which suits a
    generator that refuses to run on a database already in use.
    """
    tables = [connection.ops.quote_name(table) for table in governance_tables()]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    with connection.cursor() as cursor:
        # Deferred foreign key checks still pending on a table would block ALTER TABLE: run
        # them now, then defer again as Django's constraints are by default.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        # The data-version trigger was off too: change the version by hand, so that no page
        # kept from before is shown (partnerships/fragments.py).
        fragments.bump(cursor)


# Replacing --------------------------------------------------------------------------------

GOVERNANCE_APPS = ["search", "reports", "meetings", "membership", "partnerships"]


def governance_tables() -> list[str]:
    """The governance tables to empty with --replace: not the audit history or access log."""
    from pghistory.models import Context, Event

    from partnerships.audit import AccessEvent

    tables = []
    for label in GOVERNANCE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if issubclass(model, Event | Context) or model is AccessEvent:
                continue
            if model._meta.managed and not model._meta.proxy:
                tables.append(model._meta.db_table)
    return tables


def delete_governance_data() -> None:
    """Empty the governance tables and remove the scale logins.

    TRUNCATE fires no row triggers, so no history is written for the deletion; CASCADE also
    empties tables of later apps that point at these (subscriptions to bodies, say), which are
    governance data too. The history tables have no foreign keys, so they are kept.
    """
    tables = ", ".join(connection.ops.quote_name(t) for t in governance_tables())
    with connection.cursor() as cursor:
        # Deferred foreign key checks still pending in this transaction would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    get_user_model().objects.filter(username__startswith="scale-").delete()
