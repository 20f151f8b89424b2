"""Fetching feeds into the library: each feed asked once, its new papers merged.

For each feed, one after the other: ask its server (`feed_http`: a
conditional GET, at the pace), read the reply (`feed_parse`), and keep the
entries not looked at before. Of those, a paper the user deleted
(`forgotten`) is left out; the others go to the library's usual merge
(`Library.add_papers`, which finds the papers it has already and, told
`skip_found`, leaves them alone, their state untouched): they are added
unread, new (`is:new`) and tagged `feed:NAME`.
`is:new` is what arrived in the last fetch that brought anything: when the
first papers of a fetch are added, those an earlier fetch brought and the
user has not seen yet stop being new (they stay unread).
Only then is the feed's state written (`feed_store`): its validators and the
keys of the entries looked at.

A crash anywhere leaves at most papers added whose feed state was not yet
written: the next fetch asks again, finds them in the library and adds
nothing twice. The first fetch of a feed keeps the entries of the last
`since_days` days only (at most `FIRST_FETCH_MAX`). A feed that fails is
reported and the others go on; a busy server's Retry-After is kept and the
feed skipped until then. One fetch at a time per library
(``library.feeds.json.fetching``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..errors import ReaderError
from .feed_http import FeedClient, FeedHTTPError, when_text
from .feed_parse import FeedItem, parse_feed
from .feed_sources import request_for
from .feed_store import Feed, FeedError, FeedStore, feeds_path
from .filelock import FileLock
from .forgotten import Forgotten, load_forgotten
from .library import Library
from .models import Paper
from .pace import Cancelled, never, pace_file

#: The first fetch of a feed keeps entries of this many days by default.
DEFAULT_SINCE_DAYS = 7
#: ... and at most this many of them.
FIRST_FETCH_MAX = 200


def feed_tag(name: str) -> str:
    return f"feed:{name.lower()}"


@dataclass
class FeedResult:
    name: str
    added: list[str] = field(default_factory=list)
    #: entries in the reply, and those already looked at in an earlier fetch
    entries: int = 0
    known: int = 0
    #: left out: older than the first fetch's bound, deleted by the user, already in the library
    old: int = 0
    deleted: int = 0
    already: int = 0
    not_modified: bool = False
    error: str = ""
    #: skipped without asking (a busy server's wish)
    waiting: bool = False

    def line(self) -> str:
        if self.error:
            return f"{self.name}: {self.error}"
        if self.not_modified:
            return f"{self.name}: not changed since the last fetch"
        parts = [f"{len(self.added)} new"]
        if self.already:
            parts.append(f"{self.already} already in the library")
        if self.deleted:
            parts.append(f"{self.deleted} deleted before")
        if self.old:
            parts.append(f"{self.old} older than the first fetch's bound")
        return f"{self.name}: " + ", ".join(parts)


@dataclass(frozen=True)
class FetchEvent:
    """Told as the fetch goes: feed `index` of `total` is at `stage`
    ("asking", "reading", "saving", "done"); `result` once done."""

    name: str
    index: int
    total: int
    stage: str
    result: FeedResult | None = None


OnEvent = Callable[[FetchEvent], None]


def fetch_feeds(
    library: Library,
    names: Sequence[str] = (),
    *,
    since_days: float = DEFAULT_SINCE_DAYS,
    should_stop: Callable[[], bool] = never,
    on_event: OnEvent | None = None,
    client: FeedClient | None = None,
) -> list[FeedResult]:
    """Fetch the feeds `names` (all, by default). Raises Cancelled when told
    to stop (what was saved stays), FeedError for an unknown name or another fetch."""
    store = FeedStore(library.path)
    feeds = store.load()
    for name in names:
        if name not in feeds:
            raise FeedError(f"no feed named {name!r} (`reader feed list` shows them)")
    chosen = [feeds[n] for n in dict.fromkeys(names)] if names else list(feeds.values())
    running = FileLock(feeds_path(library.path).with_name(feeds_path(library.path).name + ".fetching"))
    with running.try_hold() as held:
        if not held:
            raise FeedError("another fetch of this library is under way; try again when it is done")
        own = client is None
        client = client or FeedClient(pace=pace_file(library.path))
        try:
            job = _Fetch(library, store, client, since_days, should_stop, on_event)
            return [job.one(feed, i, len(chosen)) for i, feed in enumerate(chosen)]
        finally:
            if own:
                client.close()


class _Fetch:
    def __init__(
        self, library: Library, store: FeedStore, client: FeedClient, since_days: float,
        should_stop: Callable[[], bool], on_event: OnEvent | None,
    ) -> None:
        self.library, self.store, self.client = library, store, client
        self.since = timedelta(days=max(0.0, since_days))
        self.should_stop = should_stop
        self.on_event = on_event
        self.forgotten: Forgotten = load_forgotten(library.path)
        #: Whether the papers of earlier fetches left `is:new` yet.
        self.renewed = False

    def tell(self, feed: Feed, i: int, total: int, stage: str, result: FeedResult | None = None) -> None:
        if self.on_event is not None:
            self.on_event(FetchEvent(feed.name, i, total, stage, result))

    def one(self, feed: Feed, i: int, total: int) -> FeedResult:
        result = FeedResult(feed.name)
        if self.should_stop():
            raise Cancelled()
        now = time.time()
        if feed.retry_at > now:
            result.error = f"its server asked us to wait until {when_text(feed.retry_at)}"
            result.waiting = True
            self.tell(feed, i, total, "done", result)
            return result
        self.tell(feed, i, total, "asking")
        try:
            self._fetch(feed, result, i, total)
        except (FeedHTTPError, ReaderError) as exc:
            result.error = str(exc)
            retry_at = getattr(exc, "retry_at", None) or 0.0
            if retry_at:
                result.error += f" (asked again after {when_text(retry_at)})"

            def failed(f: Feed) -> None:
                f.last_error = result.error
                f.retry_at = retry_at

            self.store.record(feed.name, feed.source, failed)
        self.tell(feed, i, total, "done", result)
        return result

    def _fetch(self, feed: Feed, result: FeedResult, i: int, total: int) -> None:
        request = request_for(feed.parsed)
        first = not feed.last_fetch
        fetched = self.client.get(
            request.url, request.params, etag="" if first else feed.etag,
            last_modified="" if first else feed.last_modified, should_stop=self.should_stop,
        )
        stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
        if fetched.body is None:
            result.not_modified = True

            def unchanged(f: Feed) -> None:
                f.last_fetch, f.last_new, f.last_error, f.retry_at = stamp, 0, "", 0.0

            self.store.record(feed.name, feed.source, unchanged)
            return
        self.tell(feed, i, total, "reading")
        items = parse_feed(fetched.body, fetched.content_type)
        result.entries = len(items)
        incoming = self._incoming(feed, items, first, result)
        if self.should_stop():
            raise Cancelled()
        if incoming:
            self.tell(feed, i, total, "saving")
            earlier = self._new_before()
            imported = self.library.add_papers(incoming, backup=False, skip_found=True)
            result.added = list(imported.added)
            result.already += len(imported.found)
            if result.added and earlier is not None:
                self.renewed = True  # this fetch's papers are the new ones now
                if earlier:
                    self.library.mark_seen(earlier)
        keys = [item.key for item in items]

        def done(f: Feed) -> None:
            f.etag, f.last_modified = fetched.etag, fetched.last_modified
            f.last_fetch, f.last_new, f.last_error, f.retry_at = stamp, len(result.added), "", 0.0
            f.total_new += len(result.added)
            old = set(keys)
            f.known = [k for k in f.known if k not in old] + keys

        self.store.record(feed.name, feed.source, done)

    def _new_before(self) -> list[str] | None:
        """Until this fetch brought a paper: the papers new from earlier fetches
        (they stop being new once it has)."""
        if self.renewed:
            return None
        with self.library.lock:
            return [p.id for p in self.library.papers() if p.new]

    def _incoming(self, feed: Feed, items: list[FeedItem], first: bool, result: FeedResult) -> list[Paper]:
        known = set(feed.known)
        cutoff = datetime.now(UTC) - self.since
        papers: list[Paper] = []
        for item in items:
            if item.key in known:
                result.known += 1
                continue
            if first and (
                (item.published is not None and item.published < cutoff) or len(papers) >= FIRST_FETCH_MAX
            ):
                result.old += 1
                continue
            paper = item.paper
            if self.forgotten.covers(paper):
                result.deleted += 1
                continue
            paper.tags = [feed_tag(feed.name)]
            paper.new = True
            papers.append(paper)
        return papers
