"""Work on the library beyond one paper: triage, arXiv look-ups, imports,
and what the background jobs report back."""

from __future__ import annotations

from pathlib import Path

from textual import on

from ...core.models import Paper
from ..library_jobs import LibraryJobs
from ..live_filter import LiveFilter
from ..reader_app import reader_app
from ..safe import MESSAGE_CHARS, one_line
from ..widgets.detail import DetailPane
from ..widgets.notes import NotesPane
from .prompts import import_prompt
from .sync_actions import SyncActions
from .triage import TriageScreen


class LibraryWork(SyncActions):
    """Triage, look-ups and imports, started from the main screen."""

    jobs: LibraryJobs
    live_filter: LiveFilter

    @property
    def notes(self) -> NotesPane:
        raise NotImplementedError

    def redraw_all(self) -> None:
        raise NotImplementedError

    def rank_if_needed(self, *, from_top: bool = False) -> None:
        raise NotImplementedError

    def save_notes_now(self) -> list[str]:
        raise NotImplementedError

    def action_triage(self) -> None:
        """Triage the view from the paper under the cursor on."""
        papers = list(self.session.rows[self.paper_list.cursor:])
        if not papers:
            self.say("No papers in this view to triage.")
            return
        self.save_notes_now()

        def back(stopped_at: str | None) -> None:
            self.session.apply()
            self.show_rows(keep=stopped_at)

        self.app.push_screen(TriageScreen(self.session, papers), back)

    def action_enrich(self) -> None:
        paper = self._paper()
        if paper is not None:
            self._enrich([paper])

    def action_enrich_view(self) -> None:
        self._enrich(list(self.session.rows))

    def _enrich(self, papers: list[Paper]) -> None:
        """Look papers up on arXiv in a worker, the list updating paper by paper."""
        from .enrich import EnrichScreen

        if not papers:
            self.say("No papers in this view to look up.")
            return
        self.save_notes_now()

        def done(report) -> None:
            self.redraw_all()
            if report is not None:
                self.say(report.message(), "error" if report.error else "information")

        self.app.push_screen(EnrichScreen(self.session.library, papers), done)

    # ------------------------------------------------------------------ import
    def action_import_file(self) -> None:
        def done(value: str | None) -> None:
            if value and value.strip():
                self.jobs.import_file(Path(value.strip()).expanduser())

        self.app.push_screen(import_prompt(), done)

    @on(LibraryJobs.Imported)
    def _imported(self, event: LibraryJobs.Imported) -> None:
        self.redraw_all()
        summary = f"{event.path.name}: {event.result.summary()}"
        self.say(summary)
        skipped = event.result.skipped
        if skipped:
            # What was skipped, one line each, in a toast that keeps the lines apart.
            lines = [one_line(summary, MESSAGE_CHARS)]
            lines += [one_line(f"skipped {what}: {why}", MESSAGE_CHARS) for what, why in skipped[:3]]
            if len(skipped) > 3:
                lines.append(f"and {len(skipped) - 3} more skipped")
            self.app.notify("\n".join(lines), severity="warning", markup=False)

    @on(LibraryJobs.Refused)
    def _refused(self, event: LibraryJobs.Refused) -> None:
        self.say(event.text, "error")

    @on(LibraryJobs.AbstractsDamaged)
    def _abstracts_damaged(self, event: LibraryJobs.AbstractsDamaged) -> None:
        reader_app(self).fail(event.error)

    @on(LibraryJobs.AbstractsRead)
    def _abstracts_read(self) -> None:
        self.session.abstracts_arrived()
        self.query_one(DetailPane).reset()
        self._show_paper(self.current)
        screen = self.app.screen
        if isinstance(screen, TriageScreen):
            screen.show_current()
        self.live_filter.resume()
        # with the abstracts this time; a cursor still at the top goes to the new best
        self.rank_if_needed(from_top=self.paper_list.cursor == 0)

    @on(LibraryJobs.ChangedElsewhere)
    def _changed_elsewhere(self) -> None:
        if self.is_attached:
            self.redraw_all()
