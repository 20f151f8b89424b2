"""The three files of a library on disk and the tables in them.

* ``library.json``: the bibliographic metadata, table ``papers`` (without
  the abstracts);
* ``library.abstracts.json``: the abstracts, table ``abstracts``;
* ``library.state.json``: the reader's state (read, starred, tags, notes,
  deleted), table ``state``, with a record only for papers whose state
  differs from the default; and table ``changed``: when each field of a
  paper's state last changed, and on which machine (`change_times`), for sync;
* ``library.state.log``: the changes of state made since the state file was
  last written, one line each (`state_log`): a star or a note appends a
  line, and the log is folded into the state file now and then (`fold`).

Every file is written one record a line (`storage.dump_tables`), so that git
sees a change of one paper as a change of one line.

Each is a TinyDB database written atomically by `AtomicJSONStorage`, with a
``_meta`` table naming its schema. `LibraryFiles` reads and writes the
tables; the caller holds the library's lock around every write. Files that
change together are written together, all or none (`commit`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.table import Table

from ..errors import LibraryError
from ..paths import companion
from .change_times import CHANGED, restamp
from .line_patch import patched_file, patched_lines
from .state_log import StateLog, apply_entries, fold_due, merge_entries
from .storage import AtomicJSONStorage, file_signature, write_files_together, write_tables_together

#: 2: names are stored with their parts (a dict each), not as strings.
SCHEMA_VERSION = 2
META_TABLE = "_meta"
PAPERS = "papers"
STATE = "state"
ABSTRACTS = "abstracts"
TABLES = frozenset({META_TABLE, PAPERS, STATE, ABSTRACTS, CHANGED})


class StrIdTable(Table):
    """A TinyDB table whose document ids are the papers' string ids."""

    document_id_class = str  # type: ignore[assignment]  # TinyDB types its ids as int


class StrIdTinyDB(TinyDB):
    """A library file opened with TinyDB: ids are the papers' string ids."""

    table_class = StrIdTable


def schema_table() -> dict[str, Any]:
    return {"schema": {"version": SCHEMA_VERSION, "app": "reader"}}


def check_schema(tables: dict[str, Any], path: Path) -> None:
    """Refuse a file that is not a library, or one of a newer schema."""
    meta = tables.get(META_TABLE, {}).get("schema")
    version = meta.get("version") if isinstance(meta, dict) else None
    if version is None:
        if tables and not set(tables) <= TABLES:
            raise LibraryError(f"{path} is JSON of the wrong shape: it is not a reader library")
        return
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise LibraryError(
            f"{path} was written by a newer version of reader (schema {version}; "
            f"this version reads up to {SCHEMA_VERSION}): upgrade reader"
        )


def log_path(path: Path) -> Path:
    """The log of state changes of the library file `path`: library.state.log."""
    return companion(path, "state").with_suffix(".log")


def _open(path: Path) -> AtomicJSONStorage:
    return cast(AtomicJSONStorage, StrIdTinyDB(path, storage=AtomicJSONStorage).storage)


class LibraryFiles:
    """The papers, state and abstracts files of the library file `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state_path = companion(path, "state")
        self.abstracts_path = companion(path, "abstracts")
        self.meta = _open(self.path)
        self.state = _open(self.state_path)
        self.abstracts = _open(self.abstracts_path)
        self.log = StateLog(log_path(path))
        self._forget_log()

    def _forget_log(self) -> None:
        #: the log as taken into the state storage's tables: its inode, the
        #: offset after its last whole line, its size then; and whether it was
        #: merged (it began on another state file) rather than applied
        self._log_ino, self._log_end, self._log_size = 0, 0, 0
        self._log_merged = False
        #: the papers whose state the reads since `state_changes` last ran
        #: changed; None: any paper's may have
        self._touched: set[str] | None = None
        #: the papers whose state differs from the state file's (the log's);
        #: None: not known
        self._unfolded: set[str] | None = None

    def all_paths(self) -> tuple[Path, Path, Path]:
        return (self.path, self.state_path, self.abstracts_path)

    def invalidate(self) -> None:
        """Forget what was read: the files were replaced behind the stores."""
        for store in (self.meta, self.state, self.abstracts):
            store.invalidate()
        self._forget_log()

    # ------------------------------------------------------------------ reading
    def _table(self, store: AtomicJSONStorage, name: str) -> dict[str, Any]:
        """The records of table `name`, each checked to be a JSON object."""
        tables = store.read() or {}
        check_schema(tables, store.path)
        docs = tables.get(name, {})
        if not all(isinstance(d, dict) for d in docs.values()):
            raise LibraryError(f"{store.path} is JSON of the wrong shape")
        return docs

    def read_papers(self) -> dict[str, Any]:
        """The paper records; a damaged one is the caller's to refuse."""
        tables = self.meta.read() or {}
        check_schema(tables, self.path)
        return tables.get(PAPERS, {})

    def papers_schema(self) -> int:
        """The schema version the papers file says it has (1 when it says none)."""
        meta = (self.meta.read() or {}).get(META_TABLE, {}).get("schema")
        version = meta.get("version") if isinstance(meta, dict) else None
        return version if isinstance(version, int) else 1

    def read_state(self) -> dict[str, Any]:
        """The state records: the state file's with the log's changes."""
        tables = self._state_view()
        check_schema(tables, self.state_path)
        docs = tables.get(STATE, {})
        if not all(isinstance(d, dict) for d in docs.values()):
            raise LibraryError(f"{self.state_path} is JSON of the wrong shape")
        return docs

    def state_changed_on_disk(self) -> bool:
        """Whether the state file or its log changed since they were read."""
        if self.state.changed_on_disk():
            return True
        ino, size = self.log.mark()
        return (ino, size) != (self._log_ino, self._log_size)

    def state_changes(self) -> tuple[dict[str, Any], set[str] | None]:
        """The state records, and the papers whose state changed since the
        last call (None: any may have)."""
        docs = self.read_state()
        touched, self._touched = self._touched, set()
        return docs, touched

    def _state_view(self) -> dict[str, Any]:
        """The state storage's tables, with the log taken in (see `state_log`):
        only the new lines of a log that grew; all again when the state file
        changed or the log began anew."""
        if self.state.changed_on_disk():
            return self._reload_state()
        ino, size = self.log.mark()
        if (ino, size) == (self._log_ino, self._log_size):
            return self.state.tables()
        if ino != self._log_ino or size < self._log_end or self._log_merged:
            return self._reload_state()
        got = self.log.read(self._log_end)
        tables = self.state.tables()
        self._note_touched(apply_entries(tables, got.entries, STATE, CHANGED))
        self._note_unfolded(got.entries)
        self._log_end, self._log_size = got.end, got.size
        return tables

    def _reload_state(self) -> dict[str, Any]:
        # The log first: a fold by another process between the two reads
        # leaves an old log over a new state file, which the merge takes as is.
        got = self.log.read()
        self.state.invalidate()
        tables = self.state.tables()
        self._log_merged = bool(got.entries) and got.base != self.state.signature
        take = merge_entries if self._log_merged else apply_entries
        touched = take(tables, got.entries, STATE, CHANGED)
        self._log_ino, self._log_end, self._log_size = got.ino, got.end, got.size
        self._touched = None
        self._unfolded = None if self._log_merged else touched
        return tables

    def _note_unfolded(self, entries: list[dict[str, Any]]) -> None:
        if self._unfolded is not None:
            for entry in entries:
                self._unfolded.update(entry.get("state", {}), entry.get("changed", {}))

    def _note_touched(self, pids: set[str]) -> None:
        if self._touched is not None:
            self._touched |= pids

    def read_abstracts(self) -> dict[str, Any]:
        return self._table(self.abstracts, ABSTRACTS)

    # ------------------------------------------------------------------ writing
    def commit(
        self,
        *,
        abstracts: dict[str, Any] | None = None,
        state: dict[str, Any] | None = None,
        papers: dict[str, Any] | None = None,
    ) -> None:
        """Write the new tables given (from the `*_tables` methods), all or
        none: a full disk changes none of the files. The papers go last, so
        that a paper appears with its abstract and its state or not at all,
        after a crash too."""
        stores = (self.abstracts, self.state, self.meta)
        writes = [(s, t) for s, t in zip(stores, (abstracts, state, papers), strict=True) if t]
        if writes:
            write_tables_together(writes)
        if state:
            self._drop_log()
            self._unfolded = set()

    def _drop_log(self) -> None:
        """The state file now holds the log's changes: the log goes. If it
        cannot, the next read merges it into the state file, which changes
        nothing."""
        try:
            self.log.remove()
        except LibraryError:
            pass
        self._forget_log()
        self._touched = None

    def fold(self) -> None:
        """Write the log's changes into the state file and remove the log (the
        caller holds the library's lock): before the state file is read
        by itself (sync, backups) or copied."""
        if self.state.changed_on_disk() and self._fold_lines():
            return
        tables = self._state_view()
        if not self.log.exists():
            return
        folded = {**tables, META_TABLE: schema_table()}
        data = None
        if self._unfolded is not None:  # a few records changed: their lines
            data = patched_file(self.state_path, folded, (STATE, CHANGED), self._unfolded)
        if data is None:
            self.commit(state=folded)
            return
        try:
            write_files_together([(self.state_path, data)])
        except BaseException:
            self.state.invalidate()
            raise
        self.state.written(folded)
        self._drop_log()
        self._unfolded = set()

    def _fold_lines(self) -> bool:
        """Fold a short log into the state file by changing the lines of its
        papers, without reading the rest of the file (a sync in a process of
        its own): only where the log began on this very file."""
        got = self.log.read()
        if not got.entries or got.base is None or got.base != file_signature(self.state_path):
            return False
        changes: dict[str, dict[str, Any]] = {STATE: {}, CHANGED: {}}
        for entry in got.entries:
            changes[STATE].update(entry.get("state", {}))
            changes[CHANGED].update(entry.get("changed", {}))
        data = patched_lines(self.state_path, changes)
        if data is None:
            return False
        write_files_together([(self.state_path, data)])
        self.state.invalidate()
        self._drop_log()
        return True

    def write_state(self, records: dict[str, dict[str, Any]]) -> None:
        """Put these state records in (an empty one removes the paper's), each
        changed field stamped: one line appended to the log, or the state file
        written whole with the log folded in when the log is due (`fold_due`)."""
        tables = self._state_view()
        stored, stamps = tables.get(STATE, {}), tables.get(CHANGED, {})
        entry: dict[str, dict[str, Any]] = {"state": {}, "changed": {}, "before": {}}
        for pid, doc in records.items():
            old = stored.get(pid)
            if (doc or None) == (old or None):
                continue
            entry["state"][pid] = doc
            entry["changed"][pid] = restamp(old, doc, stamps.get(pid))
            entry["before"][pid] = [old or {}, stamps.get(pid) or {}]
        if not entry["state"]:
            return
        signature = self.state.signature
        if self._log_merged or fold_due(self._log_size, signature[2] if signature else 0):
            self.commit(state=self.state_tables(records))
            return
        self._log_ino, self._log_size = self.log.append(entry, signature)
        self._log_end = self._log_size
        apply_entries(tables, [entry], STATE, CHANGED)
        self._note_touched(set(entry["state"]))
        self._note_unfolded([entry])

    def state_tables(
        self, records: dict[str, dict[str, Any]], purge: Iterable[str] = ()
    ) -> dict[str, Any] | None:
        """The state file with these records put in (an empty record removes
        the paper's) and those of `purge` out; None if that changes nothing.
        Each field that changes is stamped in the ``changed`` table (see
        `change_times`); a purged paper's stamps go with it."""
        tables = dict(self._state_view())
        stored = dict(tables.get(STATE, {}))
        stamps = dict(tables.get(CHANGED, {}))
        changed = False
        for pid, doc in records.items():
            old = stored.get(pid)
            if _put(stored, pid, doc):
                changed = True
                stamps[pid] = restamp(old, doc, stamps.get(pid))
        for pid in purge:
            changed |= stored.pop(pid, None) is not None
            changed |= stamps.pop(pid, None) is not None
        if not changed:
            return None
        tables[STATE] = stored
        if stamps or CHANGED in tables:
            tables[CHANGED] = stamps
        tables[META_TABLE] = schema_table()
        return tables

    def papers_tables(self, records: dict[str, dict[str, Any]], purge: Iterable[str]) -> dict[str, Any]:
        """The papers file with these records put in and those of `purge` out."""
        tables = dict(self.meta.read() or {})
        tables[META_TABLE] = schema_table()
        docs = dict(tables.get(PAPERS, {}))
        for pid in purge:
            docs.pop(pid, None)
        docs.update(records)
        tables[PAPERS] = docs
        return tables

    def write_papers(self, records: dict[str, dict[str, Any]], purge: Iterable[str]) -> None:
        """Put these paper records in and take those of `purge` out, in one write."""
        self.commit(papers=self.papers_tables(records, purge))

    def stored_paper_ids(self) -> set[str]:
        return set((self.meta.read() or {}).get(PAPERS, {}))

    def abstracts_tables(self, abstracts: dict[str, str], purge: Iterable[str]) -> dict[str, Any] | None:
        """The abstracts file with these abstracts (an empty one removes the
        paper's) and without those of `purge`; None if nothing changes."""
        tables = dict(self.abstracts.read() or {})
        docs = dict(tables.get(ABSTRACTS, {}))
        changed = False
        for pid in purge:
            changed |= docs.pop(pid, None) is not None
        for pid, abstract in abstracts.items():
            changed |= _put(docs, pid, {"abstract": abstract} if abstract else {})
        if not changed:
            return None
        tables[ABSTRACTS] = docs
        tables[META_TABLE] = schema_table()
        return tables

    def stored_state(self) -> dict[str, Any]:
        """The state records as stored, unchecked (they were checked on load)."""
        return self._state_view().get(STATE, {})


def _put(docs: dict[str, Any], pid: str, doc: dict[str, Any]) -> bool:
    """Put one record in (an empty one takes the paper's out); True if that
    changed anything."""
    if doc:
        if docs.get(pid) == doc:
            return False
        docs[pid] = doc
        return True
    return docs.pop(pid, None) is not None
