"""Structure charts drawn by hand as SVG: primary lines as a top-down tree, other lines dashed.

Pure Python, no Graphviz: see docs/decisions/0005-structure-chart-hand-laid-svg.md.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from xml.sax.saxutils import escape  # nosec B406  # escapes what we write; parses nothing

from .models import Body, BodyStatus, Organisation, Partnership, ReportingLine
from .structure import Structure, StructureDiff, line_key, line_target_key

BOX_WIDTH = 184
BOX_HEIGHT = 96
BOX_PADDING = 8
HORIZONTAL_GAP = 28
# Room between levels for line labels and the "New"/"Removed" tags that sit on a box's top edge.
VERTICAL_GAP = 76
ROW_GAP = 56
MARGIN = 24
# Unrelated trees wrap onto a new row past this width, so a partnership with many free-standing
# bodies stays readable instead of becoming one very long row.
MAX_ROW_WIDTH = 1400
LEGEND_ITEM_GAP = 28
# Narrower than a page's main column; the key of a small chart wraps onto a few rows within it.
MIN_WIDTH = 640

FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
NAME_SIZE = 14
NAME_LEADING = 17
SMALL_SIZE = 12
SMALL_LEADING = 15
MAX_NAME_LINES = 3

# GOV.UK Frontend palette; every text colour here has at least 4.5:1 contrast on its background.
INK = "#0b0c0c"
SECONDARY_INK = "#484949"
WHITE = "#ffffff"
OUTSIDE_FILL = "#f3f3f3"
OUTSIDE_BORDER = "#858686"
CHANGE_COLOURS = {
    # change: (stroke and tag colour, box fill, tag text)
    "added": ("#0f7a52", "#f3f8f6", "New"),
    "removed": ("#ca3535", "#fcf5f5", "Removed"),
    "changed": ("#1d70b8", "#f4f8fb", "Changed"),
}
DASHED = "6 4"
REMOVED_DASH = "3 3"
# Unchanged lines first, so new and removed ones are drawn over them.
DRAWING_ORDER = ["", "changed", "removed", "added"]
# Where along a line its label may go, tried in turn: the middle first.
LABEL_POSITIONS = [0.5, 0.35, 0.65, 0.25, 0.75, 0.15, 0.85]

KIND_RANK = {kind: rank for rank, kind in enumerate(Body.Kind.values)}
# Shadow and proposed bodies do not yet have full standing, hence the dashed border.
PROVISIONAL_STATUSES = frozenset({BodyStatus.SHADOW, BodyStatus.PROPOSED})

Key = tuple[str, int]


@dataclass(frozen=True)
class Chart:
    """A drawn chart: the SVG markup and its size in pixels."""

    svg: str
    width: int
    height: int


@dataclass
class _Node:
    """A box: a body, or a body or organisation outside the partnership that a line points to."""

    key: Key
    name: str
    kind: str
    note: str
    kind_value: str = ""
    outside: bool = False
    provisional: bool = False
    change: str = ""
    x: float = 0.0
    y: float = 0.0

    @property
    def order(self) -> tuple:
        """Siblings sort by seniority of kind (boards before groups), then by name."""
        return (KIND_RANK.get(self.kind_value, len(KIND_RANK)), self.name.lower(), self.key)

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + BOX_WIDTH / 2, self.y + BOX_HEIGHT / 2)


@dataclass(frozen=True)
class _Edge:
    """A reporting line between two boxes."""

    source: Key
    target: Key
    primary: bool
    label: str
    change: str = ""


@dataclass
class _Scene:
    """Everything to draw, and where the layout put it."""

    nodes: dict[Key, _Node] = field(default_factory=dict)
    edges: list[_Edge] = field(default_factory=list)
    # Set by the layout: the edge (by index) each node hangs from, and how far from the centre
    # of its parent's bottom edge that edge arrives, so sibling arrows do not pile up.
    hangs_from: dict[Key, int] = field(default_factory=dict)
    arrival: dict[Key, float] = field(default_factory=dict)


def render_structure(structure: Structure, *, standalone: bool = False) -> Chart:
    """Draw the structure on its date; `standalone` adds a heading for downloaded files."""
    scene = _structure_scene(structure)
    date = _long_date(structure.on)
    title = f"Structure of {structure.partnership.name} on {date}"
    if structure.bodies:
        description = (
            f"{_count(len(structure.bodies), 'body', 'bodies')} and "
            f"{_count(len(structure.lines), 'reporting line', 'reporting lines')}. "
            "Solid arrows are primary reporting lines; dashed arrows are other lines, labelled "
            "with their kind. The table of bodies gives the same information."
        )
    else:
        description = f"No bodies of {structure.partnership.name} existed on {date}."
    return _draw(scene, title, description, standalone=standalone, diff=False)


def render_diff(diff: StructureDiff, *, standalone: bool = False) -> Chart:
    """Draw the later structure with what was added, removed or changed since the earlier one."""
    added = {body.pk for body in diff.bodies_added}
    status_changes = {change.body.pk: change for change in diff.status_changes}
    scene = _Scene()
    for body in diff.after.bodies:
        node = _body_node(body)
        if body.pk in added:
            node.change = "added"
        elif body.pk in status_changes:
            node.change = "changed"
            was = BodyStatus(status_changes[body.pk].before).label.lower()
            node.note = f"{BodyStatus(body.status_on_date).label} (was {was})"
        scene.nodes[node.key] = node
    for body in diff.bodies_removed:
        node = _body_node(body)
        node.change = "removed"
        scene.nodes[node.key] = node
    _add_outside_targets(
        scene,
        [*diff.after.external_targets, *diff.before.external_targets],
        diff.after.partnership,
    )

    added_lines = {line_key(line) for line in diff.lines_added}
    changed_lines = {line_key(change.after) for change in diff.lines_changed}
    for line in diff.after.lines:
        key = line_key(line)
        change = "added" if key in added_lines else "changed" if key in changed_lines else ""
        scene.edges.append(_edge(line, change))
    scene.edges.extend(_edge(line, "removed") for line in diff.lines_removed)

    name = diff.after.partnership.name
    before, after = _long_date(diff.before.on), _long_date(diff.after.on)
    title = f"Changes to the structure of {name} between {before} and {after}"
    if diff.is_empty:
        description = "Nothing changed between these dates."
    else:
        description = (
            f"Bodies: {len(diff.bodies_added)} added, {len(diff.bodies_removed)} removed, "
            f"{len(diff.status_changes)} changed status. Reporting lines: "
            f"{len(diff.lines_added)} added, {len(diff.lines_removed)} removed, "
            f"{len(diff.lines_changed)} changed. New things are marked New in green, removed "
            "things Removed in red with dotted outlines, changed things Changed in blue. "
            "The lists of changes give the same information."
        )
    return _draw(scene, title, description, standalone=standalone, diff=True)


def reading_order(structure: Structure) -> list[Body]:
    """The structure's bodies in the chart's order: each tree top-down, depth first."""
    scene = _structure_scene(structure)
    roots, children, _ = _forest(scene)
    bodies = {_body_key(body): body for body in structure.bodies}
    ordered = []
    for root in roots:
        stack = [root]
        while stack:
            key = stack.pop()
            if key in bodies:
                ordered.append(bodies[key])
            stack.extend(reversed(children[key]))
    return ordered


def to_png(chart: Chart) -> bytes:
    """The chart as a PNG on white, at twice the size unless that would be enormous."""
    # Cap the bitmap at about 40 megapixels so a very wide structure cannot exhaust memory.
    scale = min(2.0, math.sqrt(40_000_000 / (chart.width * chart.height)))
    return _cairosvg().svg2png(
        bytestring=_document(chart).encode(), scale=scale, background_color=WHITE
    )


def to_pdf(chart: Chart) -> bytes:
    """The chart as a one-page PDF the size of the drawing."""
    return _cairosvg().svg2pdf(bytestring=_document(chart).encode())


def to_svg_file(chart: Chart) -> bytes:
    """The chart as a standalone SVG file."""
    return _document(chart).encode()


class ConversionUnavailable(Exception):
    """PNG and PDF cannot be made here: the system's Cairo library is missing."""


def _cairosvg():
    # Imported when first needed: CairoSVG loads libcairo on import, and without it only PNG and
    # PDF should stop working, not every page that imports this module.
    try:
        import cairosvg
    except OSError as error:
        raise ConversionUnavailable("Install the Cairo library (libcairo2)") from error
    return cairosvg


def _document(chart: Chart) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{chart.svg}'


# Building the scene


def _structure_scene(structure: Structure) -> _Scene:
    scene = _Scene()
    for body in structure.bodies:
        scene.nodes[_body_key(body)] = _body_node(body)
    _add_outside_targets(scene, structure.external_targets, structure.partnership)
    scene.edges.extend(_edge(line) for line in structure.lines)
    return scene


def _body_key(body: Body) -> Key:
    return ("body", body.pk)


def _body_node(body: Body) -> _Node:
    status = body.status_on_date
    note = "" if status == BodyStatus.ACTIVE else f"Status: {BodyStatus(status).label.lower()}"
    return _Node(
        key=_body_key(body),
        name=body.name,
        kind=body.get_kind_display(),
        kind_value=body.kind,
        note=note,
        provisional=status in PROVISIONAL_STATUSES,
    )


def outside_note(target: Body | Organisation, partnership: Partnership) -> str:
    """Why a line's target is not among the structure's bodies."""
    if isinstance(target, Body) and target.partnership_id == partnership.pk:
        # A line left open after the body it points to was disbanded or replaced.
        return "Not active on this date"
    return "Outside the partnership"


def _add_outside_targets(scene: _Scene, targets, partnership: Partnership) -> None:
    for target in targets:
        kind = "organisation" if isinstance(target, Organisation) else "body"
        key = (kind, target.pk)
        if key not in scene.nodes:
            scene.nodes[key] = _Node(
                key=key,
                name=target.name,
                kind=target.get_kind_display(),
                note=outside_note(target, partnership),
                outside=True,
            )


def _edge(line: ReportingLine, change: str = "") -> _Edge:
    kind = line.get_kind_display().lower()
    prefix = CHANGE_COLOURS[change][2] if change else ""
    # A primary line is usually "reports to", which the legend already says; label only the rest.
    shown = "" if line.is_primary and line.kind == ReportingLine.Kind.REPORTS_TO else kind
    label = f"{prefix}: {shown}" if prefix and shown else prefix or shown
    return _Edge(
        source=_body_key(line.from_body),
        target=line_target_key(line),
        primary=line.is_primary,
        label=label,
        change=change,
    )


# Layout


def _forest(scene: _Scene) -> tuple[list[Key], dict[Key, list[Key]], dict[Key, int]]:
    """Roots and children of the drawing's forest, and the edge each node hangs from.

    A body hangs from its primary line; one with none hangs from another of its lines, so an
    advisory group sits beside what it advises rather than off on its own. In a diff a removed
    line is used only when nothing else is, which keeps a removed body near its old place.
    """
    hangs_from: dict[Key, int] = {}
    preference = sorted(
        range(len(scene.edges)),
        key=lambda index: (scene.edges[index].change == "removed", not scene.edges[index].primary),
    )
    for index in preference:
        edge = scene.edges[index]
        if edge.source not in hangs_from and edge.target in scene.nodes:
            hangs_from[edge.source] = index
    parent = {key: scene.edges[index].target for key, index in hangs_from.items()}
    order = sorted(scene.nodes, key=lambda key: scene.nodes[key].order)

    def children_of() -> dict[Key, list[Key]]:
        children = defaultdict(list)
        for key in order:
            if key in parent:
                children[parent[key]].append(key)
        return children

    children = children_of()
    reached = set()

    def reach(root: Key) -> None:
        stack = [root]
        while stack:
            key = stack.pop()
            if key not in reached:
                reached.add(key)
                stack.extend(children[key])

    for key in order:
        if key not in parent:
            reach(key)
    # Primary lines never loop (rule R-STR-1) unless the data is bad, but two bodies that only
    # advise each other do; cutting a loop at its first body places every box.
    for key in order:
        if key not in reached:
            del parent[key], hangs_from[key]
            reach(key)
    children = children_of()

    def size(key: Key) -> int:
        total, stack = 0, [key]
        while stack:
            total += 1
            stack.extend(children[stack.pop()])
        return total

    roots = [key for key in order if key not in parent]
    # Outside bodies first (they sit at the top of the partnership), then the biggest trees.
    roots.sort(key=lambda key: (not scene.nodes[key].outside, -size(key), scene.nodes[key].order))
    return roots, children, hangs_from


def _layout(scene: _Scene, top: float) -> tuple[float, float]:
    """Place every node; return the right and bottom edges of the drawing."""
    roots, children, scene.hangs_from = _forest(scene)
    level_height = BOX_HEIGHT + VERTICAL_GAP

    def place(key: Key, left: float, depth: int, members: list[Key]) -> tuple[float, int]:
        node = scene.nodes[key]
        node.y = depth * level_height
        members.append(key)
        kids = children[key]
        if not kids:
            node.x = left
            return left + BOX_WIDTH, depth
        cursor, deepest = left, depth
        for kid in kids:
            right, kid_depth = place(kid, cursor, depth + 1, members)
            cursor, deepest = right + HORIZONTAL_GAP, max(deepest, kid_depth)
        first, last = scene.nodes[kids[0]], scene.nodes[kids[-1]]
        node.x = (first.x + last.x) / 2
        step = min(24, (BOX_WIDTH - 48) / max(1, len(kids) - 1))
        for index, kid in enumerate(kids):
            scene.arrival[kid] = (index - (len(kids) - 1) / 2) * step
        return cursor - HORIZONTAL_GAP, deepest

    cursor, row_top, row_bottom, right_edge = MARGIN, top, top, MARGIN
    for root in roots:
        members: list[Key] = []
        width, depth = place(root, 0, 0, members)
        # Bodies outside the partnership stay on the top row, above everything that reports out.
        outside = scene.nodes[root].outside
        if cursor > MARGIN and cursor + width > MAX_ROW_WIDTH and not outside:
            cursor, row_top = MARGIN, row_bottom + ROW_GAP
        for key in members:
            scene.nodes[key].x += cursor
            scene.nodes[key].y += row_top
        cursor += width + HORIZONTAL_GAP
        right_edge = max(right_edge, cursor - HORIZONTAL_GAP)
        row_bottom = max(row_bottom, row_top + depth * level_height + BOX_HEIGHT)
    return right_edge, row_bottom


# Drawing


def _draw(scene: _Scene, title: str, description: str, *, standalone: bool, diff: bool) -> Chart:
    heading_height = 40 if standalone else 0
    # The tags on the top row of boxes stick up above them.
    top = MARGIN + heading_height + 16
    right, bottom = _layout(scene, top)
    if not scene.nodes:
        bottom = top + 24
    legend_top = bottom + 40
    # The key wraps to the width of the drawing (or of a narrow page) rather than widen it.
    width = math.ceil(max(right + MARGIN, MIN_WIDTH))
    legend, legend_height = _draw_legend(_legend_items(diff), legend_top, width - 2 * MARGIN)
    height = math.ceil(legend_top + legend_height + MARGIN)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="structure-chart-title" aria-describedby="structure-chart-desc" '
        f'font-family="{_text(FONT_FAMILY)}">',
        f'<title id="structure-chart-title">{_text(title)}</title>',
        f'<desc id="structure-chart-desc">{_text(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="{WHITE}"/>',
    ]
    if standalone:
        parts.append(
            f'<text x="{MARGIN}" y="{MARGIN + 20}" font-size="20" font-weight="bold" '
            f'fill="{INK}">{_text(title)}</text>'
        )
    if not scene.nodes:
        parts.append(
            f'<text x="{MARGIN}" y="{top + 16}" font-size="{NAME_SIZE}" fill="{INK}">'
            "No bodies to show.</text>"
        )
    # Labels go where they overlap no box and no other label, if there is such a place.
    occupied = [(node.x, node.y - 14, BOX_WIDTH, BOX_HEIGHT + 14) for node in scene.nodes.values()]
    labels = []
    for index in sorted(
        range(len(scene.edges)), key=lambda index: DRAWING_ORDER.index(scene.edges[index].change)
    ):
        edge = scene.edges[index]
        if edge.source in scene.nodes and edge.target in scene.nodes:
            markup, label = _draw_edge(scene, index, occupied)
            parts.append(markup)
            labels.append(label)
    for node in sorted(scene.nodes.values(), key=lambda node: node.order):
        parts.append(_draw_node(node))
    parts.extend(label for label in labels if label)
    parts.append(legend)
    parts.append("</svg>")
    return Chart("\n".join(parts), width, height)


def _draw_node(node: _Node) -> str:
    if node.change:
        stroke, fill, tag = CHANGE_COLOURS[node.change]
        stroke_width = 2.5
    else:
        stroke, fill, tag = INK, WHITE, ""
        stroke_width = 1.5
    if node.outside:
        fill = OUTSIDE_FILL
        if not node.change:
            stroke = OUTSIDE_BORDER
    dash = ""
    if node.change == "removed":
        dash = f' stroke-dasharray="{REMOVED_DASH}"'
    elif node.provisional:
        dash = f' stroke-dasharray="{DASHED}"'

    inner = BOX_WIDTH - 2 * BOX_PADDING
    name_lines = _wrap(node.name, inner, NAME_SIZE, bold=True, max_lines=MAX_NAME_LINES)
    small_lines = [_fit(text, inner, SMALL_SIZE) for text in (node.kind, node.note) if text]
    block = len(name_lines) * NAME_LEADING + len(small_lines) * SMALL_LEADING
    baseline = node.y + (BOX_HEIGHT - block) / 2 + NAME_SIZE - 1
    centre_x = node.x + BOX_WIDTH / 2
    text_colour = SECONDARY_INK if node.change == "removed" else INK

    parts = [
        "<g>",
        f"<title>{_text(node.name)}</title>",
        f'<rect x="{_n(node.x)}" y="{_n(node.y)}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" '
        f'rx="4" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"{dash}/>',
    ]
    for line in name_lines:
        parts.append(
            f'<text x="{_n(centre_x)}" y="{_n(baseline)}" text-anchor="middle" '
            f'font-size="{NAME_SIZE}" font-weight="bold" fill="{text_colour}">{_text(line)}</text>'
        )
        baseline += NAME_LEADING
    baseline += SMALL_LEADING - NAME_LEADING + 2
    for line in small_lines:
        parts.append(
            f'<text x="{_n(centre_x)}" y="{_n(baseline)}" text-anchor="middle" '
            f'font-size="{SMALL_SIZE}" fill="{SECONDARY_INK}">{_text(line)}</text>'
        )
        baseline += SMALL_LEADING
    if tag:
        parts.append(_tag(tag, stroke, node.x + BOX_WIDTH - 8, node.y))
    parts.append("</g>")
    return "\n".join(parts)


def _tag(text: str, colour: str, right: float, box_top: float) -> str:
    """A label such as "New" straddling the top edge of a box, clear of its name."""
    width = _text_width(text, SMALL_SIZE, bold=True) + 12
    return (
        f'<rect x="{_n(right - width)}" y="{_n(box_top - 14)}" width="{_n(width)}" height="20" '
        f'fill="{colour}"/>'
        f'<text x="{_n(right - width / 2)}" y="{_n(box_top)}" text-anchor="middle" '
        f'font-size="{SMALL_SIZE}" font-weight="bold" fill="{WHITE}">{_text(text)}</text>'
    )


def _draw_edge(scene: _Scene, index: int, occupied: list[tuple]) -> tuple[str, str]:
    """The line with its arrowhead, and its label (drawn later, above the boxes)."""
    edge = scene.edges[index]
    source, target = scene.nodes[edge.source], scene.nodes[edge.target]
    colour = CHANGE_COLOURS[edge.change][0] if edge.change else INK
    width = 2.5 if edge.change else 1.5
    if edge.change == "removed":
        dash = f' stroke-dasharray="{REMOVED_DASH}"'
    elif not edge.primary:
        dash = f' stroke-dasharray="{DASHED}"'
    else:
        dash = ""
    stroke = f'fill="none" stroke="{colour}" stroke-width="{width}"{dash}'

    (sx, sy), (tx, ty) = source.centre, target.centre
    if scene.hangs_from.get(edge.source) == index:
        # The edge the child hangs from: from its top straight up to the bottom of its parent.
        start = (sx, source.y)
        end = (tx + scene.arrival.get(edge.source, 0), target.y + BOX_HEIGHT)
        control = None
    elif abs(sy - ty) < 1:
        # Side by side: bow under the row rather than run through the boxes between them.
        start, end = (sx, source.y + BOX_HEIGHT), (tx, target.y + BOX_HEIGHT)
        control = ((sx + tx) / 2, source.y + BOX_HEIGHT + min(60, 24 + abs(sx - tx) / 8))
    else:
        start, end = _border_point(source, (tx, ty)), _border_point(target, (sx, sy))
        control = None

    if control:
        path = (
            f'<path d="M{_n(start[0])},{_n(start[1])} Q{_n(control[0])},{_n(control[1])} '
            f'{_n(end[0])},{_n(end[1])}" {stroke}/>'
        )
        markup = path + _arrowhead(control, end, colour)

        def point_at(t: float) -> tuple[float, float]:
            return tuple(
                (1 - t) ** 2 * a + 2 * (1 - t) * t * c + t**2 * b
                for a, c, b in zip(start, control, end, strict=True)
            )
    else:
        path = f'<path d="M{_n(start[0])},{_n(start[1])} L{_n(end[0])},{_n(end[1])}" {stroke}/>'
        markup = path + _arrowhead(start, end, colour)

        def point_at(t: float) -> tuple[float, float]:
            return tuple(a + (b - a) * t for a, b in zip(start, end, strict=True))

    if not edge.label:
        return markup, ""
    label_width = _text_width(edge.label, SMALL_SIZE) + 10
    candidates = [point_at(t) for t in LABEL_POSITIONS]
    at = next(
        (
            point
            for point in candidates
            if not any(
                _overlaps((point[0] - label_width / 2, point[1] - 9, label_width, 18), other)
                for other in occupied
            )
        ),
        candidates[0],
    )
    occupied.append((at[0] - label_width / 2, at[1] - 9, label_width, 18))
    return markup, _line_label(edge.label, at, label_width, colour)


def _overlaps(a: tuple, b: tuple) -> bool:
    """Whether two (x, y, width, height) rectangles overlap."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _border_point(node: _Node, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from the box's centre towards a point leaves the box."""
    cx, cy = node.centre
    dx, dy = towards[0] - cx, towards[1] - cy
    scales = []
    if dx:
        scales.append((BOX_WIDTH / 2) / abs(dx))
    if dy:
        scales.append((BOX_HEIGHT / 2) / abs(dy))
    scale = min(scales) if scales else 0
    return (cx + dx * scale, cy + dy * scale)


def _arrowhead(start: tuple[float, float], tip: tuple[float, float], colour: str) -> str:
    dx, dy = tip[0] - start[0], tip[1] - start[1]
    length = math.hypot(dx, dy) or 1
    ux, uy = dx / length, dy / length
    back_x, back_y = tip[0] - 10 * ux, tip[1] - 10 * uy
    points = [
        (tip[0], tip[1]),
        (back_x - 5 * uy, back_y + 5 * ux),
        (back_x + 5 * uy, back_y - 5 * ux),
    ]
    return f'<polygon points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}" fill="{colour}"/>'


def _line_label(text: str, at: tuple[float, float], width: float, colour: str) -> str:
    return (
        f'<rect x="{_n(at[0] - width / 2)}" y="{_n(at[1] - 9)}" width="{_n(width)}" height="18" '
        f'fill="{WHITE}" stroke="{colour}" stroke-width="1"/>'
        f'<text x="{_n(at[0])}" y="{_n(at[1] + 4)}" text-anchor="middle" '
        f'font-size="{SMALL_SIZE}" fill="{colour}">{_text(text)}</text>'
    )


def _legend_items(diff: bool) -> list[tuple[str, str, float]]:
    """(kind, text, width) of each entry in the key."""
    texts = [
        ("primary", "Primary line (reports to)"),
        ("other", "Other line, labelled with its kind"),
        ("provisional", "Shadow or proposed body"),
        ("outside", "Outside the partnership"),
    ]
    if diff:
        texts += [("added", "New"), ("removed", "Removed"), ("changed", "Changed")]
    return [(kind, text, 44 + _text_width(text, SMALL_SIZE)) for kind, text in texts]


def _draw_legend(
    items: list[tuple[str, str, float]], top: float, width: float
) -> tuple[str, float]:
    """The key, wrapped to the width, and its height."""
    parts = [
        f'<text x="{MARGIN}" y="{_n(top)}" font-size="{SMALL_SIZE}" font-weight="bold" '
        f'fill="{INK}">Key</text>'
    ]
    x, y = MARGIN, top + 22
    for kind, text, item_width in items:
        if x > MARGIN and x + item_width > MARGIN + width:
            x, y = MARGIN, y + 26
        if kind in {"primary", "other"}:
            dash = "" if kind == "primary" else f' stroke-dasharray="{DASHED}"'
            parts.append(
                f'<path d="M{_n(x)},{_n(y)} L{_n(x + 28)},{_n(y)}" stroke="{INK}" '
                f'stroke-width="1.5"{dash}/>' + _arrowhead((x, y), (x + 34, y), INK)
            )
        else:
            stroke, fill, dash = INK, WHITE, ""
            if kind == "provisional":
                dash = f' stroke-dasharray="{DASHED}"'
            elif kind == "outside":
                stroke, fill = OUTSIDE_BORDER, OUTSIDE_FILL
            elif kind in CHANGE_COLOURS:
                stroke, fill, _ = CHANGE_COLOURS[kind]
                if kind == "removed":
                    dash = f' stroke-dasharray="{REMOVED_DASH}"'
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y - 8)}" width="34" height="16" rx="2" fill="{fill}" '
                f'stroke="{stroke}" stroke-width="2"{dash}/>'
            )
        parts.append(
            f'<text x="{_n(x + 44)}" y="{_n(y + 4)}" font-size="{SMALL_SIZE}" '
            f'fill="{INK}">{_text(text)}</text>'
        )
        x += item_width + LEGEND_ITEM_GAP
    return "\n".join(parts), y + 12 - top


# Text


def _text(value: str) -> str:
    """Escape text for use in SVG content or a double-quoted attribute."""
    return escape(str(value), {'"': "&quot;"})


# Approximate Arial advance widths in ems; no font is loaded on the server to measure with.
_NARROW = dict.fromkeys("ijl'|", 0.22) | dict.fromkeys("ftI.,:;!() -[]/", 0.3) | {"r": 0.34}
_WIDE = dict.fromkeys("mwMW@", 0.86) | dict.fromkeys("ABCDEGHKNOQRUVXY&%", 0.72)


def _text_width(text: str, size: float, *, bold: bool = False) -> float:
    ems = sum(
        _NARROW.get(char) or _WIDE.get(char) or (0.62 if char.isupper() else 0.56) for char in text
    )
    return ems * size * (1.1 if bold else 1.0)


def _wrap(text: str, width: float, size: float, *, bold: bool, max_lines: int) -> list[str]:
    """Break text into lines that fit the width, ending with an ellipsis if it runs over."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        # A single word wider than the box is split where it overflows.
        while _text_width(current, size, bold=bold) > width and len(current) > 1:
            cut = len(current)
            while cut > 1 and _text_width(current[:cut], size, bold=bold) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _fit(" ".join(lines[max_lines - 1 :]), width, size, bold)]
    return lines or [""]


def _fit(text: str, width: float, size: float, bold: bool = False) -> str:
    """The text, shortened (at a word if it can be) with an ellipsis if it is too wide."""
    if _text_width(text, size, bold=bold) <= width:
        return text
    words = text.split()
    while len(words) > 1 and _text_width(" ".join(words) + "…", size, bold=bold) > width:
        words.pop()
    text = " ".join(words)
    while text and _text_width(text + "…", size, bold=bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _n(value: float) -> str:
    """A coordinate, to one decimal place and without a trailing .0, for stable output."""
    return f"{value:.1f}".removesuffix(".0")


def _long_date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"
