"""The notes pane: Markdown notes that save themselves."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import TextArea

from ...core.models import Paper
from ..control_message import ControlMessage

#: Seconds of quiet typing after which notes are saved.
SAVE_AFTER = 0.8


def _markdown_available() -> bool:
    try:
        import tree_sitter  # noqa: F401
        import tree_sitter_markdown  # noqa: F401
    except ImportError:
        return False
    return True


class NotesMessage(ControlMessage["NotesPane"]):
    """A message from the notes pane."""


class NotesPane(TextArea):
    """Notes of the paper under the cursor.

    They are saved after a pause in typing, when the pane loses focus, when
    another paper is shown and when the app closes: nothing typed is lost.
    The pane asks its screen to save them with a `Save` message; the screen
    answers with `saved` or `refused`. Until then the notes count as unsaved.
    """

    BINDINGS = [
        Binding("escape", "leave", "Back to list", show=True),
    ]

    class Left(NotesMessage):
        """The user left the notes (Esc), everything in them sent to be saved."""

    @dataclass
    class Save(NotesMessage):
        """Notes to save. `visit` counts the times the pane was entered: the
        saves of one visit to one paper's notes are one change to undo."""

        paper_id: str
        text: str
        visit: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            id=id,
            language="markdown" if _markdown_available() else None,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
        )
        self.paper_id: str | None = None
        self.dirty = False
        #: Notes not saved yet, by paper: sent and not answered, or refused
        #: (a full disk) and kept to be sent again; shown again with their paper.
        self.pending: dict[str, str] = {}
        self._sent: set[tuple[str, str]] = set()
        self._loaded = ""
        self._timer: Timer | None = None
        #: Goes up each time the pane is entered.
        self.visit = 0
        self.border_title = "Notes"

    def show(self, paper: Paper | None) -> None:
        """Show the notes of `paper`, sending the notes being edited first."""
        if paper is not None and paper.id == self.paper_id and (
            self.dirty or paper.notes == self._loaded or paper.id in self.pending
        ):
            return  # being written, or already shown as it is
        self.flush()
        self.paper_id = paper.id if paper else None
        self._loaded = paper.notes if paper else ""
        pending = self.pending.get(self.paper_id or "")
        self.load_text(self._loaded if pending is None else pending)
        self.read_only = paper is None
        self.dirty = False

    def on_focus(self) -> None:
        self.visit += 1

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.paper_id is None or self.text == self.pending.get(self.paper_id, self._loaded):
            return
        self.dirty = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_AFTER, self.flush)

    def flush(self, send: bool = True) -> None:
        """Send everything unsaved to be saved (send=False: only take the
        text being written into `pending`, for a caller that saves it)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.dirty and self.paper_id is not None:
            self.pending[self.paper_id] = self.text
            self.dirty = False
        if not send:
            return
        for pid, text in self.pending.items():
            if (pid, text) not in self._sent:  # refused before: tried again
                self._sent.add((pid, text))
                self.post_message(self.Save(self, pid, text, self.visit))

    def saved(self, pid: str, text: str) -> None:
        """The screen saved `text` as the notes of `pid`."""
        self._sent.discard((pid, text))
        if self.pending.get(pid) == text:
            del self.pending[pid]
        if pid == self.paper_id:
            self._loaded = text

    def refused(self, pid: str, text: str) -> None:
        """The screen could not save them (it said why): kept, and sent again
        at the next save."""
        self._sent.discard((pid, text))

    @property
    def unsaved(self) -> bool:
        """Whether any notes typed here are not saved yet."""
        return self.dirty or bool(self.pending)

    def unsaved_papers(self) -> list[str]:
        """The ids of the papers whose notes typed here are not saved."""
        ids = list(self.pending)
        if self.dirty and self.paper_id is not None and self.paper_id not in ids:
            ids.append(self.paper_id)
        return ids

    def on_blur(self) -> None:
        self.flush()

    def action_leave(self) -> None:
        self.flush()
        self.post_message(self.Left(self))
