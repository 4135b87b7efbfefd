"""Uploading papers (type read from the content, size limit) and who may download them."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from meetings.models import Paper
from meetings.papers import DOCX, ODT, PDF, XLSX, save_paper
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_pdf(text="A paper"):
    return HTML(string=f"<p>{text}</p>").write_pdf()


def make_zip(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def make_docx():
    return make_zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<document/>",
        }
    )


def make_xlsx():
    return make_zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": "<Relationships/>",
            "xl/workbook.xml": "<workbook/>",
        }
    )


def make_odt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def published_item(**kwargs):
    meeting = MeetingFactory(agenda_published_at=timezone.now())
    return AgendaItemFactory(meeting=meeting, **kwargs)


def make_member(user, body):
    person = PersonFactory(user=user)
    MembershipFactory(
        seat=SeatFactory(body=body), person=person, starts_on=datetime.date(2014, 1, 1)
    )


# Checking uploads


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", make_pdf(), PDF),
        ("report.docx", make_docx(), DOCX),
        ("budget.xlsx", make_xlsx(), XLSX),
        ("notes.odt", make_odt(), ODT),
        # The name does not matter: the content does.
        ("report.bin", make_pdf(), PDF),
    ],
)
def test_accepted_types_are_read_from_the_content(officer, name, content, expected):
    item = published_item()

    paper = save_paper(item=item, upload=upload(name, content), title="Report", by=officer)

    paper.refresh_from_db()
    assert paper.content_type == expected
    assert paper.original_name == name
    assert paper.size == len(content)
    assert paper.uploaded_by == officer
    assert paper.file.name.startswith(f"papers/{item.meeting_id}/")
    assert name not in paper.file.name
    with paper.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        make_zip({"payload.exe": b"MZ"}),
        make_zip({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": "<p/>"}),
        b"%PDF",
    ],
    ids=["exe", "html", "plain-zip", "pptx", "truncated"],
)
def test_other_content_is_refused_whatever_its_name(officer, content):
    item = published_item()

    with pytest.raises(ValidationError) as error:
        save_paper(item=item, upload=upload("report.pdf", content), title="Report", by=officer)

    assert error.value.message_dict == {
        "file": ["The file must be a PDF, Word, Excel or OpenDocument text file"]
    }
    assert Paper.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(officer, settings):
    settings.MAX_PAPER_SIZE = 20 * 1024 * 1024
    item = published_item()
    big = make_pdf() + b"\n%" + b"x" * (20 * 1024 * 1024)

    with pytest.raises(ValidationError) as error:
        save_paper(item=item, upload=upload("big.pdf", big), title="Big", by=officer)

    assert error.value.message_dict == {"file": ["The file must be smaller than 20 MB"]}


def test_an_exempt_paper_needs_a_paragraph_and_a_public_interest_statement(officer):
    item = published_item()

    with pytest.raises(ValidationError) as error:
        save_paper(
            item=item, upload=upload("a.pdf", make_pdf()), title="A", by=officer, is_exempt=True
        )

    assert error.value.message_dict == {
        "exempt_paragraph": ["Select the paragraph of Schedule 12A the paper falls under"],
        "public_interest_statement": [
            "Enter why the public interest in keeping the paper exempt outweighs disclosing it"
        ],
    }


def test_papers_are_numbered_in_upload_order(officer):
    item = published_item()

    first = save_paper(item=item, upload=upload("a.pdf", make_pdf()), title="A", by=officer)
    second = save_paper(item=item, upload=upload("b.pdf", make_pdf()), title="B", by=officer)

    assert (first.order, second.order) == (0, 1)


# The upload page


def test_democratic_services_upload_a_paper(client, officer):
    item = published_item()
    client.force_login(officer)
    url = reverse("meetings:paper-upload", kwargs={"pk": item.pk})

    response = client.post(
        url, {"title": "Budget report", "file": upload("Budget 2015.pdf", make_pdf())}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:item-detail", kwargs={"pk": item.pk})
    paper = Paper.objects.get()
    assert (paper.title, paper.original_name, paper.is_exempt) == (
        "Budget report",
        "Budget 2015.pdf",
        False,
    )


def test_the_upload_page_shows_why_a_file_was_refused(client, officer):
    item = published_item()
    client.force_login(officer)
    url = reverse("meetings:paper-upload", kwargs={"pk": item.pk})

    response = client.post(url, {"title": "Report", "file": upload("x.pdf", b"<html></html>")})

    assert response.status_code == 200
    assert "The file must be a PDF, Word, Excel or OpenDocument text file" in response.text
    assert 'enctype="multipart/form-data"' in response.text
    assert Paper.objects.count() == 0


def test_board_members_may_not_upload_papers(client, board_member):
    item = published_item()
    make_member(board_member, item.meeting.body)
    client.force_login(board_member)

    response = client.post(
        reverse("meetings:paper-upload", kwargs={"pk": item.pk}),
        {"title": "Report", "file": upload("a.pdf", make_pdf())},
    )

    assert response.status_code == 403
    assert Paper.objects.count() == 0


# Downloads


def _paper(officer, *, item=None, **kwargs):
    item = item or published_item()
    return save_paper(
        item=item, upload=upload("Report 1.pdf", make_pdf()), title="Report", by=officer, **kwargs
    )


def test_the_public_download_a_public_paper(client, officer):
    paper = _paper(officer)

    response = client.get(reverse("meetings:paper-download", kwargs={"pk": paper.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Report 1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "no-cache"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_exempt_paper_on_a_public_item_is_only_for_members(client, officer):
    paper = _paper(
        officer, is_exempt=True, exempt_paragraph=3, public_interest_statement="Commercial terms"
    )
    body = paper.item.meeting.body
    url = reverse("meetings:paper-download", kwargs={"pk": paper.pk})
    outsider = UserFactory()
    member = UserFactory()
    make_member(member, body)

    anonymous = client.get(url)
    client.force_login(outsider)
    non_member = client.get(url)
    client.force_login(member)
    as_member = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('login')}?next={url}"
    assert non_member.status_code == 404
    assert as_member.status_code == 200
    assert as_member["Cache-Control"] == "private, no-store"
    assert as_member["Content-Security-Policy"] == "sandbox"
    assert b"".join(as_member.streaming_content).startswith(b"%PDF-")


def test_a_paper_on_an_exempt_item_is_only_for_members(client, officer):
    item = published_item(is_exempt=True, exempt_paragraph=1, public_interest_statement="Names")
    paper = _paper(officer, item=item)
    url = reverse("meetings:paper-download", kwargs={"pk": paper.pk})
    member = UserFactory()
    make_member(member, item.meeting.body)

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_papers_of_an_unpublished_agenda_are_not_public(client, officer):
    item = AgendaItemFactory()
    paper = _paper(officer, item=item)
    url = reverse("meetings:paper-download", kwargs={"pk": paper.pk})

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200


def test_a_missing_paper_looks_like_a_hidden_one(client):
    client.force_login(UserFactory())

    response = client.get(reverse("meetings:paper-download", kwargs={"pk": 999999}))

    assert response.status_code == 404
