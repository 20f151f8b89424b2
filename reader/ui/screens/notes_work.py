"""The main screen's side of the notes pane: it saves what the pane sends,
one undo step per visit, and opens and leaves the pane."""

from __future__ import annotations

from textual import on

from ...errors import ReaderError
from ..widgets.notes import NotesPane
from .paper_actions import PaperActions


class NotesWork(PaperActions):
    """Saving notes for the pane, and moving in and out of it."""

    @property
    def notes(self) -> NotesPane:
        raise NotImplementedError

    def action_edit_notes(self) -> None:
        self.add_class("-notes")
        self.notes.focus()

    def focus_list(self) -> None:
        self.remove_class("-notes")
        self.paper_list.focus()

    @on(NotesPane.Left)
    def _notes_left(self) -> None:
        self.focus_list()

    @on(NotesPane.Save)
    def _notes_save(self, event: NotesPane.Save) -> None:
        self.store_notes(event.paper_id, event.text, event.visit)

    def store_notes(self, pid: str, text: str, visit: int) -> bool:
        """Save notes, telling the pane; a refusal (a full disk) is shown."""
        paper = self.session.library.get(pid)
        if paper is not None:  # else deleted meanwhile: nothing to save to
            try:
                changed = self.session.set_notes(paper, text, visit=(pid, visit))
            except ReaderError as exc:
                self.say(f"Notes not saved: {exc}", "error")
                self.notes.refused(pid, text)
                self.update_chrome()
                return False
            if changed is not None:
                self.paper_list.refresh_paper(pid)
                if self.current is not None and self.current.id == pid:
                    self._show_paper(changed)  # the details show the notes too
        self.notes.saved(pid, text)
        self.update_chrome()
        return True

    def save_notes_now(self) -> list[str]:
        """Save every note typed and not saved yet, now (before quitting or
        leaving for another screen); returns the papers whose notes were refused."""
        self.notes.flush(send=False)
        for pid, text in list(self.notes.pending.items()):
            self.store_notes(pid, text, self.notes.visit)
        return self.notes.unsaved_papers()

    @on(NotesPane.Changed)
    def _notes_changed(self) -> None:
        self.show_status()  # "unsaved note", the cursor's place kept
