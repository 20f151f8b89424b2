"""What the main screen's mixins (adding, paper actions) use of it, for the
type checker: the main screen itself defines all of these."""

from __future__ import annotations

from typing import Any

from textual.notifications import SeverityLevel
from textual.screen import Screen

from ...core.models import Paper
from ..library_jobs import LibraryJobs
from ..session import Session
from ..widgets.filter_bar import FilterBar
from ..widgets.notes import NotesPane
from ..widgets.paper_list import PaperList


class MainParts(Screen[None]):
    session: Session
    jobs: LibraryJobs
    _filter_bar: FilterBar

    @property
    def paper_list(self) -> PaperList:
        raise NotImplementedError

    @property
    def notes(self) -> NotesPane:
        raise NotImplementedError

    @property
    def current(self) -> Paper | None: ...

    def _paper(self) -> Paper | None: ...

    def say(self, message: str, severity: SeverityLevel = "information") -> None: ...

    def _guard(self, fn: Any, *args: Any) -> Any: ...

    def refresh_row(self, paper: Paper) -> None: ...

    def redraw_all(self) -> None: ...

    def show_rows(self, keep: str | None = None, *, detail_later: bool = False) -> None: ...

    def update_chrome(self) -> None: ...

    def _enrich(self, papers: list[Paper]) -> None: ...
