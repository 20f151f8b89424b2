"""The arXiv API: its settings, its pace and an HTTP client for it.

arXiv's API terms: one request at a time, at least `MIN_INTERVAL` seconds
between two requests (`pace.Pacer`, shared by every client of the process and,
through a file beside the library, by every process; redirects are paced
too), and a User-Agent that says who is asking. A request is bounded as a
whole by the timeout and stops at once when its caller says so
(`http_fetch`).

Settings, read when used (never at import):

* ``$READER_ARXIV_URL``: the API address (default `DEFAULT_URL`), for a
  mirror or a local test server;
* ``$READER_ARXIV_TIMEOUT``: seconds for a whole answer (default 20);
* ``$READER_ARXIV_MIN_INTERVAL``: seconds between requests, for tests and
  mirrors; for a server on arxiv.org it can never go below 3.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from .. import __version__
from ..errors import ImportFormatError, ReaderError
from .env_seconds import BadSeconds, env_seconds
from .http_fetch import Answer, ServiceClient, Stopped, Timeout, TooLarge, fetch
from .importers.arxiv import parse_atom
from .importers.common import ParseResult, shorten
from .pace import Cancelled, Pacer, never, pace_file, shared_pacer
from .text import tex_to_plain

DEFAULT_URL = "https://export.arxiv.org/api/query"
ENV_URL = "READER_ARXIV_URL"
ENV_TIMEOUT = "READER_ARXIV_TIMEOUT"
ENV_INTERVAL = "READER_ARXIV_MIN_INTERVAL"
#: arXiv asks for no more than one request every three seconds.
MIN_INTERVAL = 3.0
#: What reader keeps: three seconds and a margin, counted from the end of the
#: last answer (see `pace`).
ARXIV_INTERVAL = MIN_INTERVAL + 0.25
#: Redirects followed for one request (each one paced like a request).
MAX_REDIRECTS = 5
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
#: Characters of a setting, a reason or a reply quoted in a message.
QUOTE_SETTING, QUOTE_REASON, QUOTE_REPLY = 80, 100, 60
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


def normal_host(url: str) -> str:
    """The host of `url` as DNS sees it: lower case, without trailing dots
    (`Export.arXiv.org.` is export.arxiv.org)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def is_arxiv_host(url: str) -> bool:
    host = normal_host(url)
    return host == "arxiv.org" or host.endswith(".arxiv.org")


def _env_seconds(name: str, default: float) -> float:
    try:
        return env_seconds(name, default)
    except BadSeconds as exc:
        raise EnrichError(str(exc), "setting") from None


def request_timeout() -> float:
    """Seconds to wait for arXiv: `$READER_ARXIV_TIMEOUT`, else 20."""
    return _env_seconds(ENV_TIMEOUT, DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT


def min_interval(url: str | None = None) -> float:
    """Seconds between two requests: `ARXIV_INTERVAL` (arXiv's 3 and a
    margin), or `$READER_ARXIV_MIN_INTERVAL` for a server other than
    arxiv.org (a mirror, a test server); never less than 3 for arxiv.org."""
    value = _env_seconds(ENV_INTERVAL, ARXIV_INTERVAL)
    if is_arxiv_host(url or arxiv_api_url()):
        value = max(value, ARXIV_INTERVAL)
    return value


# ---------------------------------------------------------------- the client
def title_query(title: str) -> str:
    """An exact title search for arXiv's query parser: `ti:"word word"`.

    TeX math is made plain and everything but letters and digits becomes a
    space: quotes, brackets and colons would be read as query syntax.
    """
    plain = tex_to_plain(title, unicode=False)
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return f'ti:"{" ".join(words)}"' if words else ""


class ArxivClient(ServiceClient):
    """The arXiv API over httpx: one request at a time, at arXiv's pace."""

    def __init__(
        self,
        url: str | None = None,
        *,
        timeout: float | None = None,
        pacer: Pacer | None = None,
        transport: httpx.BaseTransport | None = None,
        user_agent: str = USER_AGENT,
        pace: Path | None = None,
    ) -> None:
        """`pace`: the pace file shared with other processes (`pace.pace_file`)."""
        super().__init__(
            url or arxiv_api_url(),
            request_timeout() if timeout is None else timeout,
            {"User-Agent": user_agent, "Accept": "application/atom+xml"},
            transport,
        )
        self.pacer = pacer or shared_pacer(min_interval(self.url), pace)
        self.user_agent = user_agent

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
        """One API request at the pace (each redirect too); its Atom reply parsed.

        Raises EnrichError (no network, timeout, HTTP status, unreadable
        reply) or Cancelled.
        """
        stop = should_stop or never
        url, came_from = self.url, ""
        query: dict[str, str] | None = params
        for _ in range(MAX_REDIRECTS + 1):
            answer = self.pacer.run(
                partial(self._get, url, query, came_from, stop), stop,
                interval=ARXIV_INTERVAL if is_arxiv_host(url) else None,  # arXiv's floor, every hop
            )
            location = answer.headers.get("location", "")
            if answer.status not in REDIRECTS or not location:
                break
            came_from = came_from or _host(self.url)
            url, query = urljoin(str(httpx.URL(url, params=query)), location), None
        else:
            raise EnrichError(f"{_host(self.url)} redirected too many times", "http")
        text = self._checked_text(answer, _host(url) + _via(came_from))
        try:
            return parse_atom(text)
        except ImportFormatError as exc:
            raise EnrichError(
                f"arXiv's reply could not be read ({exc}){_snippet(text)}", "reply"
            ) from None

    def _get(
        self, url: str, params: dict[str, str] | None, came_from: str, stop: Callable[[], bool]
    ) -> Answer:
        """One GET, whole within the timeout; errors name the host asked (and
        the one that redirected there)."""
        self.requests += 1
        host = _host(url) + _via(came_from)
        if urlsplit(url).scheme not in ("http", "https"):
            raise EnrichError(f"{host} is not an http(s) address", "http")
        try:
            return fetch(
                self._http, url, params, timeout=self.timeout, max_bytes=MAX_REPLY_BYTES,
                should_stop=stop,
            )
        except Stopped:
            raise Cancelled() from None
        except TooLarge:
            raise EnrichError(
                f"arXiv's reply could not be read (larger than {MAX_REPLY_BYTES // MB} MB)",
                "reply",
            ) from None
        except (Timeout, httpx.TimeoutException):
            raise EnrichError(
                f"timeout: {host} did not answer within {self.timeout:g} s", "timeout"
            ) from None
        except httpx.ConnectError as exc:
            raise EnrichError(
                f"no network: cannot connect to {host} ({_reason(exc)})", "network"
            ) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            what = f"the redirect to {host}" if came_from else f"${ENV_URL}"
            raise EnrichError(f"{what} is not usable: {_reason(exc)}", "setting") from None
        except httpx.HTTPError as exc:
            raise EnrichError(
                f"no network: the connection to {host} broke ({_reason(exc)})", "network"
            ) from None

    @staticmethod
    def _checked_text(answer: Answer, host: str) -> str:
        if answer.status != httpx.codes.OK:
            busy = answer.status in BUSY_STATUSES
            raise EnrichError(
                f"arXiv answered HTTP {answer.status}"
                + (f" {answer.reason}" if answer.reason else "")
                + (f" from {host}" if " (redirected" in host else "")
                + (" (busy or down: try again later)" if busy else ""),
                "http",
            )
        try:
            return answer.body.decode(answer.encoding, errors="replace")
        except LookupError:
            return answer.body.decode("utf-8", errors="replace")


#: The statuses that send the client elsewhere.
REDIRECTS = (301, 302, 303, 307, 308)


def _host(url: str) -> str:
    """host:port of `url`, as the user would recognise it."""
    try:
        return urlsplit(url).netloc.rpartition("@")[2] or url
    except ValueError:
        return url


def _via(came_from: str) -> str:
    return f" (redirected from {came_from})" if came_from else ""


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


__all__ = [
    "ArxivClient", "Cancelled", "EnrichError", "Pacer", "never", "pace_file", "shared_pacer",
]
