"""The notes pane: Markdown notes that save themselves."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea

from ...core.models import Paper

#: Seconds of quiet typing after which notes are saved.
SAVE_AFTER = 0.8


def _markdown_available() -> bool:
    try:
        import tree_sitter  # noqa: F401
        import tree_sitter_markdown  # noqa: F401
    except ImportError:
        return False
    return True


class NotesPane(TextArea):
    """Notes of the paper under the cursor.

    They are saved after a pause in typing, when the pane loses focus, when
    another paper is shown and when the app closes: nothing typed is lost.
    """

    BINDINGS = [
        Binding("escape", "leave", "Back to list", show=True),
    ]

    class Left(Message):
        """The user left the notes (Esc), everything in them saved."""

        def __init__(self, pane: NotesPane) -> None:
            super().__init__()
            self.pane = pane

        @property
        def control(self) -> NotesPane:
            return self.pane

    def __init__(self, save: Callable[[str, str], bool], *, id: str | None = None) -> None:
        super().__init__(
            "",
            id=id,
            language="markdown" if _markdown_available() else None,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
        )
        self._save = save
        self.paper_id: str | None = None
        self.dirty = False
        #: Notes whose saving was refused (a full disk), by paper: kept to be
        #: saved later, and shown again when their paper is.
        self._pending: dict[str, str] = {}
        self._loaded = ""
        self._timer: Timer | None = None
        self.border_title = "Notes"

    def show(self, paper: Paper | None) -> None:
        """Show the notes of `paper`, saving the notes being edited first."""
        if paper is not None and paper.id == self.paper_id and (
            self.dirty or paper.notes == self._loaded
        ):
            return  # being written, or already shown as it is
        self.flush()
        self.paper_id = paper.id if paper else None
        self._loaded = paper.notes if paper else ""
        pending = self._pending.get(self.paper_id or "")
        self.load_text(self._loaded if pending is None else pending)
        self.read_only = paper is None
        self.dirty = pending is not None

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.paper_id is None or self.text == self._loaded:
            return
        self.dirty = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_AFTER, self.flush)

    def flush(self) -> None:
        """Save now if anything is unsaved."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for pid, text in list(self._pending.items()):  # refused before: try again
            if pid != self.paper_id:
                del self._pending[pid]
                if not self._save(pid, text):
                    self._pending[pid] = text
        if self.dirty and self.paper_id is not None:
            text = self.text
            self.dirty = False
            self._pending.pop(self.paper_id, None)
            if self._save(self.paper_id, text):
                self._loaded = text
            else:  # refused (the reason is shown): kept, and tried again later
                self.dirty = True
                self._pending[self.paper_id] = text

    @property
    def unsaved(self) -> bool:
        """Whether any notes typed here are not saved yet."""
        return self.dirty or bool(self._pending)

    def on_blur(self) -> None:
        self.flush()

    def action_leave(self) -> None:
        self.flush()
        self.post_message(self.Left(self))
