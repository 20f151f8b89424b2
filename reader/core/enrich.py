"""Filling in papers' bibliographic details from the arXiv API.

A paper copied from a trending-papers page has a title and an abstract only.
`enrich` looks each one up in the arXiv API (`export.arxiv.org/api/query`)
and fills in what is empty: authors, year, arXiv id (no version), DOI,
primary category, abstract and PDF links (and the title or abstract, if
those are empty). The reader's own edits and state are never touched: every
change goes through `Library.update_metadata`, which fills empty fields only.

How a paper is looked up:

* with an arXiv id: by `id_list`; every known id goes into one request (in
  chunks of `ID_BATCH`);
* without one: by an exact title search, `ti:"..."`. A result is accepted
  only if its title equals ours under `title_key` (case, punctuation, white
  space, accents and TeX ignored). Anything else is "not found", never a
  guess.

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
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from .. import __version__
from ..errors import ImportFormatError, ReaderError
from .importers.arxiv import parse_atom
from .importers.common import ParseResult, normalise_arxiv_id, shorten
from .library import Library, UnknownPaper
from .models import Paper
from .text import fold, tex_to_plain, title_key

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
MAX_REPLY_BYTES = 20 * 1024 * 1024
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
            f"${ENV_URL} is not an http(s) address: {shorten(url, 80)!r}", "setting"
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
        raise EnrichError(f"${name} is not a number of seconds: {shorten(raw, 40)!r}", "setting") from None
    if not value >= 0 or value == float("inf"):
        raise EnrichError(f"${name} is not a number of seconds: {shorten(raw, 40)!r}", "setting")
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
        step: float = 0.1,
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
        stop = should_stop or _never
        self._take_turn(stop)
        try:
            self._wait(stop)
            self.last_start = self.clock()
            return request()
        finally:
            self._turn.release()


def _never() -> bool:
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

    def __enter__(self) -> "ArxivClient":
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
                if response.status_code != 200:
                    reason = response.reason_phrase or ""
                    raise EnrichError(
                        f"arXiv answered HTTP {response.status_code}"
                        + (f" {reason}" if reason else "")
                        + (" (busy or down: try again later)" if response.status_code in (429, 502, 503, 504) else ""),
                        "http",
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_REPLY_BYTES:
                        raise EnrichError(
                            f"arXiv's reply could not be read (larger than {MAX_REPLY_BYTES // 2**20} MB)",
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
    return shorten(text, 100) if text else type(exc).__name__


def _snippet(text: str) -> str:
    """The start of a reply that is not XML (arXiv's "Rate exceeded.")."""
    head = text.strip()
    if not head or head.startswith("<"):
        return ""
    return f": {shorten(head, 60)!r}"


# ---------------------------------------------------------------- what is filled
def needs_enrichment(paper: Paper) -> bool:
    """Whether a paper lacks authors, a year or an arXiv id."""
    return not (paper.authors and paper.year is not None and paper.arxiv_id)


def entry_values(entry: Paper) -> dict[str, Any]:
    """The fields an arXiv entry can fill in: links are the version-less
    abstract and PDF pages, which always show the latest version."""
    arxiv_id = entry.arxiv_id
    values: dict[str, Any] = {
        "title": entry.title,
        "authors": [a.to_doc() for a in entry.authors],
        "year": entry.year,
        "abstract": entry.abstract,
        "arxiv_id": arxiv_id,
        "doi": entry.doi,
        "category": entry.category,
        "url": f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else entry.url,
        "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}" if arxiv_id else entry.pdf_url,
    }
    return {k: v for k, v in values.items() if v not in ("", None, [])}


def match_title(title: str, entries: Iterable[Paper]) -> tuple[Paper | None, str]:
    """The one entry whose title is `title` (under `title_key`), else None and why."""
    key = title_key(title)
    entries = list(entries)
    if not entries:
        return None, "no results for this title"
    same = [e for e in entries if e.arxiv_id and key and title_key(e.title) == key]
    ids = list(dict.fromkeys(e.arxiv_id or e.url for e in same))
    if len(ids) > 1:
        return None, "several arXiv papers have this title: " + ", ".join(ids[:3])
    if same:
        return same[0], ""
    return None, f"no title match (arXiv's nearest: “{shorten(tex_to_plain(entries[0].title), 160)}”)"


# ---------------------------------------------------------------- the run
@dataclass
class Progress:
    """One paper done: sent to `on_progress` after its change is saved."""

    pid: str
    done: int
    total: int
    found: int
    not_found: int
    #: "found" or "not found"
    outcome: str
    #: the arXiv id found, or why not
    detail: str
    #: whether the paper's stored metadata changed
    changed: bool = False

    def line(self) -> str:
        """`[3/86] qutf: found arXiv:2311.07777`"""
        what = f"found arXiv:{self.detail}" if self.outcome == "found" else f"not found: {self.detail}"
        if self.outcome == "found" and not self.changed:
            what += " (nothing new)"
        return f"[{self.done}/{self.total}] {self.pid}: {what}"


@dataclass
class EnrichReport:
    #: papers that needed a look-up
    total: int = 0
    #: (paper id, arXiv id)
    found: list[tuple[str, str]] = field(default_factory=list)
    #: papers whose stored metadata changed
    changed: list[str] = field(default_factory=list)
    #: (paper id, reason)
    not_found: list[tuple[str, str]] = field(default_factory=list)
    #: papers that already had authors, a year and an arXiv id
    complete: list[str] = field(default_factory=list)
    #: what stopped the run, if anything did
    error: ReaderError | None = None
    cancelled: bool = False
    requests: int = 0

    @property
    def done(self) -> int:
        return len(self.found) + len(self.not_found)

    def summary(self) -> str:
        """`enriched 3, not found 1`, and what stopped it, if anything."""
        line = f"enriched {len(self.found)}, not found {len(self.not_found)}"
        if self.complete:
            line += f", already complete {len(self.complete)}"
        if self.cancelled:
            line += f" (stopped after {self.done} of {self.total})"
        return line

    def message(self) -> str:
        """One sentence for the TUI."""
        if self.error is not None:
            return (
                f"arXiv look-up stopped: {self.error}. "
                f"{self.done} of {self.total} papers done before it ({self.summary()}); "
                "nothing else changed."
            )
        if self.total == 0:
            return "Nothing to look up: these papers have authors, a year and an arXiv id."
        head = "arXiv look-up cancelled" if self.cancelled else "arXiv look-up done"
        return f"{head}: {self.summary()}."


def enrich(
    library: Library,
    papers: Iterable[Paper],
    client: ArxivClient,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    report: EnrichReport | None = None,
) -> EnrichReport:
    """Look `papers` up on arXiv and fill their empty fields, one paper at a time.

    Each paper's change is saved as soon as it is known. A network, HTTP or
    reply error stops the run and is kept in `report.error`; what was saved
    before it stays. `should_stop` is asked before every request and every
    save; when it says yes the run ends with `report.cancelled`.
    """
    report = report if report is not None else EnrichReport()
    stop = should_stop or _never
    by_id: list[tuple[Paper, str]] = []
    by_title: list[Paper] = []
    for paper in papers:
        if not needs_enrichment(paper):
            report.complete.append(paper.id)
            continue
        arxiv_id = normalise_arxiv_id(paper.arxiv_id) if paper.arxiv_id else ""
        if arxiv_id:
            by_id.append((paper, arxiv_id))
        else:
            by_title.append(paper)
    report.total = len(by_id) + len(by_title)

    def settle(paper: Paper, entry: Paper | None, reason: str) -> None:
        if stop():
            raise Cancelled()
        changed = False
        if entry is not None:
            try:
                changed = library.update_metadata(paper.id, entry_values(entry))
            except UnknownPaper:
                entry, reason = None, "deleted meanwhile"
        if entry is not None:
            report.found.append((paper.id, entry.arxiv_id))
            if changed:
                report.changed.append(paper.id)
        else:
            report.not_found.append((paper.id, reason))
        if on_progress is not None:
            on_progress(
                Progress(
                    pid=paper.id,
                    done=report.done,
                    total=report.total,
                    found=len(report.found),
                    not_found=len(report.not_found),
                    outcome="found" if entry is not None else "not found",
                    detail=entry.arxiv_id if entry is not None else reason,
                    changed=changed,
                )
            )

    start_requests = client.requests
    try:
        for start in range(0, len(by_id), ID_BATCH):
            chunk = by_id[start : start + ID_BATCH]
            ids = list(dict.fromkeys(arxiv_id for _, arxiv_id in chunk))
            result = client.fetch_ids(ids, stop)
            entries = {fold(e.arxiv_id): e for e in result.papers if e.arxiv_id}
            refused = _api_error(result)
            for paper, arxiv_id in chunk:
                entry = entries.get(fold(arxiv_id))
                reason = refused or f"arXiv has no paper with id {arxiv_id}"
                settle(paper, entry, reason)
        for paper in by_title:
            if not title_query(paper.title):
                settle(paper, None, "no title or arXiv id to look it up by")
                continue
            result = client.search_title(paper.title, stop)
            refused = _api_error(result)
            if refused and not result.papers:
                settle(paper, None, refused)
                continue
            entry, reason = match_title(paper.title, result.papers)
            settle(paper, entry, reason)
    except Cancelled:
        report.cancelled = True
    except ReaderError as exc:  # EnrichError, or the library refusing a write
        report.error = exc
    finally:
        report.requests += client.requests - start_requests
    return report


def _api_error(result: ParseResult) -> str:
    for _, why in result.skipped:
        if why.startswith("arXiv API error"):
            return "arXiv refused the query: " + why.split(":", 1)[1].strip()
    return ""


# ---------------------------------------------------------------- command line
def run_enrich_cli(library: Library, papers: Sequence[Paper]) -> int:
    """`reader enrich`: progress on stderr, a summary on stdout."""
    todo = sum(1 for p in papers if needs_enrichment(p))
    if todo:
        client = ArxivClient()
        pace = client.pacer.interval
        minutes = todo * pace / 60  # the most it takes: one request a paper
        print(
            f"looking up {_papers(todo)} on {client.host}, one request every {pace:g} s"
            + (f" (at most about {minutes:.0f} min)" if minutes >= 1 else ""),
            file=sys.stderr,
            flush=True,
        )

        def show(progress: Progress) -> None:
            print(progress.line(), file=sys.stderr, flush=True)

        report = EnrichReport()
        try:
            with client:
                enrich(library, papers, client, on_progress=show, report=report)
        except KeyboardInterrupt:
            print(f"{report.summary()} (interrupted)", flush=True)
            raise
    else:
        report = EnrichReport(complete=[p.id for p in papers])
    print(report.summary(), flush=True)
    if report.error is not None:
        error = report.error
        done = f"after {report.done} of {_papers(report.total)}" if report.done else "before any paper"
        message = f"{error}; stopped {done}, nothing else changed"
        if isinstance(error, EnrichError):
            raise EnrichError(message, error.kind) from None
        raise ReaderError(message) from None
    return 0


def _papers(n: int) -> str:
    return f"{n} paper" if n == 1 else f"{n} papers"
