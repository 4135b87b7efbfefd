"""Load test scenarios for locust, run by bench/load (which serves the app and fills these in).

- Member: signs in through the real form as one of the dataset's members, looks at "My
  meetings", then reads the latest published agenda of a body they sit on, its items and papers,
  with a few seconds' thought between pages.
- PublicReader: publication day, an anonymous reader of one public agenda, its items and papers.
- StepShape (bench/locust_step.py): more readers every step until the service breaks.

bench/load passes the dataset's details through the environment:
BENCH_MEMBERS  comma-separated username:meeting-id[:session key], one per simulated member;
               with a session key the member is already signed in, without one they use the form
BENCH_PASSWORD their password
BENCH_PUBLIC_MEETING  the public meeting's id
"""

import itertools
import os
import random
import re

from locust import FastHttpUser, between, task

ITEM_LINK = re.compile(r'href="(/meetings/items/\d+/)"')
PAPER_LINK = re.compile(r'href="(/meetings/papers/\d+/)"')
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_members = [entry.split(":") for entry in os.environ.get("BENCH_MEMBERS", "").split(",") if entry]
_next_member = itertools.count()


class Reader(FastHttpUser):
    """Opens an agenda, then its items and papers; the links come from the agenda page."""

    abstract = True
    wait_time = between(2, 6)
    agenda = ""
    items: list[str]
    papers: list[str]

    def open_agenda(self):
        with self.client.get(self.agenda, name="agenda", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"agenda answered {response.status_code}")
                return
            page = response.text or ""
            self.items = ITEM_LINK.findall(page)
            self.papers = PAPER_LINK.findall(page)
            if not self.items:
                response.failure("the agenda page lists no items")

    @task(3)
    def agenda_page(self):
        self.open_agenda()

    @task(4)
    def item(self):
        if self.items:
            self.client.get(random.choice(self.items), name="item")  # noqa: S311 - not crypto

    @task(2)
    def paper(self):
        if self.papers:
            self.client.get(random.choice(self.papers), name="paper")  # noqa: S311 - not crypto


class Member(Reader):
    """A member of a body, signed in, reading the agenda of their next meeting."""

    def on_start(self):
        if not _members:
            raise RuntimeError("Set BENCH_MEMBERS (bench/load does): username:meeting pairs")
        username, meeting, *session = _members[next(_next_member) % len(_members)]
        self.agenda = f"/meetings/{meeting}/"
        self.items = self.papers = []
        if session:
            self.client.cookiejar.set_cookie(_cookie("sessionid", session[0], self.host))
        else:
            self.sign_in(username, os.environ.get("BENCH_PASSWORD", ""))
        self.client.get("/meetings/my/", name="my meetings")
        self.open_agenda()

    def sign_in(self, username, password):
        page = self.client.get("/sign-in/", name="sign-in page")
        token = CSRF_TOKEN.search(page.text or "")
        with self.client.post(
            "/sign-in/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": username,
                "password": password,
            },
            headers={"Referer": f"{self.host}/sign-in/"},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"signing in as {username} answered {response.status_code}")


def _cookie(name, value, host):
    from http.cookiejar import Cookie
    from urllib.parse import urlsplit

    domain = urlsplit(host).hostname
    return Cookie(
        0, name, value, None, False, domain, True, False, "/", True, False, None, False,
        None, None, {},
    )  # fmt: skip


class PublicReader(Reader):
    """Someone reading the published agenda of a public meeting, not signed in."""

    def on_start(self):
        self.agenda = f"/meetings/{os.environ.get('BENCH_PUBLIC_MEETING', '')}/"
        self.items = self.papers = []
        self.open_agenda()
