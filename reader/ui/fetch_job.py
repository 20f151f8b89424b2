"""Fetching the feeds in the background, while the user goes on with the list.

The fetch itself is `reader.core.feeds.fetch_feeds`, run in a thread worker
(it waits on servers and on arXiv's pace). The thread changes the Library
under `Library.lock`, as every changing method does, so the user's stars and
reads go on beside it; it never touches a widget. It tells its owner (the
main screen) how it goes with typed messages: `Progressed` after each step
of a feed, `Finished` at the end with the `FetchReport`.

`stop` ends it soon: a wait for the pace or a request under way ends at once
(see `core.pace`, `core.feed_http`), and what was saved stays (the next
fetch picks up where this one stopped). Quitting the app does the same: the
worker is cancelled, and the fetch hears of it at its next step.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial

from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from ..core.feed_store import FeedStore
from ..core.feeds import DEFAULT_SINCE_DAYS, FeedResult, FetchEvent, fetch_feeds
from ..core.library import Library
from ..core.pace import Cancelled
from ..errors import ReaderError

NO_FEEDS = "no feeds yet: `reader feed add NAME SOURCE` follows one"


@dataclass
class FetchReport:
    results: list[FeedResult] = field(default_factory=list)
    error: str = ""
    stopped: bool = False

    @property
    def added(self) -> int:
        return sum(len(r.added) for r in self.results)

    @property
    def failed(self) -> bool:
        return bool(self.error) or any(r.error for r in self.results)

    def message(self) -> str:
        if self.error:
            return f"Fetch: {self.error}"
        failed = [r for r in self.results if r.error]
        noun = "paper" if self.added == 1 else "papers"
        feeds = len(self.results)
        line = f"{self.added} new {noun} from {feeds} feed{'s' if feeds != 1 else ''}"
        if self.stopped:
            line += " (stopped)"
        if failed:
            line += f"; {len(failed)} failed: " + "; ".join(r.line() for r in failed[:2])
        return line


class FeedFetch:
    """One fetch of the feeds at a time for `owner`, which gets its messages."""

    @dataclass
    class Started(Message):
        """The fetch began: these feeds, in this order."""

        names: list[str]

    @dataclass
    class Progressed(Message):
        """A feed moved on a stage (asking, reading, saving, done)."""

        event: FetchEvent

    @dataclass
    class Finished(Message):
        """The fetch ended (done, stopped or failed): what it brought."""

        report: FetchReport

    def __init__(self, owner: Widget, library: Library) -> None:
        self._stop = threading.Event()
        self._worker: Worker[None] | None = None
        self.owner = owner
        self.library = library

    @property
    def running(self) -> bool:
        worker = self._worker
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    @property
    def stopping(self) -> bool:
        return self.running and self._stop.is_set()

    def start(self, since_days: float = DEFAULT_SINCE_DAYS) -> str:
        """Begin a fetch of every feed; returns why not ("" when it began)."""
        if self.running:
            return "a fetch is under way"
        try:
            names = list(FeedStore(self.library.path).load())
        except ReaderError as exc:
            return str(exc)
        if not names:
            return NO_FEEDS
        self._stop = threading.Event()
        self.owner.post_message(self.Started(names))
        self._worker = self.owner.run_worker(
            partial(self._fetch, names, since_days, self._stop), thread=True, group="fetch",
            name="fetch feeds", exit_on_error=False,
        )
        return ""

    def stop(self) -> None:
        self._stop.set()

    def _fetch(self, names: list[str], since_days: float, stop: threading.Event) -> None:
        """In a thread: the whole fetch. Widgets are never touched here."""
        worker = get_current_worker()
        report = FetchReport()

        def told(event: FetchEvent) -> None:
            if event.result is not None:
                report.results.append(event.result)
            self.owner.post_message(self.Progressed(event))

        try:
            fetch_feeds(self.library, names, since_days=since_days,
                        should_stop=lambda: stop.is_set() or worker.is_cancelled, on_event=told)
        except Cancelled:
            report.stopped = True
        except ReaderError as exc:
            report.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a fetch never brings the app down
            report.error = f"unexpected {type(exc).__name__}: {exc}"
        self.owner.post_message(self.Finished(report))
