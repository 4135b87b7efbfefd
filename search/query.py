"""Searching: match the index, keep what the visibility layer lets the user see, rank, page.

Visibility is applied in the database before counting, ranking and paging, with the same
QuerySet methods every page uses, so neither the results nor their count reveal anything
the user could not open.
"""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, TextField, Value, Window
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
    count: int


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


def visible_documents(user, matched, kinds=None) -> Q:
    """The matched documents whose things the user may open, asked of each app's rules.

    Each kind's visibility query is narrowed to the ids the text matched, so PostgreSQL works
    out visibility for the candidates only, never for everything the user may see.
    """
    # The structure of partnerships is public record.
    condition = Q(kind=Kind.BODY)
    for kind, visible in VISIBLE.items():
        if kinds is None or kind in kinds:
            allowed = visible(user).filter(pk__in=matched.filter(kind=kind).values("object_id"))
            condition |= Q(kind=kind, object_id__in=allowed.values("pk"))
    return condition


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
    # Only the kinds the words matched need their visibility rules built and planned.
    present = set(matched.order_by().values_list("kind", flat=True).distinct())
    documents = matched.filter(visible_documents(user, matched, present))
    number = _page_number(page)
    # One pass finds, counts and ranks; the count comes with every row of the page.
    ranked = (
        documents.select_related("body")
        .only("kind", "object_id", "url", "title", "date", "body__name", "body__slug")
        .annotate(rank=SearchRank(F("vector"), query), total=Window(Count("*")))
        .order_by("-rank", F("date").desc(nulls_last=True), "kind", "object_id")
    )
    rows = list(ranked[(number - 1) * per_page : number * per_page])
    total = rows[0].total if rows else 0
    if not rows and number > 1:
        total = documents.count()
        number = max(1, -(-total // per_page))
        rows = list(ranked[(number - 1) * per_page : number * per_page])
    headlines = (
        dict(
            SearchDocument.objects.filter(pk__in=[row.pk for row in rows])
            .annotate(headline=_headline(query))
            .values_list("pk", "headline")
        )
        if rows
        else {}
    )
    for row in rows:
        row.kind_label = KIND_LABELS[row.kind]
        row.snippet = snippet(headlines[row.pk])
    paginator = Paginator([], per_page)
    paginator.count = total
    return Results(query=q, page=Page(rows, number, paginator), count=total)


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
    return mark_safe(escaped.replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>"))  # noqa: S308 - escaped above
