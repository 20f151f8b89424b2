"""Asking a feed's server politely: conditional GETs, the pace, Retry-After.

One request at a time (the fetch goes feed by feed), each bounded as a
whole by a timeout and stoppable at once (`http_fetch`). A request to the
arXiv API keeps arXiv's pace with every other client of reader, across
processes (`arxiv_api`, `pace`); other hosts get `HOST_INTERVAL` seconds
between two requests. The validators the server gave last time (`ETag`,
`Last-Modified`) are sent back, so an unchanged feed costs a 304 and no
body. A busy server's `Retry-After` is read (seconds or a date) and kept, so
the feed is not asked again before then.

Settings, read when used: ``$READER_FEED_TIMEOUT`` (seconds for a whole
answer, default 20), ``$READER_FEED_MIN_INTERVAL`` (seconds between two
requests to one host that is not arXiv, default 1).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import ReaderError
from .arxiv_api import USER_AGENT, is_arxiv_host, min_interval, normal_host
from .env_seconds import BadSeconds, env_seconds
from .http_fetch import Answer, Stopped, Timeout, TooLarge, fetch
from .pace import Cancelled, Pacer, shared_pacer

ENV_TIMEOUT = "READER_FEED_TIMEOUT"
ENV_INTERVAL = "READER_FEED_MIN_INTERVAL"
DEFAULT_TIMEOUT = 20.0
HOST_INTERVAL = 1.0
MAX_REDIRECTS = 5
MAX_BYTES = 20 * 1024 * 1024
#: A Retry-After further away than this is taken as this (a day).
MAX_RETRY_AFTER = 24 * 3600.0
#: Waited when a busy server (429, 503) gives no Retry-After.
DEFAULT_RETRY_AFTER = 300.0
BUSY = frozenset({429, 503})


class FeedHTTPError(ReaderError):
    """The feed could not be fetched. `retry_at`: a busy server's wish (epoch seconds)."""

    def __init__(self, message: str, retry_at: float | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at


@dataclass
class Fetched:
    #: None when the server said the feed has not changed (304)
    body: bytes | None
    etag: str
    last_modified: str
    content_type: str


def _seconds(name: str, default: float) -> float:
    """A feed fetch goes on with the default when a setting is wrong."""
    try:
        return env_seconds(name, default)
    except BadSeconds:
        return default


def retry_after(value: str, now: float) -> float:
    """The epoch time a `Retry-After` value (seconds, or an HTTP date) names."""
    value = value.strip()
    if value.isdigit():
        wait = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            wait = DEFAULT_RETRY_AFTER
        else:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            wait = when.timestamp() - now
    return now + min(max(wait, 0.0), MAX_RETRY_AFTER)


class FeedClient:
    """One client for a whole fetch: keep it open across feeds, close it after."""

    def __init__(self, pace: Path | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self.timeout = _seconds(ENV_TIMEOUT, DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT
        self.pace = pace
        self._pacers: dict[str, Pacer] = {}
        self._http = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def _pacer(self, url: str) -> tuple[Pacer, float | None]:
        if is_arxiv_host(url) or self._is_arxiv_api(url):
            return shared_pacer(min_interval(url), self.pace), min_interval(url)
        host = normal_host(url)
        if host not in self._pacers:
            self._pacers[host] = Pacer(_seconds(ENV_INTERVAL, HOST_INTERVAL))
        return self._pacers[host], None

    @staticmethod
    def _is_arxiv_api(url: str) -> bool:
        from .arxiv_api import arxiv_api_url

        try:
            return normal_host(url) == normal_host(arxiv_api_url())
        except ReaderError:
            return False

    def get(
        self,
        url: str,
        params: dict[str, str] | None,
        *,
        etag: str = "",
        last_modified: str = "",
        should_stop: Callable[[], bool],
    ) -> Fetched:
        """GET a feed, following redirects (each paced); raises FeedHTTPError or Cancelled."""
        headers = {"Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        query: dict[str, str] | None = params
        for _ in range(MAX_REDIRECTS + 1):
            if urlsplit(url).scheme not in ("http", "https"):
                raise FeedHTTPError(f"{_host(url)} is not an http(s) address")
            pacer, interval = self._pacer(url)
            answer: Answer = pacer.run(
                partial(self._one, url, query, headers, should_stop), should_stop, interval=interval
            )
            location = answer.headers.get("location", "")
            if answer.status in (301, 302, 303, 307, 308) and location:
                url, query = urljoin(str(httpx.URL(url, params=query)), location), None
                continue
            break
        else:
            raise FeedHTTPError(f"{_host(url)} redirected too many times")
        if answer.status == 304:
            return Fetched(None, etag, last_modified, "")
        if answer.status != 200:
            retry_at = None
            if answer.status in BUSY:
                now = time.time()
                header = answer.headers.get("retry-after", "")
                retry_at = retry_after(header, now) if header else now + DEFAULT_RETRY_AFTER
            reason = f" {answer.reason}" if answer.reason else ""
            raise FeedHTTPError(f"{_host(url)} answered HTTP {answer.status}{reason}", retry_at)
        return Fetched(
            answer.body,
            answer.headers.get("etag", "")[:500],
            answer.headers.get("last-modified", "")[:100],
            answer.headers.get("content-type", "")[:200],
        )

    def _one(
        self, url: str, params: dict[str, str] | None, headers: dict[str, str],
        should_stop: Callable[[], bool],
    ) -> Answer:
        host = _host(url)
        try:
            return fetch(
                self._http, url, params, timeout=self.timeout, max_bytes=MAX_BYTES,
                should_stop=should_stop, headers=headers,
            )
        except Stopped:
            raise Cancelled() from None
        except TooLarge:
            raise FeedHTTPError(f"{host} sent more than {MAX_BYTES // (1024 * 1024)} MB") from None
        except (Timeout, httpx.TimeoutException):
            raise FeedHTTPError(f"timeout: {host} did not answer within {self.timeout:g} s") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise FeedHTTPError(f"{host} is not usable: {_reason(exc)}") from None
        except httpx.HTTPError as exc:
            raise FeedHTTPError(f"no network: cannot fetch from {host} ({_reason(exc)})") from None


def _host(url: str) -> str:
    try:
        return urlsplit(url).netloc.rpartition("@")[2] or url[:80]
    except ValueError:
        return url[:80]


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:100] if text else type(exc).__name__


def when_text(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M UTC")
