"""The main screen's editing in the user's editor: `ctrl+e` the paper as a
BibTeX entry, `N` its notes; the app suspended meanwhile (`App.suspend`),
each change one undo step."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from ...errors import ReaderError

if TYPE_CHECKING:
    from .library_work import LibraryWork as _Base
else:  # a mixin of the main screen
    _Base = object


class EditingInEditor(_Base):
    def _run_editor(self, command: list[str]) -> None:
        """The editor in the terminal, the app suspended until it ends."""
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)
        except SuspendNotSupported:  # no terminal to give (a test, a web view)
            subprocess.run(command, check=False, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def action_edit_entry(self) -> None:
        from ...core.edit_entry import edit_entry

        paper = self._paper()
        if paper is None:
            return
        try:
            # The entry is written with the abstract, and saved back with it.
            self.session.library.ensure_abstracts()
            paper = self.session.library.require(paper.id)
            edited = edit_entry(paper, self._run_editor)
            if edited is None:
                self.say(f"{paper.id} unchanged.")
                return
            self.session.set_metadata(paper, edited)
        except ReaderError as exc:
            self.say(f"Not saved: {exc}", "error")
            return
        self.show_rows(keep=paper.id)
        self.say(f"Saved the entry of {paper.id}. Press u to undo.")

    def action_notes_in_editor(self) -> None:
        from ...core.edit_entry import edit_notes

        self.notes.flush()
        paper = self._paper()
        if paper is None:
            return
        try:
            notes = edit_notes(paper, self._run_editor)
            changed = None if notes is None else self.session.set_notes(paper, notes)
        except ReaderError as exc:
            self.say(f"Notes not saved: {exc}", "error")
            return
        if changed is None:
            self.say(f"Notes of {paper.id} unchanged.")
            return
        self.refresh_row(changed)
        self.notes.show(changed)
        self.say(f"Saved the notes of {paper.id}. Press u to undo.")
