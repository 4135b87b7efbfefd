"""Hostile input: the minutes sanitiser, fuzzed forms, bad uploads, spreadsheet formulas,
Unicode tricks in names, and a full disk. Nothing here may give a server error or store a
rejected file."""

import csv
import errno
import html
import io
import os
import re
import unicodedata
import zipfile
from html.parser import HTMLParser

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from weasyprint import HTML

from meetings import minutes as minute_services
from meetings.minutes import ALLOWED_TAGS, sanitise
from meetings.models import MinuteEntry, Paper
from meetings.papers import NOT_STORED, WRONG_TYPE, save_paper
from partnerships import services as structure_services
from partnerships.models import Organisation
from partnerships.roles import Role
from reports.models import FundingStream
from tests.factories import (
    AgendaItemFactory,
    AnnualReportFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    ReportingLineFactory,
    SeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The minutes sanitiser (nh3) ---------------------------------------------------------------------

# nh3 keeps lang and title on any tag (harmless text); links keep href and get its rel.
GENERIC_ATTRIBUTES = {"lang", "title"}
ALLOWED_ATTRIBUTES = {"a": {"href", "rel"}}
SAFE_SCHEMES = {"http", "https", "mailto"}
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<iframe src='javascript:alert(1)'></iframe>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<base href="javascript:alert(1)//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    '<p style="x:expression(alert(1))" onclick="alert(1)">p</p>',
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<object data=javascript:alert(1)></object>",
    "<a href='https://example.org' onmouseover='alert(1)' target=_blank>ok</a>",
    "\u202egnp.exe",
    "<p>unclosed <strong>bold <em>both</p>",
    " ON0=",
]
TAGS = sorted(
    ALLOWED_TAGS
    | {"script", "style", "iframe", "svg", "img", "math", "object", "embed", "base", "form"}
    | {"input", "textarea", "noscript", "template", "title", "xmp", "table", "td", "div"}
)
ATTRIBUTE_NAMES = ["href", "src", "style", "onclick", "onerror", "ONLOAD", "title", "rel", "xmlns"]
URLS = [
    "javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://example.org/?q=<script>",
    "mailto:clerk@example.org",
    "/relative/path",
    "//evil.example",
    "&#0000106avascript:alert(1)",
]


@st.composite
def html_ish(draw):
    def tag():
        name = draw(st.sampled_from(TAGS))
        attrs = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(ATTRIBUTE_NAMES),
                    st.one_of(st.sampled_from(URLS), st.text(max_size=10)),
                    st.sampled_from(['"', "'", ""]),
                ),
                max_size=3,
            )
        )
        rendered = "".join(f" {a}={q}{v}{q}" for a, v, q in attrs)
        closing = draw(st.sampled_from(["", f"</{name}>", "/>", f"</{name}"]))
        body = draw(st.text(max_size=12))
        return f"<{name}{rendered}>{body}{closing}"

    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(XSS_VECTORS),
                st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
                st.sampled_from(["<", ">", "</", "&", "&#", '"', "'", "=", "<!--", "-->"]),
                st.builds(tag),
            ),
            max_size=8,
        )
    )
    return "".join(pieces)


class Structure(HTMLParser):
    """Every tag, attribute, comment and declaration in a piece of HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.others = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.others.append(("comment", data))

    def handle_decl(self, decl):
        self.others.append(("declaration", decl))

    def handle_pi(self, data):
        self.others.append(("processing instruction", data))

    def unknown_decl(self, data):
        self.others.append(("declaration", data))


def unsafe_parts(output: str) -> list:
    parser = Structure()
    parser.feed(output)
    parser.close()
    problems = list(parser.others)
    for tag, attrs in parser.tags:
        if tag not in ALLOWED_TAGS:
            problems.append(("tag", tag))
        for name, value in attrs:
            allowed = GENERIC_ATTRIBUTES | ALLOWED_ATTRIBUTES.get(tag, set())
            if name not in allowed or name.startswith("on"):
                problems.append(("attribute", tag, name))
            if name == "href":
                # Browsers ignore whitespace and control characters inside a scheme.
                squeezed = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
                scheme = squeezed.split(":", 1)[0] if ":" in squeezed else None
                if scheme and not {"/", "?", "#"} & set(scheme) and scheme not in SAFE_SCHEMES:
                    problems.append(("href", value))
                if squeezed.startswith(("javascript:", "data:", "vbscript:")):
                    problems.append(("href", value))
    return problems


@settings(max_examples=200, deadline=None)
@given(html_ish())
def test_sanitised_minutes_hold_only_allowed_tags_attributes_and_links(dirty):
    clean = sanitise(dirty)

    assert unsafe_parts(clean) == []
    assert sanitise(clean) == clean


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_each_known_attack_is_made_safe(vector):
    clean = sanitise(vector)

    assert unsafe_parts(clean) == []
    assert "<script" not in clean.lower()
    assert "javascript:" not in html.unescape(clean).lower().replace("\t", "")


# Fuzzed forms never give a server error --------------------------------------------------------


@pytest.fixture
def staff(db):
    """Someone who is both a partnership manager and a democratic services officer."""
    user = UserFactory(username="staff")
    user.groups.add(
        Group.objects.get(name=Role.PARTNERSHIP_MANAGER),
        Group.objects.get(name=Role.DEMOCRATIC_SERVICES),
    )
    return user


@pytest.fixture
def world(officer):
    board = BodyFactory(name="Children's Trust Board", meets_in_public=True)
    line = ReportingLineFactory(from_body=board)
    seat = SeatFactory(body=board, label="Chair", role="chair")
    person = PersonFactory(name="Ann Lee")
    MembershipFactory(seat=seat, person=person)
    meeting = MeetingFactory(body=board)
    item = AgendaItemFactory(meeting=meeting, title="Early help")
    entry = minute_services.ensure_minutes(meeting).entries.get()
    terms = structure_services.draft_terms_of_reference(body=board, by=officer)
    report = AnnualReportFactory(body=board, receiving_body=line.to_body)
    stream = FundingStream.objects.create(
        name="Troubled Families", funder=Organisation.objects.create(name="DfE"), amount_per_year=1
    )
    return {
        "slug": board.slug,
        "line": line.pk,
        "version": terms.version,
        "seat": seat.pk,
        "person": person.pk,
        "meeting": meeting.pk,
        "item": item.pk,
        "entry": entry.pk,
        "report": report.pk,
        "stream": stream.pk,
    }


# (url name, keyword arguments from the world); all posted as staff except signing in.
ENDPOINTS = [
    ("login", {}),
    ("partnerships:partnership-create", {}),
    ("partnerships:body-create", {}),
    ("partnerships:body-update", {"slug": "slug"}),
    ("partnerships:body-status-create", {"slug": "slug"}),
    ("partnerships:reporting-line-create", {"slug": "slug"}),
    ("partnerships:reporting-line-update", {"pk": "line"}),
    ("partnerships:tor-update", {"slug": "slug", "version": "version"}),
    ("partnerships:structure-import", {}),
    ("membership:seat-create", {"slug": "slug"}),
    ("membership:seat-update", {"pk": "seat"}),
    ("membership:appoint", {"pk": "seat"}),
    ("membership:substitute-create", {"pk": "seat"}),
    ("membership:person-create", {}),
    ("membership:person-update", {"pk": "person"}),
    ("membership:interest-create", {"pk": "person"}),
    ("membership:roster-import", {}),
    ("meetings:meeting-create", {}),
    ("meetings:meeting-update", {"pk": "meeting"}),
    ("meetings:schedule-generate", {}),
    ("meetings:item-create", {"pk": "meeting"}),
    ("meetings:item-update", {"pk": "item"}),
    ("meetings:paper-upload", {"pk": "item"}),
    ("meetings:attendance", {"pk": "meeting"}),
    ("meetings:declarations", {"pk": "meeting"}),
    ("meetings:minute-entry-update", {"pk": "entry"}),
    ("meetings:decision-create", {"pk": "item"}),
    ("meetings:action-create", {"pk": "meeting"}),
    ("meetings:agenda-publish", {"pk": "meeting"}),
    ("reports:report-create", {}),
    ("reports:report-update", {"pk": "report"}),
    ("reports:stream-create", {}),
    ("reports:allocation-create", {"pk": "stream"}),
    ("reports:post-create", {}),
    ("reports:pool-create", {}),
]


class FormFields(HTMLParser):
    """The names of the fields of a page's POST forms, and which of them take files."""

    def __init__(self):
        super().__init__()
        self.names, self.files, self.in_post_form = {}, set(), False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_post_form = (attrs.get("method") or "").lower() == "post"
        elif (
            tag in {"input", "select", "textarea", "button"}
            and self.in_post_form
            and attrs.get("name") not in {None, "csrfmiddlewaretoken"}
        ):
            self.names.setdefault(attrs["name"], attrs.get("value") or "")
            if attrs.get("type") == "file":
                self.files.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False


JUNK = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cf", "Mn", "Zl", "So"])),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\u202eevil\u202c",
            "\u200d\u200b\ufeff",
            "👩‍👩‍👧‍👦",
            "e\u0301\u0301\u0301",
            "A" * 100_000,
            "-1",
            "0",
            "9" * 40,
            "1e309",
            "NaN",
            "-Infinity",
            "2015-02-30",
            "31/12/9999",
            "0001-01-01",
            "true",
            "on",
            "[]",
            "{}",
            "None",
            "<script>alert(1)</script>",
            "=cmd|' /C calc'!A0",
            "'; DROP TABLE meetings_meeting; --",
            "../../etc/passwd",
        ]
    ),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
    st.dates().map(str),
)


# The fields of each page, read once per test run: the world's primary keys differ per test,
# but its pages' field names do not.
FIELDS: dict[str, FormFields] = {}


def junk_file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("junk.csv", content, content_type="text/csv")


@pytest.mark.parametrize(("name", "kwargs"), ENDPOINTS, ids=[name for name, _ in ENDPOINTS])
@settings(
    # FUZZ_EXAMPLES=200 for a deeper run; the default keeps `make test` quick.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzzed_posts_never_give_a_server_error(client, settings, staff, world, name, kwargs, data):
    # Each failed sign-in hashes a password; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    url = reverse(name, kwargs={key: world[value] for key, value in kwargs.items()})
    if name != "login":
        client.force_login(staff)
    if name not in FIELDS:
        page = client.get(url)
        FIELDS[name] = FormFields()
        FIELDS[name].feed(page.content.decode() if page.status_code == 200 else "")
    fields = FIELDS[name]
    names = sorted(fields.names) or ["title", "text", "version", "form-TOTAL_FORMS"]
    posted = {}
    for field in names:
        # Leave some fields out, management forms included.
        if data.draw(st.booleans(), label=f"send {field}"):
            if field in fields.files:
                posted[field] = junk_file(data.draw(st.binary(max_size=200), label=field))
            else:
                posted[field] = data.draw(
                    st.one_of(JUNK, st.lists(JUNK, min_size=2, max_size=3)), label=field
                )
    posted |= data.draw(st.dictionaries(st.text(min_size=1, max_size=10), JUNK, max_size=3))

    response = client.post(url, posted)

    assert response.status_code < 500


# Uploads ----------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "uploads"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def office_zip(parts: dict, *, kind="word") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{kind}/document.xml", "<document/>")
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(kind: str, expands_to: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{kind}/document.xml", "<document/>")
        with archive.open(f"{kind}/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(expands_to // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def many_members() -> bytes:
    return office_zip({f"word/part{n}.xml": "" for n in range(1500)})


def pdf(extra: bytes = b"") -> bytes:
    content = HTML(string="<p>A paper</p>").write_pdf()
    # An incremental update appended to a real PDF, as an attacker would add an action.
    return content + extra


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
BAD_UPLOADS = {
    "html-named-pdf": ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "exe-named-pdf": ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04" + b"\x00" * 300),
    "double-extension": ("report.pdf.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04" + b"\x00" * 300),
    "svg-with-script": ("chart.svg", SVG),
    "svg-named-pdf": ("chart.pdf", SVG),
    "pdf-html-polyglot": ("report.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>"),
    "pdf-javascript": ("report.pdf", pdf(b"\n9 0 obj << /S /JavaScript /JS (app.alert(1)) >>\n")),
    "pdf-js-only": ("report.pdf", pdf(b"\n9 0 obj << /S /JS (app.alert(1)) >> endobj\n")),
    "pdf-open-action": ("report.pdf", pdf(b"\n1 0 obj << /OpenAction 9 0 R >> endobj\n")),
    "pdf-escaped-name": ("report.pdf", pdf(b"\n9 0 obj << /S /J#61vaScript >> endobj\n")),
    "pdf-launch": ("report.pdf", pdf(b"\n9 0 obj << /S /Launch /F (cmd.exe) >> endobj\n")),
    "zip-bomb-docx": ("minutes.docx", zip_bomb("word", 8 * 1024 * 1024)),
    "zip-bomb-xlsx": ("budget.xlsx", zip_bomb("xl", 8 * 1024 * 1024)),
    "too-many-members": ("minutes.docx", many_members()),
}


@pytest.fixture
def upload_item(db):
    meeting = MeetingFactory(agenda_published_at=timezone.now())
    return AgendaItemFactory(meeting=meeting)


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    client, officer, media, settings, upload_item, case
):
    # The bombs expand past five times the size limit, but are small themselves.
    settings.MAX_PAPER_SIZE = 1024 * 1024
    name, content = BAD_UPLOADS[case]
    assert len(content) < settings.MAX_PAPER_SIZE
    client.force_login(officer)

    response = client.post(
        reverse("meetings:paper-upload", kwargs={"pk": upload_item.pk}),
        {
            "title": "Report",
            # The browser's type lies too.
            "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [WRONG_TYPE]}
    assert Paper.objects.count() == 0
    assert stored_files(media) == []


def test_a_plain_pdf_and_a_small_docx_are_still_accepted(officer, media, upload_item):
    for name, content in [("a.pdf", pdf()), ("b.docx", office_zip({"word/x.xml": "x" * 1000}))]:
        save_paper(
            item=upload_item,
            upload=SimpleUploadedFile(name, content),
            title=name,
            by=officer,
        )

    assert sorted(Paper.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]
    assert len(stored_files(media)) == 2


def test_an_oversized_upload_is_refused_and_nothing_is_stored(
    client, officer, media, settings, upload_item
):
    settings.MAX_PAPER_SIZE = 1024 * 1024
    client.force_login(officer)
    content = pdf() + b"%" + b"x" * settings.MAX_PAPER_SIZE

    response = client.post(
        reverse("meetings:paper-upload", kwargs={"pk": upload_item.pk}),
        {"title": "Report", "file": SimpleUploadedFile("big.pdf", content)},
    )

    assert response.context["form"].errors == {"file": ["The file must be smaller than 1 MB"]}
    assert Paper.objects.count() == 0
    assert stored_files(media) == []


class FullDiskStorage(FileSystemStorage):
    """A disk with no space left: every save fails as the operating system would say."""

    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_is_explained_and_leaves_no_file_or_row(
    client, officer, media, settings, upload_item
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.FullDiskStorage"},
    }
    client.force_login(officer)

    response = client.post(
        reverse("meetings:paper-upload", kwargs={"pk": upload_item.pk}),
        {"title": "Report", "file": SimpleUploadedFile("report.pdf", pdf())},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [NOT_STORED]}
    assert Paper.objects.count() == 0
    assert stored_files(media) == []
    with pytest.raises(ValidationError):
        save_paper(
            item=upload_item,
            upload=SimpleUploadedFile("report.pdf", pdf()),
            title="Report",
            by=officer,
        )


# Spreadsheet formulas in exports -----------------------------------------------------------------

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_roster_exports_defuse_formulas_in_every_text_cell(client, partnership_manager, start):
    board = BodyFactory(slug="board")
    seat = SeatFactory(body=board, label=f"{start}SUM(1+1)*cmd|' /C calc'!A0")
    MembershipFactory(
        seat=seat,
        person=PersonFactory(name=f'{start}HYPERLINK("http://evil.example","x")'),
        organisation=Organisation.objects.create(name=f"{start}1+2 Trust"),
        notes=f'{start}WEBSERVICE("http://evil.example")',
    )
    client.force_login(partnership_manager)
    url = reverse("membership:roster-export", kwargs={"slug": "board", "fmt": "csv"})

    text = client.get(url).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            client.get(
                reverse("membership:roster-export", kwargs={"slug": "board", "fmt": "xlsx"})
            ).content
        )
    )
    sheet = workbook.active

    cells = [value for value in rows[1] if value]
    assert all(not value.startswith(tuple(FORMULA_STARTS)) for value in cells)
    hostile = [value for value in cells if "evil" in value or "calc" in value or "Trust" in value]
    assert len(hostile) == 4
    # Names are stripped of surrounding whitespace when saved, so a leading tab or CR goes.
    defused = [value for value in hostile if value.startswith(f"'{start}")]
    assert len(defused) == (3 if start in "\t\r" else 4)
    for cell in sheet[2]:
        if isinstance(cell.value, str):
            assert cell.data_type == "s"
            assert not cell.value.startswith(tuple(FORMULA_STARTS))


# Unicode in names --------------------------------------------------------------------------------

TRICKY_NAMES = [
    "Ann \u202eeL\u202c Smith",
    "Zoe\u200d\u200bBrown",
    "Priya 👩🏽‍⚕️ Shah",
    "Jose\u0301 Garci\u0301a",
    'O"Brien <script>alert(1)</script>',
    "Name\u2066isolated\u2069",
]
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}


class AttributeValues(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = []

    def handle_starttag(self, tag, attrs):
        self.values.extend(value or "" for _, value in attrs)


@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_unicode_names_render_escaped_on_the_person_page_and_roster(
    client, partnership_manager, name
):
    board = BodyFactory(slug="board")
    person = PersonFactory(name=name)
    MembershipFactory(seat=SeatFactory(body=board, label="Member"), person=person)
    client.force_login(partnership_manager)

    for url in [
        reverse("membership:person-detail", kwargs={"pk": person.pk}),
        reverse("membership:roster", kwargs={"slug": "board"}),
    ]:
        page = client.get(url).content.decode()
        parser = AttributeValues()
        parser.feed(page)

        assert "<script>alert(1)</script>" not in page
        assert escape(person.full_name) in page
        for value in parser.values:
            assert not BIDI_CONTROLS & set(value), (url, value)
            assert all(unicodedata.category(ch) != "Cc" or ch in "\t\n\r" for ch in value)


# Draft minutes through the visibility layer alone ---------------------------------------------
# The minutes page checks the status again itself, so only a direct test shows the QuerySet
# guard that search, feeds and the open-data bundle rely on (seeded fault "draft minutes").


def test_draft_minutes_are_visible_only_to_members_and_staff(officer, board_member):
    outsider = UserFactory(username="outsider")
    meeting = MeetingFactory(agenda_published_at=timezone.now())
    AgendaItemFactory(meeting=meeting)
    record = minute_services.ensure_minutes(meeting)
    entry = record.entries.get()
    MembershipFactory(seat=SeatFactory(body=meeting.body), person=PersonFactory(user=board_member))

    def sees(user):
        return MinuteEntry.objects.visible_to(user).filter(pk=entry.pk).exists()

    assert [sees(user) for user in (AnonymousUser(), outsider, board_member, officer)] == [
        False,
        False,
        True,
        True,
    ]
