"""Fetching papers' PDFs: a progress bar over a thread worker; dismissed
with what became of each paper. Esc stops (a download under way is cut off
and leaves nothing behind)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar, Static

from ...core.library import Library
from ...core.models import Paper
from ...core.pace import Cancelled
from ...errors import ReaderError
from ..safe import MESSAGE_CHARS, one_line
from .job_screen import JobScreen, call_from_worker
from .prompts import DismissOnce

MB = 1024 * 1024


@dataclass
class Fetched:
    """One paper's PDF: its path, or why there is none."""

    pid: str
    path: Path | None = None
    error: str = ""


class PdfScreen(DismissOnce, JobScreen[list[Fetched]]):
    DEFAULT_CSS = """
    PdfScreen #pdf-bar { height: 1; margin-bottom: 1; }
    PdfScreen #pdf-bar Bar { width: 1fr; }
    PdfScreen #pdf-now { height: 1; }
    """

    def __init__(self, library: Library, papers: list[Paper]) -> None:
        super().__init__()
        self.library = library
        self.papers = papers
        self.results: list[Fetched] = []

    def compose(self) -> ComposeResult:
        noun = "PDF" if len(self.papers) == 1 else f"{len(self.papers)} PDFs"
        with Vertical(classes="prompt-box", id="pdf-box"):
            yield Label(Text(f"Fetching {noun}"), classes="prompt-title")
            yield ProgressBar(total=None, show_eta=False, id="pdf-bar")
            yield Static(Text("Asking…"), id="pdf-now", markup=False)
            yield Label(Text("Kept beside the library, fetched once. Esc stops."), classes="prompt-hint")

    def on_mount(self) -> None:
        self.run_worker(partial(self._fetch, self.app), thread=True, group="pdf",
                        name="PDF download", exit_on_error=False)

    def _fetch(self, app: App) -> None:
        """In a thread: each paper's PDF in turn. Widgets are never touched here."""
        from ...core.pdf_attach import fetch_pdf

        for paper in self.papers:
            if self._stop.is_set():
                break
            result = Fetched(paper.id)
            call_from_worker(app, self._now, paper, 0, None)
            try:
                result.path, _ = fetch_pdf(
                    self.library, paper, should_stop=self._stop.is_set,
                    on_bytes=lambda done, total, paper=paper: call_from_worker(app, self._now, paper, done, total),
                )
            except Cancelled:
                break
            except ReaderError as exc:
                result.error = str(exc)
            except Exception as exc:  # noqa: BLE001 - a download never brings the app down
                result.error = f"unexpected {type(exc).__name__}: {exc}"
            self.results.append(result)
        call_from_worker(app, self._finish)

    def _now(self, paper: Paper, done: int, total: int | None) -> None:
        if self._dismissed:
            return
        self.query_one("#pdf-bar", ProgressBar).update(total=total, progress=done)
        size = f" · {done / MB:.1f} of {total / MB:.1f} MB" if total else (f" · {done / MB:.1f} MB" if done else "")
        line = one_line(f"{paper.id}{size}", MESSAGE_CHARS)
        self.query_one("#pdf-now", Static).update(Text(line, no_wrap=True, overflow="ellipsis"))

    def result(self) -> list[Fetched]:
        return self.results
