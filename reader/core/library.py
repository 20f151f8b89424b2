"""The library: papers in a TinyDB file, the reader's state in a small one beside it.

The files are described in `library_files`: the metadata, the abstracts and
the reader's state each in its own file, so that a toggle rewrites the small
state file only.

One writer at a time: every write takes ``library.json.lock``, reads again any
file that another process changed since we last saw it, applies its change to
that latest state and writes it back. Nothing another process wrote is lost.
Within the process, `Library.lock` keeps threads apart (see `Library`).
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import LibraryError, ReaderError
from .backups import backup_dir, list_backups, make_backup, read_backup
from .library_files import SCHEMA_VERSION, LibraryFiles
from .merge import ImportResult, fill_empty, joined_state, plan_import
from .models import Paper
from .progress import OnProgress, report
from .reader_state import ReaderStateEdits
from .storage import FileLock, atomic_write_bytes, remove_stale_temp_files


@contextmanager
def _no_gc() -> Iterator[None]:
    """Parsing makes millions of objects and no garbage: the cyclic collector
    would only walk them again and again (a third of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class UnknownPaper(ReaderError):
    def __init__(self, pid: str) -> None:
        super().__init__(f"no paper with id {pid!r}")


class Library(ReaderStateEdits):
    """The papers of one library file and its companions.

    Threads: `lock` (a re-entrant `threading.RLock`) is held by every method
    that changes or reloads the papers in memory (the reader's state,
    metadata, imports, deletions, backups and restores, `refresh` and
    `load_abstracts`) and by `papers`. A thread that reads papers while
    another may change them (the UI while a worker imports, refreshes or
    looks papers up) takes it around its reads: ``with library.lock: ...``.
    Between processes, `file_lock` (on ``library.json.lock``) makes one
    writer at a time; it is always taken after `lock`, never before.

    load_abstracts=False leaves the abstracts (most of the bytes) on disk until
    `load_abstracts` is called: the app shows the list first and reads them
    in the background. Everything that merges or writes metadata reads them
    first by itself.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, load: bool = True, load_abstracts: bool = True
    ) -> None:
        """load=False opens the files without reading them, for `reader restore`
        to bring back a backup over a library that cannot be read."""
        self.path = Path(path)
        self.files = LibraryFiles(self.path)
        self.state_path = self.files.state_path
        self.abstracts_path = self.files.abstracts_path
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.backup_dir = backup_dir(self.path)
        self.file_lock = FileLock(self.lock_path)
        self.lock = threading.RLock()
        self.abstracts_loaded = False
        self._papers: dict[str, Paper] = {}
        self._deleted: set[str] = set()
        #: Goes up on every change, ours or another process's.
        self.version = 0
        self._cleanup_temp_files()
        if not load:
            return
        try:
            self._load_meta()
        except LibraryError as exc:
            raise self._refusal(exc) from None
        if load_abstracts:
            self.load_abstracts()

    def _refusal(self, exc: LibraryError) -> LibraryError:
        """A damaged file's error, naming the newest backup."""
        newest = self.backups()[:1]
        hint = (
            f"; the newest backup is {newest[0]} (`reader restore` brings it back)"
            if newest
            else "; there is no backup of it"
        )
        return LibraryError(f"{exc}{hint}. Nothing was changed.")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """This thread's turn (`lock`), then this process's (`file_lock`)."""
        with self.lock, self.file_lock.hold():
            yield

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._papers) - len(self._deleted & self._papers.keys())

    def __contains__(self, pid: object) -> bool:
        return pid in self._papers and pid not in self._deleted

    def papers(self) -> list[Paper]:
        """Every paper, newest import first, in file order within an import."""
        with self.lock:
            alive = [p for pid, p in self._papers.items() if pid not in self._deleted]
        return sorted(alive, key=lambda p: p.added, reverse=True)

    def get(self, pid: str) -> Paper | None:
        if pid in self._deleted:
            return None
        return self._papers.get(pid)

    def require(self, pid: str) -> Paper:
        paper = self.get(pid)
        if paper is None:
            raise UnknownPaper(pid)
        return paper

    def refresh(self) -> bool:
        """Read again whatever another process changed. True if anything did."""
        with self.lock:
            if not (
                self.files.meta.changed_on_disk()
                or self.files.state.changed_on_disk()
                or (self.abstracts_loaded and self.files.abstracts.changed_on_disk())
            ):
                return False
            with self._writing():
                before = self.version
                self._sync_locked()
                return self.version != before

    # ------------------------------------------------------------------ loading
    def _cleanup_temp_files(self) -> None:
        if not self.path.parent.exists():
            return
        try:
            with self.file_lock.hold():
                for path in self.files.all_paths():
                    remove_stale_temp_files(path)
        except (LibraryError, OSError):
            pass  # a read-only directory: nothing of ours to clean up there

    def _load_meta(self) -> None:
        with _no_gc():
            self._load_meta_now()

    def _load_meta_now(self) -> None:
        docs = self.files.read_papers()
        papers: dict[str, Paper] = {}
        try:
            for pid, doc in docs.items():
                if not isinstance(doc, dict):
                    raise TypeError(pid)
                papers[pid] = Paper.from_docs(pid, doc)
        except (TypeError, ValueError, AttributeError):
            raise LibraryError(
                f"{self.path} is JSON of the wrong shape: a paper record is damaged"
            ) from None
        self._papers = papers
        if docs and self.files.papers_schema() < SCHEMA_VERSION:
            self._upgrade(papers)
        self._apply_state_docs(self.files.read_state())
        if self.abstracts_loaded:
            self._apply_abstracts(self.files.read_abstracts())
        self.version += 1

    # The abstracts ---------------------------------------------------------
    def load_abstracts(self) -> None:
        """Read the abstracts into the papers (the app does it after showing them)."""
        try:
            # The file is read and parsed outside the lock: readers on other
            # threads wait only while the abstracts are put into the papers.
            with _no_gc():
                docs = self.files.read_abstracts()
                with self.lock:
                    self._apply_abstracts(docs)
                    self.abstracts_loaded = True
                    self.version += 1
        except LibraryError as exc:
            raise self._refusal(exc) from None

    def _apply_abstracts(self, docs: dict[str, Any]) -> None:
        for pid, doc in docs.items():
            paper = self._papers.get(pid)
            if paper is not None:
                paper.abstract = str(doc.get("abstract") or "")

    def _ensure_abstracts_locked(self) -> None:
        if not self.abstracts_loaded:
            self.load_abstracts()

    def _load_state(self) -> None:
        self._apply_state_docs(self.files.read_state())
        self.version += 1

    def _apply_state_docs(self, docs: dict[str, Any]) -> None:
        self._deleted = {pid for pid, d in docs.items() if d.get("deleted")}
        empty: dict[str, Any] = {}
        try:
            for pid, paper in self._papers.items():
                paper.apply_state(docs.get(pid, empty))
        except (TypeError, ValueError, AttributeError):
            raise LibraryError(
                f"{self.state_path} is JSON of the wrong shape: a state record is damaged"
            ) from None

    # ------------------------------------------------------------------ writing
    def _sync_locked(self) -> None:
        """Under the lock: take in anything another process wrote."""
        if self.files.meta.changed_on_disk():
            self._load_meta()
        else:
            self._sync_state_locked()
            if self.abstracts_loaded and self.files.abstracts.changed_on_disk():
                self._apply_abstracts(self.files.read_abstracts())
                self.version += 1

    def _sync_state_locked(self) -> None:
        """Under the lock, before a change of state only: take in the latest
        state file. The big metadata file is left for `refresh` to read."""
        if self.files.state.changed_on_disk():
            self._load_state()

    def meta_changed_on_disk(self) -> bool:
        return self.files.meta.changed_on_disk()

    def state_changed_on_disk(self) -> bool:
        return self.files.state.changed_on_disk()

    def _write_state(self, pids: Iterable[str]) -> None:
        """Write the state records of `pids` (under the lock, after _sync_locked)."""
        records: dict[str, dict[str, Any]] = {}
        for pid in pids:
            paper = self._papers.get(pid)
            doc = paper.state_doc() if paper is not None else {}
            if pid in self._deleted:
                doc["deleted"] = True
            records[pid] = doc
        try:
            self.files.write_state(records)
        except BaseException:
            self._load_state()  # what is in memory must match the disk
            raise
        self.version += 1

    def change(self, pids: Iterable[str], edit: Callable[[Paper], None]) -> list[Paper]:
        """Apply `edit` to the reader's state of each paper and save it durably."""
        pids = list(dict.fromkeys(pids))
        with self._writing():
            self._sync_state_locked()
            papers = [self.require(pid) for pid in pids]
            for paper in papers:
                edit(paper)
            self._write_state(pids)
        return papers

    # Deleting ------------------------------------------------------------
    def delete(self, pids: Iterable[str]) -> list[Paper]:
        """Delete papers. Returns them as they were, for `restore_papers`."""
        pids = list(dict.fromkeys(pids))
        with self._writing():
            self._sync_state_locked()
            papers = [self.require(pid) for pid in pids]
            if len(papers) > 1:
                self._backup_locked("delete")
            self._deleted.update(pids)
            self._write_state(pids)
        return papers

    def restore_papers(self, papers: Iterable[Paper]) -> None:
        """Bring deleted papers back with their metadata and state (undo)."""
        papers = list(papers)
        with self._writing():
            self._sync_locked()
            missing = [p for p in papers if p.id not in self._papers]
            if missing:
                self._write_meta_locked(
                    {p.id: p.metadata_doc() for p in missing}, keep=[p.id for p in papers]
                )
            for paper in papers:
                self._deleted.discard(paper.id)
                self._papers[paper.id].apply_state(paper.state_doc())
            self._write_state([p.id for p in papers])

    # Metadata --------------------------------------------------------------
    def _write_meta_locked(
        self, changes: dict[str, dict[str, Any]], keep: Iterable[str] = ()
    ) -> None:
        """Write new or changed paper records (under the lock, after _sync_locked),
        in one write of the papers table, and take them into memory.

        Papers deleted earlier are dropped from the file here for good, but
        for those in `changes` and `keep` (being brought back).
        """
        self._ensure_abstracts_locked()
        stored = self.files.stored_paper_ids()
        spare = set(changes).union(keep)
        purge = [pid for pid in self._deleted if pid in stored and pid not in spare]
        abstracts: dict[str, str] = {}
        records: dict[str, dict[str, Any]] = {}
        for pid, doc in changes.items():
            record = dict(doc)
            abstracts[pid] = str(record.pop("abstract", "") or "")
            records[pid] = record
        # The abstracts first: a crash between the two writes leaves at most
        # an abstract that no paper points to, never a paper without its own.
        self.files.write_abstracts(abstracts, purge)
        self.files.write_papers(records, purge)
        if purge:
            self.files.write_state({pid: {} for pid in purge})
            for pid in purge:
                self._papers.pop(pid, None)
            self._deleted.difference_update(purge)
        states = self.files.stored_state()
        for pid, record in records.items():
            paper = Paper.from_docs(pid, record, states.get(pid))
            paper.abstract = abstracts[pid]
            self._papers[pid] = paper
        self.version += 1

    def _upgrade(self, papers: dict[str, Paper]) -> None:
        """Write a library of an older schema in the current one, a backup
        taken first. Where it cannot be written (a read-only place), it is
        read as it is and written in the new schema with the next change."""
        try:
            with self._writing():
                if self.files.papers_schema() >= SCHEMA_VERSION:
                    return  # another process upgraded it meanwhile
                self._backup_locked()
                self.files.write_papers({pid: p.metadata_doc() for pid, p in papers.items()}, [])
        except LibraryError:
            pass

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

    def add_papers(
        self,
        incoming: Iterable[Paper],
        *,
        backup: bool = True,
        by_id: bool = False,
        on_progress: OnProgress | None = None,
    ) -> ImportResult:
        """Import papers, merging those already here (see `merge`). Writes once,
        or not at all. by_id (reader's own JSON): each paper is the stored one
        of its id, if nothing contradicts it, else a new one. `on_progress`
        hears of the merging (counted) and the saving."""
        with self._writing():
            self._sync_locked()
            self._ensure_abstracts_locked()
            plan = plan_import(self._papers, self._deleted, incoming, on_progress, by_id=by_id)
            docs, states, revived = plan.docs, plan.states, plan.revived
            if docs or states or revived:
                report(on_progress, "saving")
            if docs:
                if backup and len(self):
                    self._backup_locked("import")
                self._write_meta_locked(docs, keep=revived)
            if states or revived:
                for pid, state in states.items():
                    self._papers[pid].apply_state(state)
                self._deleted -= revived
                self._write_state([*states, *revived])
        return plan.result

    # Backups ---------------------------------------------------------------
    def backups(self) -> list[Path]:
        """Backup copies of the library file, newest first."""
        return list_backups(self.path)

    def backup(self, kind: str = "change") -> Path | None:
        """Keep the library as it is now, before a change of `kind` (`backups.KINDS`)."""
        with self._writing():
            return self._backup_locked(kind)

    def _backup_locked(self, kind: str = "change") -> Path | None:
        """Keep the library as it is now beside it, before a change to many papers."""
        return make_backup(self.path, kind)

    def restore_backup(self, backup: Path) -> None:
        """Bring a backup back; the library as it is now is backed up first."""
        with self._writing():
            content = read_backup(backup)  # a damaged backup is refused here
            self._backup_locked("restore")
            # The abstracts first, as in every write (see _write_meta_locked).
            atomic_write_bytes(self.abstracts_path, content.abstracts)
            atomic_write_bytes(self.path, content.papers)
            atomic_write_bytes(self.state_path, content.state)
            self.files.invalidate()
            self._load_meta()
            if not self.abstracts_loaded:
                self.load_abstracts()
