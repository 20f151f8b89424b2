"""The feeds a library follows and what reader knows of each, beside the library.

``library.feeds.json`` holds, per feed: its source, the validators its
server gave (`ETag`, `Last-Modified`), when it was last fetched, how many
papers arrived then and in all, the last error, the time a busy server asked
us to wait until, and the keys of the entries already looked at (so that an
entry is considered once, even one left out for being old).

Every change is a read-modify-write of the whole file under its own lock
(``library.feeds.json.lock``), replaced atomically: `reader feed add` while
a fetch runs loses neither. A fetch changes only the fetch fields of the
feed it fetched, and only if the feed is still there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import orjson

from ..errors import LibraryError, ReaderError
from ..paths import companion
from .feed_sources import Source, check_name, parse_source
from .filelock import FileLock
from .models import now_iso
from .storage import atomic_write_bytes, reason

SCHEMA = 1
#: Entry keys remembered per feed (the newest); a feed lists far fewer.
MAX_KNOWN = 20_000


class FeedError(ReaderError):
    exit_code = 2


@dataclass
class Feed:
    name: str
    source: str
    added: str = ""
    etag: str = ""
    last_modified: str = ""
    last_fetch: str = ""
    last_new: int = 0
    total_new: int = 0
    last_error: str = ""
    retry_at: float = 0.0
    known: list[str] = field(default_factory=list)

    @property
    def parsed(self) -> Source:
        return parse_source(self.source)

    @classmethod
    def from_doc(cls, name: str, doc: dict[str, Any]) -> Feed:
        feed = cls(name=name, source=str(doc.get("source", "")))
        for f in fields(cls):
            if f.name in ("name", "source") or f.name not in doc:
                continue
            value = doc[f.name]
            default = getattr(feed, f.name)
            if isinstance(default, list):
                feed.known = [str(v) for v in value] if isinstance(value, list) else []
            elif isinstance(default, bool | int | float) and isinstance(value, int | float):
                setattr(feed, f.name, type(default)(value))
            elif isinstance(default, str) and isinstance(value, str):
                setattr(feed, f.name, value)
        return feed

    def doc(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("name")
        return data


def feeds_path(library: Path) -> Path:
    return companion(library, "feeds")


class FeedStore:
    """The feeds file of the library at `library`."""

    def __init__(self, library: Path) -> None:
        self.path = feeds_path(library)
        self.lock = FileLock(self.path.with_name(self.path.name + ".lock"))

    # ------------------------------------------------------------------ reading
    def load(self) -> dict[str, Feed]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise LibraryError(f"cannot read {self.path}: {reason(exc)}") from None
        try:
            data = orjson.loads(raw)
            feeds = data["feeds"]
            if not isinstance(feeds, dict):
                raise TypeError
            return {str(n): Feed.from_doc(str(n), d) for n, d in feeds.items() if isinstance(d, dict)}
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            raise LibraryError(
                f"{self.path} is damaged (not the feeds file reader writes); move it away to start again"
            ) from None

    def get(self, name: str) -> Feed:
        feeds = self.load()
        if name not in feeds:
            raise FeedError(f"no feed named {name!r} (`reader feed list` shows them)")
        return feeds[name]

    # ------------------------------------------------------------------ writing
    def _edit(self, edit: Callable[[dict[str, Feed]], None]) -> None:
        with self.lock.hold():
            feeds = self.load()
            edit(feeds)
            data = {"schema": SCHEMA, "feeds": {n: f.doc() for n, f in feeds.items()}}
            try:
                atomic_write_bytes(self.path, orjson.dumps(data, option=orjson.OPT_INDENT_2))
            except OSError as exc:
                raise LibraryError(f"cannot write {self.path}: {reason(exc)}") from None

    def add(self, name: str, source: str) -> Feed:
        name = check_name(name)
        spec = parse_source(source).spec
        feed = Feed(name=name, source=spec, added=now_iso())

        def edit(feeds: dict[str, Feed]) -> None:
            if name in feeds:
                raise FeedError(f"a feed named {name!r} exists already ({feeds[name].source})")
            for other in feeds.values():
                if other.source == spec:
                    raise FeedError(f"{other.name!r} follows {spec} already")
            feeds[name] = feed

        self._edit(edit)
        return feed

    def remove(self, name: str) -> Feed:
        removed: list[Feed] = []

        def edit(feeds: dict[str, Feed]) -> None:
            if name not in feeds:
                raise FeedError(f"no feed named {name!r} (`reader feed list` shows them)")
            removed.append(feeds.pop(name))

        self._edit(edit)
        return removed[0]

    def rename(self, old: str, new: str) -> None:
        new = check_name(new)

        def edit(feeds: dict[str, Feed]) -> None:
            if old not in feeds:
                raise FeedError(f"no feed named {old!r} (`reader feed list` shows them)")
            if new in feeds:
                raise FeedError(f"a feed named {new!r} exists already")
            feed = feeds.pop(old)
            feed.name = new
            feeds[new] = feed

        self._edit(edit)

    def record(self, name: str, source: str, update: Callable[[Feed], None]) -> None:
        """Change the fetch fields of feed `name`, if it still follows `source`."""

        def edit(feeds: dict[str, Feed]) -> None:
            feed = feeds.get(name)
            if feed is not None and feed.source == source:
                update(feed)
                feed.known = feed.known[-MAX_KNOWN:]

        self._edit(edit)
