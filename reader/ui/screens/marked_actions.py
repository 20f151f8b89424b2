"""The main screen's actions on marked papers: `v`, `V` and space mark; then
r s t d c C e p act on every marked paper (else on the paper under the
cursor), with one undo for the whole action."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ...core.models import Paper
from ...errors import ReaderError
from ..reader_app import reader_app
from .prompts import CiteChooser, TextPrompt

if TYPE_CHECKING:
    from .library_work import LibraryWork as _Base
else:  # a mixin of the main screen
    _Base = object


class MarkedActions(_Base):
    # ------------------------------------------------------------------ marking
    def targets(self) -> list[Paper]:
        """The marked papers as they are now (those still here), else the
        paper under the cursor."""
        library = self.session.library
        marks = self.session.marks
        if marks:
            marks.keep_only(p.id for p in library.papers())
        if marks:
            return [p for pid in marks.pids if (p := library.get(pid)) is not None]
        paper = self._paper()
        return [paper] if paper is not None else []

    def action_mark(self) -> None:
        paper = self.current
        if paper is None:
            return
        self.session.marks.toggle(paper.id)
        self.paper_list.refresh_paper(paper.id)
        self.paper_list.action_cursor_down()
        self.update_chrome()

    def action_mark_view(self) -> None:
        marked = self.session.marks.toggle_all(p.id for p in self.session.rows)
        self.paper_list.refresh()
        self.update_chrome()
        count = len(self.session.marks)
        self.say(f"{count} marked: r s t d c C e p act on them all" if marked and count
                 else "Marks cleared in this view")

    def _after_many(self, papers: list[Paper], what: str) -> None:
        if len(papers) > 1:
            self.say(f"{what}: {len(papers)} papers. Press u to undo.")

    # ------------------------------------------------------------------ state
    def action_toggle_read(self) -> None:
        self._toggle("read", self.session.set_read, ("Marked read", "Marked unread"))

    def action_toggle_star(self) -> None:
        self._toggle("starred", self.session.set_starred, ("Starred", "Unstarred"))

    def _toggle(self, field: str, change, said: tuple[str, str]) -> None:
        """Set `field` on every target: on unless all have it already."""
        papers = self.targets()
        if papers:
            value = not all(getattr(p, field) for p in papers)
            self._change(papers, change, value)
            self._after_many(papers, said[0] if value else said[1])

    def _change(self, papers: list[Paper], change, *args) -> None:
        one = papers[0] if len(papers) == 1 else papers
        if self._guard(change, one, *args) is None:
            return
        for paper in papers:
            if (now := self.session.library.get(paper.id)) is not None:
                self.refresh_row(now)

    def action_edit_tags(self) -> None:
        papers = self.targets()
        if len(papers) == 1:
            self.edit_tags_of(papers[0])
        elif papers:
            self._edit_tags_many(papers)

    def _edit_tags_many(self, papers: list[Paper]) -> None:
        def done(value: str | None) -> None:
            words = (value or "").replace(",", " ").split()
            add = [w.removeprefix("+") for w in words if not w.startswith("-")]
            remove = [w[1:] for w in words if w.startswith("-") and len(w) > 1]
            if add or remove:
                self._change(papers, self.session.change_tags, add, remove)
                self._after_many(papers, "Tags changed")

        self.app.push_screen(TextPrompt(
            f"Tags for {len(papers)} marked papers", "", "+rl -todo",
            "+tag adds, -tag removes (a bare word adds). Enter saves, Esc cancels.",
        ), done)

    def action_delete(self) -> None:
        papers = self.targets()
        if not papers:
            return
        index = self.paper_list.cursor
        try:
            self.session.delete(papers[0] if len(papers) == 1 else papers)
        except ReaderError as exc:
            self.say(str(exc), "error")
            return
        self.session.marks.clear()
        rows = self.session.rows
        self.show_rows(keep=rows[min(index, len(rows) - 1)].id if rows else None)
        what = f"“{papers[0].title}”" if len(papers) == 1 else f"{len(papers)} papers"
        self.say(f"Deleted {what}. Press u to undo.")

    # ------------------------------------------------------------------ citing
    def action_copy_citation(self) -> None:
        self._copy(self.targets(), "bibtex")

    def _copy(self, papers: list[Paper], fmt: str) -> None:
        if len(papers) == 1:
            reader_app(self).copy_citation(papers[0], fmt)
        elif papers:
            reader_app(self).copy_citations(papers, fmt)

    def action_choose_citation(self) -> None:
        from ...core.formats import citation_labels
        from ...settings import default_style

        papers = self.targets()
        if not papers:
            return

        def done(fmt: str | None) -> None:
            if fmt:
                self._copy(papers, fmt)

        preview = partial(reader_app(self).citation, papers[0])
        self.app.push_screen(CiteChooser(citation_labels(default_style()), preview), done)

    def action_enrich(self) -> None:
        papers = self.targets()
        if papers:
            self._enrich(papers)

    # ------------------------------------------------------------------ PDFs
    def action_open_pdf(self) -> None:
        """The PDFs of the marked papers (or the one under the cursor):
        fetched once in a worker with a progress bar, then opened."""
        from ...core.pdfs import local_pdf
        from .pdf import Fetched, PdfScreen

        papers = self.targets()
        if not papers:
            return
        path = self.session.library.path
        here = [Fetched(p.id, found) for p in papers if (found := local_pdf(path, p)) is not None]
        if len(here) == len(papers):
            self._show_pdfs(here)
            return

        def done(results: list[Fetched] | None) -> None:
            self.redraw_all()
            self._show_pdfs(results or [])

        self.app.push_screen(PdfScreen(self.session.library, papers), done)

    def _show_pdfs(self, results) -> None:
        from ...core.pdf_viewer import open_pdf

        for result in results:
            if result.path is None:
                self.say(f"No PDF for {result.pid}: {result.error}", "error")
                continue
            problem = open_pdf(result.path)
            if problem is None:
                self.say(f"Opened {result.path}")
            else:
                self.app.copy_to_clipboard(str(result.path))
                self.say(f"The PDF is at {result.path} (path copied; {problem})")
