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

import hashlib
import io
import json
import logging
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from .models import AgendaItem, Meeting, Paper
from .papers import PDF, kind_name

logger = logging.getLogger(__name__)

PARTS = {"a": "Part A", "b": "Part B"}
# A build not heard from for this long is taken to have died, and may be asked for again.
STALE_AFTER_SECONDS = 15 * 60

MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 210 * MM, 297 * MM
# Where an appended paper's page is drawn on its numbered pack page, in points: inside the
# margins, below the running line naming the paper (see pack_pdf.html).
PAPER_BOX = (15 * MM, 20 * MM, A4_WIDTH - 15 * MM, A4_HEIGHT - 40 * MM)


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
    """The pack as PDF bytes: WeasyPrint lays out the pack, then PDF papers are drawn onto the
    numbered pages kept for them, so page numbers run through the whole pack."""
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

    html = render_to_string(
        "meetings/pack_pdf.html",
        {"pack": pack, "meeting": pack.meeting, "sections": sections},
    )
    options = {"pdf_variant": "pdf/ua-1"}
    document = HTML(string=html, base_url=None).render(**options)
    kept = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("paper-") and anchor.count("-") == 2:
                _, paper_pk, number = anchor.split("-")
                kept[index] = (int(paper_pk), int(number) - 1)
    laid_out = document.write_pdf(**options)
    if not kept:
        return laid_out

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(laid_out)))
    stamps = _Stamps(writer)
    for index, (paper_pk, number) in kept.items():
        stamps.draw(
            writer.pages[index], readers[paper_pk].pages[number], f"/Paper{paper_pk}p{number}"
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


class _Stamps:
    """Draws papers' pages onto the pages kept for them, each as one Form XObject.

    A form keeps the paper's content stream as it is, where pypdf's merge_transformed_page parses
    and rewrites every operator of both pages: about a second a page, against milliseconds.
    """

    def __init__(self, writer):
        from pypdf.generic import DecodedStreamObject

        self.writer = writer
        # The laid-out page's own content is bracketed so its graphics state cannot leak.
        save, restore = DecodedStreamObject(), DecodedStreamObject()
        save.set_data(b"q\n")
        restore.set_data(b"\nQ\n")
        self.save = writer._add_object(save)
        self.restore = writer._add_object(restore)

    def draw(self, page, source, name):
        from pypdf.generic import (
            ArrayObject,
            DecodedStreamObject,
            DictionaryObject,
            FloatObject,
            NameObject,
        )

        writer = self.writer
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
        form_ref = writer._add_object(form.flate_encode())

        page_resources = page.get("/Resources")
        page_resources = DictionaryObject(page_resources.get_object() if page_resources else {})
        xobjects = page_resources.get("/XObject")
        xobjects = DictionaryObject(xobjects.get_object() if xobjects else {})
        xobjects[NameObject(name)] = form_ref
        page_resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = page_resources

        matrix = " ".join(f"{value:.6f}" for value in _fit(source).ctm)
        stamp = DecodedStreamObject()
        stamp.set_data(f"q {matrix} cm {name} Do Q\n".encode())
        contents = page.get("/Contents")
        parts = []
        if contents is not None:
            resolved = contents.get_object()
            parts = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [self.save, *parts, self.restore, writer._add_object(stamp)]
        )


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
