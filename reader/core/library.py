"""The library: papers in a TinyDB file, the reader's state in a small one beside it.

Two TinyDB databases, both written atomically by `AtomicJSONStorage`:

* ``library.json`` holds the bibliographic metadata, table ``papers``;
* ``library.state.json`` holds the reader's state (read, starred, tags, notes,
  deleted) in table ``state``, with a record only for papers whose state
  differs from the default. A toggle rewrites this small file only.

One writer at a time: every write takes ``library.json.lock``, reads again any
file that another process changed since we last saw it, applies its change to
that latest state and writes it back. Nothing another process wrote is lost.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from ..errors import LibraryError, ReaderError
from ..paths import companion
from .backups import backup_dir, list_backups, make_backup, read_backup
from .ids import base_id, unique_id
from .merge import (
    ImportResult,
    MatchIndex,
    fill_empty,
    joined_state,
    merged_state,
    normalise_tag,
)
from .models import Paper, now_iso
from .storage import (
    AtomicJSONStorage,
    FileLock,
    atomic_write_bytes,
    remove_stale_temp_files,
)

#: 2: names are stored with their parts (a dict each), not as strings.
SCHEMA_VERSION = 2
META_TABLE = "_meta"
PAPERS = "papers"
STATE = "state"
ABSTRACTS = "abstracts"


def _schema_version(tables: dict[str, Any]) -> int:
    """The schema version a library file says it has (1 when it says none)."""
    meta = tables.get(META_TABLE, {}).get("schema")
    version = meta.get("version") if isinstance(meta, dict) else None
    return version if isinstance(version, int) else 1


class UnknownPaper(ReaderError):
    def __init__(self, pid: str) -> None:
        super().__init__(f"no paper with id {pid!r}")


class StrIdTable(Table):
    """A TinyDB table whose document ids are the papers' string ids."""

    document_id_class = str


class StrIdTinyDB(TinyDB):
    table_class = StrIdTable


class Library:
    """The papers of one library file and its companions.

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
        self.state_path = companion(self.path, "state")
        self.abstracts_path = companion(self.path, "abstracts")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.backup_dir = backup_dir(self.path)
        self.lock = FileLock(self.lock_path)
        self.db = StrIdTinyDB(self.path, storage=AtomicJSONStorage)
        self.state_db = StrIdTinyDB(self.state_path, storage=AtomicJSONStorage)
        self.abstracts_db = StrIdTinyDB(self.abstracts_path, storage=AtomicJSONStorage)
        self._meta_store: AtomicJSONStorage = self.db.storage  # type: ignore[assignment]
        self._state_store: AtomicJSONStorage = self.state_db.storage  # type: ignore[assignment]
        self._abstracts_store: AtomicJSONStorage = self.abstracts_db.storage  # type: ignore[assignment]
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

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._papers) - len(self._deleted & self._papers.keys())

    def __contains__(self, pid: object) -> bool:
        return pid in self._papers and pid not in self._deleted

    def papers(self) -> list[Paper]:
        """Every paper, newest import first, in file order within an import."""
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
        if not (
            self._meta_store.changed_on_disk()
            or self._state_store.changed_on_disk()
            or (self.abstracts_loaded and self._abstracts_store.changed_on_disk())
        ):
            return False
        with self.lock.hold():
            before = self.version
            self._sync_locked()
            return self.version != before

    # ------------------------------------------------------------------ loading
    def _cleanup_temp_files(self) -> None:
        if not self.path.parent.exists():
            return
        try:
            with self.lock.hold():
                for path in (self.path, self.state_path, self.abstracts_path):
                    remove_stale_temp_files(path)
        except (LibraryError, OSError):
            pass  # a read-only directory: nothing of ours to clean up there

    def _check_schema(self, tables: dict[str, Any], path: Path) -> None:
        meta = tables.get(META_TABLE, {}).get("schema")
        version = meta.get("version") if isinstance(meta, dict) else None
        if version is None:
            if tables:
                if not set(tables) <= {META_TABLE, PAPERS, STATE, ABSTRACTS}:
                    raise LibraryError(
                        f"{path} is JSON of the wrong shape: it is not a reader library"
                    )
            return
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise LibraryError(
                f"{path} was written by a newer version of reader (schema {version}; "
                f"this version reads up to {SCHEMA_VERSION}): upgrade reader"
            )

    def _load_meta(self) -> None:
        # Parsing makes millions of objects and no garbage: the cyclic
        # collector would only walk them again and again (a third of the time).
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._load_meta_now()
        finally:
            if enabled:
                gc.enable()

    def _load_meta_now(self) -> None:
        tables = self._meta_store.read() or {}
        self._check_schema(tables, self.path)
        docs = tables.get(PAPERS, {})
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
        if docs and _schema_version(tables) < SCHEMA_VERSION:
            self._upgrade(papers)
        self._apply_state_docs(self._read_state_docs())
        if self.abstracts_loaded:
            self._apply_abstracts(self._read_abstracts())
        self.version += 1

    def _upgrade(self, papers: dict[str, Paper]) -> None:
        """Write a library of an older schema in the current one, a backup
        taken first. Where it cannot be written (a read-only place), it is
        read as it is and written in the new schema with the next change."""
        try:
            with self.lock.hold():
                if _schema_version(self._meta_store.read() or {}) >= SCHEMA_VERSION:
                    return  # another process upgraded it meanwhile
                self._backup_locked()
                tables = dict(self._meta_store.read() or {})
                tables[META_TABLE] = self._schema_table()
                tables[PAPERS] = {pid: p.metadata_doc() for pid, p in papers.items()}
                self._meta_store.write(tables)
        except LibraryError:
            pass

    # The abstracts ---------------------------------------------------------
    def load_abstracts(self) -> None:
        """Read the abstracts into the papers (the app does it after showing them)."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            docs = self._read_abstracts()
            self._apply_abstracts(docs)
            self.abstracts_loaded = True
            self.version += 1
        except LibraryError as exc:
            raise self._refusal(exc) from None
        finally:
            if enabled:
                gc.enable()

    def _read_abstracts(self) -> dict[str, Any]:
        tables = self._abstracts_store.read() or {}
        self._check_schema(tables, self.abstracts_path)
        docs = tables.get(ABSTRACTS, {})
        if not all(isinstance(d, dict) for d in docs.values()):
            raise LibraryError(f"{self.abstracts_path} is JSON of the wrong shape")
        return docs

    def _apply_abstracts(self, docs: dict[str, Any]) -> None:
        for pid, doc in docs.items():
            paper = self._papers.get(pid)
            if paper is not None:
                paper.abstract = str(doc.get("abstract") or "")

    def _ensure_abstracts_locked(self) -> None:
        if not self.abstracts_loaded:
            self.load_abstracts()

    def _read_state_docs(self) -> dict[str, Any]:
        tables = self._state_store.read() or {}
        self._check_schema(tables, self.state_path)
        docs = tables.get(STATE, {})
        if not all(isinstance(d, dict) for d in docs.values()):
            raise LibraryError(f"{self.state_path} is JSON of the wrong shape")
        return docs

    def _load_state(self) -> None:
        self._apply_state_docs(self._read_state_docs())
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
    @staticmethod
    def _schema_table() -> dict[str, Any]:
        return {"schema": {"version": SCHEMA_VERSION, "app": "reader"}}

    def _sync_locked(self) -> None:
        """Under the lock: take in anything another process wrote."""
        if self._meta_store.changed_on_disk():
            self._load_meta()
        else:
            self._sync_state_locked()
            if self.abstracts_loaded and self._abstracts_store.changed_on_disk():
                self._apply_abstracts(self._read_abstracts())
                self.version += 1

    def _sync_state_locked(self) -> None:
        """Under the lock, before a change of state only: take in the latest
        state file. The big metadata file is left for `refresh` to read."""
        if self._state_store.changed_on_disk():
            self._load_state()

    def meta_changed_on_disk(self) -> bool:
        return self._meta_store.changed_on_disk()

    def state_changed_on_disk(self) -> bool:
        return self._state_store.changed_on_disk()

    def _write_state(self, pids: Iterable[str]) -> None:
        """Write the state records of `pids` (under the lock, after _sync_locked)."""
        tables = dict(self._state_store.read() or {})
        tables[META_TABLE] = self._schema_table()
        records = dict(tables.get(STATE, {}))
        for pid in pids:
            paper = self._papers.get(pid)
            doc = paper.state_doc() if paper is not None else {}
            if pid in self._deleted:
                doc["deleted"] = True
            if doc:
                records[pid] = doc
            else:
                records.pop(pid, None)
        tables[STATE] = records
        try:
            self._state_store.write(tables)
        except BaseException:
            self._load_state()  # what is in memory must match the disk
            raise
        self.version += 1

    def change(self, pids: Iterable[str], edit: Callable[[Paper], None]) -> list[Paper]:
        """Apply `edit` to the reader's state of each paper and save it durably."""
        pids = list(dict.fromkeys(pids))
        with self.lock.hold():
            self._sync_state_locked()
            papers = [self.require(pid) for pid in pids]
            for paper in papers:
                edit(paper)
            self._write_state(pids)
        return papers

    # The reader's state ------------------------------------------------
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

    # Deleting ------------------------------------------------------------
    def delete(self, pids: Iterable[str]) -> list[Paper]:
        """Delete papers. Returns them as they were, for `restore_papers`."""
        pids = list(dict.fromkeys(pids))
        with self.lock.hold():
            self._sync_state_locked()
            papers = [self.require(pid) for pid in pids]
            if len(papers) > 1:
                self._backup_locked()
            self._deleted.update(pids)
            self._write_state(pids)
        return papers

    def restore_papers(self, papers: Iterable[Paper]) -> None:
        """Bring deleted papers back with their metadata and state (undo)."""
        papers = list(papers)
        with self.lock.hold():
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
        tables = dict(self._meta_store.read() or {})
        tables[META_TABLE] = self._schema_table()
        docs = dict(tables.get(PAPERS, {}))
        spare = set(changes).union(keep)
        purge = [pid for pid in self._deleted if pid in docs and pid not in spare]
        abstracts: dict[str, str] = {}
        records: dict[str, dict[str, Any]] = {}
        for pid, doc in changes.items():
            record = dict(doc)
            abstracts[pid] = str(record.pop("abstract", "") or "")
            records[pid] = record
        # The abstracts first: a crash between the two writes leaves at most
        # an abstract that no paper points to, never a paper without its own.
        self._write_abstracts_locked(abstracts, purge)
        for pid in purge:
            del docs[pid]
        docs.update(records)
        tables[PAPERS] = docs
        self._meta_store.write(tables)
        if purge:
            self._drop_state_locked(purge)
            for pid in purge:
                self._papers.pop(pid, None)
            self._deleted.difference_update(purge)
        states = (self._state_store.read() or {}).get(STATE, {})
        for pid, record in records.items():
            paper = Paper.from_docs(pid, record, states.get(pid))
            paper.abstract = abstracts[pid]
            self._papers[pid] = paper
        self.version += 1

    def _write_abstracts_locked(self, abstracts: dict[str, str], purge: list[str]) -> None:
        tables = dict(self._abstracts_store.read() or {})
        docs = dict(tables.get(ABSTRACTS, {}))
        changed = False
        for pid in purge:
            changed |= docs.pop(pid, None) is not None
        for pid, abstract in abstracts.items():
            if abstract and docs.get(pid, {}).get("abstract") != abstract:
                docs[pid] = {"abstract": abstract}
                changed = True
            elif not abstract and pid in docs:
                del docs[pid]
                changed = True
        if changed:
            tables[ABSTRACTS] = docs
            tables[META_TABLE] = self._schema_table()
            self._abstracts_store.write(tables)

    def _drop_state_locked(self, pids: list[str]) -> None:
        tables = dict(self._state_store.read() or {})
        records = dict(tables.get(STATE, {}))
        for pid in pids:
            records.pop(pid, None)
        tables[STATE] = records
        tables[META_TABLE] = self._schema_table()
        self._state_store.write(tables)

    def update_metadata(self, pid: str, values: dict[str, Any]) -> bool:
        """Fill empty metadata fields of one paper. True if anything changed."""
        with self.lock.hold():
            self._sync_locked()
            self._ensure_abstracts_locked()
            paper = self.require(pid)
            merged = fill_empty(paper, values)
            if merged is None:
                return False
            self._write_meta_locked({pid: merged})
        return True

    def merge_pair(self, keep_id: str, other_id: str) -> Paper:
        """Merge two papers by hand: `keep_id` gains what it lacks from
        `other_id` (metadata, tags, notes, read, starred), which is deleted."""
        if keep_id == other_id:
            raise ReaderError("give two different papers to merge")
        with self.lock.hold():
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

    def add_papers(
        self, incoming: Iterable[Paper], *, backup: bool = True, by_id: bool = False
    ) -> ImportResult:
        """Import papers, merging those already here (see `merge`). Writes once,
        or not at all. by_id (reader's own JSON): each paper is the stored one
        of its id, if nothing contradicts it, else a new one."""
        result = ImportResult()
        with self.lock.hold():
            self._sync_locked()
            self._ensure_abstracts_locked()
            index = MatchIndex(self._papers.values())
            docs: dict[str, dict[str, Any]] = {}  # new or changed metadata
            states: dict[str, dict[str, Any]] = {}  # new or changed reader state
            revived: set[str] = set()
            stamp = datetime.now(timezone.utc).isoformat()
            taken = set(self._papers)
            for paper in incoming:
                found = index.find(paper, by_id=by_id)
                match = found.pid
                if match is None:
                    pid = paper.id if paper.id and paper.id not in taken else ""
                    paper.id = pid or unique_id(base_id(paper), taken)
                    paper.added = paper.added or stamp  # a JSON export keeps its own
                    taken.add(paper.id)
                    index.add(paper)
                    docs[paper.id] = paper.metadata_doc()
                    if paper.state_doc():
                        states[paper.id] = paper.state_doc()
                    result.added.append(paper.id)
                    result.possible_duplicates += [
                        (paper.id, other, why) for other, why in found.possible
                    ]
                    continue
                result.merged.append(match)
                current = self._papers.get(match)
                if match in docs:  # listed twice in what is being imported
                    current = Paper.from_docs(match, docs[match], states.get(match))
                assert current is not None
                filled = fill_empty(current, paper.metadata_doc())
                if filled is not None:
                    docs[match] = filled
                    result.updated.append(match)
                state = merged_state(current, paper)
                if state is not None:
                    states[match] = state
                if match in self._deleted:
                    revived.add(match)
            if docs:
                if backup and len(self):
                    self._backup_locked()
                self._write_meta_locked(docs, keep=revived)
            if states or revived:
                for pid, state in states.items():
                    self._papers[pid].apply_state(state)
                self._deleted -= revived
                self._write_state([*states, *revived])
        return result

    # Backups ---------------------------------------------------------------
    def backups(self) -> list[Path]:
        """Backup copies of the library file, newest first."""
        return list_backups(self.path)

    def backup(self) -> Path | None:
        with self.lock.hold():
            return self._backup_locked()

    def _backup_locked(self) -> Path | None:
        """Keep the library as it is now beside it, before a change to many papers."""
        return make_backup(self.path)

    def restore_backup(self, backup: Path) -> None:
        """Bring a backup back; the library as it is now is backed up first."""
        with self.lock.hold():
            content = read_backup(backup)  # a damaged backup is refused here
            self._backup_locked()
            # The abstracts first, as in every write (see _write_meta_locked).
            atomic_write_bytes(self.abstracts_path, content.abstracts)
            atomic_write_bytes(self.path, content.papers)
            atomic_write_bytes(self.state_path, content.state)
            for store in (self._meta_store, self._state_store, self._abstracts_store):
                store.invalidate()
            self._load_meta()
            if not self.abstracts_loaded:
                self.load_abstracts()
