"""Searching: match the index, rank, keep what the visibility layer lets the user see, page.

Visibility is applied in the database before counting and paging, with the same QuerySet
methods every page uses, so neither the results nor their count reveal anything the user could
not open.

A first statement finds which kinds of thing the words matched, so that only their visibility
rules are built and planned. A second ranks every match once (the best RANK_LIMIT of them), walks
them best first, asking the visibility layer about each in turn, and stops one past the most we
count (COUNT_LIMIT). A common word with thousands of matches so costs a few thousand ranks and a
few hundred visibility checks, not a visibility check of everything it matched; the count says
"more than 200" beyond that. The same statement then reads the page's 20 rows, with their
snippets: ts_headline reads the whole text, so it runs for the page shown only.
"""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meetings.models import Action, AgendaItem, Decision, Meeting, MinuteEntry, Paper
from membership.models import Person
from membership.visibility import can_see_withheld_names
from partnerships.views.terms import visible_terms
from reports.models import AnnualReport

from .indexing import START_SEL, STOP_SEL
from .models import Kind, SearchDocument

PAGE_SIZE = 20
# Only this many of the best matches are checked for what the user may open: a word in tens of
# thousands of documents would otherwise be ranked, sorted and visibility-checked in full (half
# a second or more). The page says so. Words in fewer documents (nearly all) are unaffected.
RANK_LIMIT = 5000
# Results are counted up to this many (ten pages); past it the page says "more than 200 results".
# Counting every match of a common word would take a visibility check for each of thousands; each
# check is a few index lookups, and the count is what most of a search's time went on.
COUNT_LIMIT = 200
# ts_headline reads the whole text it is given; the start of a long paper is enough for a snippet.
SNIPPET_SOURCE_CHARACTERS = 50_000


KIND_LABELS = {
    Kind.BODY: "Body",
    Kind.TERMS: "Terms of reference",
    Kind.PERSON: "Person",
    Kind.ITEM: "Agenda item",
    Kind.PAPER: "Paper",
    Kind.MINUTE: "Minute",
    Kind.DECISION: "Decision",
    Kind.ACTION: "Action",
    Kind.REPORT: "Report",
}


@dataclass(frozen=True)
class Results:
    query: str
    page: Page
    # The number of results, or COUNT_LIMIT when there are more (then `more` is True).
    count: int
    more: bool = False
    # How many of the best matches are checked at most (RANK_LIMIT), for the page to say.
    checked: int = 0


def _people(user):
    people = Person.objects.all()
    if not can_see_withheld_names(user):
        people = people.filter(publish_name=True)
    return people


def _actions(user):
    actions = Action.objects.filter(
        Exists(Meeting.objects.visible_to(user).filter(pk=OuterRef("meeting_id")))
    ).filter(
        Q(item__isnull=True)
        | Exists(AgendaItem.objects.visible_to(user).filter(pk=OuterRef("item_id")))
    )
    if not getattr(user, "is_authenticated", False):
        # The public sees actions only in approved minutes; the action log needs a sign-in.
        actions = actions.filter(meeting__minutes__status="approved")
    return actions


def _decisions(user):
    # A decision is read in the minutes, next to its item's minute.
    return Decision.objects.filter(
        Exists(MinuteEntry.objects.visible_to(user).filter(item_id=OuterRef("item_id")))
    )


VISIBLE = {
    Kind.TERMS: visible_terms,
    Kind.PERSON: _people,
    Kind.ITEM: lambda user: AgendaItem.objects.visible_to(user),
    Kind.PAPER: lambda user: Paper.objects.visible_to(user),
    Kind.MINUTE: lambda user: MinuteEntry.objects.visible_to(user),
    Kind.DECISION: _decisions,
    Kind.ACTION: _actions,
    Kind.REPORT: lambda user: AnnualReport.objects.visible_to(user),
}


def visible_documents(user, kinds) -> Q:
    """Documents whose things the user may open, asked of each app's rules, one row at a time.

    Each kind's rule is an EXISTS on that app's visible QuerySet for the document's object, so
    PostgreSQL checks only the rows it is asked about, best match first, and stops at the limit.
    """
    # The structure of partnerships is public record.
    condition = Q(kind=Kind.BODY)
    for kind, visible in VISIBLE.items():
        if kind in kinds:
            condition |= Q(kind=kind) & Exists(visible(user).filter(pk=OuterRef("object_id")))
    return condition


ORDER = (
    F("rank").desc(),
    F("date").desc(nulls_last=True),
    F("kind").asc(),
    F("object_id").asc(),
)
# ORDER, for the columns of the walk.
BEST_FIRST = '"rank" DESC, "date" DESC NULLS LAST, "kind", "object_id"'
# The CTE holding the user's visible matches, numbered best first from 1 (named in RawSQL too).
WALK = "search_walk"


def _walk(user, matched, query, kinds, most: int) -> tuple[str, list]:
    """SQL for a CTE of the user's best `most` matches: their ids, numbered best first.

    The matches are ranked once, into a materialised CTE named like the table, so that the
    visibility conditions Django compiles against "search_searchdocument" read the ranked rows,
    in their order; PostgreSQL checks them one by one and stops at `most`. (Inside its own
    definition a CTE's name is not yet bound, so the ranking reads the real table.) That CTE
    lives inside the walk's own subquery, so the statement the walk is put in front of still
    reads the real table under its own name.

    Only the best RANK_LIMIT matches are ranked into it: a top-N sort rather than a sort of
    every match, and a row estimate small enough that PostgreSQL keeps checking rows one by one
    instead of first listing everything of a kind the user may see (which, for a word in tens of
    thousands of documents, it otherwise did).
    """
    ranked = (
        matched.annotate(rank=SearchRank(F("vector"), query))
        .order_by(*ORDER)
        .values("id", "kind", "object_id", "date", "rank")[:RANK_LIMIT]
    )
    ranked_sql, ranked_params = ranked.query.sql_with_params()
    table = SearchDocument._meta.db_table
    walk = (
        SearchDocument.objects.filter(visible_documents(user, kinds))
        .annotate(rank=RawSQL('"search_searchdocument"."rank"', ()))
        .values_list("id", "rank", "date", "kind", "object_id")
    )
    walk_sql, walk_params = walk[:most].query.sql_with_params()
    # Only SQL Django compiled is joined here; every value is still a parameter. The walk's
    # rows are numbered in the ranking's order again, explicitly, for the page to pick from.
    walked = f'WITH "{table}" AS MATERIALIZED ({ranked_sql}) {walk_sql}'
    # Compiled SQL and constant names only; the values are parameters.
    numbered = (
        f'SELECT "id", row_number() OVER (ORDER BY {BEST_FIRST}) AS "n" '  # noqa: S608  # nosec B608
        f"FROM ({walked}) w"
    )
    return f'WITH "{WALK}" AS MATERIALIZED ({numbered})', [*ranked_params, *walk_params]


def _page_rows(walk, query, first: int, last: int) -> list[SearchDocument]:
    """The visible matches numbered first + 1 to last, with their snippets, and (as `found` on
    each) how many visible matches the walk found, in the same statement as the walk.

    ts_headline reads the whole text, so it runs for the rows on the page only.
    """
    walk_sql, walk_params = walk
    page = (
        SearchDocument.objects.filter(
            pk__in=RawSQL(
                'SELECT "id" FROM "search_walk" WHERE "n" > %s AND "n" <= %s', (first, last)
            )
        )
        .only("kind", "object_id", "url", "title", "date", "body_id")
        .annotate(
            body_name=F("body__name"),
            headline=_headline(query),
            n=RawSQL('SELECT "n" FROM "search_walk" WHERE "id" = "search_searchdocument"."id"', ()),
            found=RawSQL('SELECT count(*) FROM "search_walk"', ()),
        )
        .order_by("n")
    )
    page_sql, page_params = page.query.sql_with_params()
    return list(SearchDocument.objects.raw(f"{walk_sql} {page_sql}", [*walk_params, *page_params]))


def _count(walk) -> int:
    walk_sql, walk_params = walk
    with connection.cursor() as cursor:
        # Compiled SQL and a constant name only; the values are parameters.
        cursor.execute(f'{walk_sql} SELECT count(*) FROM "{WALK}"', walk_params)  # noqa: S608  # nosec B608
        return cursor.fetchone()[0]


def search(
    user,
    q: str,
    *,
    kinds=None,
    body=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    page: int | str = 1,
    per_page: int = PAGE_SIZE,
) -> Results:
    """One page of the user's results for q (web search syntax), best first."""
    query = SearchQuery(q, search_type="websearch", config="english")
    matched = SearchDocument.objects.filter(vector=query)
    if kinds:
        matched = matched.filter(kind__in=kinds)
    if body is not None:
        matched = matched.filter(body=body)
    if date_from:
        matched = matched.filter(date__gte=date_from)
    if date_to:
        matched = matched.filter(date__lte=date_to)
    # Only the kinds the words matched need their visibility rules built and planned: building
    # and planning all nine costs more than this query.
    present = set(matched.order_by().values_list("kind", flat=True).distinct())
    number = _page_number(page)
    rows, found = [], 0
    if present:
        walk = _walk(user, matched, query, present, COUNT_LIMIT + 1)
        rows = _page_rows(walk, query, (number - 1) * per_page, number * per_page)
        if rows:
            found = rows[0].found
        elif number > 1:
            # Past the last page: the last page, as a paginator's get_page would give. Rare, so
            # the walk is run again rather than carried in every search.
            found = _count(walk)
            number = max(1, -(-min(found, COUNT_LIMIT) // per_page))
            rows = _page_rows(walk, query, (number - 1) * per_page, number * per_page)
    more = found > COUNT_LIMIT
    total = min(found, COUNT_LIMIT)
    for row in rows:
        row.kind_label = KIND_LABELS[row.kind]
        row.snippet = snippet(row.headline)
    paginator = Paginator([], per_page)
    paginator.count = total
    return Results(
        query=q,
        page=Page(rows, number, paginator),
        count=total,
        more=more,
        checked=RANK_LIMIT,
    )


def _page_number(page) -> int:
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


def _headline(query) -> SearchHeadline:
    return SearchHeadline(
        Left(
            Concat(
                "summary",
                Value("\n"),
                "text",
                Value("\n"),
                "attachment_text",
                output_field=TextField(),
            ),
            SNIPPET_SOURCE_CHARACTERS,
        ),
        query,
        config="english",
        start_sel=START_SEL,
        stop_sel=STOP_SEL,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def snippet(headline: str) -> SafeString:
    """The headline as HTML: everything escaped, then the match markers made into <mark>."""
    escaped = escape(headline.strip())
    return mark_safe(escaped.replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>"))  # noqa: S308  # nosec B308  # escaped above
