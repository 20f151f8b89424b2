"""The arXiv API: its settings, its pace and an HTTP client for it.

arXiv's API terms: one request at a time, at least `MIN_INTERVAL` seconds
between the starts of two requests (`Pacer`, shared by every client of the
process), and a User-Agent that says who is asking.

Settings, read when used (never at import):

* ``$READER_ARXIV_URL``: the API address (default `DEFAULT_URL`), for a
  mirror or a local test server;
* ``$READER_ARXIV_TIMEOUT``: seconds to wait for an answer (default 20);
* ``$READER_ARXIV_MIN_INTERVAL``: seconds between requests, for tests and
  mirrors; for a server on arxiv.org it can never go below 3.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from .. import __version__
from ..errors import ImportFormatError, ReaderError
from .importers.arxiv import parse_atom
from .importers.common import ParseResult, shorten
from .text import tex_to_plain

DEFAULT_URL = "https://export.arxiv.org/api/query"
ENV_URL = "READER_ARXIV_URL"
ENV_TIMEOUT = "READER_ARXIV_TIMEOUT"
ENV_INTERVAL = "READER_ARXIV_MIN_INTERVAL"
#: arXiv asks for no more than one request every three seconds.
MIN_INTERVAL = 3.0
DEFAULT_TIMEOUT = 20.0
#: arXiv ids asked for in one `id_list` request.
ID_BATCH = 100
#: Results asked for by a title search: the same title twice is rare.
TITLE_RESULTS = 5
#: A reply larger than this is refused (100 entries are about 300 kB).
MB = 1024 * 1024
MAX_REPLY_BYTES = 20 * MB
#: HTTP statuses that mean arXiv is busy or down, not that the query is wrong.
BUSY_STATUSES = frozenset({429, 502, 503, 504})
#: Seconds between two looks at `should_stop` while waiting for the pace.
WAIT_STEP = 0.1
#: Characters of a setting, a reason or a reply quoted in a message.
QUOTE_SETTING, QUOTE_NUMBER, QUOTE_REASON, QUOTE_REPLY = 80, 40, 100, 60
USER_AGENT = (
    f"reader-tui/{__version__} (terminal reading list; https://pypi.org/project/reader-tui/)"
)


class EnrichError(ReaderError):
    """The arXiv API could not be asked or did not answer usefully.

    `kind` says which: "network", "timeout", "http", "reply" or "setting".
    """

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class Cancelled(Exception):
    """The look-up was stopped by its caller (not an error)."""


# ---------------------------------------------------------------- settings
def arxiv_api_url() -> str:
    """`$READER_ARXIV_URL`, else the arXiv API; read at each call."""
    url = os.environ.get(ENV_URL, "").strip() or DEFAULT_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EnrichError(
            f"${ENV_URL} is not an http(s) address: {shorten(url, QUOTE_SETTING)!r}", "setting"
        )
    return url


def is_arxiv_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "arxiv.org" or host.endswith(".arxiv.org")


def _env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise EnrichError(f"${name} is not a number of seconds: {shorten(raw, QUOTE_NUMBER)!r}", "setting") from None
    if not value >= 0 or value == float("inf"):
        raise EnrichError(f"${name} is not a number of seconds: {shorten(raw, QUOTE_NUMBER)!r}", "setting")
    return value


def request_timeout() -> float:
    """Seconds to wait for arXiv: `$READER_ARXIV_TIMEOUT`, else 20."""
    return _env_seconds(ENV_TIMEOUT, DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT


def min_interval(url: str | None = None) -> float:
    """Seconds between two requests: 3, or `$READER_ARXIV_MIN_INTERVAL` for a
    server other than arxiv.org (a mirror, a test server)."""
    value = _env_seconds(ENV_INTERVAL, MIN_INTERVAL)
    if is_arxiv_host(url or arxiv_api_url()):
        value = max(value, MIN_INTERVAL)
    return value


# ---------------------------------------------------------------- the pace
class Pacer:
    """At least `interval` seconds between the starts of two requests, and
    one request at a time.

    `clock` and `sleep` can be replaced (tests pass a fake clock). Waiting is
    done in steps of at most `step` seconds, looking at `should_stop` between
    steps, so that a caller can stop a wait at once.
    """

    def __init__(
        self,
        interval: float = MIN_INTERVAL,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        step: float = WAIT_STEP,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self.step = step
        self.last_start: float | None = None
        self._turn = threading.Lock()

    def _take_turn(self, should_stop: Callable[[], bool]) -> None:
        while not self._turn.acquire(timeout=self.step):
            if should_stop():
                raise Cancelled()

    def _wait(self, should_stop: Callable[[], bool]) -> None:
        while True:
            if should_stop():
                raise Cancelled()
            if self.last_start is None:
                return
            remaining = self.last_start + self.interval - self.clock()
            if remaining <= 0:
                return
            self.sleep(min(remaining, self.step))

    def run(self, request: Callable[[], Any], should_stop: Callable[[], bool] | None = None) -> Any:
        """Wait for our turn and for the pace, then run `request`.

        Raises `Cancelled` if `should_stop` says so before the request starts.
        """
        stop = should_stop or never
        self._take_turn(stop)
        try:
            self._wait(stop)
            self.last_start = self.clock()
            return request()
        finally:
            self._turn.release()


def never() -> bool:
    return False


_shared_pacer: Pacer | None = None
_shared_lock = threading.Lock()


def shared_pacer(interval: float) -> Pacer:
    """The process's one pacer on the real clock, so that two look-ups one
    after the other (or at once) still keep arXiv's pace between them."""
    global _shared_pacer
    with _shared_lock:
        if _shared_pacer is None:
            _shared_pacer = Pacer(interval)
        _shared_pacer.interval = interval
        return _shared_pacer


# ---------------------------------------------------------------- the client
def title_query(title: str) -> str:
    """An exact title search for arXiv's query parser: `ti:"word word"`.

    TeX math is made plain and everything but letters and digits becomes a
    space: quotes, brackets and colons would be read as query syntax.
    """
    plain = tex_to_plain(title, unicode=False)
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return f'ti:"{" ".join(words)}"' if words else ""


class ArxivClient:
    """The arXiv API over httpx: one request at a time, at arXiv's pace."""

    def __init__(
        self,
        url: str | None = None,
        *,
        timeout: float | None = None,
        pacer: Pacer | None = None,
        transport: httpx.BaseTransport | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.url = url or arxiv_api_url()
        self.timeout = request_timeout() if timeout is None else timeout
        self.pacer = pacer or shared_pacer(min_interval(self.url))
        self.user_agent = user_agent
        self.requests = 0
        self._http = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": "application/atom+xml"},
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc or self.url

    # ------------------------------------------------------------------ asking
    def fetch_ids(
        self, ids: Sequence[str], should_stop: Callable[[], bool] | None = None
    ) -> ParseResult:
        """The entries of up to `ID_BATCH` arXiv ids, in one request."""
        if not ids:
            return ParseResult("arxiv")
        if len(ids) > ID_BATCH:
            raise ValueError(f"at most {ID_BATCH} ids in one request")
        params = {"id_list": ",".join(ids), "start": "0", "max_results": str(len(ids))}
        return self.query(params, should_stop)

    def search_title(
        self, title: str, should_stop: Callable[[], bool] | None = None
    ) -> ParseResult:
        """The entries whose title contains `title` as a phrase (a few at most)."""
        search = title_query(title)
        if not search:
            return ParseResult("arxiv")
        params = {"search_query": search, "start": "0", "max_results": str(TITLE_RESULTS)}
        return self.query(params, should_stop)

    def query(
        self, params: dict[str, str], should_stop: Callable[[], bool] | None = None
    ) -> ParseResult:
        """One API request at the pace; its Atom reply parsed.

        Raises EnrichError (no network, timeout, HTTP status, unreadable
        reply) or Cancelled.
        """
        text = self.pacer.run(lambda: self._get(params), should_stop)
        try:
            return parse_atom(text)
        except ImportFormatError as exc:
            raise EnrichError(
                f"arXiv's reply could not be read ({exc}){_snippet(text)}", "reply"
            ) from None

    def _get(self, params: dict[str, str]) -> str:
        self.requests += 1
        try:
            with self._http.stream("GET", self.url, params=params) as response:
                if response.status_code != httpx.codes.OK:
                    reason = response.reason_phrase or ""
                    raise EnrichError(
                        f"arXiv answered HTTP {response.status_code}"
                        + (f" {reason}" if reason else "")
                        + (" (busy or down: try again later)" if response.status_code in BUSY_STATUSES else ""),
                        "http",
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_REPLY_BYTES:
                        raise EnrichError(
                            f"arXiv's reply could not be read (larger than {MAX_REPLY_BYTES // MB} MB)",
                            "reply",
                        )
                    chunks.append(chunk)
                encoding = response.charset_encoding or "utf-8"
        except httpx.TimeoutException:
            raise EnrichError(
                f"timeout: {self.host} did not answer within {self.timeout:g} s", "timeout"
            ) from None
        except httpx.ConnectError as exc:
            raise EnrichError(
                f"no network: cannot connect to {self.host} ({_reason(exc)})", "network"
            ) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise EnrichError(f"${ENV_URL} is not usable: {_reason(exc)}", "setting") from None
        except httpx.TooManyRedirects:
            raise EnrichError(f"{self.host} redirected too many times", "http") from None
        except httpx.HTTPError as exc:
            raise EnrichError(
                f"no network: the connection to {self.host} broke ({_reason(exc)})", "network"
            ) from None
        try:
            return b"".join(chunks).decode(encoding, errors="replace")
        except LookupError:
            return b"".join(chunks).decode("utf-8", errors="replace")


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    match = re.search(r"\[Errno -?\d+\]\s*(.+)", text)
    if match:
        text = match.group(1)
    return shorten(text, QUOTE_REASON) if text else type(exc).__name__


def _snippet(text: str) -> str:
    """The start of a reply that is not XML (arXiv's "Rate exceeded.")."""
    head = text.strip()
    if not head or head.startswith("<"):
        return ""
    return f": {shorten(head, QUOTE_REPLY)!r}"
