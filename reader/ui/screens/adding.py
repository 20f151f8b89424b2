"""The main screen's adding by id (`a`, and ids typed at `i`): a prompt,
a worker that looks the ids up, and the list moved to what came in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...core.ids import find_work_id
from ..library_jobs import LibraryJobs
from .prompts import add_prompt, import_prompt

if TYPE_CHECKING:
    from ..widgets.filter_bar import FilterBar
    from .library_work import LibraryWork as _Base
else:  # a mixin of the main screen
    _Base = object

#: Lines of not-added ids in the notification.
SHOWN_FAILURES = 3


class AddingById(_Base):
    if TYPE_CHECKING:
        _filter_bar: FilterBar

    def action_add_by_id(self) -> None:
        def done(value: str | None) -> None:
            texts = (value or "").split()
            if texts:
                self.say(f"Looking up {' '.join(texts)}…")
                self.jobs.add_works(texts)

        self.app.push_screen(add_prompt(), done)

    def action_import_file(self) -> None:
        def done(value: str | None) -> None:
            text = (value or "").strip()
            if not text:
                return
            path = Path(text).expanduser()
            if not path.exists() and find_work_id(text) is not None:
                self.say(f"Looking up {text}…")
                self.jobs.add_works([text])
            else:
                self.jobs.import_file(path)

        self.app.push_screen(import_prompt(), done)

    def on_library_jobs_added(self, event: LibraryJobs.Added) -> None:
        report = event.report
        self.redraw_all()
        first = report.first
        if first is not None:
            if first not in {p.id for p in self.session.rows}:
                self.session.set_view("all")
                self.session.set_query("")
                self._filter_bar.clear()
            self.show_rows(keep=first)
        lines = [o.line() for o in report.outcomes if o.pid]
        lines += [o.line() for o in report.failed[:SHOWN_FAILURES]]
        self.say("\n".join(lines) or report.summary(), "warning" if report.failed else "information")
