"""The library: papers in TinyDB files beside each other (see `library_store`
for the files, the locks and the loading), and the changes made to them:
the reader's state, deletions, merges and imports. Each change is written
durably, under the locks, before it returns."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import ReaderError
from .forgotten import remember_deleted
from .library_store import LibraryStore, UnknownPaper
from .merge import ImportResult, fill_empty, joined_state, plan_import
from .models import Paper
from .progress import OnProgress, report
from .reader_state import ReaderStateEdits

__all__ = ["Library", "UnknownPaper"]


class Library(LibraryStore, ReaderStateEdits):
    """A library to read and change (see `LibraryStore` for the threads and
    processes rules every method here follows)."""

    def change(self, pids: Iterable[str], edit: Callable[[Paper], None]) -> list[Paper]:
        """Apply `edit` to the reader's state of each paper and save it durably."""
        pids = list(dict.fromkeys(pids))
        with self._writing():
            self._sync_state_locked()
            papers = [self.require(pid) for pid in pids]
            self.forget_search_texts(pids)
            try:
                for paper in papers:
                    edit(paper)
            except BaseException:
                self._restore_state(pids)  # an edit refused: nothing changes, in memory either
                raise
            self._write_state(pids)
        return papers

    def compact(self) -> None:
        """Fold the log of state changes into the state file (`state_log`):
        the three files then hold everything by themselves."""
        with self._writing():
            self.fold_log_locked()

    # Deleting ------------------------------------------------------------
    def delete(self, pids: Iterable[str]) -> list[Paper]:
        """Delete papers. Returns them as they were, for `restore_papers`."""
        pids = list(dict.fromkeys(pids))
        with self._writing():
            self._sync_state_locked()
            papers = [self.require(pid) for pid in pids]
            if len(papers) > 1:
                self._backup_locked("delete")
            remember_deleted(self.path, papers)  # first: no feed brings them back
            self._deleted.update(pids)
            self._write_state(pids)
        return papers

    def restore_papers(self, papers: Iterable[Paper]) -> None:
        """Bring deleted papers back with their metadata and state (undo)."""
        papers = list(papers)
        with self._writing():
            self._sync_locked()
            missing = {p.id: p.metadata_doc() for p in papers if p.id not in self._papers}
            if missing:
                states = {p.id: p.state_doc() for p in papers}
                self._write_meta_locked(missing, keep=[p.id for p in papers], states=states)
            self.forget_search_texts(p.id for p in papers)
            for paper in papers:
                self._deleted.discard(paper.id)
                self._papers[paper.id].apply_state(paper.state_doc())
            if not missing:
                self._write_state([p.id for p in papers])

    def merge_pair(self, keep_id: str, other_id: str) -> Paper:
        """Merge two papers by hand: `keep_id` gains what it lacks from
        `other_id` (metadata, tags, notes, read, starred), which is deleted."""
        if keep_id == other_id:
            raise ReaderError("give two different papers to merge")
        with self._writing():
            self._sync_locked()
            self._ensure_abstracts_locked()
            keep, other = self.require(keep_id), self.require(other_id)
            self._backup_locked()
            filled = fill_empty(keep, other.metadata_doc())
            if filled is not None:
                self._write_meta_locked({keep_id: filled})
            keep = self.require(keep_id)
            self.forget_search_texts([keep_id])
            keep.apply_state(joined_state(keep, other))
            self._deleted.add(other_id)
            self._write_state([keep_id, other_id])
            return keep

    def update_metadata(self, pid: str, values: dict[str, Any]) -> bool:
        """Fill empty metadata fields of one paper. True if anything changed."""
        with self._writing():
            self._sync_locked()
            self._ensure_abstracts_locked()
            paper = self.require(pid)
            merged = fill_empty(paper, values)
            if merged is None:
                return False
            self._write_meta_locked({pid: merged})
        return True

    def replace_metadata(self, pid: str, edit: Callable[[Paper], None]) -> Paper:
        """Change one paper's metadata as `edit` does to a copy of it (the
        reader's state is left alone); returns it as stored."""
        with self._writing():
            self._sync_locked()
            self._ensure_abstracts_locked()
            paper = copy.deepcopy(self.require(pid))
            edit(paper)
            self._write_meta_locked({pid: paper.metadata_doc()})
        return self.require(pid)

    def add_papers(
        self,
        incoming: Iterable[Paper],
        *,
        backup: bool = True,
        by_id: bool = False,
        skip_found: bool = False,
        on_progress: OnProgress | None = None,
    ) -> ImportResult:
        """Import papers, merging those already here (see `merge`). Writes once,
        or not at all. by_id (reader's own JSON): each paper is the stored one
        of its id, if nothing contradicts it, else a new one. skip_found: a
        paper already here is left as it is (feeds). `on_progress`
        hears of the merging (counted) and the saving."""
        with self._writing():
            self._sync_locked()
            self._ensure_abstracts_locked()
            plan = plan_import(self._papers, self._deleted, incoming, on_progress, by_id=by_id,
                               skip_found=skip_found)
            docs, states, revived = plan.docs, plan.states, plan.revived
            if docs or states or revived:
                report(on_progress, "saving")
            if docs:
                if backup and len(self):
                    self._backup_locked("import")
                # Every paper added has its state record written (an empty one
                # removes it): no record left by a paper of the same id sticks.
                records = {pid: states.get(pid, {}) for pid in plan.result.added}
                for pid in [*states, *revived]:
                    records.setdefault(pid, states.get(pid) or self._papers[pid].state_doc())
                self._write_meta_locked(docs, keep=revived, states=records, made=plan.made)
                self._deleted -= revived
            elif states or revived:
                self.forget_search_texts(states)
                for pid, state in states.items():
                    self._papers[pid].apply_state(state)
                self._deleted -= revived
                self._write_state([*states, *revived])
        return plan.result

