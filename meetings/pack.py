"""The agenda pack: one PDF per part of a meeting's agenda, built in the background.

Part A holds the items and papers that are not exempt, Part B the exempt ones. What goes into a
part is always chosen through the visibility layer for the person asking (the public's Part A is
built as the anonymous user), and the stored file is named after a hash of exactly what was
chosen. So a person can only ever be given a file whose content they may see, and any change to
the meeting, its items or its papers names a new file: old packs are never served stale.

Files and their progress live in the default storage (shared by web and worker processes):
packs/<meeting>/<agenda version>-<part>-<hash>.pdf and, beside it, .json with
{"status": "queued"|"building"|"ready"|"failed", "done": 3, "total": 12, "updated_at": …}.
"""

import functools
import hashlib
import io
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format

from .models import AgendaItem, Meeting, Paper
from .papers import PDF, kind_name

logger = logging.getLogger(__name__)

PARTS = {"a": "Part A", "b": "Part B"}
# A build not heard from for this long is taken to have died, and may be asked for again.
STALE_AFTER_SECONDS = 15 * 60

MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 210 * MM, 297 * MM
# Where an appended paper's page is drawn on its numbered pack page, in points: inside the
# margins, below the running line naming the paper.
PAPER_BOX = (15 * MM, 20 * MM, A4_WIDTH - 15 * MM, A4_HEIGHT - 40 * MM)
# The lines drawn on pack pages (see _Lettering): 9pt, and where WeasyPrint put them when it laid
# out the paper pages too. Baselines in points from the bottom of the page.
LETTERING_SIZE = 9
LETTERING_LEADING = 9 * 1.4
HEADER_BASELINE = A4_HEIGHT - 45.6
PAPER_LINE_BASELINE = A4_HEIGHT - 94.5
FOOTER_BASELINE = 25.2
GREY = (0x50 / 255, 0x5A / 255, 0x5F / 255)
BLACK = (0x0B / 255, 0x0C / 255, 0x0C / 255)
# Liberation Sans is the pack's font (pack_pdf.html), installed with the fonts-liberation package;
# the others stand in for it where it is missing.
FONT_FILES = {
    "regular": ["LiberationSans-Regular.ttf", "DejaVuSans.ttf", "Arial.ttf"],
    "bold": ["LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf", "Arial_Bold.ttf", "Arial Bold.ttf"],
}
FONT_FOLDERS = ["/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts"]


@dataclass
class Entry:
    item: AgendaItem
    papers: list[Paper] = field(default_factory=list)


@dataclass
class Pack:
    """One part of a meeting's pack as one person may have it."""

    meeting: Meeting
    part: str
    entries: list[Entry]

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def name(self) -> str:
        """The storage name without extension, from a hash of everything the part contains."""
        meeting = self.meeting
        fingerprint = [
            meeting.pk,
            meeting.updated_at.isoformat(),
            meeting.agenda_version,
            meeting.body.name,
            self.part,
            [
                [
                    entry.item.pk,
                    entry.item.updated_at.isoformat(),
                    entry.item.parent.updated_at.isoformat() if entry.item.parent else None,
                    [
                        [paper.pk, paper.updated_at.isoformat(), paper.size]
                        for paper in entry.papers
                    ],
                ]
                for entry in self.entries
            ],
        ]
        digest = hashlib.sha256(json.dumps(fingerprint).encode()).hexdigest()[:24]
        return f"packs/{meeting.pk}/{meeting.agenda_version}-{self.part}-{digest}"

    @property
    def pdf_name(self) -> str:
        return f"{self.name}.pdf"

    @property
    def progress_name(self) -> str:
        return f"{self.name}.json"

    @property
    def short_label(self) -> str:
        return PARTS[self.part]

    @property
    def label(self) -> str:
        if self.part == "b":
            return "Part B: exempt — not for publication"
        return "Part A: public" if self.meeting.is_public else "Part A: not exempt"

    @property
    def filename(self) -> str:
        meeting = self.meeting
        return f"{meeting.body.slug}-{meeting.starts_at:%Y-%m-%d}-agenda-pack-part-{self.part}.pdf"


def _is_exempt(item) -> bool:
    return item.is_exempt or bool(item.parent and item.parent.is_exempt)


def _sort_key(item):
    if item.parent:
        return (item.parent.order, 1, item.order)
    return (item.order, 0, 0)


def pack_for(meeting, user, part) -> Pack | None:
    """The part of the meeting's pack the user may have, or None if it would be empty."""
    if part not in PARTS:
        return None
    items = sorted(
        AgendaItem.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("parent", "presenter"),
        key=_sort_key,
    )
    papers = Paper.objects.visible_to(user).filter(item__meeting=meeting).order_by("order", "pk")
    papers_by_item = {}
    for paper in papers:
        papers_by_item.setdefault(paper.item_id, []).append(paper)
    entries = []
    for item in items:
        item_papers = papers_by_item.get(item.pk, [])
        if part == "a":
            if not _is_exempt(item):
                entries.append(Entry(item, [p for p in item_papers if not p.is_exempt]))
        elif _is_exempt(item):
            entries.append(Entry(item, item_papers))
        elif exempt_papers := [p for p in item_papers if p.is_exempt]:
            entries.append(Entry(item, exempt_papers))
    if not entries:
        return None
    return Pack(meeting=meeting, part=part, entries=entries)


def is_public(pack) -> bool:
    """Whether the pack is exactly what the public would be given."""
    public = pack_for(pack.meeting, AnonymousUser(), pack.part)
    return public is not None and public.name == pack.name


# Progress


def read_progress(pack) -> dict | None:
    try:
        with default_storage.open(pack.progress_name, "rb") as file:
            progress = json.load(file)
    except (OSError, ValueError):
        return None
    if progress.get("status") == "ready" and not default_storage.exists(pack.pdf_name):
        return None
    if (
        progress.get("status") in ("queued", "building")
        and time.time() - progress.get("updated_at", 0) > STALE_AFTER_SECONDS
    ):
        progress["status"] = "stale"
    return progress


def _write_progress(pack, status, done=0):
    data = {"status": status, "done": done, "total": pack.total, "updated_at": time.time()}
    default_storage.delete(pack.progress_name)
    default_storage.save(pack.progress_name, ContentFile(json.dumps(data).encode()))


def request_build(pack, user) -> bool:
    """Queue a build of the pack unless it is ready or already on its way; whether one was queued.

    The public's Part A is built as the anonymous user, so anyone asking for it shares one file.
    """
    from .tasks import build_pack

    progress = read_progress(pack)
    if progress and progress["status"] in ("queued", "building", "ready"):
        return False
    user_id = None if is_public(pack) or not user.is_authenticated else user.pk
    _write_progress(pack, "queued")
    build_pack.enqueue(meeting_id=pack.meeting.pk, part=pack.part, user_id=user_id)
    return True


def invalidate_packs(meeting_id) -> None:
    """Drop a meeting's stored packs. Changes name new files anyway; this frees the space."""
    folder = f"packs/{meeting_id}"
    try:
        _, files = default_storage.listdir(folder)
    except (OSError, NotImplementedError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")


# Building


def build(*, meeting_id, part, user_id=None) -> str | None:
    """Build the part of the pack the user (None: the public) may have; its storage name."""
    user = AnonymousUser()
    if user_id is not None:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return None
    meeting = Meeting.objects.visible_to(user).select_related("body").filter(pk=meeting_id).first()
    pack = meeting and pack_for(meeting, user, part)
    if pack is None:
        return None
    progress = read_progress(pack)
    if progress and progress["status"] == "ready":
        return pack.pdf_name
    _write_progress(pack, "building")
    try:
        pdf = render(pack, on_progress=lambda done: _write_progress(pack, "building", done))
        default_storage.delete(pack.pdf_name)
        default_storage.save(pack.pdf_name, ContentFile(pdf))
    except Exception:
        _write_progress(pack, "failed")
        raise
    _write_progress(pack, "ready", pack.total)
    return pack.pdf_name


def render(pack, on_progress=None) -> bytes:
    """The pack as PDF bytes: WeasyPrint lays out the cover, agenda and item pages, then each
    PDF paper's pages are added after its item's pages, and every page is given its number.

    Laying out a page for each paper page with WeasyPrint took about half the time of a build,
    so the papers' pages, their running lines and all page numbers are drawn into the PDF here.
    """
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    sections = []
    readers = {}
    for done, entry in enumerate(pack.entries, start=1):
        papers = []
        for paper in entry.papers:
            pages = 0
            if paper.content_type == PDF:
                reader = _open_paper(paper)
                if reader is not None:
                    readers[paper.pk] = reader
                    pages = len(reader.pages)
            papers.append(
                {
                    "paper": paper,
                    "kind": kind_name(paper.content_type),
                    "pages": range(1, pages + 1),
                }
            )
        sections.append({"item": entry.item, "papers": papers})
        if on_progress:
            on_progress(done)

    meeting = pack.meeting
    html = render_to_string(
        "meetings/pack_pdf.html", {"pack": pack, "meeting": meeting, "sections": sections}
    )
    options = {"pdf_variant": "pdf/ua-1"}
    document = HTML(string=html, base_url=None).render(**options)
    # The page each item starts on: the previous item's papers go just before it.
    starts = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("pack-entry-"):
                starts[int(anchor.removeprefix("pack-entry-"))] = index
    laid_out = document.write_pdf(**options)
    writer = PdfWriter(PdfReader(io.BytesIO(laid_out)), incremental=True)

    # What the running line of the laid-out pages says (see the cover in pack_pdf.html).
    running = "{}, {}".format(
        meeting.title or meeting.body.name,
        date_format(timezone.localtime(meeting.starts_at), "l j F Y"),
    )
    paper_lines = {}
    for section in sections:
        for entry in section["papers"]:
            for number in entry["pages"]:
                paper_lines[entry["paper"].pk, number] = (
                    f"Item {section['item'].number}, paper: {entry['paper'].title}, "
                    f"page {number} of {len(entry['pages'])}"
                )
    total = len(document.pages) + sum(len(reader.pages) for reader in readers.values())
    canvas = _Canvas(writer)
    lettering = _Lettering(
        canvas,
        regular=running + "".join(paper_lines.values()) + f"Page 0123456789 of {total}…",
        bold=pack.label + "…",
    )

    # Papers go in from the last item back, so the places kept for earlier ones do not move.
    stamps = _Stamps(canvas)
    outline = _Outline(writer)
    item_pages = {number: writer.pages[index] for number, index in starts.items()}
    added = {}
    for number in range(len(sections), 0, -1):
        index = starts.get(number + 1, len(document.pages))
        for entry in sections[number - 1]["papers"]:
            paper = entry["paper"]
            reader = readers.get(paper.pk)
            for page_number in entry["pages"]:
                writer.insert_blank_page(A4_WIDTH, A4_HEIGHT, index)
                page = writer.pages[index]  # the writer's own copy of the new page
                stamps.draw(page, reader.pages[page_number - 1], f"/Paper{paper.pk}p{page_number}")
                added[page.indirect_reference.idnum] = paper_lines[paper.pk, page_number]
                if page_number == 1 and number in item_pages:
                    outline.add(item_pages[number], paper.title, page)
                index += 1

    for number, page in enumerate(writer.pages, start=1):
        paper_line = added.get(page.indirect_reference.idnum)
        lettering.draw(
            page,
            header=(running, pack.label) if paper_line else None,
            paper_line=paper_line,
            footer=f"Page {number} of {total}",
        )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _open_paper(paper):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with paper.file.open("rb") as file:
            reader = PdfReader(io.BytesIO(file.read()))
        if reader.is_encrypted:
            reader.decrypt("")
        for page in reader.pages:
            _content_bytes(page)
    except (OSError, ValueError, PyPdfError, NotImplementedError):
        logger.warning("Paper %s could not be read as a PDF for the pack", paper.pk)
        return None
    return reader


class _Canvas:
    """Adds drawing to pages of the pack: a resource and a content stream at a time.

    A page's own content is bracketed the first time, so its graphics state cannot leak into what
    is drawn after it. Resources are copied before they are changed, as pages may share them.
    """

    def __init__(self, writer):
        from pypdf.generic import DecodedStreamObject

        self.writer = writer
        save, restore = DecodedStreamObject(), DecodedStreamObject()
        save.set_data(b"q\n")
        restore.set_data(b"\nQ\n")
        self.save = writer._add_object(save)
        self.restore = writer._add_object(restore)
        self.bracketed = set()

    def add_resource(self, page, category, name, reference):
        from pypdf.generic import DictionaryObject, NameObject

        resources = page.get("/Resources")
        resources = DictionaryObject(resources.get_object() if resources else {})
        entries = resources.get(category)
        entries = DictionaryObject(entries.get_object() if entries else {})
        entries[NameObject(name)] = reference
        resources[NameObject(category)] = entries
        page[NameObject("/Resources")] = resources

    def append(self, page, data: bytes):
        from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

        stream = DecodedStreamObject()
        stream.set_data(data)
        contents = page.get("/Contents")
        parts = []
        if contents is not None:
            resolved = contents.get_object()
            parts = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
        key = page.indirect_reference.idnum
        if parts and key not in self.bracketed:
            parts = [self.save, *parts, self.restore]
        self.bracketed.add(key)
        page[NameObject("/Contents")] = ArrayObject([*parts, self.writer._add_object(stream)])


class _Stamps:
    """Draws papers' pages onto pack pages, each as one Form XObject.

    A form keeps the paper's content stream as it is, where pypdf's merge_transformed_page parses
    and rewrites every operator of both pages: about a second a page, against milliseconds.
    """

    def __init__(self, canvas):
        self.canvas = canvas

    def draw(self, page, source, name):
        from pypdf.generic import (
            ArrayObject,
            DecodedStreamObject,
            DictionaryObject,
            FloatObject,
            NameObject,
        )

        writer = self.canvas.writer
        box = source.mediabox
        form = DecodedStreamObject()
        form.set_data(_content_bytes(source))
        resources = source.get("/Resources")
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)]
                ),
                NameObject("/Resources"): (
                    resources.get_object().clone(writer) if resources else DictionaryObject()
                ),
            }
        )
        self.canvas.add_resource(page, "/XObject", name, writer._add_object(form.flate_encode()))
        matrix = " ".join(f"{value:.6f}" for value in _fit(source).ctm)
        self.canvas.append(page, f"q {matrix} cm {name} Do Q\n".encode())


class _Lettering:
    """The running line and paper line of paper pages, and every page's number, drawn as text.

    They are marked as pagination artifacts, which assistive technology passes over as it does
    the running lines WeasyPrint draws. The text is set in the pack's own font, cut down to the
    characters it needs and embedded, as PDF/UA requires of every font.
    """

    def __init__(self, canvas, *, regular, bold):
        self.canvas = canvas
        self.regular = _Font(canvas.writer, _font_file("regular"), regular)
        try:
            bold_file = _font_file("bold")
        except FileNotFoundError:
            bold_file = _font_file("regular")
        self.bold = _Font(canvas.writer, bold_file, bold)

    def draw(self, page, *, header=None, paper_line=None, footer=None):
        size, left, right = LETTERING_SIZE, 15 * MM, A4_WIDTH - 15 * MM
        lines = []
        if header:
            running, part = header
            part_width = self.bold.width(part, size)
            lines.append(("Header", self.bold, part, right - part_width, HEADER_BASELINE, BLACK))
            running = self.regular.fit(running, right - left - part_width - 6 * MM, size)
            lines.append(("Header", self.regular, running, left, HEADER_BASELINE, GREY))
        if paper_line:
            for index, line in enumerate(self.regular.wrap(paper_line, right - left, size, 2)):
                baseline = PAPER_LINE_BASELINE - index * LETTERING_LEADING
                lines.append(("Header", self.regular, line, left, baseline, GREY))
        if footer:
            x = (A4_WIDTH - self.regular.width(footer, size)) / 2
            lines.append(("Footer", self.regular, footer, x, FOOTER_BASELINE, BLACK))
        for font in {font.name: font for _, font, *_ in lines}.values():
            self.canvas.add_resource(page, "/Font", font.name, font.reference)
        content = []
        for kind, font, text, x, y, colour in lines:
            red, green, blue = colour
            content.append(
                f"/Artifact <</Type /Pagination /Subtype /{kind}>> BDC q "
                f"{red:.4f} {green:.4f} {blue:.4f} rg BT {font.name} {size} Tf "
                f"{x:.2f} {y:.2f} Td {font.encode(text)} Tj ET Q EMC\n"
            )
        self.canvas.append(page, "".join(content).encode())


class _Outline:
    """Adds papers to the pack's bookmarks, each under its item's heading.

    The line naming the paper on its pages is a running header, passed over by assistive
    technology; the bookmark is how a reader finds the paper.
    """

    def __init__(self, writer):
        from pypdf.generic import ArrayObject, IndirectObject

        self.writer = writer
        # The shallowest bookmark leading to each page: on an item's first page, that is the
        # item's heading rather than a heading inside the item. All children of a bookmark are
        # seen before any of their own children.
        self.by_page = {}
        pending = [writer.root_object.get("/Outlines")]
        while pending:
            node = pending.pop()
            child = node.get_object().get("/First") if node is not None else None
            children = []
            while isinstance(child, IndirectObject):
                children.append(child)
                child = child.get_object().get("/Next")
            for child in children:
                destination = child.get_object().get("/Dest")
                if isinstance(destination, ArrayObject) and destination:
                    page = destination[0]
                    if isinstance(page, IndirectObject):
                        self.by_page.setdefault(page.idnum, child)
            pending.extend(reversed(children))

    def add(self, heading_page, title, page):
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            FloatObject,
            NameObject,
            NumberObject,
            TextStringObject,
        )

        parent_ref = self.by_page.get(heading_page.indirect_reference.idnum)
        if parent_ref is None:
            return
        parent = parent_ref.get_object()
        node = DictionaryObject(
            {
                NameObject("/Title"): TextStringObject(title),
                NameObject("/Parent"): parent_ref,
                NameObject("/Dest"): ArrayObject(
                    [
                        page.indirect_reference,
                        NameObject("/XYZ"),
                        FloatObject(0),
                        FloatObject(A4_HEIGHT),
                        FloatObject(0),
                    ]
                ),
            }
        )
        node_ref = self.writer._add_object(node)
        last = parent.get("/Last")
        if last is None:
            parent[NameObject("/First")] = node_ref
        else:
            last.get_object()[NameObject("/Next")] = node_ref
            node[NameObject("/Prev")] = last
        parent[NameObject("/Last")] = node_ref
        # /Count is how many bookmarks show below an open one (negative when it is closed):
        # one more for the parent and each open ancestor, up to the first closed one.
        ancestor = parent_ref
        while ancestor is not None:
            ancestor = ancestor.get_object()
            count = int(ancestor.get("/Count", 0))
            ancestor[NameObject("/Count")] = NumberObject(count - 1 if count < 0 else count + 1)
            if count < 0:
                break
            ancestor = ancestor.get("/Parent")


@functools.cache
def _font_file(weight) -> bytes:
    """The first font file found for the weight, read once for the process."""
    for filename in FONT_FILES[weight]:
        for folder in FONT_FOLDERS:
            for path in sorted(Path(folder).expanduser().rglob(filename)):
                return path.read_bytes()
    raise FileNotFoundError(f"No {weight} font for the agenda pack: install fonts-liberation")


class _Font:
    """A TrueType font cut down to some characters, embedded as a Type 0 font whose character
    codes are its glyph numbers, with a map back to Unicode so the text can be copied and searched.
    One line of text is drawn with no kerning; that is fine for running lines."""

    def __init__(self, writer, data, characters):
        from fontTools import subset
        from fontTools.ttLib import TTFont
        from pypdf.generic import (
            ArrayObject,
            DecodedStreamObject,
            DictionaryObject,
            FloatObject,
            NameObject,
            NumberObject,
            TextStringObject,
        )

        font = TTFont(io.BytesIO(data))
        postscript_name = (font["name"].getDebugName(6) or "Font").replace(" ", "-")
        options = subset.Options()
        options.hinting = False
        options.notdef_outline = True
        options.layout_features = []
        options.drop_tables += ["FFTM", "GSUB", "GPOS", "GDEF", "kern"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters + " ")
        subsetter.subset(font)
        file = io.BytesIO()
        font.save(file)
        file = file.getvalue()

        scale = 1000 / font["head"].unitsPerEm
        metrics = font["hmtx"]
        order = font.getGlyphOrder()
        self.widths = [round(metrics[glyph][0] * scale) for glyph in order]
        self.glyphs = {code: font.getGlyphID(glyph) for code, glyph in font.getBestCmap().items()}

        # A subset is named with six capitals of its own before the font's name (ISO 32000, 9.6.4).
        digest = hashlib.sha256(f"{postscript_name} {characters}".encode()).digest()
        tag = "".join(chr(65 + byte % 26) for byte in digest[:6])
        base = NameObject(f"/{tag}+{postscript_name}")
        self.name = f"/Pack{tag}"

        stream = DecodedStreamObject()
        stream.set_data(file)
        stream[NameObject("/Length1")] = NumberObject(len(file))
        head, hhea, post = font["head"], font["hhea"], font["post"]
        cap_height = getattr(font.get("OS/2"), "sCapHeight", 0) or hhea.ascent
        descriptor = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/FontDescriptor"),
                NameObject("/FontName"): base,
                NameObject("/Flags"): NumberObject(32),  # nonsymbolic: an ordinary text font
                NameObject("/FontBBox"): ArrayObject(
                    NumberObject(round(value * scale))
                    for value in (head.xMin, head.yMin, head.xMax, head.yMax)
                ),
                NameObject("/ItalicAngle"): FloatObject(post.italicAngle),
                NameObject("/Ascent"): NumberObject(round(hhea.ascent * scale)),
                NameObject("/Descent"): NumberObject(round(hhea.descent * scale)),
                NameObject("/CapHeight"): NumberObject(round(cap_height * scale)),
                NameObject("/StemV"): NumberObject(80),
                NameObject("/FontFile2"): writer._add_object(stream.flate_encode()),
            }
        )
        cid_font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/CIDFontType2"),
                NameObject("/BaseFont"): base,
                NameObject("/CIDSystemInfo"): DictionaryObject(
                    {
                        NameObject("/Registry"): TextStringObject("Adobe"),
                        NameObject("/Ordering"): TextStringObject("Identity"),
                        NameObject("/Supplement"): NumberObject(0),
                    }
                ),
                NameObject("/FontDescriptor"): writer._add_object(descriptor),
                NameObject("/W"): ArrayObject(
                    [NumberObject(0), ArrayObject(NumberObject(w) for w in self.widths)]
                ),
                NameObject("/CIDToGIDMap"): NameObject("/Identity"),
            }
        )
        to_unicode = DecodedStreamObject()
        to_unicode.set_data(self._to_unicode())
        self.reference = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type0"),
                    NameObject("/BaseFont"): base,
                    NameObject("/Encoding"): NameObject("/Identity-H"),
                    NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid_font)]),
                    NameObject("/ToUnicode"): writer._add_object(to_unicode.flate_encode()),
                }
            )
        )

    def _to_unicode(self) -> bytes:
        pairs = {}
        for code, glyph in sorted(self.glyphs.items()):
            pairs.setdefault(glyph, chr(code).encode("utf-16-be").hex())
        lines = [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        ]
        items = sorted(pairs.items())
        for start in range(0, len(items), 100):  # at most 100 to a block
            block = items[start : start + 100]
            lines.append(f"{len(block)} beginbfchar")
            lines.extend(f"<{glyph:04x}> <{text}>" for glyph, text in block)
            lines.append("endbfchar")
        lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
        return "\n".join(lines).encode()

    def encode(self, text) -> str:
        return "<" + "".join(f"{self.glyphs.get(ord(c), 0):04x}" for c in text) + ">"

    def width(self, text, size) -> float:
        return sum(self.widths[self.glyphs.get(ord(c), 0)] for c in text) * size / 1000

    def fit(self, text, width, size) -> str:
        """The text, cut short with an ellipsis if it is wider than the width."""
        if self.width(text, size) <= width:
            return text
        while text and self.width(text.rstrip() + "…", size) > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def wrap(self, text, width, size, most) -> list[str]:
        """The text broken at spaces into lines of the width, at most so many lines."""
        lines = []
        for word in text.split(" "):
            if lines and self.width(f"{lines[-1]} {word}", size) <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        if len(lines) > most:
            lines[most - 1 :] = [" ".join(lines[most - 1 :])]
        return [self.fit(line, width, size) for line in lines]


def _content_bytes(page) -> bytes:
    """A page's content stream, decoded, without parsing its operators."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object()
    if isinstance(contents, ArrayObject):
        return b"\n".join(part.get_object().get_data() for part in contents)
    return contents.get_data()


def _fit(page):
    """Scale and move a paper's page into the box kept for it, upright, centred, never enlarged."""
    from pypdf import Transformation

    box = page.mediabox
    width, height = float(box.width), float(box.height)
    transformation = Transformation().translate(-float(box.left), -float(box.bottom))
    # /Rotate turns the page clockwise for display; turn the content the same way, then move
    # the turned page back to the origin.
    rotation = page.rotation % 360
    if rotation:
        transformation = transformation.rotate(-rotation)
        shift = {90: (0, width), 180: (width, height), 270: (height, 0)}[rotation]
        transformation = transformation.translate(*shift)
        if rotation in (90, 270):
            width, height = height, width
    left, bottom, right, top = PAPER_BOX
    scale = min(1, (right - left) / width, (top - bottom) / height)
    x = left + ((right - left) - width * scale) / 2
    y = top - height * scale
    return transformation.scale(scale, scale).translate(x, y)
