"""The reader's own state of a paper, changed a paper or many at a time:
read, starred, tags and notes. Each edit is one durable `Library.change`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..errors import ReaderError
from .models import Paper, now_iso
from .tags import checked_tags, merge_tags
from .text import normalise_tag

#: The longest notes a paper keeps: 100,000 characters (about 60 pages).
#: Every change of state rewrites the state file: a note of many megabytes
#: would make each toggle slow.
MAX_NOTE_CHARS = 100_000


class NoteTooLong(ReaderError):
    exit_code = 2

    def __init__(self, length: int) -> None:
        super().__init__(
            f"notes are at most {MAX_NOTE_CHARS:,} characters; these are {length:,}: nothing was saved"
        )


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

    def mark_seen(self, pids: Iterable[str]) -> list[Paper]:
        """The papers are no longer new (`is:new`): the user has seen them.
        Papers already seen are left out of the write."""
        fresh = [pid for pid in pids if self.require(pid).new]
        if not fresh:
            return []

        def edit(paper: Paper) -> None:
            paper.new = False

        return self.change(fresh, edit)

    def set_tags(self, pid: str, tags: Iterable[str]) -> Paper:
        clean = checked_tags(tags)  # over the limits: refused

        def edit(paper: Paper) -> None:
            paper.tags = clean

        return self.change([pid], edit)[0]

    def add_tag(self, pids: Iterable[str], tag: str) -> list[Paper]:
        (tag,) = checked_tags([tag]) or [""]

        def edit(paper: Paper) -> None:
            if tag and tag not in paper.tags:
                paper.tags = checked_tags([tag], paper.tags)

        return self.change(pids, edit)

    def remove_tag(self, pids: Iterable[str], tag: str) -> list[Paper]:
        tag = normalise_tag(tag)

        def edit(paper: Paper) -> None:
            paper.tags = [t for t in paper.tags if t != tag]

        return self.change(pids, edit)

    def set_notes(self, pid: str, notes: str) -> Paper:
        """A paper's notes; past `MAX_NOTE_CHARS`, refused (`NoteTooLong`)."""
        if len(notes) > MAX_NOTE_CHARS:
            raise NoteTooLong(len(notes))

        def edit(paper: Paper) -> None:
            paper.notes = notes

        return self.change([pid], edit)[0]

    def change_tags(self, pid: str, add: Iterable[str], remove: Iterable[str]) -> Paper:
        """Add and remove tags on the paper's latest state: tags added or
        removed elsewhere meanwhile (another window) stay as they are."""
        return self.change_tags_of([pid], add, remove)[0]

    def change_tags_of(self, pids: Iterable[str], add: Iterable[str], remove: Iterable[str]) -> list[Paper]:
        """`change_tags` for several papers, in one write."""
        adding = checked_tags(add)
        removing = {normalise_tag(t) for t in remove}

        def edit(paper: Paper) -> None:
            paper.tags = checked_tags(adding, [t for t in paper.tags if t not in removing])

        return self.change(pids, edit)

    def revert_state(self, pid: str, before: dict[str, Any], after: dict[str, Any]) -> Paper:
        """Take back one change of a paper's state (undo), on its latest state:
        only the fields the change touched go back, and only where they still
        hold what the change put there; tags it added go, tags it removed come
        back. What was changed elsewhere since is kept."""
        old, new = Paper(id=pid), Paper(id=pid)
        old.apply_state(before)
        new.apply_state(after)

        def edit(paper: Paper) -> None:
            if old.read != new.read and paper.read == new.read:
                paper.read, paper.read_at = old.read, old.read_at
            if old.starred != new.starred and paper.starred == new.starred:
                paper.starred = old.starred
            if old.notes != new.notes and paper.notes == new.notes:
                paper.notes = old.notes
            if old.tags != new.tags:
                added, removed = set(new.tags) - set(old.tags), set(old.tags) - set(new.tags)
                kept = [t for t in paper.tags if t not in added]
                paper.tags = merge_tags(kept, [t for t in old.tags if t in removed]).tags

        return self.change([pid], edit)[0]

    def set_state(self, pid: str, state: dict[str, Any]) -> Paper:
        """Put back a paper's whole reader state (for undo)."""
        return self.change([pid], lambda paper: paper.apply_state(state))[0]
