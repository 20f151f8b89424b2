"""What the keys do to the paper under the cursor: read, star, tags, citations,
links, delete and undo. The main screen draws; this part changes."""

from __future__ import annotations

from functools import partial

from textual.notifications import SeverityLevel
from textual.screen import Screen

from ...core.models import Paper
from ...core.tags import tag_counts
from ...errors import ReaderError
from ..browser import open_paper_link
from ..reader_app import reader_app
from ..safe import MESSAGE_CHARS, TITLE_CHARS, one_line
from ..session import ChangeKind, Session
from ..widgets.paper_list import PaperList
from ..widgets.status import StatusLine
from .prompts import CiteChooser, tags_prompt


class PaperActions(Screen[None]):
    """The main screen's actions on papers; the drawing is the main screen's."""

    session: Session

    @property
    def paper_list(self) -> PaperList:
        raise NotImplementedError

    @property
    def current(self) -> Paper | None:
        return self.paper_list.current

    def show_rows(self, keep: str | None = None, *, detail_later: bool = False) -> None:
        raise NotImplementedError

    def first_row(self) -> str | None:
        """The id of the view's first paper (None in an empty view)."""
        rows = self.session.rows
        return rows[0].id if rows else None

    def refresh_row(self, paper: Paper) -> None:
        raise NotImplementedError

    def update_chrome(self) -> None:
        raise NotImplementedError

    def show_status(self) -> None:
        raise NotImplementedError

    def _show_paper(self, paper: Paper | None) -> None:
        raise NotImplementedError

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        """News on the status line, replacing the last; warnings and errors
        in a toast. `message` is never read as markup."""
        if severity == "information":
            self.query_one(StatusLine).say(message)
        else:
            self.app.notify(one_line(message, MESSAGE_CHARS), severity=severity, markup=False)

    def _paper(self) -> Paper | None:
        paper = self.current
        if paper is None:
            return None
        return self.session.library.get(paper.id)

    def _guard(self, fn, *args):
        """Run a change; a refused change (disk full, no permission) is shown, not raised."""
        try:
            return fn(*args)
        except ReaderError as exc:
            self.say(str(exc), "error")
            return None

    def action_toggle_read(self) -> None:
        paper = self._paper()
        if paper and (changed := self._guard(self.session.toggle_read, paper)):
            self.refresh_row(changed)

    def action_toggle_star(self) -> None:
        paper = self._paper()
        if paper and (changed := self._guard(self.session.toggle_star, paper)):
            self.refresh_row(changed)

    def action_edit_tags(self) -> None:
        paper = self._paper()
        if paper is not None:
            self.edit_tags_of(paper)

    def edit_tags_of(self, paper: Paper) -> None:
        """The tags prompt for one paper, offering the library's tags."""
        shown = list(paper.tags)

        def done(value: str | None) -> None:
            if value is None:
                return
            tags = [t for t in value.replace(";", ",").split(",")]
            changed = self._guard(self.session.set_tags, paper, tags, shown)
            if changed:
                self.refresh_row(changed)

        known = [tag for tag, _ in tag_counts(self.session.library.papers())]
        self.app.push_screen(tags_prompt(paper.title, paper.tags, known), done)

    def action_copy_citation(self) -> None:
        paper = self._paper()
        if paper:
            reader_app(self).copy_citation(paper, "bibtex")

    def action_choose_citation(self) -> None:
        from ...core.formats import citation_labels
        from ...settings import default_style

        paper = self._paper()
        if paper is None:
            return

        def done(fmt: str | None) -> None:
            if fmt:
                reader_app(self).copy_citation(paper, fmt)

        preview = partial(reader_app(self).citation, paper)
        self.app.push_screen(CiteChooser(citation_labels(default_style()), preview), done)

    def action_open_link(self) -> None:
        paper = self._paper()
        if paper is not None:
            open_paper_link(self, paper)

    def action_delete(self) -> None:
        paper = self._paper()
        if paper is None:
            return
        index = self.paper_list.cursor
        try:
            self.session.delete(paper)
        except ReaderError as exc:
            self.say(str(exc), "error")
            return
        rows = self.session.rows
        self.show_rows(keep=rows[min(index, len(rows) - 1)].id if rows else None)
        self.say(f"Deleted “{one_line(paper.title, TITLE_CHARS)}” (u brings it back)")

    def action_undo(self) -> None:
        try:
            result = self.session.undo()
        except ReaderError as exc:
            self.say(str(exc), "error")
            return
        if result is None:
            self.say("Nothing to undo.")
            return
        pids = result.pids
        if result.kind is ChangeKind.DELETE:
            self.session.apply()
            self.show_rows(keep=pids[0] if pids else None)
        else:
            for pid in pids:
                paper = self.session.library.get(pid)
                if paper:
                    self.refresh_row(paper)
            if self.current is not None and self.current.id in pids:
                self._show_paper(self.session.library.get(self.current.id))
        self.update_chrome()
        # One paper: named by its title (a change to several says how many).
        undone = self.session.library.get(pids[0]) if len(pids) == 1 else None
        what = f" “{one_line(undone.title, TITLE_CHARS)}”" if undone else ""
        self.say(f"Undone: {result.description}{what}")

