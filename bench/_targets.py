"""What bench/run and bench/load measure, found in the dataset they are pointed at.

The member is someone with a login who sits on the body with the biggest meeting (or the one
named), so the agenda measured is the heaviest a member opens; the public agenda is the public
meeting with the most items the public may see.
"""

import json
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_scale"
DEFAULT_PASSWORD = "scale-partnership-2026"  # noqa: S105 - the generated dataset's, not a secret
DEFAULT_TERMS = ["housing", "safeguarding budget", "transport", "carers"]
HOST = "127.0.0.1"


@dataclass
class Target:
    name: str
    paths: list[str]
    signed_in: bool = True
    note: str = ""


def choose_targets(args) -> tuple[list[Target], str, dict]:
    """The pages to measure, the member to sign in as, and facts about what was chosen.

    Needs DJANGO_SETTINGS_MODULE and DATABASE_URL in the environment; closes its connections.
    """
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser
    from django.db import OperationalError, connections
    from django.db.models import Count
    from django.urls import reverse

    from meetings.models import AgendaItem, Meeting, Paper
    from meetings.visibility import member_body_ids
    from membership.models import Membership
    from reports.models import AnnualReport

    summary = json.loads(Path(args.summary).read_text()) if args.summary else {}
    username = args.username or (summary.get("member") or {}).get("username")
    try:
        user = None
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                sys.exit(f"bench/run: no active user {username!r} in {args.database_url}")
            body_ids = member_body_ids(user)
            if not body_ids:
                sys.exit(f"bench/run: {username!r} sits on no body today; choose a member")
            meetings = Meeting.objects.filter(body_id__in=body_ids)
            if "big_meeting" in summary:
                meetings = meetings.filter(pk=summary["big_meeting"]["id"])
        else:
            meetings = Meeting.objects.all()
        meeting = (
            meetings.annotate(item_count=Count("items"))
            .order_by("-item_count", "-starts_at")
            .select_related("body__partnership")
            .first()
        )
        if meeting is None:
            sys.exit(
                f"bench/run: {args.database_url} has no meetings. Generate the scale dataset "
                "first (see bench/README.md) or point --database-url at one that has."
            )
        if user is None:
            holding = (
                Membership.objects.current()
                .filter(seat__body=meeting.body, person__user__is_active=True)
                .select_related("person__user")
                .order_by("person__user__username")
                .first()
            )
            if holding is None:
                sys.exit(f"bench/run: no one with a login sits on {meeting.body}; use --username")
            user = holding.person.user
        anonymous = AnonymousUser()
        public = (
            AgendaItem.objects.visible_to(anonymous)
            .values("meeting")
            .annotate(n=Count("id"))
            .order_by("-n", "-meeting")
            .first()
        )
        report = (
            AnnualReport.objects.visible_to(user)
            .annotate(line_count=Count("lines"))
            .order_by("-line_count", "-pk")
            .first()
        )
        facts = {
            "meeting": meeting.pk,
            "items": AgendaItem.objects.visible_to(user).filter(meeting=meeting).count(),
            "papers": Paper.objects.visible_to(user).filter(item__meeting=meeting).count(),
            "members": Membership.objects.current().filter(seat__body=meeting.body).count(),
            "body": meeting.body.slug,
            "public_meeting": public["meeting"] if public else None,
        }
        search = reverse("search:search")
        targets = [
            Target("baseline", [reverse("bench-baseline")]),
            Target(
                "agenda (member)",
                [reverse("meetings:meeting-detail", args=[meeting.pk])],
                note=f"meeting {meeting.pk}: {facts['items']} items, {facts['papers']} papers",
            ),
        ]
        if public:
            count = public["n"]
            targets.append(
                Target(
                    "agenda (public)",
                    [reverse("meetings:meeting-detail", args=[public["meeting"]])],
                    signed_in=False,
                    note=f"meeting {public['meeting']}: {count} items",
                )
            )
        targets += [
            Target(
                "body roster",
                [reverse("membership:roster", args=[meeting.body.slug])],
                note=f"{meeting.body.slug}: {facts['members']} current members",
            ),
            Target(
                "structure chart",
                [reverse("partnerships:structure-chart", args=[meeting.body.partnership.slug])],
                note=meeting.body.partnership.slug,
            ),
        ]
        if report:
            targets.append(
                Target(
                    "report page",
                    [reverse("reports:report-detail", args=[report.pk])],
                    note=f"report {report.pk}: {report.line_count} lines",
                )
            )
        targets.append(
            Target(
                "search",
                [f"{search}?{urllib.parse.urlencode({'q': term})}" for term in args.search_terms],
                note=", ".join(args.search_terms),
            )
        )
        return targets, user.get_username(), facts
    except OperationalError as error:
        sys.exit(f"bench/run: cannot reach {args.database_url}: {error}")
    finally:
        connections.close_all()


def choose_load(*, user_prefix: str, members: int) -> tuple[list[tuple[str, int]], int | None]:
    """For bench/load: (username, meeting) pairs for simulated members, and the public meeting.

    Members are spread over everyone whose username starts with the prefix and who sits on a body
    with a published agenda; each gets the latest published agenda of a body they sit on.
    """
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connections
    from django.db.models import Count

    from meetings.models import AgendaItem, Meeting
    from membership.models import Membership

    try:
        latest = dict(
            Meeting.objects.filter(agenda_published_at__isnull=False)
            .order_by("body_id", "-starts_at")
            .distinct("body_id")
            .values_list("body_id", "pk")
        )
        holdings = (
            Membership.objects.current()
            .filter(person__user__is_active=True, person__user__username__startswith=user_prefix)
            .filter(seat__body_id__in=latest)
            .order_by("person__user__username", "seat__body_id")
            .values_list("person__user__username", "seat__body_id")
        )
        meeting_of = {}
        for username, body_id in holdings:
            meeting_of.setdefault(username, latest[body_id])
        everyone = sorted(meeting_of.items())
        stride = max(1, len(everyone) // members) if members else 1
        pairs = everyone[::stride][:members]
        public = (
            AgendaItem.objects.visible_to(AnonymousUser())
            .values("meeting")
            .annotate(n=Count("id"))
            .order_by("-n", "-meeting")
            .first()
        )
        return pairs, public["meeting"] if public else None
    finally:
        connections.close_all()
