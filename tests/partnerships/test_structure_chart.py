import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from partnerships import chart
from partnerships.structure import compare, structure_on
from tests.factories import (
    BodyFactory,
    BodyStatusChangeFactory,
    OrganisationFactory,
    PartnershipFactory,
    ReportingLineFactory,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
JAN, APRIL, SEPT = datetime.date(2015, 1, 1), datetime.date(2015, 4, 1), datetime.date(2015, 9, 1)


@pytest.fixture
def trust():
    return PartnershipFactory(
        name="Cambridgeshire Children's Trust", slug="cambridgeshire-childrens-trust"
    )


@pytest.fixture
def reorganised(trust):
    """The 2015 reorganisation: the Board and its area partnerships give way to an Executive Group.

    Three area partnerships report to the Trust Board, and the Board to the Health and Wellbeing
    Board (a body of another partnership). On 1 April 2015 the Board is replaced by an Executive
    Group and every line moves to it.
    """
    hwb = BodyFactory(
        name="Cambridgeshire Health and Wellbeing Board",
        kind="health_and_wellbeing_board",
        partnership=PartnershipFactory(name="Cambridgeshire Health and Wellbeing"),
    )
    board = BodyFactory(name="Trust Board", partnership=trust)
    BodyStatusChangeFactory(body=board, status="replaced", effective_on=APRIL)
    executive = BodyFactory(
        name="Executive Group", kind="executive_group", partnership=trust, status_on=APRIL
    )
    ReportingLineFactory(from_body=board, to_body=hwb, ends_on=APRIL)
    ReportingLineFactory(from_body=executive, to_body=hwb, starts_on=APRIL)
    for area in ["East Cambridgeshire", "Fenland", "Huntingdonshire"]:
        partnership = BodyFactory(
            name=f"{area} Area Partnership", kind="area_partnership", partnership=trust
        )
        ReportingLineFactory(from_body=partnership, to_body=board, ends_on=APRIL)
        ReportingLineFactory(from_body=partnership, to_body=executive, starts_on=APRIL)
    return trust


def parse(svg: str) -> ET.Element:
    """The SVG as XML; fails the test if it is not well formed."""
    return ET.fromstring(svg)


def box(root: ET.Element, name: str) -> ET.Element:
    """The rectangle drawn for the node whose tooltip is `name`."""
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if title is not None and title.text == name:
            return group.find(f"{SVG}rect")
    raise AssertionError(f"No box for {name!r}")


def texts(root: ET.Element) -> list[str]:
    return [element.text for element in root.iter(f"{SVG}text")]


def sections(html: str) -> dict[str, list[str]]:
    """Each h2 on the page and the rows of the table after it, cells joined by " | "."""
    found = {}
    for heading, body in re.findall(r"<h2[^>]*>(.*?)</h2>(.*?)(?=<h2|</main>)", html, re.S):
        rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)[1:]
        found[heading.strip()] = [
            " | ".join(
                re.sub(r"<[^>]+>|\s+", " ", cell).strip()
                for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            )
            for row in rows
        ] or [re.sub(r"<[^>]+>|\s+", " ", body).strip()]
    return found


# Layout and drawing


def test_a_child_is_drawn_below_and_centred_under_its_parent(trust):
    board = BodyFactory(name="Trust Board", partnership=trust)
    group = BodyFactory(name="Executive Group", kind="executive_group", partnership=trust)
    ReportingLineFactory(from_body=group, to_body=board)

    root = parse(chart.render_structure(structure_on(trust, SEPT)).svg)

    parent, child = box(root, "Trust Board"), box(root, "Executive Group")
    assert float(child.get("y")) >= float(parent.get("y")) + chart.BOX_HEIGHT
    assert child.get("x") == parent.get("x")
    # The primary line is solid and runs from the top of the child to the bottom of the parent.
    solid = [path for path in root.iter(f"{SVG}path") if path.get("stroke-dasharray") is None]
    top_of_child = f"{float(child.get('y')):g}"
    bottom_of_parent = f"{float(parent.get('y')) + chart.BOX_HEIGHT:g}"
    assert any(
        re.fullmatch(rf"M[\d.]+,{top_of_child} L[\d.]+,{bottom_of_parent}", path.get("d"))
        for path in solid
    )


def test_secondary_lines_are_dashed_and_labelled_with_their_kind(trust):
    board = BodyFactory(name="Trust Board", partnership=trust)
    forum = BodyFactory(name="Parent Carer Forum", kind="advisory_body", partnership=trust)
    ReportingLineFactory(from_body=forum, to_body=board, kind="advises", is_primary=False)

    root = parse(chart.render_structure(structure_on(trust, SEPT)).svg)

    dashed = [path for path in root.iter(f"{SVG}path") if path.get("stroke-dasharray")]
    # One dashed line between the boxes, and the dashed sample in the key.
    assert len(dashed) == 2
    assert "advises" in texts(root)


def test_targets_outside_the_partnership_are_drawn_grey_and_named(trust):
    council = OrganisationFactory(name="Cambridgeshire County Council")
    board = BodyFactory(name="Trust Board", partnership=trust)
    ReportingLineFactory(from_body=board, to_body=None, to_organisation=council)

    root = parse(chart.render_structure(structure_on(trust, SEPT)).svg)

    council_box = box(root, "Cambridgeshire County Council")
    assert council_box.get("fill") == chart.OUTSIDE_FILL
    assert "Outside the partnership" in texts(root)
    assert float(box(root, "Trust Board").get("y")) > float(council_box.get("y"))


def test_shadow_bodies_have_a_dashed_border_and_say_so(trust):
    BodyFactory(name="Young People's Board", partnership=trust, status="shadow")

    root = parse(chart.render_structure(structure_on(trust, SEPT)).svg)

    assert box(root, "Young People's Board").get("stroke-dasharray") == chart.DASHED
    assert "Status: shadow" in texts(root)


def test_long_names_wrap_over_at_most_three_lines(trust):
    name = (
        "Joint Strategic Needs Assessment Steering and Commissioning Oversight Group for Children"
    )
    BodyFactory(name=name, partnership=trust)

    root = parse(chart.render_structure(structure_on(trust, SEPT)).svg)

    group = next(group for group in root.iter(f"{SVG}g") if group.findtext(f"{SVG}title") == name)
    lines = [text.text for text in group.iter(f"{SVG}text") if text.get("font-weight") == "bold"]
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert name.startswith(" ".join(lines).removesuffix("…"))


def test_text_is_escaped(trust):
    name = '<script>alert("x")</script> & "quotes"'
    BodyFactory(name=name, slug="script", partnership=trust)

    svg = chart.render_structure(structure_on(trust, SEPT)).svg

    assert "<script>" not in svg
    assert box(parse(svg), name) is not None


def test_drawing_is_the_same_every_time(reorganised):
    first = chart.render_diff(compare(reorganised, JAN, SEPT)).svg

    assert chart.render_diff(compare(reorganised, JAN, SEPT)).svg == first


def test_a_loop_of_primary_lines_still_draws(trust):
    # The services refuse loops (R-STR-1); the chart must still cope with data that has one.
    first = BodyFactory(name="First Group", partnership=trust)
    second = BodyFactory(name="Second Group", partnership=trust)
    ReportingLineFactory(from_body=first, to_body=second)
    ReportingLineFactory(from_body=second, to_body=first)

    root = parse(chart.render_structure(structure_on(trust, SEPT)).svg)

    assert box(root, "First Group") is not None
    assert box(root, "Second Group") is not None


def test_the_diff_marks_new_and_removed_bodies_and_lines(reorganised):
    root = parse(chart.render_diff(compare(reorganised, JAN, SEPT)).svg)

    assert box(root, "Executive Group").get("stroke") == chart.CHANGE_COLOURS["added"][0]
    assert box(root, "Trust Board").get("stroke") == chart.CHANGE_COLOURS["removed"][0]
    assert box(root, "Fenland Area Partnership").get("stroke") == chart.INK
    labels = texts(root)
    # Four lines each way (three area partnerships, plus the line to the HWB), the two body tags.
    assert labels.count("New") == 4 + 1 + 1  # and the key
    assert labels.count("Removed") == 4 + 1 + 1


# The chart page


def test_chart_page_shows_the_bodies_alive_on_the_date(client, reorganised):
    url = reverse("partnerships:structure-chart", kwargs={"slug": reorganised.slug})

    before = client.get(url, {"on": "2015-01-01"})
    after = client.get(url, {"on": "2015-09-01"})

    assert [row.body.name for row in before.context["rows"]] == [
        "Trust Board",
        "East Cambridgeshire Area Partnership",
        "Fenland Area Partnership",
        "Huntingdonshire Area Partnership",
    ]
    assert [row.body.name for row in after.context["rows"]] == [
        "Executive Group",
        "East Cambridgeshire Area Partnership",
        "Fenland Area Partnership",
        "Huntingdonshire Area Partnership",
    ]
    html = after.content.decode()
    assert "<title>Structure on 1 September 2015 – Cambridgeshire Children&#x27;s Trust" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "Trust Board" not in html
    assert (
        'Reports to <a class="govuk-link" href="/partnerships/bodies/'
        'cambridgeshire-health-and-wellbeing-board/">Cambridgeshire Health and Wellbeing Board</a>'
        " (outside the partnership)"
    ) in html
    assert 'href="/partnerships/cambridgeshire-childrens-trust/structure.png?on=2015-09-01"' in html


def test_chart_page_is_public(client, trust):
    response = client.get(reverse("partnerships:structure-chart", kwargs={"slug": trust.slug}))

    assert response.status_code == 200
    assert response.context["on"] == datetime.date.today()
    assert (
        "No bodies of Cambridgeshire Children&#x27;s Trust existed on" in response.content.decode()
    )


@pytest.mark.parametrize("value", ["2015-02-30", "yesterday", "99999-01-01"])
def test_a_bad_date_is_an_error_on_the_field_not_a_crash(client, trust, value):
    url = reverse("partnerships:structure-chart", kwargs={"slug": trust.slug})

    response = client.get(url, {"on": value})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Structure – Cambridgeshire Children&#x27;s Trust" in html
    assert '<li><a href="#id_on">Enter a real date, like 2015-09-01</a></li>' in html
    assert (
        '<p id="id_on-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Enter a real date, like 2015-09-01</p>'
    ) in html
    assert "<svg" not in html


def test_unknown_partnership_is_not_found(client):
    response = client.get(reverse("partnerships:structure-chart", kwargs={"slug": "nowhere"}))

    assert response.status_code == 404


# Downloads


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("svg", "image/svg+xml", b"<?xml"),
        ("png", "image/png", b"\x89PNG"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_downloads(client, reorganised, fmt, content_type, magic):
    url = reverse("partnerships:structure-download", kwargs={"slug": reorganised.slug, "fmt": fmt})

    response = client.get(url, {"on": "2015-09-01"})

    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="cambridgeshire-childrens-trust-structure-2015-09-01.{fmt}"'
    )
    assert response.content.startswith(magic)


def test_downloaded_svg_has_a_heading_and_is_well_formed(client, reorganised):
    url = reverse(
        "partnerships:structure-download", kwargs={"slug": reorganised.slug, "fmt": "svg"}
    )

    root = parse(client.get(url, {"on": "2015-09-01"}).content)

    assert "Structure of Cambridgeshire Children's Trust on 1 September 2015" in texts(root)


def test_the_changes_download_as_well(client, reorganised):
    url = reverse(
        "partnerships:structure-download", kwargs={"slug": reorganised.slug, "fmt": "png"}
    )

    response = client.get(url, {"from": "2015-01-01", "to": "2015-09-01"})

    assert response.headers["Content-Disposition"] == (
        'attachment; filename="cambridgeshire-childrens-trust-structure-changes-'
        '2015-01-01-to-2015-09-01.png"'
    )
    assert response.content.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("slug", "fmt"), [("cambridgeshire-childrens-trust", "gif"), ("nowhere", "png")]
)
def test_unknown_format_or_partnership_is_not_found(client, trust, slug, fmt):
    response = client.get(
        reverse("partnerships:structure-download", kwargs={"slug": slug, "fmt": fmt})
    )

    assert response.status_code == 404


def test_download_with_a_bad_date_is_a_bad_request(client, trust):
    url = reverse("partnerships:structure-download", kwargs={"slug": trust.slug, "fmt": "svg"})

    response = client.get(url, {"on": "2015-13-01"})

    assert response.status_code == 400
    assert response.content == b"Enter a real date, like 2015-09-01"


# The changes page


def test_changes_page_lists_exactly_what_changed(client, reorganised):
    url = reverse("partnerships:structure-diff", kwargs={"slug": reorganised.slug})

    response = client.get(url, {"from": "2015-01-01", "to": "2015-09-01"})

    html = response.content.decode()
    assert (
        '<h1 class="govuk-heading-l">Changes to the structure between 1 January 2015 and '
        "1 September 2015</h1>" in html
    )
    assert sections(html) == {
        "Bodies added": ["Executive Group | Executive group"],
        "Bodies removed": ["Trust Board | Trust board"],
        "Status changes": ["No changes"],
        "Reporting lines added": [
            "East Cambridgeshire Area Partnership | Reports to (primary) | Executive Group",
            "Executive Group | Reports to (primary) | Cambridgeshire Health and Wellbeing Board",
            "Fenland Area Partnership | Reports to (primary) | Executive Group",
            "Huntingdonshire Area Partnership | Reports to (primary) | Executive Group",
        ],
        "Reporting lines removed": [
            "East Cambridgeshire Area Partnership | Reports to (primary) | Trust Board",
            "Fenland Area Partnership | Reports to (primary) | Trust Board",
            "Huntingdonshire Area Partnership | Reports to (primary) | Trust Board",
            "Trust Board | Reports to (primary) | Cambridgeshire Health and Wellbeing Board",
        ],
        "Reporting lines changed": ["No changes"],
    }
    assert 'aria-label="Chart of changes to the structure"' in html


def test_changes_page_lists_status_changes_and_says_when_nothing_changed(client, trust):
    BodyFactory(name="Trust Board", partnership=trust)
    group = BodyFactory(name="Youth Board", partnership=trust, status="shadow")
    BodyStatusChangeFactory(body=group, status="active", effective_on=APRIL)
    url = reverse("partnerships:structure-diff", kwargs={"slug": trust.slug})

    changed = client.get(url, {"from": "2015-01-01", "to": "2015-09-01"})
    same = client.get(url, {"from": "2015-05-01", "to": "2015-09-01"})

    assert sections(changed.content.decode())["Status changes"] == ["Youth Board | Shadow | Active"]
    assert "No changes: the structure was the same on both dates." in same.content.decode()


def test_changes_page_lists_lines_whose_details_changed(client, trust):
    board = BodyFactory(name="Trust Board", partnership=trust)
    group = BodyFactory(name="Youth Board", partnership=trust)
    ReportingLineFactory(from_body=group, to_body=board, cadence="annual", ends_on=APRIL)
    ReportingLineFactory(from_body=group, to_body=board, cadence="quarterly", starts_on=APRIL)
    url = reverse("partnerships:structure-diff", kwargs={"slug": trust.slug})

    response = client.get(url, {"from": "2015-01-01", "to": "2015-09-01"})

    found = sections(response.content.decode())
    assert found["Reporting lines changed"] == [
        "Youth Board | Reports to | Trust Board | Cadence Annual → Quarterly"
    ]
    assert found["Reporting lines added"] == found["Reporting lines removed"] == ["No changes"]


def test_a_line_to_a_body_that_has_gone_says_so(client, trust):
    board = BodyFactory(name="Trust Board", partnership=trust)
    BodyStatusChangeFactory(body=board, status="disbanded", effective_on=APRIL)
    group = BodyFactory(name="Youth Board", partnership=trust)
    ReportingLineFactory(from_body=group, to_body=board)
    url = reverse("partnerships:structure-chart", kwargs={"slug": trust.slug})

    response = client.get(url, {"on": "2015-09-01"})

    html = response.content.decode()
    assert ">Trust Board</a> (not active on this date)" in html
    assert "Not active on this date" in texts(parse(str(response.context["svg"])))


def test_changes_page_wants_the_dates_in_order(client, trust):
    url = reverse("partnerships:structure-diff", kwargs={"slug": trust.slug})

    response = client.get(url, {"from": "2015-09-01", "to": "2015-01-01"})

    assert response.status_code == 200
    assert (
        "The second date must be the same as or after 1 September 2015" in response.content.decode()
    )
    assert "diff" not in response.context


# Query counts


def build_structure(partnership, size: int) -> None:
    """An HWB above a board above an executive group; the rest report to the group."""
    council = OrganisationFactory(name="Cambridgeshire County Council")
    board = BodyFactory(name="Trust Board", partnership=partnership)
    executive = BodyFactory(name="Executive Group", kind="executive_group", partnership=partnership)
    ReportingLineFactory(from_body=board, to_body=None, to_organisation=council)
    ReportingLineFactory(from_body=executive, to_body=board)
    for number in range(size - 2):
        group = BodyFactory(
            name=f"Sub-group {number}", kind="thematic_subgroup", partnership=partnership
        )
        ReportingLineFactory(from_body=group, to_body=executive, starts_on=APRIL)
        if number % 3 == 0:
            ReportingLineFactory(from_body=group, to_body=board, kind="advises", is_primary=False)


@pytest.mark.parametrize("size", [10, 200])
def test_chart_page_queries_do_not_grow_with_the_structure(
    client, trust, size, django_assert_num_queries
):
    build_structure(trust, size)
    url = reverse("partnerships:structure-chart", kwargs={"slug": trust.slug})

    # partnership, bodies with their status that day, lines in force (with their targets)
    with django_assert_num_queries(3):
        response = client.get(url, {"on": "2015-09-01"})

    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [10, 200])
def test_changes_page_queries_do_not_grow_with_the_structure(
    client, trust, size, django_assert_num_queries
):
    build_structure(trust, size)
    url = reverse("partnerships:structure-diff", kwargs={"slug": trust.slug})

    # partnership, then bodies and lines on the first date, then bodies and lines on the second
    with django_assert_num_queries(5):
        response = client.get(url, {"from": "2015-01-01", "to": "2015-09-01"})

    assert len(response.context["diff"].lines_added) == size - 2
