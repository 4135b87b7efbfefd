"""A report as a council report: PDF (WeasyPrint, as the agenda pack) and Word (python-docx).

Both formats are drawn from one `ExportedReport`, read once, so they say the same thing: a front
sheet (where and when it is considered, author, purpose, recommendation), the summary and
achievements, progress per priority or work area, indicators, gaps, escalations, next year's
priorities and, for a roll-up, the combined RAG summary and the reports it compiles. Who may
export a report is decided by the caller through `AnnualReport.objects.visible_to`.
"""

import io
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from .models import RAG, AnnualReport, Escalation, Indicator, ReportLine
from .services import RollUpSummary, roll_up_summary

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
NOT_YET_CONSIDERED = "Not yet considered"
PURPOSE = "For noting/endorsement"
PROGRESS_HEADINGS = ["Priority or work area", "RAG", "Direction of travel", "Progress"]
INDICATOR_HEADINGS = ["Indicator", "Baseline", "Latest", "Target", "Trend", "RAG"]
ESCALATION_HEADINGS = ["Issue", "What we ask"]
SUMMARY_HEADINGS = ["Work area", "Red", "Amber", "Green", "Not rated", "Total"]
COMPILED_HEADINGS = ["Body", "Report", "Status"]
RAG_LABELS = dict(RAG.choices)


@dataclass
class ExportedReport:
    """Everything a report's export shows, read once."""

    report: AnnualReport
    lines: list[ReportLine]
    indicators: list[Indicator]
    escalations: list[Escalation]
    compiled: list[AnnualReport] = field(default_factory=list)
    summary: RollUpSummary | None = None

    @property
    def title(self) -> str:
        report = self.report
        return report.title or (
            f"{report.body.name}: {report.get_kind_display().lower()} {report.period_label}"
        )

    @property
    def considered(self) -> str:
        item = self.report.considered_at
        if item is None:
            return NOT_YET_CONSIDERED
        meeting = item.meeting
        return f"{meeting.body.name}, {meeting.starts_at:%-d %B %Y}, item {item.number}"

    @property
    def author(self) -> str:
        user = self.report.submitted_by
        if user is not None:
            person = getattr(user, "person", None)
            name = person.full_name if person else user.get_full_name() or user.get_username()
            return f"{name}, for {self.report.body.name}"
        return self.report.body.name

    @property
    def recommendation(self) -> str:
        report = self.report
        return (
            f"The {report.receiving_body.name} is asked to note the progress reported by the "
            f"{report.body.name} for {report.period_label} and to endorse its priorities for "
            "next year."
        )

    @property
    def front_sheet(self) -> list[tuple[str, str]]:
        report = self.report
        return [
            ("To", report.receiving_body.name),
            ("From", report.body.name),
            ("Period", report.period_label),
            ("Meeting and item", self.considered),
            ("Author", self.author),
            ("Purpose", PURPOSE),
            ("Status", report.get_status_display()),
            ("Recommendation", self.recommendation),
        ]

    @property
    def progress_rows(self) -> list[list[str]]:
        return [
            [
                line.title,
                line.get_rag_display() or "Not rated",
                line.get_direction_display() or "",
                line.narrative,
            ]
            for line in self.lines
        ]

    @property
    def indicator_rows(self) -> list[list[str]]:
        def number(value, unit):
            if value is None:
                return ""
            text = f"{value.normalize():f}"
            return f"{text}{unit}" if unit == "%" else f"{text} {unit}".strip()

        return [
            [
                indicator.name,
                number(indicator.baseline, indicator.unit),
                number(indicator.value, indicator.unit),
                number(indicator.target, indicator.unit),
                indicator.get_trend_display() or "",
                indicator.get_rag_display() or "",
            ]
            for indicator in self.indicators
        ]

    @property
    def escalation_rows(self) -> list[list[str]]:
        return [[escalation.issue, escalation.ask] for escalation in self.escalations]

    @property
    def summary_rows(self) -> list[list[str]]:
        if self.summary is None:
            return []
        return [
            [
                row.title,
                *(str(n) for n in (row.red, row.amber, row.green, row.not_rated, row.total)),
            ]
            for row in self.summary.rows
        ]

    @property
    def compiled_rows(self) -> list[list[str]]:
        return [
            [report.body.name, str(report), report.get_status_display()] for report in self.compiled
        ]

    @property
    def sections(self) -> list[tuple[str, str]]:
        """The report's free-text sections, in the order a council report takes."""
        report = self.report
        return [
            ("Summary", report.summary),
            ("Key achievements", report.achievements),
        ]


def exported(report: AnnualReport) -> ExportedReport:
    """The report's content for export; `report` should come with its bodies, submitter and
    considering item selected."""
    compiled = list(report.compiles.select_related("body").order_by("body__name"))
    return ExportedReport(
        report=report,
        lines=list(report.lines.select_related("priority", "work_area")),
        indicators=list(report.indicators.all()),
        escalations=list(report.escalations.all()),
        compiled=compiled,
        summary=roll_up_summary(report) if compiled else None,
    )


def filename(report: AnnualReport, fmt: str) -> str:
    """Like cambridgeshire-area-partnership-1-annual-report-2015-16.pdf."""
    kind = "annual-report" if report.kind == AnnualReport.Kind.ANNUAL else "quarterly-report"
    period = re.sub(r"[^0-9a-z]+", "-", report.period_label.lower()).strip("-")
    return f"{report.body.slug}-{kind}-{period}.{fmt}"


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]


# PDF


def render_pdf(document: ExportedReport) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "document": document,
            "report": document.report,
            "sections": [(title, paragraphs(text)) for title, text in document.sections],
            "gaps": paragraphs(document.report.gaps),
            "next_priorities": paragraphs(document.report.next_priorities),
            "progress_headings": PROGRESS_HEADINGS,
            "indicator_headings": INDICATOR_HEADINGS,
            "escalation_headings": ESCALATION_HEADINGS,
            "summary_headings": SUMMARY_HEADINGS,
            "compiled_headings": COMPILED_HEADINGS,
        },
    )
    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")


# Word


def render_docx(document: ExportedReport) -> bytes:
    from docx import Document
    from docx.shared import Pt

    report = document.report
    word = Document()
    word.core_properties.title = document.title
    word.core_properties.author = report.body.name
    word.styles["Normal"].font.name = "Arial"
    word.styles["Normal"].font.size = Pt(11)

    word.add_heading(document.title, level=0)
    _table(word, ["", ""], [list(row) for row in document.front_sheet], header=False)

    for title, text in document.sections:
        _text_section(word, title, text)
    _table_section(
        word,
        "Progress against priorities and work areas",
        PROGRESS_HEADINGS,
        document.progress_rows,
        "No lines reported.",
    )
    if document.summary is not None:
        _table_section(
            word,
            "Combined RAG summary of the reports compiled",
            SUMMARY_HEADINGS,
            document.summary_rows,
            "No lines in the reports compiled.",
        )
    _table_section(
        word,
        "Outcomes and indicators",
        INDICATOR_HEADINGS,
        document.indicator_rows,
        "No indicators reported.",
    )
    _text_section(word, "Gaps", report.gaps)
    _table_section(
        word,
        "Issues escalated",
        ESCALATION_HEADINGS,
        document.escalation_rows,
        "No issues escalated.",
    )
    _text_section(word, "Priorities for next year", report.next_priorities)
    if document.compiled:
        _table_section(word, "Reports compiled", COMPILED_HEADINGS, document.compiled_rows, "")

    output = io.BytesIO()
    word.save(output)
    return output.getvalue()


def _text_section(word, title: str, text: str) -> None:
    word.add_heading(title, level=1)
    parts = paragraphs(text)
    for part in parts or ["None recorded."]:
        lines = part.splitlines()
        if all(line.lstrip().startswith(("- ", "* ", "• ")) for line in lines):
            for line in lines:
                word.add_paragraph(line.lstrip()[2:].strip(), style="List Bullet")
        else:
            word.add_paragraph(part)


def _table_section(word, title, headings, rows, empty) -> None:
    word.add_heading(title, level=1)
    if rows:
        _table(word, headings, rows)
    elif empty:
        word.add_paragraph(empty)


def _table(word, headings, rows, header=True) -> None:
    table = word.add_table(rows=0, cols=len(headings))
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for cell, heading in zip(cells, headings, strict=True):
            cell.text = heading
            for run in cell.paragraphs[0].runs:
                run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
        if not header:
            for run in cells[0].paragraphs[0].runs:
                run.bold = True
