"""The reader's own state of a paper, changed a paper or many at a time:
read, starred, tags and notes. Each edit is one durable `Library.change`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .models import Paper, now_iso
from .text import normalise_tag


class ReaderStateEdits:
    """The `Library`'s methods that change the reader's state of papers.

    Each one is an edit of the papers in memory, saved by `change` (which
    takes the library's locks and writes the state file once)."""

    def change(self, pids: Iterable[str], edit: Callable[[Paper], None]) -> list[Paper]:
        raise NotImplementedError

    def require(self, pid: str) -> Paper:
        raise NotImplementedError

    def set_read(self, pids: Iterable[str], value: bool) -> list[Paper]:
        def edit(paper: Paper) -> None:
            if value and not paper.read:
                paper.read_at = now_iso()
            elif not value:
                paper.read_at = None
            paper.read = value

        return self.change(pids, edit)

    def set_starred(self, pids: Iterable[str], value: bool) -> list[Paper]:
        def edit(paper: Paper) -> None:
            paper.starred = value

        return self.change(pids, edit)

    def toggle_read(self, pid: str) -> Paper:
        return self.set_read([pid], not self.require(pid).read)[0]

    def toggle_star(self, pid: str) -> Paper:
        return self.set_starred([pid], not self.require(pid).starred)[0]

    def set_tags(self, pid: str, tags: Iterable[str]) -> Paper:
        clean = list(dict.fromkeys(t for t in map(normalise_tag, tags) if t))

        def edit(paper: Paper) -> None:
            paper.tags = clean

        return self.change([pid], edit)[0]

    def add_tag(self, pids: Iterable[str], tag: str) -> list[Paper]:
        tag = normalise_tag(tag)

        def edit(paper: Paper) -> None:
            if tag and tag not in paper.tags:
                paper.tags = [*paper.tags, tag]

        return self.change(pids, edit)

    def remove_tag(self, pids: Iterable[str], tag: str) -> list[Paper]:
        tag = normalise_tag(tag)

        def edit(paper: Paper) -> None:
            paper.tags = [t for t in paper.tags if t != tag]

        return self.change(pids, edit)

    def set_notes(self, pid: str, notes: str) -> Paper:
        def edit(paper: Paper) -> None:
            paper.notes = notes

        return self.change([pid], edit)[0]

    def set_state(self, pid: str, state: dict[str, Any]) -> Paper:
        """Put back a paper's whole reader state (for undo)."""
        return self.change([pid], lambda paper: paper.apply_state(state))[0]
