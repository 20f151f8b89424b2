"""Where a library lives: papers in a TinyDB file, the reader's state in a small one beside it.

The files are described in `library_files`: the metadata, the abstracts and
the reader's state each in its own file, so that a toggle rewrites the small
state file only.

One writer at a time: every write takes ``library.json.lock``, reads again any
file that another process changed since we last saw it, applies its change to
that latest state and writes it back. Nothing another process wrote is lost.
Within the process, `Library.lock` keeps threads apart (see `Library`).
Readers never take the file lock (see `filelock`): every file is replaced
whole, so a reader sees the old or the new content.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import LibraryError, ReaderError
from .backups import (
    backup_dir,
    newest_readable_backup,
)
from .conflict_copies import absorb, conflict_copies
from .filelock import FileLock
from .library_abstracts import LibraryAbstracts
from .library_backups import LibraryBackups
from .library_files import SCHEMA_VERSION, LibraryFiles
from .line_records import LineRecords
from .models import Paper, Shared
from .paper_records import read_papers_by_line, read_papers_whole
from .storage import no_gc, remove_stale_temp_files


class UnknownPaper(ReaderError):
    def __init__(self, pid: str) -> None:
        super().__init__(f"no paper with id {pid!r}")


class LibraryStore(LibraryAbstracts, LibraryBackups):
    """The papers of one library file and its companions.

    Threads: `lock` (a re-entrant `threading.RLock`) is held by every method
    that changes or reloads the papers in memory (the reader's state,
    metadata, imports, deletions, backups and restores, `refresh` and
    `load_abstracts`) and by `papers`. A thread that reads papers while
    another may change them (the UI while a worker imports, refreshes or
    looks papers up) takes it around its reads: ``with library.lock: ...``.
    Between processes, `file_lock` (on ``library.json.lock``) makes one
    writer at a time; it is always taken after `lock`, never before.

    load_abstracts=False leaves the abstracts (most of the bytes) on disk:
    the app shows the list first, then `scan_abstracts` reads them in the
    background a slice at a time, keeping only each paper's search text
    (`search_texts`) and where its abstract lies in the file; `abstract`
    reads one back from there. Everything that merges or writes metadata
    reads them all into the papers first by itself (`load_abstracts`).
    """

    def __init__(
        self, path: str | os.PathLike[str], *, load: bool = True, load_abstracts: bool = True
    ) -> None:
        """load=False opens the files without reading them, for `reader restore`
        to bring back a backup over a library that cannot be read.

        A path through a symbolic link is resolved once, here: every write
        replaces the real file (never the link), and the companions and the
        lock sit beside it, so the link and the real path are one library."""
        self.path = Path(os.path.realpath(Path(path).expanduser()))
        self.files = LibraryFiles(self.path)
        self.state_path = self.files.state_path
        self.abstracts_path = self.files.abstracts_path
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.backup_dir = backup_dir(self.path)
        self.file_lock = FileLock(self.lock_path)
        self.lock = threading.RLock()
        self.abstracts_loaded = False
        #: The abstracts file was scanned (`scan_abstracts`): `abstract` reads from it.
        self.abstracts_scanned = False
        self.abstract_file = LineRecords(self.abstracts_path)
        #: The search text of papers (`query.haystack`), by id, for a
        #: `Matcher` to share: made by `scan_abstracts`, dropped for a
        #: paper whose text changes.
        self.search_texts: dict[str, str] = {}
        #: Whether the papers were read (not so with load=False, until a restore)
        self.loaded = False
        #: `version` once the abstracts were read in
        self.abstracts_version = 0
        self._papers: dict[str, Paper] = {}
        self._deleted: set[str] = set()
        #: Goes up on every change, ours or another process's.
        self.version = 0
        #: What opening the library did that its user should hear of
        #: (conflict copies merged: `conflict_copies`).
        self.notices: list[str] = []
        self._cleanup_temp_files()
        if not load:
            return
        self._absorb_conflict_copies()
        try:
            self._load_meta()
        except LibraryError as exc:
            raise self._refusal(exc) from None
        if load_abstracts:
            self.load_abstracts()

    def _refusal(self, exc: LibraryError) -> LibraryError:
        """A damaged file's error, naming the newest backup that reads."""
        newest = newest_readable_backup(self.path)
        if newest is not None:
            hint = f"; the newest backup that reads is {newest} (`reader restore` brings it back)"
        elif self.backups():
            hint = "; no backup of it reads either"
        else:
            hint = "; there is no backup of it"
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

    def stored_papers(self) -> list[Paper]:
        """Every paper in the papers file, deleted ones too, in the file's order."""
        with self.lock:
            return list(self._papers.values())

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
                or self.files.state_changed_on_disk()
                or (self.abstracts_loaded and self.files.abstracts.changed_on_disk())
                or (self.abstracts_scanned and self.abstract_file.changed_on_disk())
            ):
                return False
            before = self.version  # a reader: never waits for another process
            self._sync_locked()
            return self.version != before

    # ------------------------------------------------------------------ loading
    def _cleanup_temp_files(self) -> None:
        if not self.path.parent.exists():
            return
        try:
            with self.file_lock.try_hold() as held:  # a writer at work: its files are not stale
                if held:
                    for path in self.files.all_paths():
                        remove_stale_temp_files(path)
        except (LibraryError, OSError):
            pass  # a read-only directory: nothing of ours to clean up there

    def _absorb_conflict_copies(self) -> None:
        if not conflict_copies(self.files.all_paths()):
            return
        try:
            with self._writing():
                self.files.fold()  # the copies are merged into the files, whole (nothing read yet)
                self.notices, _ = absorb(self.files.all_paths())
        except LibraryError as exc:
            self.notices = [f"conflict copies were left as they are: {exc}"]

    def _load_meta(self) -> None:
        with no_gc():
            self._load_meta_now()

    def _load_meta_now(self) -> None:
        papers: dict[str, Paper] = {}
        shared = Shared()
        try:
            if self.abstracts_loaded:
                schema = read_papers_whole(self.files, papers, shared)
            else:
                schema = read_papers_by_line(self.files, papers, shared)
        except (TypeError, ValueError, AttributeError):
            raise LibraryError(
                f"{self.path} is JSON of the wrong shape: a paper record is damaged"
            ) from None
        self._papers = papers
        self.search_texts.clear()
        self.abstracts_scanned = False
        if papers and schema < SCHEMA_VERSION:
            self._upgrade(papers)
        self._apply_state_docs(self.files.read_state(), fresh=True)
        if self.abstracts_loaded:
            self._apply_abstracts(self.files.read_abstracts())
        self.loaded = True
        self.version += 1

    def _load_state(self) -> None:
        """Take in the state as it is on disk: of the papers whose state
        changed, when only the log grew; else of every paper."""
        docs, touched = self.files.state_changes()
        if touched is None:
            self._apply_state_docs(docs)
        else:
            self._apply_state_docs(docs, touched)
        self.version += 1

    def _restore_state(self, pids: Iterable[str]) -> None:
        """A change was refused: the papers `pids` go back to their state on disk."""
        self._apply_state_docs(self.files.read_state(), set(pids))
        self.version += 1

    def _apply_state_docs(
        self, docs: dict[str, Any], pids: set[str] | None = None, fresh: bool = False
    ) -> None:
        """Put the state records into the papers: those of `pids`, or all;
        `fresh`: papers just read, at their defaults, for which only the
        records there are matter."""
        empty: dict[str, Any] = {}
        texts = self.search_texts
        known = self._papers
        papers: Iterable[tuple[str, Paper]]
        if pids is None:
            self._deleted = {pid for pid, d in docs.items() if d.get("deleted")}
            papers = ((pid, known[pid]) for pid in docs if pid in known) if fresh else known.items()
        else:
            for pid in pids:
                if (docs.get(pid) or empty).get("deleted"):
                    self._deleted.add(pid)
                else:
                    self._deleted.discard(pid)
            papers = ((pid, known[pid]) for pid in pids if pid in known)
        try:
            for pid, paper in papers:
                tags, notes = paper.tags, paper.notes
                paper.apply_state(docs.get(pid, empty))
                if texts and (paper.tags != tags or paper.notes != notes):
                    texts.pop(pid, None)  # its search text holds its tags and notes
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
            elif self.abstracts_scanned and self.abstract_file.changed_on_disk():
                self.search_texts.clear()  # to be scanned again
                self.abstracts_scanned = False
                self.version += 1

    def _sync_state_locked(self) -> None:
        """Under the lock, before a change of state only: take in the latest
        state file. The big metadata file is left for `refresh` to read."""
        if self.files.state_changed_on_disk():
            self._load_state()

    def meta_changed_on_disk(self) -> bool:
        return self.files.meta.changed_on_disk()

    def state_changed_on_disk(self) -> bool:
        return self.files.state_changed_on_disk()

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
            self._restore_state(records)  # what is in memory must match the disk
            raise
        self.version += 1

    # Metadata --------------------------------------------------------------
    def _write_meta_locked(
        self,
        changes: dict[str, dict[str, Any]],
        keep: Iterable[str] = (),
        states: dict[str, dict[str, Any]] | None = None,
        made: dict[str, Paper] | None = None,
    ) -> None:
        """Write new or changed paper records, with the state records `states`
        (under the lock, after _sync_locked): the three files all or none
        (`LibraryFiles.commit`); then take them into memory (`made`: papers
        whose record in `changes` was made of them, taken as they are).

        Papers deleted earlier are dropped from the files here for good, but
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
        try:
            self.files.commit(
                abstracts=self.files.abstracts_tables(abstracts, purge),
                state=self.files.state_tables(states or {}, purge),
                papers=self.files.papers_tables(records, purge),
            )
        except BaseException:
            self.files.invalidate()
            self._load_state()  # what is in memory must match the disk
            raise
        for pid in [*purge, *records]:
            self.search_texts.pop(pid, None)
        for pid in purge:
            self._papers.pop(pid, None)
        self._deleted.difference_update(purge)
        stored_states = self.files.stored_state()
        made = made or {}
        for pid, record in records.items():
            paper = made.get(pid)
            if paper is None:
                paper = Paper.from_docs(pid, record, stored_states.get(pid))
                paper.abstract = abstracts[pid]
            else:
                paper.apply_state(stored_states.get(pid) or {})
            self._papers[pid] = paper
        self.forget_search_texts(states or {})
        for pid, doc in (states or {}).items():
            if pid not in records:
                self._papers[pid].apply_state(doc)
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
