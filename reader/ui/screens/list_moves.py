"""Moving through the list as a daily reader does: to the next or previous
unread paper (J/K, as in newsboat), on after marking one read (a setting),
and the details pane hidden so the list has the whole width (z)."""

from __future__ import annotations

from ..reader_app import reader_app
from ..widgets.detail import DetailPane
from .library_work import LibraryWork

#: The setting that makes `r` move on to the next unread paper.
READ_MOVES_ON = "read_moves_on"
#: The setting that keeps the details pane hidden.
DETAILS_HIDDEN = "details_hidden"


class ListMoves(LibraryWork):
    """Keys that move the cursor by what the papers are, and the pane key."""

    def _unread_from(self, start: int, step: int) -> int | None:
        """The index of the first unread paper from `start` on, going `step`."""
        rows = self.paper_list.rows
        index = start
        while 0 <= index < len(rows):
            paper = self.session.library.get(rows[index].id)
            if paper is not None and not paper.read:
                return index
            index += step
        return None

    def _move_to_unread(self, step: int) -> bool:
        found = self._unread_from(self.paper_list.cursor + step, step)
        if found is None:
            self.say(f"No unread paper {'below' if step > 0 else 'above'}.")
            return False
        self.paper_list.cursor = found
        return True

    def action_next_unread(self) -> None:
        self._move_to_unread(1)

    def action_previous_unread(self) -> None:
        self._move_to_unread(-1)

    @property
    def read_moves_on(self) -> bool:
        return bool(reader_app(self).settings.get(READ_MOVES_ON, False))

    def action_toggle_read(self) -> None:
        marked = bool(self.session.marks)  # r on marked papers: the cursor stays
        super().action_toggle_read()
        paper = self.current
        if self.read_moves_on and not marked and paper is not None:
            now = self.session.library.get(paper.id)
            if now is not None and now.read:
                self._move_to_unread(1)

    def action_toggle_read_moves_on(self) -> None:
        app = reader_app(self)
        app.save_settings({READ_MOVES_ON: not self.read_moves_on})
        self.say("r now moves on to the next unread paper" if self.read_moves_on
                 else "r now stays on the paper")

    # ------------------------------------------------------------------ the details pane
    @property
    def details_hidden(self) -> bool:
        return self.has_class("-no-details")

    def show_details_pane(self, show: bool) -> None:
        self.set_class(not show, "-no-details")
        if not show and isinstance(self.focused, DetailPane):
            self.paper_list.focus()

    def action_focus_detail(self) -> None:
        self.show_details_pane(True)  # for this paper; z hides it again
        self.query_one(DetailPane).focus()

    def action_toggle_details(self) -> None:
        self.show_details_pane(self.details_hidden)
        reader_app(self).save_settings({DETAILS_HIDDEN: self.details_hidden})
