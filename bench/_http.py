"""A small closed-loop HTTP/1.1 load generator for bench/run, and signing in over HTTP.

Closed loop: each of N connections sends a request, reads the whole response, and sends the next
at once, for a fixed time. One asyncio loop in one thread keeps the generator's own share of the
two cores small (a few tens of microseconds a request), and the same code measures every page,
so the ratios between pages are fair even where the absolute figures are a little low.

Keep-alive is used when the server offers it; gunicorn's sync workers close each connection, and
then the generator opens a new one, as a browser would.
"""

import asyncio
import http.client
import math
import re
import time
import urllib.parse
from dataclasses import dataclass, field


class SignInFailed(Exception):
    pass


def sign_in(host: str, port: int, username: str, password: str) -> str:
    """Sign in through the real sign-in form; the Cookie header value for the session."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", "/sign-in/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = _cookies(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or token is None or "csrftoken" not in cookies:
        raise SignInFailed(f"GET /sign-in/ answered {response.status} without a CSRF token")
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    )
    connection.request(
        "POST",
        "/sign-in/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": f"http://{host}:{port}/sign-in/",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    cookies |= _cookies(response)
    if response.status != 302 or "sessionid" not in cookies:
        raise SignInFailed(
            f"Signing in as {username!r} answered {response.status}: check the username and "
            "password (--username, --password)"
        )
    return f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}"


def get(host: str, port: int, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    """One GET request: its status and body."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def _cookies(response) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


@dataclass
class Result:
    """What one target's run measured."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile of successful requests' latency in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
        return ordered[rank] * 1000


def run(
    host: str,
    port: int,
    paths: list[str],
    *,
    cookie: str | None,
    seconds: float,
    concurrency: int,
    expect: int = 200,
) -> Result:
    """Send GET requests for the paths (in turn) from `concurrency` connections for `seconds`."""
    return asyncio.run(_run(host, port, paths, cookie, seconds, concurrency, expect))


async def _run(host, port, paths, cookie, seconds, concurrency, expect):
    requests = [_request_bytes(host, port, path, cookie) for path in paths]
    result = Result(seconds=0.0)
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _connection(host, port, requests, n, deadline, expect, result)
            for n in range(concurrency)
        )
    )
    result.seconds = time.perf_counter() - started
    return result


def _request_bytes(host, port, path, cookie) -> bytes:
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "User-Agent: bench/run",
        "Accept: text/html,*/*",
        "Accept-Encoding: identity",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _connection(host, port, requests, offset, deadline, expect, result):
    reader = writer = None
    sent = offset
    while time.perf_counter() < deadline:
        request = requests[sent % len(requests)]
        sent += 1
        began = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            status, keep_alive = await _response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            result.errors += 1
            result.statuses[0] = result.statuses.get(0, 0) + 1
            writer = _close(writer)
            await asyncio.sleep(0.01)
            continue
        elapsed = time.perf_counter() - began
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status == expect:
            result.latencies.append(elapsed)
        else:
            result.errors += 1
        if not keep_alive:
            writer = _close(writer)
    _close(writer)


def _close(writer):
    if writer is not None:
        writer.close()
    return None


async def _response(reader) -> tuple[int, bool]:
    """Read one whole response; its status and whether the connection stays open."""
    status_line = await reader.readline()
    if not status_line:
        raise ValueError("connection closed before a response")
    version, status = status_line.split(b" ", 2)[:2]
    keep_alive = version == b"HTTP/1.1"
    length = None
    chunked = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        value = value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"connection":
            keep_alive = value != b"close"
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        keep_alive = False
    return int(status), keep_alive
