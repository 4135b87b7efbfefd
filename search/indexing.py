"""Keeping the search index current: what each searchable thing contributes, and when.

Each indexed model has a builder that turns one object into the fields of its SearchDocument.
Signals (registered in apps.py) re-index an object once its transaction commits, so services
that add sections or lines by bulk_create in the same transaction are picked up too.
"""

import html
import logging
import re
import zipfile

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from meetings.models import Action, AgendaItem, Decision, Meeting, MinuteEntry, Paper
from meetings.papers import DOCX, ODT, PDF, XLSX
from membership.models import Person
from partnerships.models import Body, TermsOfReference, ToRSection
from reports.models import AnnualReport, ReportLine

from .models import Kind, SearchDocument

logger = logging.getLogger(__name__)

# Enough for a long report with appendices; beyond it a paper is searchable by its start.
MOST_PAPER_CHARACTERS = 200_000
# ts_headline marks matches with these; they are removed from indexed text so that only
# PostgreSQL can put them there, and the page turns them into <mark> after escaping the rest.
START_SEL = "\ue000"
STOP_SEL = "\ue001"
_SENTINELS = re.compile(f"[{START_SEL}{STOP_SEL}\x00]")


def clean(*parts: str) -> str:
    return _SENTINELS.sub("", "\n".join(part for part in parts if part)).strip()


def html_to_text(value: str) -> str:
    return html.unescape(strip_tags(value.replace("<", " <")))


def _meeting_fields(meeting: Meeting) -> dict:
    return {
        "body_id": meeting.body_id,
        "meeting_id": meeting.pk,
        "date": timezone.localtime(meeting.starts_at).date(),
    }


# Builders: the queryset each reads from, and the document fields of one object -------------


def _body(body: Body) -> dict:
    return {
        "body_id": body.pk,
        "url": body.get_absolute_url(),
        "title": clean(body.name, body.short_name),
        "summary": clean(body.partnership.name, body.get_kind_display()),
    }


def _terms(terms: TermsOfReference) -> dict:
    sections = sorted(terms.sections.all(), key=lambda section: section.order)
    return {
        "body_id": terms.body_id,
        "date": terms.agreed_on or terms.effective_on,
        "url": terms.get_absolute_url(),
        "title": clean(f"Terms of reference of {terms.body.name}, version {terms.version}"),
        "text": clean(*(f"{section.heading}\n{section.text}" for section in sections)),
    }


def _person(person: Person) -> dict:
    return {
        "url": person.get_absolute_url(),
        "title": clean(person.full_name),
        "summary": clean(*person.aliases, person.job_title),
    }


def _item(item: AgendaItem) -> dict:
    return {
        **_meeting_fields(item.meeting),
        "url": reverse("meetings:item-detail", kwargs={"pk": item.pk}),
        "title": clean(item.title),
        "summary": clean(item.recommendations, item.questions),
        "text": clean(item.summary),
    }


def _paper(paper: Paper) -> dict:
    return {
        **_meeting_fields(paper.item.meeting),
        "url": paper.get_absolute_url(),
        "title": clean(paper.title),
        "attachment_text": clean(extract_text(paper)),
    }


def _minute(entry: MinuteEntry) -> dict:
    return {
        **_meeting_fields(entry.item.meeting),
        "url": reverse("meetings:minutes", kwargs={"pk": entry.item.meeting_id}),
        "title": clean(f"Minute: {entry.item.title}"),
        "text": clean(html_to_text(entry.text), entry.resolution),
    }


def _decision(decision: Decision) -> dict:
    return {
        **_meeting_fields(decision.item.meeting),
        "url": reverse("meetings:minutes", kwargs={"pk": decision.item.meeting_id}),
        "title": clean(f"Decision: {decision.item.title}"),
        "summary": clean(decision.text),
    }


def _action(action: Action) -> dict:
    return {
        **_meeting_fields(action.meeting),
        "url": reverse("meetings:minutes", kwargs={"pk": action.meeting_id}),
        "title": clean(f"Action: {action.description[:80]}"),
        "summary": clean(action.description),
    }


def _report(report: AnnualReport) -> dict:
    lines = sorted(report.lines.all(), key=lambda line: line.order)
    return {
        "body_id": report.body_id,
        "date": report.period_ends_on,
        "url": report.get_absolute_url(),
        "title": clean(str(report)),
        "summary": clean(report.summary),
        "text": clean(
            report.achievements,
            report.gaps,
            report.next_priorities,
            *(f"{line.title}\n{line.narrative}" for line in lines),
        ),
    }


BUILDERS = {
    Kind.BODY: (lambda: Body.objects.select_related("partnership"), _body),
    Kind.TERMS: (
        lambda: TermsOfReference.objects.select_related("body").prefetch_related("sections"),
        _terms,
    ),
    Kind.PERSON: (lambda: Person.objects.all(), _person),
    Kind.ITEM: (lambda: AgendaItem.objects.select_related("meeting"), _item),
    Kind.PAPER: (lambda: Paper.objects.select_related("item__meeting"), _paper),
    Kind.MINUTE: (lambda: MinuteEntry.objects.select_related("item__meeting"), _minute),
    Kind.DECISION: (lambda: Decision.objects.select_related("item__meeting"), _decision),
    Kind.ACTION: (lambda: Action.objects.select_related("meeting"), _action),
    Kind.REPORT: (
        lambda: AnnualReport.objects.select_related("body").prefetch_related("lines"),
        _report,
    ),
}
KIND_OF_MODEL = {
    Body: Kind.BODY,
    TermsOfReference: Kind.TERMS,
    Person: Kind.PERSON,
    AgendaItem: Kind.ITEM,
    Paper: Kind.PAPER,
    MinuteEntry: Kind.MINUTE,
    Decision: Kind.DECISION,
    Action: Kind.ACTION,
    AnnualReport: Kind.REPORT,
}


def _document(kind: str, obj) -> SearchDocument:
    fields = {"body_id": None, "meeting_id": None, "date": None, "summary": "", "text": ""}
    fields |= {"attachment_text": ""} | BUILDERS[kind][1](obj)
    fields["title"] = fields["title"][:500] or "Untitled"
    return SearchDocument(kind=kind, object_id=obj.pk, **fields)


# The index's interface ----------------------------------------------------------------------


def index(kind: str, pk: int) -> None:
    """Bring one thing's document up to date, or drop it if the thing has gone."""
    queryset, _ = BUILDERS[kind]
    obj = queryset().filter(pk=pk).first()
    if obj is None:
        SearchDocument.objects.filter(kind=kind, object_id=pk).delete()
        return
    document = _document(kind, obj)
    SearchDocument.objects.update_or_create(
        kind=kind,
        object_id=pk,
        defaults={
            field: getattr(document, field)
            for field in (
                "body_id",
                "meeting_id",
                "date",
                "url",
                "title",
                "summary",
                "text",
                "attachment_text",
            )
        },
    )


def index_object(obj) -> None:
    index(KIND_OF_MODEL[type(obj)], obj.pk)


def remove(obj) -> None:
    SearchDocument.objects.filter(kind=KIND_OF_MODEL[type(obj)], object_id=obj.pk).delete()


def move_meeting(meeting: Meeting) -> None:
    """A meeting's date or body changed: its items, papers, minutes and actions follow it."""
    SearchDocument.objects.filter(meeting_id=meeting.pk).update(**_meeting_fields(meeting))


def rebuild(*, kinds=None, batch_size: int = 2000) -> int:
    """Rebuild the whole index (or some kinds of it) from the database; returns the row count."""
    count = 0
    for kind in kinds or Kind.values:
        queryset, _ = BUILDERS[kind]
        with transaction.atomic():
            SearchDocument.objects.filter(kind=kind).delete()
            batch = []
            for obj in queryset().order_by("pk").iterator(chunk_size=batch_size):
                batch.append(_document(kind, obj))
                if len(batch) == batch_size:
                    count += len(SearchDocument.objects.bulk_create(batch))
                    batch = []
            count += len(SearchDocument.objects.bulk_create(batch))
    return count


# Signals ------------------------------------------------------------------------------------


def _later(task, *args) -> None:
    # After commit, and never inside the save: a failed index must not undo the change.
    transaction.on_commit(lambda: task(*args), robust=True)


def _index_item(pk: int) -> None:
    index(Kind.ITEM, pk)
    # Minutes and decisions carry the item's title.
    for entry_id in MinuteEntry.objects.filter(item_id=pk).values_list("pk", flat=True):
        index(Kind.MINUTE, entry_id)
    for decision_id in Decision.objects.filter(item_id=pk).values_list("pk", flat=True):
        index(Kind.DECISION, decision_id)


def on_save(sender, instance, **kwargs):
    if sender is Meeting:
        _later(move_meeting, instance)
    elif sender is ToRSection:
        _later(index, Kind.TERMS, instance.terms_id)
    elif sender is ReportLine:
        _later(index, Kind.REPORT, instance.report_id)
    elif sender is AgendaItem:
        _later(_index_item, instance.pk)
    else:
        _later(index, KIND_OF_MODEL[sender], instance.pk)


def on_delete(sender, instance, **kwargs):
    if sender is ToRSection:
        _later(index, Kind.TERMS, instance.terms_id)
    elif sender is ReportLine:
        _later(index, Kind.REPORT, instance.report_id)
    else:
        _later(index, KIND_OF_MODEL[sender], instance.pk)


def on_minute_entries_changed(sender, entry_ids, **kwargs):
    """Minute text written by a QuerySet update, which sends no post_save.

    The meetings app sends this once its transaction has committed, so the index is written now.
    """
    for pk in entry_ids:
        try:
            index(Kind.MINUTE, pk)
        except Exception:
            # As with _later: a failed index must not turn a saved minute into an error page.
            logger.exception("Could not index minute entry %s", pk)


WATCHED_MODELS = [*KIND_OF_MODEL, Meeting, ToRSection, ReportLine]


# Paper text ---------------------------------------------------------------------------------


def extract_text(paper: Paper) -> str:
    """The words of an uploaded paper, at most MOST_PAPER_CHARACTERS; empty if unreadable."""
    reader = {PDF: _pdf_text, DOCX: _docx_text, XLSX: _xlsx_text, ODT: _odt_text}.get(
        paper.content_type
    )
    if reader is None or not paper.file:
        return ""
    try:
        with paper.file.open("rb") as handle:
            return reader(handle)[:MOST_PAPER_CHARACTERS]
    except Exception:
        # A damaged file must not stop the paper being saved; it is still found by its title.
        logger.warning("Could not read the text of paper %s", paper.pk, exc_info=True)
        return ""


def _capped(pieces) -> str:
    collected, length = [], 0
    for piece in pieces:
        if piece:
            collected.append(piece)
            length += len(piece) + 1
            if length >= MOST_PAPER_CHARACTERS:
                break
    return "\n".join(collected)


def _pdf_text(handle) -> str:
    from pypdf import PdfReader

    return _capped(page.extract_text() for page in PdfReader(handle).pages)


def _docx_text(handle) -> str:
    import docx

    document = docx.Document(handle)

    def pieces():
        for paragraph in document.paragraphs:
            yield paragraph.text
        for table in document.tables:
            for row in table.rows:
                yield " ".join(cell.text for cell in row.cells)

    return _capped(pieces())


def _xlsx_text(handle) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(handle, read_only=True, data_only=True)

    def pieces():
        for sheet in workbook.worksheets:
            yield sheet.title
            for row in sheet.iter_rows(values_only=True):
                yield " ".join(str(value) for value in row if value is not None)

    try:
        return _capped(pieces())
    finally:
        workbook.close()


def _odt_text(handle) -> str:
    # Tags stripped rather than parsed: no XML entity expansion from an uploaded file.
    with zipfile.ZipFile(handle) as archive:
        content = archive.read("content.xml").decode("utf-8", errors="replace")
    content = re.sub(r"<text:(?:p|h)\b", "\n\\g<0>", content)
    return html.unescape(re.sub(r"<[^>]*>", " ", content))
