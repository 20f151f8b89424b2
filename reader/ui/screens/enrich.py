"""Looking papers up on arXiv: a progress bar over a thread worker.

The look-up itself is `reader.core.enrich.enrich`, run in a thread so that
the app stays responsive through arXiv's pace (one request every 3 s). The
worker changes the Library in its thread (under `Library.lock`, which every
changing method takes). After each paper it hands over to the UI thread
(`call_from_thread`): the screen moves its bar and posts the app a
`PaperChanged` message when the paper's stored metadata changed, so the list
can update paper by paper. The thread never touches a widget.

Esc stops the look-up and closes the screen at once: a wait for arXiv's
pace ends within a tenth of a second, and a request under way is cut off
(see `core.http_fetch`); its answer is not saved. Quitting the app does the
same: nothing keeps the process alive. The pace is kept with other
processes through the file beside the library (`core.pace`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, ProgressBar, Static
from textual.worker import get_current_worker

from ...core.arxiv_api import ArxivClient, pace_file
from ...core.enrich import (
    EnrichReport,
    Progress,
    enrich,
    needs_enrichment,
)
from ...core.library import Library
from ...core.listing import display_title
from ...core.models import Paper
from ...errors import ReaderError
from ..safe import MESSAGE_CHARS, one_line
from .job_screen import JobScreen, call_from_worker


class EnrichScreen(JobScreen[EnrichReport]):
    """Look `papers` up on arXiv; dismissed with the `EnrichReport`.

    The app gets a `PaperChanged` message after each paper whose stored
    metadata changed (the library already holds the new values), also after
    the screen was closed by Esc if a last answer was still being saved.
    """

    @dataclass
    class PaperChanged(Message):
        """arXiv's answer changed the stored metadata of paper `pid`."""

        pid: str

    DEFAULT_CSS = """
    EnrichScreen #enrich-bar {
        height: 1;
        margin-bottom: 1;
    }
    EnrichScreen #enrich-bar Bar {
        width: 1fr;
    }
    EnrichScreen #enrich-counts {
        height: 1;
    }
    EnrichScreen #enrich-last {
        height: 1;
        color: $text-muted;
    }
    """

    def __init__(
        self,
        library: Library,
        papers: Iterable[Paper],
        *,
        client_factory: Callable[[], ArxivClient] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.papers = list(papers)
        self.client_factory = client_factory or partial(ArxivClient, pace=pace_file(library.path))
        self.report = EnrichReport()
        self.total = sum(1 for p in self.papers if needs_enrichment(p))

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        noun = "paper" if self.total == 1 else "papers"
        with Vertical(classes="prompt-box", id="enrich-box"):
            yield Label(Text(f"Looking up {self.total} {noun} on arXiv"), classes="prompt-title")
            yield ProgressBar(total=max(self.total, 1), show_eta=False, id="enrich-bar")
            yield Static(self._counts(), id="enrich-counts", markup=False)
            yield Static(Text("Asking arXiv…"), id="enrich-last", markup=False)
            yield Label(
                Text(
                    "One request every 3 seconds, as arXiv asks. Esc stops; "
                    "papers already filled in are kept."
                ),
                classes="prompt-hint",
            )

    def _counts(self) -> Text:
        report = self.report
        return Text(
            f"{report.done} of {self.total} · found {len(report.found)} · "
            f"not found {len(report.not_found)}"
        )

    def on_mount(self) -> None:
        self.run_worker(
            partial(self._look_up, self.app), thread=True, group="enrich", name="arXiv look-up", exit_on_error=False
        )

    # ------------------------------------------------------------------ the worker
    def _should_stop(self) -> bool:
        if self._stop.is_set():
            return True
        try:
            return get_current_worker().is_cancelled
        except Exception:  # noqa: BLE001 - not in a worker: only the flag counts
            return False

    def _look_up(self, app: App) -> None:
        """In a thread: the whole look-up. Widgets are never touched here."""

        def progressed(progress: Progress) -> None:
            call_from_worker(app, self._progressed, progress)

        try:
            client = self.client_factory()
            with client:
                enrich(
                    self.library,
                    self.papers,
                    client,
                    on_progress=progressed,
                    should_stop=self._should_stop,
                    report=self.report,
                )
            if self.report.error is None and not self._should_stop():
                self._crossref()
        except ReaderError as exc:  # a bad setting, before any request
            self.report.error = exc
        except Exception as exc:  # noqa: BLE001 - a look-up never brings the app down
            self.report.error = ReaderError(f"unexpected {type(exc).__name__}: {exc}")
        call_from_worker(app, self._finish)

    def _crossref(self) -> None:
        """After arXiv: Crossref for venue details and the titles arXiv did not find."""
        from ...core.crossref import CrossrefClient
        from ...core.enrich_crossref import candidates, enrich_crossref

        wanted = candidates(self.library, [p.id for p in self.papers], self.report)
        if wanted:
            with CrossrefClient() as crossref:
                enrich_crossref(self.library, wanted, crossref, self.report, should_stop=self._should_stop)

    # ------------------------------------------------------------------ UI thread
    def _progressed(self, progress: Progress) -> None:
        if progress.changed:
            # To the app: it still arrives after this screen has closed.
            self.app.post_message(self.PaperChanged(progress.pid))
        if self._dismissed:
            return
        self.query_one("#enrich-bar", ProgressBar).update(progress=progress.done)
        self.query_one("#enrich-counts", Static).update(self._counts())
        paper = self.library.get(progress.pid)
        title = display_title(paper) if paper else progress.pid
        # The outcome first: the line is cut at the box's edge.
        if progress.outcome == "found":
            line = f"found arXiv:{progress.detail} · {title}"
        else:
            line = f"not found · {title} ({progress.detail})"
        self.query_one("#enrich-last", Static).update(Text(one_line(line, MESSAGE_CHARS), no_wrap=True, overflow="ellipsis"))

    def result(self) -> EnrichReport:
        return self.report

    def cancelled(self) -> None:
        self.report.cancelled = self.report.done < self.total
