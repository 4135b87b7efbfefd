"""The agenda pack: Part A holds only what the public may see, Part B only goes to members."""

import datetime
import io
import json
import re
import subprocess

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from meetings import pack as packs
from meetings.papers import save_paper
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "ZEBRA-CONFIDENTIAL-7731"
SECRET_PAPER = "OKAPI-COMMERCIAL-4410"


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def pdf_text(data, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_upload(text, name="paper.pdf"):
    return SimpleUploadedFile(name, HTML(string=f"<p>{text}</p>").write_pdf())


def make_member(user, body):
    MembershipFactory(
        seat=SeatFactory(body=body),
        person=PersonFactory(user=user),
        starts_on=datetime.date(2014, 1, 1),
    )


@pytest.fixture
def meeting(officer):
    """A published public meeting with a public item and paper, an exempt item, and an exempt
    paper on the public item."""
    meeting = MeetingFactory(agenda_published_at=timezone.now())
    public = AgendaItemFactory(
        meeting=meeting, order=1, title="Budget monitoring", summary="The budget is on track."
    )
    AgendaItemFactory(
        meeting=meeting,
        order=2,
        title=f"Contract award {SECRET}",
        summary=f"Bids received: {SECRET}",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive",
    )
    save_paper(item=public, upload=pdf_upload("Public appendix text"), title="Appendix", by=officer)
    save_paper(
        item=public,
        upload=pdf_upload(f"Tender prices {SECRET_PAPER}"),
        title="Tender prices",
        by=officer,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive",
    )
    return meeting


def prepare(client, meeting, part):
    return client.post(reverse("meetings:pack", kwargs={"pk": meeting.pk}), {"part": part})


def download(client, meeting, part):
    return client.get(reverse("meetings:pack-download", kwargs={"pk": meeting.pk}), {"part": part})


def test_the_public_prepare_and_download_part_a_without_exempt_material(client, meeting, tmp_path):
    assert prepare(client, meeting, "a").status_code == 302

    response = download(client, meeting, "a")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{meeting.body.slug}-2015-04-29-agenda-pack-part-a.pdf"'
    )
    assert response["Cache-Control"] == "no-cache"
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert "Part A: public" in text
    assert "Budget monitoring" in text
    assert "The budget is on track." in text
    assert "Public appendix text" in text
    assert "Page 1 of" in text
    assert SECRET not in text
    assert SECRET_PAPER not in text
    assert "Contract award" not in text
    assert "Tender prices" not in text


def test_members_get_part_b_with_the_exempt_material(client, meeting, tmp_path):
    member = UserFactory()
    make_member(member, meeting.body)
    client.force_login(member)
    prepare(client, meeting, "b")

    response = download(client, meeting, "b")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert "Part B: exempt — not for publication" in text
    assert SECRET in text
    assert SECRET_PAPER in text
    assert "Public appendix text" not in text


@pytest.mark.parametrize("who", ["anonymous", "non-member"])
def test_part_b_is_hidden_from_everyone_else(client, meeting, officer, who):
    client.force_login(officer)
    prepare(client, meeting, "b")
    client.logout()
    if who == "non-member":
        client.force_login(UserFactory())

    page = client.get(reverse("meetings:pack", kwargs={"pk": meeting.pk}))
    response = download(client, meeting, "b")
    asked = prepare(client, meeting, "b")

    assert "Part B" not in page.text
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 404
    assert asked.status_code == 404


def test_the_pack_page_shows_progress_without_javascript(client, meeting):
    pack = packs.pack_for(meeting, AnonymousUser(), "a")
    packs._write_progress(pack, "building", done=0)
    url = reverse("meetings:pack", kwargs={"pk": meeting.pk})

    building = client.get(url)
    packs.build(meeting_id=meeting.pk, part="a")
    ready = client.get(url)

    assert "Being prepared (0 of 1 item)" in building.text
    assert '<meta http-equiv="refresh" content="3">' in building.text
    assert '<meta http-equiv="refresh"' not in ready.text
    assert "Download Part A: public (PDF," in ready.text


def test_asking_again_while_it_is_being_prepared_queues_nothing(meeting, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    pack = packs.pack_for(meeting, AnonymousUser(), "a")

    assert packs.request_build(pack, AnonymousUser()) is True
    assert packs.request_build(pack, AnonymousUser()) is False
    assert packs.read_progress(pack)["status"] == "queued"


def test_a_thirty_item_pack_builds_with_progress_to_the_end(meeting, officer):
    for order in range(3, 31):
        AgendaItemFactory(meeting=meeting, order=order, summary="Text. " * 40)
    pack = packs.pack_for(meeting, officer, "a")

    name = packs.build(meeting_id=meeting.pk, part="a", user_id=officer.pk)

    assert name == pack.pdf_name
    with default_storage.open(pack.progress_name) as file:
        assert json.load(file) | {"updated_at": 0} == {
            "status": "ready",
            "done": 29,
            "total": 29,
            "updated_at": 0,
        }
    with default_storage.open(name) as file:
        reader = PdfReader(file)
        # cover, agenda, 29 items (one page each) and one page of appended paper
        assert len(reader.pages) == 32


def test_changing_an_item_makes_a_new_pack(client, meeting, tmp_path):
    prepare(client, meeting, "a")
    before = packs.pack_for(meeting, AnonymousUser(), "a")
    item = meeting.items.get(order=1)
    item.title = "Budget monitoring, revised"
    item.save()

    after = packs.pack_for(meeting, AnonymousUser(), "a")
    stale = download(client, meeting, "a")
    prepare(client, meeting, "a")
    fresh = download(client, meeting, "a")

    assert after.name != before.name
    assert stale.status_code == 302
    assert stale["Location"] == reverse("meetings:pack", kwargs={"pk": meeting.pk})
    assert "Budget monitoring, revised" in pdf_text(b"".join(fresh.streaming_content), tmp_path)


def test_a_new_paper_drops_the_stored_packs(
    client, meeting, officer, django_capture_on_commit_callbacks
):
    prepare(client, meeting, "a")
    old = packs.pack_for(meeting, AnonymousUser(), "a")
    assert default_storage.exists(old.pdf_name)

    with django_capture_on_commit_callbacks(execute=True):
        save_paper(
            item=meeting.items.get(order=1),
            upload=pdf_upload("Late appendix"),
            title="Late appendix",
            by=officer,
        )

    assert not default_storage.exists(old.pdf_name)
    assert packs.pack_for(meeting, AnonymousUser(), "a").name != old.name


def test_an_unpublished_agenda_has_no_public_pack(client):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)

    page = client.get(reverse("meetings:pack", kwargs={"pk": meeting.pk}))

    assert page.status_code == 200
    assert "The agenda pack will be available here when the agenda is published." in page.text
    assert prepare(client, meeting, "a").status_code == 404


def word_boxes(data, tmp_path, page):
    """{word: (x_min, y_min, x_max, y_max)} on one page, in points from the top left."""
    path = tmp_path / "boxes.pdf"
    path.write_bytes(data)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        word: tuple(float(n) for n in box)
        for *box, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</word>',
            html,
        )
    }


@pytest.mark.parametrize(("turn", "upright"), [(0, True), (90, False)])
def test_a_paper_page_is_drawn_inside_its_box_as_a_viewer_shows_it(
    meeting, officer, tmp_path, turn, upright
):
    paper = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_upload("Wide_appendix").read())))
    paper.pages[0].rotate(turn)
    data = io.BytesIO()
    paper.write(data)
    save_paper(
        item=meeting.items.get(order=1),
        upload=SimpleUploadedFile("wide.pdf", data.getvalue()),
        title="Wide",
        by=officer,
    )
    pack = packs.pack_for(meeting, AnonymousUser(), "a")

    pdf = packs.render(pack)

    last = len(PdfReader(io.BytesIO(pdf)).pages)
    x_min, y_min, x_max, y_max = word_boxes(pdf, tmp_path, last)["Wide_appendix"]
    left, bottom, right, top = packs.PAPER_BOX
    assert left <= x_min < x_max <= right
    # pdftotext measures from the top of the page, the box from the bottom.
    assert packs.A4_HEIGHT - top <= y_min < y_max <= packs.A4_HEIGHT - bottom
    # A page the viewer turns a quarter shows its line of text running down the page.
    assert (x_max - x_min > y_max - y_min) is upright


def page_texts(data, tmp_path):
    return pdf_text(data, tmp_path).split("\f")[:-1]


def test_papers_follow_their_item_and_every_page_is_numbered(meeting, officer, tmp_path):
    later = AgendaItemFactory(meeting=meeting, order=3, title="Risk register", summary="Risks.")
    two_pages = HTML(
        string="<p>Register page one</p><p style='break-before: page'>Register page two</p>"
    ).write_pdf()
    save_paper(
        item=later,
        upload=SimpleUploadedFile("register.pdf", two_pages),
        title="Register",
        by=officer,
    )
    pack = packs.pack_for(meeting, AnonymousUser(), "a")

    pdf = packs.render(pack)

    pages = page_texts(pdf, tmp_path)
    # cover, agenda, item 1, its appendix, item 3, its register's two pages
    assert len(pages) == 7
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of 7" in text
    assert "Budget monitoring" in pages[2]
    assert "Item 1, paper: Appendix, page 1 of 1" in pages[3]
    assert "Public appendix text" in pages[3]
    assert "Risk register" in pages[4]
    assert "Item 3, paper: Register, page 1 of 2" in pages[5]
    assert "Register page one" in pages[5]
    assert "Item 3, paper: Register, page 2 of 2" in pages[6]
    assert "Register page two" in pages[6]
    for text in pages[3:4] + pages[5:]:
        assert "Part A: public" in text
    assert SECRET_PAPER not in "".join(pages)
    assert "Tender prices" not in "".join(pages)

    reader = PdfReader(io.BytesIO(pdf))
    bookmarks = {}
    pending = list(reader.outline)
    while pending:
        entry = pending.pop()
        if isinstance(entry, list):
            pending.extend(entry)
        else:
            bookmarks[entry.title] = reader.get_destination_page_number(entry)
    assert bookmarks["Appendix"] == 3
    assert bookmarks["Register"] == 5
    assert "Tender prices" not in bookmarks


def test_every_font_in_the_pack_is_embedded(meeting, tmp_path):
    """PDF/UA asks for every font to be embedded, the running lines' included."""
    path = tmp_path / "pack.pdf"
    path.write_bytes(packs.render(packs.pack_for(meeting, AnonymousUser(), "a")))

    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]

    assert fonts
    for line in fonts:
        # name, type, encoding, then "emb sub uni": each yes or no
        assert line.split()[-5] == "yes", line
