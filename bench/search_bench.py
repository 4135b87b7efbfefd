"""Search benchmark: p50/p95/max of search.query.search over 100,000 minute entries.

Builds a scratch database (bench_search on the server in DATABASE_URL, created if missing) with
20 bodies, 5,000 meetings, 100,000 agenda items and 100,000 minute entries of varied text, indexes
them, then runs 200 searches with varied terms as a board member of one body, through the
visibility layer, and prints the timings. Data is kept between runs; --fresh rebuilds it.

    .venv/bin/python bench/search_bench.py [--entries 100000] [--searches 200] [--fresh]

With --database-url it times searches against an existing database instead, read-only (the
connection refuses writes), as the member named by --member or by the "member" of a
generate_scale summary (--summary):

    .venv/bin/python bench/search_bench.py --database-url postgres://.../bench_scale \
        --summary /work/bench-scale-summary.json
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
DATABASE_NAME = "bench_search"
ITEMS_PER_MEETING = 20
BODIES = 20

# Prose split into words: easier to read and extend than a list literal.
WORDS = """
safeguarding children families fostering adoption placement school attendance exclusion
budget overspend allowance commissioning contract tender provider housing homelessness
youth offending police health wellbeing mental emotional therapy clinic hospital nurse
transport transition disability special educational needs inclusion apprenticeship skills
employment poverty food bank energy cost living carers respite early help prevention
domestic abuse exploitation county lines missing neglect audit review inspection ofsted
quality assurance workforce recruitment retention social worker caseload agency vacancy
dashboard indicator target performance outcome priority strategy plan partnership board
governance terms reference quorum chair member minutes action decision recommendation
consultation engagement voice participation survey feedback complaint compliment report
annual quarterly funding grant pooled fund section75 contribution reserve savings efficiency
data sharing information protection privacy breach risk register mitigation escalation
capital project building refurbishment playground library leisure sport culture arts
""".split()  # noqa: SIM905
FILLER = """
the a of and to in that is was for on with as by at from this be are were it which
noted agreed discussed asked confirmed updated members officers board item paper
""".split()  # noqa: SIM905


def connect_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def sentence(rng: random.Random, words: int) -> str:
    # Zipf-like: a few topic words are everywhere, most are rare.
    picked = []
    for _ in range(words):
        if rng.random() < 0.45:
            picked.append(rng.choice(FILLER))
        else:
            picked.append(WORDS[min(int(rng.paretovariate(0.9)) - 1, len(WORDS) - 1)])
            if rng.random() < 0.02:
                picked.append(f"ref{rng.randrange(100_000)}")
    return " ".join(picked).capitalize() + "."


def build(entries: int, rng: random.Random):
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting, MinuteEntry, Minutes
    from membership.models import Membership, Person, Seat
    from partnerships.models import Body, Partnership
    from partnerships.roles import Role

    meetings_needed = entries // ITEMS_PER_MEETING
    london = datetime.timezone(datetime.timedelta(0))
    with transaction.atomic():
        partnership = Partnership.objects.create(name="Bench Children's Trust", slug="bench")
        bodies = Body.objects.bulk_create(
            Body(
                name=f"Bench board {n}",
                slug=f"bench-board-{n}",
                partnership=partnership,
                kind="trust_board",
                meets_in_public=n % 2 == 0,
            )
            for n in range(BODIES)
        )
        signer = Person.objects.create(name="Sam Signer")
        approvals = Meeting.objects.bulk_create(
            Meeting(body=body, starts_at=datetime.datetime(2030, 1, 1, tzinfo=london))
            for body in bodies
        )
        start = datetime.datetime(2010, 1, 6, 14, tzinfo=london)
        meetings = Meeting.objects.bulk_create(
            Meeting(
                body=bodies[n % BODIES],
                starts_at=start + datetime.timedelta(days=n),
                is_public=bodies[n % BODIES].meets_in_public,
                agenda_published_at=timezone.now(),
            )
            for n in range(meetings_needed)
        )
        print(f"{len(meetings)} meetings", flush=True)
        approval_of = {meeting.body_id: meeting for meeting in approvals}
        minutes = Minutes.objects.bulk_create(
            Minutes(meeting=meeting, status="circulated")
            if rng.random() < 0.2
            else Minutes(
                meeting=meeting,
                status="approved",
                approved_at=approval_of[meeting.body_id],
                approved_on=datetime.date(2030, 1, 1),
                signed_by=signer,
            )
            for meeting in meetings
        )
        for chunk in range(0, len(meetings), 500):
            items = []
            for meeting in meetings[chunk : chunk + 500]:
                for order in range(1, ITEMS_PER_MEETING + 1):
                    exempt = rng.random() < 0.1
                    items.append(
                        AgendaItem(
                            meeting=meeting,
                            order=order,
                            title=sentence(rng, rng.randint(3, 7)).rstrip("."),
                            summary=sentence(rng, rng.randint(15, 40)),
                            recommendations=sentence(rng, rng.randint(5, 15)),
                            is_exempt=exempt,
                            exempt_paragraph=3 if exempt else None,
                            public_interest_statement="Commercial" if exempt else "",
                        )
                    )
            AgendaItem.objects.bulk_create(items, batch_size=2000)
            minutes_of = {m.meeting_id: m for m in minutes[chunk : chunk + 500]}
            MinuteEntry.objects.bulk_create(
                (
                    MinuteEntry(
                        minutes=minutes_of[item.meeting_id],
                        item=item,
                        text="".join(
                            f"<p>{sentence(rng, rng.randint(20, 60))}</p>"
                            for _ in range(rng.randint(1, 3))
                        ),
                        resolution=sentence(rng, rng.randint(0, 12)),
                    )
                    for item in items
                ),
                batch_size=2000,
            )
            print(f"{chunk + 500} meetings' items and minutes", end="\r", flush=True)
        print()

        member = get_user_model().objects.create_user("bench-member")
        member.groups.add(Group.objects.get(name=Role.BOARD_MEMBER))
        seat = Seat.objects.create(body=bodies[1], label="Bench seat")
        Membership.objects.create(
            seat=seat,
            person=Person.objects.create(name="Bench Member", user=member),
            starts_on=datetime.date(2010, 1, 1),
        )
    index_all()


def index_all() -> None:
    from django.db import connection

    from search.indexing import rebuild

    began = time.perf_counter()
    count = rebuild()
    print(f"Indexed {count} documents in {time.perf_counter() - began:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def get_user_model():
    from django.contrib.auth import get_user_model as django_get_user_model

    return django_get_user_model()


BANDS = [(1, 10), (10, 100), (100, 1000), (1000, 5000)]
VERY_COMMON = 5000


def queries(rng: random.Random, count: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Terms drawn across bands of document frequency, read from the index itself.

    Returns (band, query) pairs for the timed mix, and words matching more than VERY_COMMON
    documents, timed separately: ranking tens of thousands of matches is a different workload.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT word, ndoc FROM ts_stat('SELECT vector FROM search_searchdocument')")
        stats = cursor.fetchall()
    banded = {band: [w for w, n in stats if band[0] <= n < band[1]] for band in BANDS}
    very_common = sorted(w for w, n in stats if n >= VERY_COMMON)
    terms = []
    for n in range(count):
        band = BANDS[n % len(BANDS)]
        word = rng.choice(banded[band])
        label = f"{band[0]}-{band[1]} docs"
        if n % 10 == 7:
            terms.append((label + ", two words", f"{word} {rng.choice(banded[BANDS[-1]])}"))
        elif n % 10 == 9:
            terms.append((label + ", phrase", f'"{word} {rng.choice(FILLER)}" OR {word}'))
        else:
            terms.append((label, word))
    return terms, very_common


def timed(member, term: str) -> tuple[float, int]:
    from search.query import search

    for cached in ("_member_body_ids", "_role_names", "_perm_cache", "_user_perm_cache"):
        member.__dict__.pop(cached, None)
    began = time.perf_counter()
    results = search(member, term)
    list(results.page)
    return (time.perf_counter() - began) * 1000, results.count


def summary(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return (
        f"p50 {statistics.median(timings):.1f} ms  p95 {p95:.1f} ms  max {timings[-1]:.1f} ms"
        f"  ({len(timings)} searches)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="Drop and rebuild the data")
    parser.add_argument(
        "--database-url", help="Time searches against this existing database, read-only"
    )
    parser.add_argument("--member", help="Search as this username (with --database-url)")
    parser.add_argument(
        "--summary", help="A generate_scale summary JSON naming the member (with --database-url)"
    )
    args = parser.parse_args()

    if args.database_url:
        username = args.member
        if not username and args.summary:
            username = json.loads(Path(args.summary).read_text())["member"]["username"]
        if not username:
            parser.error("--database-url needs --member or --summary to say who searches")
        connect_django(args.database_url)
        from django.db import connection

        with connection.cursor() as cursor:
            # Someone else's data set: make sure nothing here can change it.
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        label = f"searches as {username}"
    else:
        server = os.environ.get("BENCH_DATABASE_SERVER", DEFAULT_SERVER)
        url = urlunsplit(urlsplit(server)._replace(path=f"/{DATABASE_NAME}"))
        ensure_database(url)
        connect_django(url)

        from django.core.management import call_command

        from meetings.models import MinuteEntry
        from search.models import SearchDocument

        call_command("migrate", interactive=False, verbosity=0)
        if args.fresh or MinuteEntry.objects.count() != args.entries:
            call_command("flush", interactive=False, verbosity=0)
            call_command("migrate", interactive=False, verbosity=0)
            build(args.entries, random.Random(8))  # noqa: S311 - sample data, not secrets
        elif not SearchDocument.objects.exists():
            # The data was built but indexing it failed (or was stopped): index it now, rather
            # than time searches of an empty index.
            index_all()
        username = "bench-member"
        label = "searches as a board member of one body"

    from meetings.models import MinuteEntry
    from search.models import SearchDocument

    rng = random.Random(9)  # noqa: S311 - sample data, not secrets
    member = get_user_model().objects.get(username=username)
    terms, very_common = queries(rng, args.searches)
    for _, term in terms[:10]:  # warm the caches and the connection
        timed(member, term)
    runs = [(band, *timed(member, term)) for band, term in terms]
    print(
        f"{MinuteEntry.objects.count()} minute entries, {SearchDocument.objects.count()} "
        f"documents; {label}"
    )
    print(f"All: {summary([ms for _, ms, _ in runs])}")
    print(f"Results per search: median {statistics.median(n for *_, n in runs):.0f}")
    for band in sorted({band for band, *_ in runs}):
        print(f"  {band}: {summary([ms for b, ms, _ in runs if b == band])}")
    if very_common:
        common = [timed(member, word) for word in very_common[:10]]
        print(
            f"Words in more than {VERY_COMMON} documents ({', '.join(very_common[:10])}), "
            f"not in the mix: {summary([ms for ms, _ in common])}, "
            f"median {statistics.median(n for _, n in common):.0f} results"
        )


if __name__ == "__main__":
    main()
