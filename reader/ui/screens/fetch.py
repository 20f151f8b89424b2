"""Fetching the feeds: a progress bar per feed over a thread worker.

The fetch itself is `reader.core.feeds.fetch_feeds`, run in a thread (it
waits on servers and on arXiv's pace). The worker hands each step over to the
UI thread (`call_from_thread`); it never touches a widget. Esc stops: a wait
for the pace or a request under way ends at once, and what was saved stays
(the next fetch picks up where this one stopped). The screen is dismissed
with the feeds' results (those done, when stopped).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static
from textual.worker import get_current_worker

from ...core.feed_store import Feed, FeedStore
from ...core.feeds import FeedResult, FetchEvent, fetch_feeds
from ...core.library import Library
from ...core.pace import Cancelled
from ...errors import ReaderError
from ..safe import MESSAGE_CHARS, one_line

#: The steps of one feed, for its bar.
STAGES = {"asking": 1, "reading": 2, "saving": 3, "done": 4}


@dataclass
class FetchReport:
    results: list[FeedResult] = field(default_factory=list)
    error: str = ""
    stopped: bool = False

    @property
    def added(self) -> int:
        return sum(len(r.added) for r in self.results)

    def message(self) -> str:
        if self.error:
            return f"Fetch: {self.error}"
        failed = [r for r in self.results if r.error]
        noun = "paper" if self.added == 1 else "papers"
        line = f"{self.added} new {noun} from {len(self.results)} feed{'s' if len(self.results) != 1 else ''}"
        if self.stopped:
            line += " (stopped)"
        if failed:
            line += f"; {len(failed)} failed: " + "; ".join(r.line() for r in failed[:2])
        return line


class FetchScreen(ModalScreen[FetchReport]):
    BINDINGS = [Binding("escape", "cancel", "Stop")]

    DEFAULT_CSS = """
    FetchScreen .fetch-row { height: 1; }
    FetchScreen .fetch-row Bar { width: 1fr; }
    FetchScreen .fetch-name { height: 1; color: $text-muted; }
    """

    def __init__(self, library: Library, since_days: float | None = None) -> None:
        super().__init__(classes="prompt")
        self.library = library
        self.since_days = since_days
        self.feeds: list[Feed] = []
        self.report = FetchReport()
        self._stop = threading.Event()
        self._dismissed = False
        try:
            self.feeds = list(FeedStore(library.path).load().values())
        except ReaderError as exc:
            self.report.error = str(exc)

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box", id="fetch-box"):
            yield Label(Text(f"Fetching {len(self.feeds)} feeds"), classes="prompt-title")
            for i, feed in enumerate(self.feeds):
                yield Static(Text(f"{feed.name} · waiting"), id=f"fetch-name-{i}", classes="fetch-name",
                             markup=False)
                yield ProgressBar(total=len(STAGES), show_eta=False, show_percentage=False,
                                  id=f"fetch-bar-{i}", classes="fetch-row")
            yield Label(Text("Esc stops; what arrived is kept."), classes="prompt-hint")

    def on_mount(self) -> None:
        if not self.feeds:
            self.report.error = self.report.error or "no feeds yet: `reader feed add NAME SOURCE` follows one"
            self.call_later(self._finish)
            return
        self.run_worker(partial(self._fetch, self.app), thread=True, group="fetch", name="fetch feeds",
                        exit_on_error=False)

    def _should_stop(self) -> bool:
        if self._stop.is_set():
            return True
        try:
            return get_current_worker().is_cancelled
        except Exception:  # noqa: BLE001 - not in a worker: only the flag counts
            return False

    def _fetch(self, app: App) -> None:
        """In a thread: the whole fetch. Widgets are never touched here."""
        from ...core.feeds import DEFAULT_SINCE_DAYS

        def told(event: FetchEvent) -> None:
            if event.result is not None:
                self.report.results.append(event.result)
            _call(app, self._progressed, event)

        try:
            fetch_feeds(
                self.library, [f.name for f in self.feeds],
                since_days=DEFAULT_SINCE_DAYS if self.since_days is None else self.since_days,
                should_stop=self._should_stop, on_event=told,
            )
        except Cancelled:
            self.report.stopped = True
        except ReaderError as exc:
            self.report.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a fetch never brings the app down
            self.report.error = f"unexpected {type(exc).__name__}: {exc}"
        _call(app, self._finish)

    def _progressed(self, event: FetchEvent) -> None:
        if self._dismissed:
            return
        self.query_one(f"#fetch-bar-{event.index}", ProgressBar).update(progress=STAGES.get(event.stage, 0))
        line = event.result.line() if event.result is not None else f"{event.name} · {event.stage}"
        self.query_one(f"#fetch-name-{event.index}", Static).update(
            Text(one_line(line, MESSAGE_CHARS), no_wrap=True, overflow="ellipsis")
        )

    def _finish(self) -> None:
        if self._dismissed:
            return
        if self.app.screen is not self:
            self.set_timer(0.2, self._finish)  # something is on top (the palette): close after it
            return
        self._dismissed = True
        self.dismiss(self.report)

    def action_cancel(self) -> None:
        self._stop.set()
        if self._dismissed:
            return
        self.report.stopped = True
        self._dismissed = True
        self.dismiss(self.report)


def _call(app: App, callback: Callable[..., object], *args: object) -> None:
    try:
        app.call_from_thread(callback, *args)
    except RuntimeError:
        pass
