"""Horizontal bar charts drawn by hand as SVG, each shown beside a table with the same numbers.

Like the structure chart (partnerships/chart.py): attributes rather than style=, so the strict
content security policy allows them; role="img" with a <title> and <desc> for screen readers.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr  # nosec B406  # escapes output; parses nothing

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 72
ROW_HEIGHT = 28
BAR_HEIGHT = 18
MARGIN = 8
MAX_LABEL_CHARS = 32

FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
FONT_SIZE = 13
# GOV.UK Frontend palette.
INK = "#0b0c0c"
AXIS = "#858686"
BLUE = "#1d70b8"
RAG_COLOURS = {"red": "#ca3535", "amber": "#f47738", "green": "#0f7a52"}


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its length as a number, the figure printed at its end and its colour."""

    label: str
    value: float
    shown: str
    colour: str = BLUE


def bar_chart(
    bars: list[Bar], *, chart_id: str, title: str, description: str, maximum: float | None = None
) -> SafeString:
    """An inline SVG with one bar a row, the longest (or `maximum`) filling the width."""
    height = MARGIN * 2 + ROW_HEIGHT * max(len(bars), 1)
    scale_to = maximum or max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH - MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-bar-chart" role="img"'
        f' viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' font-family={quoteattr(FONT_FAMILY)} font-size="{FONT_SIZE}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for row, bar in enumerate(bars):
        top = MARGIN + row * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        length = max(room * min(bar.value, scale_to) / scale_to, 0)
        label = bar.label
        if len(label) > MAX_LABEL_CHARS:
            label = label[: MAX_LABEL_CHARS - 1].rstrip() + "…"
        parts += [
            f'<text x="{LABEL_WIDTH - MARGIN}" y="{middle:.1f}" text-anchor="end"'
            f' dominant-baseline="middle" fill="{INK}">{escape(label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{middle - BAR_HEIGHT / 2:.1f}" width="{length:.1f}"'
            f' height="{BAR_HEIGHT}" fill="{escape(bar.colour)}"/>',
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle:.1f}"'
            f' dominant-baseline="middle" fill="{INK}">{escape(bar.shown)}</text>',
        ]
    parts += [
        f'<line x1="{LABEL_WIDTH}" y1="{MARGIN}" x2="{LABEL_WIDTH}" y2="{height - MARGIN}"'
        f' stroke="{AXIS}" stroke-width="1"/>',
        "</svg>",
    ]
    # Every piece of text above is escaped.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308  # every text escaped
