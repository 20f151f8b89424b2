"""Crossref's REST API: a work by its DOI, and works by title.

Crossref asks for a `mailto` in the User-Agent (its "polite pool"): it is
`$READER_MAILTO` when set. Requests are paced (`CROSSREF_INTERVAL` apart,
one at a time, shared by every client of the process) and each is bounded
as a whole by the timeout (`http_fetch`).

Settings, read when used (never at import):

* ``$READER_CROSSREF_URL``: the API's base (default `DEFAULT_URL`), for a
  mirror or a local test server;
* ``$READER_CROSSREF_MIN_INTERVAL``: seconds between two requests;
* ``$READER_MAILTO``: an address Crossref may write to about our requests.

A reply is hostile until read: its JSON is checked shape by shape and only
strings, numbers and lists of them come out, cleaned (`work_paper`).
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from .. import __version__
from .arxiv_api import EnrichError, _env_seconds, _reason, request_timeout
from .http_fetch import Answer, ServiceClient, Stopped, Timeout, TooLarge, fetch
from .importers.common import clean_doi, shorten
from .models import Paper
from .names import Person
from .pace import Cancelled, Pacer, never
from .text import clean_paper, clean_text

DEFAULT_URL = "https://api.crossref.org"
ENV_URL = "READER_CROSSREF_URL"
ENV_INTERVAL = "READER_CROSSREF_MIN_INTERVAL"
ENV_MAILTO = "READER_MAILTO"
#: Crossref allows many requests a second; reader asks at most one.
CROSSREF_INTERVAL = 1.0
MAX_REPLY_BYTES = 5 * 1024 * 1024
#: Works asked for by a title search.
TITLE_ROWS = 5
#: Crossref's types as BibTeX entry types.
ENTRY_TYPES = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book-chapter": "incollection",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "report": "techreport",
    "dissertation": "phdthesis",
    "posted-content": "misc",
    "dataset": "misc",
}
#: Crossref's fields kept beside the venue, by their BibTeX names.
EXTRA_FIELDS = {"volume": "volume", "issue": "number", "page": "pages", "publisher": "publisher"}
_TAGS = re.compile(r"<[^>]{0,200}>")

_pacer: Pacer | None = None
_pacer_lock = threading.Lock()


def crossref_url() -> str:
    """`$READER_CROSSREF_URL`, else Crossref's API; read at each call."""
    url = (os.environ.get(ENV_URL, "").strip() or DEFAULT_URL).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EnrichError(f"${ENV_URL} is not an http(s) address: {shorten(url, 80)!r}", "setting")
    return url


def user_agent() -> str:
    mailto = clean_text(os.environ.get(ENV_MAILTO, "")).replace(" ", "")
    contact = f"; mailto:{mailto}" if re.fullmatch(r"[^@\s;()]+@[^@\s;()]+", mailto) else ""
    return f"reader-tui/{__version__} (https://pypi.org/project/reader-tui/{contact})"


def crossref_pacer() -> Pacer:
    """The process's one pacer for Crossref."""
    global _pacer
    with _pacer_lock:
        if _pacer is None:
            _pacer = Pacer(CROSSREF_INTERVAL)
        _pacer.interval = _env_seconds(ENV_INTERVAL, CROSSREF_INTERVAL)
        return _pacer


class CrossrefClient(ServiceClient):
    """Crossref's `/works` over httpx, at a polite pace."""

    def __init__(self, url: str | None = None, *, timeout: float | None = None,
                 pacer: Pacer | None = None) -> None:
        super().__init__(
            url or crossref_url(),
            request_timeout() if timeout is None else timeout,
            {"User-Agent": user_agent(), "Accept": "application/json"},
        )
        self.pacer = pacer or crossref_pacer()

    def work(self, doi: str, should_stop: Callable[[], bool] | None = None) -> Paper | None:
        """The work of `doi` (None: Crossref knows no such DOI)."""
        answer = self._get(f"{self.url}/works/{quote(doi, safe='/():;')}", None, should_stop)
        if answer.status == httpx.codes.NOT_FOUND:
            return None
        message = self._message(answer)
        if not isinstance(message, dict):
            raise EnrichError("Crossref's reply could not be read (no work in it)", "reply")
        return work_paper(message)

    def search_title(self, title: str, should_stop: Callable[[], bool] | None = None) -> list[Paper]:
        """A few works whose bibliographic data best match `title`."""
        params = {"query.bibliographic": title, "rows": str(TITLE_ROWS)}
        message = self._message(self._get(f"{self.url}/works", params, should_stop))
        items = message.get("items") if isinstance(message, dict) else None
        if not isinstance(items, list):
            raise EnrichError("Crossref's reply could not be read (no list of works)", "reply")
        return [work_paper(item) for item in items if isinstance(item, dict)]

    # ------------------------------------------------------------------ HTTP
    def _get(self, url: str, params: dict[str, str] | None,
             should_stop: Callable[[], bool] | None) -> Answer:
        stop = should_stop or never

        def request() -> Answer:
            self.requests += 1
            return fetch(self._http, url, params, timeout=self.timeout,
                         max_bytes=MAX_REPLY_BYTES, should_stop=stop)

        host = self.host
        try:
            return self.pacer.run(request, stop)
        except Stopped:
            raise Cancelled() from None
        except TooLarge:
            raise EnrichError(f"Crossref's reply could not be read (larger than "
                              f"{MAX_REPLY_BYTES // 1024 // 1024} MB)", "reply") from None
        except (Timeout, httpx.TimeoutException):
            raise EnrichError(f"timeout: {host} did not answer within {self.timeout:g} s",
                              "timeout") from None
        except httpx.ConnectError as exc:
            raise EnrichError(f"no network: cannot connect to {host} ({_reason(exc)})",
                              "network") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise EnrichError(f"${ENV_URL} is not usable: {_reason(exc)}", "setting") from None
        except httpx.HTTPError as exc:
            raise EnrichError(f"no network: the connection to {host} broke ({_reason(exc)})",
                              "network") from None

    def _message(self, answer: Answer) -> Any:
        if answer.status != httpx.codes.OK:
            raise EnrichError(http_problem("Crossref", answer), "http")
        try:
            data = json.loads(answer.body.decode("utf-8", errors="replace"))
        except ValueError:
            raise EnrichError("Crossref's reply could not be read (not JSON)", "reply") from None
        if not isinstance(data, dict) or "message" not in data:
            raise EnrichError("Crossref's reply could not be read (no message in it)", "reply")
        return data["message"]


def http_problem(who: str, answer: Answer) -> str:
    """`Crossref answered HTTP 429 Too Many Requests (busy: try again in 30 s)`."""
    line = f"{who} answered HTTP {answer.status}" + (f" {answer.reason}" if answer.reason else "")
    if answer.status in (429, 502, 503, 504):
        wait = retry_after(answer.headers.get("retry-after", ""))
        line += f" (busy: try again in {wait} s)" if wait else " (busy or down: try again later)"
    return line


def retry_after(value: str) -> int | None:
    """The seconds of a Retry-After header given in seconds (a date is not read)."""
    value = value.strip()
    if value.isdigit() and len(value) <= 6:
        return int(value)
    return None


# ---------------------------------------------------------------- a work as a paper
def _text(value: Any) -> str:
    """A string, or the first string of a list; anything else is ""."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return clean_text(str(value))


def _year(work: dict[str, Any]) -> int | None:
    for key in ("published-print", "published-online", "issued", "published", "created"):
        parts = work.get(key)
        parts = parts.get("date-parts") if isinstance(parts, dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = parts[0][0]
            if isinstance(year, int) and not isinstance(year, bool) and 1000 <= year <= 9999:
                return year
    return None


def _people(value: Any) -> list[Person]:
    people = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict):
            continue
        family, given, name = _text(item.get("family")), _text(item.get("given")), _text(item.get("name"))
        if family:
            people.append(Person(family=family, given=given))
        elif name or given:
            people.append(Person(literal=name or given))
    return people


def _pdf_link(value: Any) -> str:
    for link in value if isinstance(value, list) else []:
        if isinstance(link, dict) and _text(link.get("content-type")) == "application/pdf":
            url = _text(link.get("URL"))
            if url.startswith(("http://", "https://")):
                return url
    return ""


def work_paper(work: dict[str, Any]) -> Paper:
    """A Crossref work as a paper (no id yet), every text cleaned."""
    doi = clean_doi(_text(work.get("DOI")))
    extra = {name: text for key, name in EXTRA_FIELDS.items() if (text := _text(work.get(key)))}
    abstract = " ".join(_TAGS.sub(" ", _text(work.get("abstract"))).split())
    venue = _text(work.get("container-title"))
    entry_type = ENTRY_TYPES.get(_text(work.get("type")), "")
    venue_field = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}
    paper = Paper(
        id="",
        title=" ".join(_text(work.get("title")).split()),
        authors=_people(work.get("author")),
        editors=_people(work.get("editor")),
        year=_year(work),
        venue=venue,
        venue_field=venue_field.get(entry_type, "journal") if venue else "",
        abstract=abstract,
        url=f"https://doi.org/{doi}" if doi else "",
        pdf_url=_pdf_link(work.get("link")),
        doi=doi,
        entry_type=entry_type,
        extra=extra,
    )
    return clean_paper(paper)


def metadata_values(work: Paper) -> dict[str, Any]:
    """The fields a Crossref work can fill in (`Library.update_metadata`)."""
    values: dict[str, Any] = {
        "title": work.title, "authors": [a.to_doc() for a in work.authors], "year": work.year,
        "venue": work.venue, "venue_field": work.venue_field, "abstract": work.abstract,
        "doi": work.doi, "entry_type": work.entry_type, "pdf_url": work.pdf_url,
        "extra": dict(work.extra),
    }
    return {k: v for k, v in values.items() if v not in ("", None, [], {})}
