"""The exempt canary: exempt material never reaches the public or signed-in non-members.

One published public meeting carries a marker string in everything exempt: an exempt item (title,
summary, recommendations, public interest test), a sub-item under it, a paper on it, an exempt
paper on a public item (title, file name, PDF text), the minute, resolution and decision on the
exempt item, a declaration and an action on it. Every GET URL of the meetings app is then
requested as each low-privilege identity, for every id from 1 to two past the largest, and the
marker must appear in no response: HTML, ICS, e-mail, and PDFs read with pdftotext.
"""

import datetime
import subprocess
import zoneinfo

import pytest
from django.contrib.auth.models import Group
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
)
from meetings.papers import save_paper
from meetings.urls import urlpatterns
from partnerships.models import Body, TermsOfReference
from partnerships.roles import Role
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
    UserFactory,
)

# Ids start at 1, so "every id up to two past the largest" is a short, exact range.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

# No hyphen or space: PDF layout can break a line at either, which would hide a leak.
MARKER = "CANARYq7Zx3Wm"
LONDON = zoneinfo.ZoneInfo("Europe/London")

# Which model each URL's <int:pk> names; unlisted names take a meeting id.
PK_MODEL = {
    "item-detail": AgendaItem,
    "item-update": AgendaItem,
    "item-move": AgendaItem,
    "paper-upload": AgendaItem,
    "minutes-approve": AgendaItem,
    "decision-create": AgendaItem,
    "paper-download": Paper,
    "minute-entry-update": MinuteEntry,
    "action-update": Action,
}
QUERIES = {
    "pack-download": ["?part=a", "?part=b"],
    "action-list": ["", "?status=open"],
}


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def user_in(role, username):
    user = UserFactory(username=username)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def pdf_upload(text, name):
    return SimpleUploadedFile(name, HTML(string=f"<p>{text}</p>").write_pdf())


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def read(response) -> str:
    """Everything a response says: headers, and the body as text (PDFs through pdftotext)."""
    data = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    if data.startswith(b"%PDF"):
        text = pdf_text(data)
    else:
        # iCalendar folds long lines with CRLF and a space.
        text = data.decode("utf-8", errors="replace").replace("\r\n ", "")
    return headers + "\n" + text


@pytest.fixture
def world(officer, board_member, mailoutbox):
    body = BodyFactory(name="Canary Board", meets_in_public=True)
    TermsOfReference.objects.create(
        body=body, version=1, status="agreed", agreed_on=datetime.date(2014, 3, 1), quorum_count=2
    )
    chair = PersonFactory(name="Ann Chair")
    MembershipFactory(seat=SeatFactory(body=body, role="chair", label="Chair"), person=chair)
    member = PersonFactory(name="Morgan Member", user=board_member, email="morgan@example.org")
    MembershipFactory(seat=SeatFactory(body=body, label="Health"), person=member)
    former_user = user_in(Role.BOARD_MEMBER, "former")
    MembershipFactory(
        seat=SeatFactory(body=body, label="Police"),
        person=PersonFactory(name="Fay Former", user=former_user),
        ends_on=datetime.date(2015, 1, 1),
    )
    other = BodyFactory(name="Other Board", meets_in_public=True)
    outsider_user = user_in(Role.BOARD_MEMBER, "outsider")
    outsider = PersonFactory(name="Otto Outsider", user=outsider_user, email="otto@example.org")
    MembershipFactory(seat=SeatFactory(body=other, role="chair", label="Chair"), person=outsider)
    plain_user = user_in(None, "plain")

    meeting = services.create_meeting(
        body=body, starts_at=datetime.datetime(2015, 4, 29, 14, tzinfo=LONDON), by=officer
    )
    public = services.add_item(
        meeting=meeting,
        by=officer,
        title="Budget monitoring",
        purpose="decision",
        summary="The budget is on track.",
    )
    exempt = services.add_item(
        meeting=meeting,
        by=officer,
        title=f"Contract award {MARKER}",
        purpose="decision",
        summary=f"Bids received from {MARKER}",
        recommendations=f"Award the contract to {MARKER}",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement=f"Commercially sensitive: {MARKER}",
    )
    services.add_item(meeting=meeting, by=officer, parent=exempt, title=f"Scores {MARKER}")
    save_paper(
        item=public,
        upload=pdf_upload("Public appendix", "appendix.pdf"),
        title="Appendix",
        by=officer,
    )
    save_paper(
        item=public,
        upload=pdf_upload(f"Tender prices {MARKER}", f"tender-{MARKER}.pdf"),
        title=f"Tender prices {MARKER}",
        by=officer,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement=f"Prices {MARKER}",
    )
    save_paper(
        item=exempt,
        upload=pdf_upload(f"Evaluation {MARKER}", "evaluation.pdf"),
        title=f"Evaluation {MARKER}",
        by=officer,
    )
    services.publish_agenda(meeting=meeting, by=officer)

    attendance.record_attendance(
        meeting=meeting,
        rows=[
            attendance.AttendanceRow(
                status="present", person=chair, seat=chair.memberships.get().seat
            ),
            attendance.AttendanceRow(
                status="present", person=member, seat=member.memberships.get().seat
            ),
        ],
        by=officer,
    )
    attendance.declare_interest(
        meeting=meeting,
        person=member,
        interest=f"Works for a bidder, {MARKER}",
        item=exempt,
        withdrew=True,
        by=officer,
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    record = minutes.ensure_minutes(meeting)
    for entry in record.entries.all():
        text = f"<p>Chose {MARKER}</p>" if entry.item.is_exempt else "<p>Noted.</p>"
        resolution = f"Awarded to {MARKER}" if entry.item.is_exempt else ""
        minutes.save_entry(
            entry=entry, text=text, resolution=resolution, expected_version=1, by=officer
        )
    minutes.record_decision(item=exempt, text=f"Award to {MARKER}", outcome="agreed", by=officer)
    actions.create_action(
        meeting=meeting,
        item=exempt,
        description=f"Sign the contract with {MARKER}",
        owner=member,
        due_on=datetime.date(2015, 6, 1),
        by=officer,
    )

    next_meeting = services.create_meeting(
        body=body, starts_at=datetime.datetime(2015, 7, 22, 14, tzinfo=LONDON), by=officer
    )
    approval = next_meeting.items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    minutes.approve_minutes(minutes=record, at_item=approval, by=officer)
    services.publish_agenda(meeting=next_meeting, by=officer)
    other_meeting = services.create_meeting(
        body=other, starts_at=datetime.datetime(2015, 5, 6, 10, tzinfo=LONDON), by=officer
    )
    services.publish_agenda(meeting=other_meeting, by=officer)

    for person in (chair, member, outsider):
        CalendarToken.objects.create(person=person)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.APPROVED
    return {
        "meeting": meeting,
        "exempt": exempt,
        "member": board_member,
        "chair": chair,
        "identities": {
            "anonymous": None,
            "signed in, no role": plain_user,
            "board member of another body": outsider_user,
            "former member": former_user,
        },
        "mail": mailoutbox,
    }


def exempt_ids(world):
    items = {
        item.pk
        for item in AgendaItem.objects.filter(meeting=world["meeting"])
        if item.is_exempt or (item.parent is not None and item.parent.is_exempt)
    }
    papers = set(Paper.objects.filter(item__pk__in=items).values_list("pk", flat=True)) | set(
        Paper.objects.filter(is_exempt=True).values_list("pk", flat=True)
    )
    return {"item-detail": items, "paper-download": papers}


def every_url(user) -> list[tuple[str, str]]:
    """(URL name, address) for every meetings URL, every id from 1 to two past the largest."""
    ranges = {
        model: range(
            1, (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 3
        )
        for model in (Meeting, AgendaItem, Paper, MinuteEntry, Action)
    }
    slugs = [*Body.objects.values_list("slug", flat=True), "no-such-body"]
    # The public calendar of a person without a login, their own, and an unknown one.
    tokens = list(
        CalendarToken.objects.filter(person__user__isnull=True).values_list("token", flat=True)
    )
    if user is not None:
        tokens += CalendarToken.objects.filter(person__user=user).values_list("token", flat=True)
    tokens.append("not-a-token")
    urls = []
    for pattern in urlpatterns:
        name = pattern.name
        params = list(pattern.pattern.converters)
        if not params:
            kwargs_list = [{}]
        elif params == ["pk"]:
            kwargs_list = [{"pk": pk} for pk in ranges[PK_MODEL.get(name, Meeting)]]
        elif params == ["slug"]:
            kwargs_list = [{"slug": slug} for slug in slugs]
        elif params == ["token"]:
            kwargs_list = [{"token": token} for token in tokens]
        else:
            raise AssertionError(f"No ids for the URL {name} ({params})")
        for kwargs in kwargs_list:
            address = reverse(f"meetings:{name}", kwargs=kwargs)
            for query in QUERIES.get(name, [""]):
                urls.append((name, address + query))
    meeting_ids = ranges[Meeting]
    urls += [("meeting-list", f"/meetings/?body={slug}") for slug in slugs[:-1]]
    urls += [("action-list", f"/meetings/actions/?meeting={pk}") for pk in meeting_ids]
    return urls


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def build_packs(officer, meeting):
    client = client_for(officer)
    for part in "ab":
        response = client.post(reverse("meetings:pack", kwargs={"pk": meeting.pk}), {"part": part})
        assert response.status_code == 302
    # The public's Part A, built as the anonymous user.
    client_for(None).post(reverse("meetings:pack", kwargs={"pk": meeting.pk}), {"part": "a"})


def test_exempt_material_never_reaches_the_public_or_non_members(world, officer, capsys):
    meeting = world["meeting"]
    build_packs(officer, meeting)
    staff = client_for(officer)
    officer_saw, cached = 0, []
    for _name, url in every_url(officer):
        response = staff.get(url)
        assert response.status_code < 500, url
        if MARKER in read(response):
            officer_saw += 1
            if "no-store" not in response.headers.get("Cache-Control", ""):
                cached.append(url)
    assert officer_saw > 0, "the officer never saw the marker: the test proves nothing"
    assert cached == [], "pages with exempt material must carry Cache-Control: private, no-store"

    hidden = exempt_ids(world)
    leaks, wrong_status, counts = [], [], {}
    for identity, user in world["identities"].items():
        client = client_for(user)
        urls = every_url(user)
        counts[identity] = len(urls)
        for name, url in urls:
            response = client.get(url)
            assert response.status_code < 500, (identity, url)
            if MARKER in read(response):
                leaks.append((identity, url, response.status_code))
            pk = response.resolver_match.kwargs.get("pk") if response.resolver_match else None
            if pk in hidden.get(name, ()):
                if user is None:
                    expected = response.status_code == 302 and response.url.startswith(
                        f"{reverse('login')}?next="
                    )
                else:
                    expected = response.status_code == 404
                if not expected:
                    wrong_status.append((identity, url, response.status_code))

    with capsys.disabled():
        print("\nexempt canary: URLs checked per identity")
        for identity, count in counts.items():
            print(f"  {identity:<30} {count}")
    assert leaks == []
    assert wrong_status == []
    assert all(count > 100 for count in counts.values())


def test_members_do_see_the_marker_and_it_is_never_cached(world, officer):
    """The other side: so the canary can fail, a member sees every exempt thing."""
    meeting = world["meeting"]
    build_packs(officer, meeting)
    client = client_for(world["member"])
    exempt_paper = Paper.objects.get(is_exempt=True)
    urls = [
        reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}),
        reverse("meetings:item-detail", kwargs={"pk": world["exempt"].pk}),
        reverse("meetings:minutes", kwargs={"pk": meeting.pk}),
        reverse("meetings:pack-download", kwargs={"pk": meeting.pk}) + "?part=b",
        reverse("meetings:paper-download", kwargs={"pk": exempt_paper.pk}),
        reverse("meetings:declarations", kwargs={"pk": meeting.pk}),
        reverse("meetings:attendance", kwargs={"pk": meeting.pk}),
        reverse("meetings:action-list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER in read(response), url
        cache = response.headers.get("Cache-Control", "")
        assert "private" in cache, (url, cache)
        assert "no-store" in cache, (url, cache)


def test_agenda_e_mails_name_exempt_items_only_to_members(world):
    mail = world["mail"]
    member_address = "morgan@example.org"
    assert sorted(address for message in mail for address in message.to) == [
        member_address,
        member_address,
        "otto@example.org",
    ]
    with_marker = [m for m in mail if MARKER in m.subject + m.body]
    assert [m.to for m in with_marker] == [[member_address]]
    assert all(MARKER not in m.subject + m.body for m in mail if m.to != [member_address])
