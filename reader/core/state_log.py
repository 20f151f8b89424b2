"""The log of changes to the reader's state, beside the state file.

A change of state (a star, a read mark, tags, notes) is one line appended
to ``library.state.log`` and flushed to disk: a few hundred bytes, where
rewriting the state file would write all of it (megabytes at 100k papers).
The state is the state file with the log's lines applied in order. Now and
then (`LibraryFiles.fold`: when the log has grown, before a sync, a backup,
an import) the log is folded into the state file, which is written whole
and atomically, and the log removed.

Lines are JSON objects:

* the first, the header, names the state file the log applies to by its
  signature (inode, size, modification time) when the log was begun:
  ``{"log": 1, "base": [ino, size, mtime_ns]}``;
* each other is one change, all or none: the new state record and stamps of
  each paper it touched, and what they were before
  (``{"state": {pid: doc}, "changed": {pid: stamps}, "before": {pid: [doc, stamps]}}``;
  an empty doc: the paper has no record).

Killed in the middle of an append, the log ends with part of a line: that
change was never acknowledged; readers stop at the last whole line and the
next writer cuts the rest off. A state file that is not the one the log
began on (written by a fold that was killed before it removed the log, or
replaced by git, a file-syncing tool or a restore) takes the log's changes
by the three-way merge of sync (`state_merge`), with the "before" as the
common ancestor: nothing either side did is lost.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..errors import LibraryError
from .storage import fsync_dir, reason

LOG_VERSION = 1
#: The log is folded into the state file once it is this big, or a quarter of
#: the state file if that is more: a fold writes the whole state file, so
#: folds come rarer as the library grows.
FOLD_BYTES = 32 * 1024
FOLD_SHARE = 4

Signature = tuple[int, int, int]


@dataclass
class LogRead:
    """What a read of the log found, from some offset on."""

    #: the state file's signature the log began on (None: no log, or no header yet)
    base: Signature | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)
    #: the log's inode (0: no log) and the offset after the last whole line read
    ino: int = 0
    end: int = 0
    #: the log's size when read (more than `end` while a line is being written)
    size: int = 0


def _parse_lines(data: bytes, start: int, path: Path) -> tuple[list[dict[str, Any]], int]:
    """The whole lines of `data` (read from offset `start`) and the offset after them."""
    cut = data.rfind(b"\n") + 1
    out = []
    for line in data[:cut].splitlines():
        try:
            doc = orjson.loads(line)
        except orjson.JSONDecodeError:
            doc = None
        if not isinstance(doc, dict):
            raise LibraryError(f"{path} is damaged (a line is not a change of state)")
        out.append(doc)
    return out, start + cut


def _signature_of(doc: dict[str, Any]) -> Signature | None:
    base = doc.get("base")
    if isinstance(base, list) and len(base) == 3 and all(isinstance(x, int) for x in base):
        return (base[0], base[1], base[2])
    return None


class StateLog:
    """The log file `path` (see the module)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def mark(self) -> tuple[int, int]:
        """(inode, size) of the log as it is on disk; (0, 0) when there is none."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return (0, 0)
        except OSError as exc:
            raise LibraryError(f"cannot read {self.path}: {reason(exc)}") from None
        return (st.st_ino, st.st_size)

    def read(self, offset: int = 0) -> LogRead:
        """The whole lines from `offset` on (0: the header and every change)."""
        try:
            with open(self.path, "rb") as handle:
                ino = os.fstat(handle.fileno()).st_ino
                handle.seek(offset)
                data = handle.read()
        except FileNotFoundError:
            return LogRead()
        except OSError as exc:
            raise LibraryError(f"cannot read {self.path}: {reason(exc)}") from None
        docs, end = _parse_lines(data, offset, self.path)
        got = LogRead(ino=ino, end=end, size=offset + len(data))
        if offset == 0 and docs:
            header = docs.pop(0)
            if header.get("log") != LOG_VERSION:
                raise LibraryError(
                    f"{self.path} was written by another version of reader (log {header.get('log')!r}): "
                    "upgrade reader"
                )
            got.base = _signature_of(header)
        for doc in docs:
            if not all(isinstance(doc.get(k, {}), dict) for k in ("state", "changed", "before")):
                raise LibraryError(f"{self.path} is damaged (a line is not a change of state)")
        got.entries = docs
        return got

    def append(self, entry: dict[str, Any], base: Signature | None) -> tuple[int, int]:
        """Add one change and flush it to disk (the caller holds the library's
        lock). A new log begins with its header, naming the state file
        `base`. Returns the log's (inode, size) after it."""
        line = orjson.dumps(entry) + b"\n"
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise LibraryError(f"cannot write {self.path}: {reason(exc)}") from None
        size = -1
        try:
            st = os.fstat(fd)
            size = _cut_unfinished_line(fd, st.st_size)
            if size == 0:
                header = {"log": LOG_VERSION, "base": list(base) if base else None}
                line = orjson.dumps(header) + b"\n" + line
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            if size == 0:
                fsync_dir(self.path.parent)  # a new file: its name is durable too
            return (st.st_ino, size + len(line))
        except OSError as exc:
            try:  # what could not be flushed is taken back; a log begun here goes
                if size == 0:
                    os.unlink(self.path)
                elif size > 0:
                    os.ftruncate(fd, size)
            except OSError:
                pass
            raise LibraryError(f"cannot write {self.path}: {reason(exc)}") from None
        finally:
            os.close(fd)

    def remove(self) -> None:
        """The log was folded into the state file: it goes."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise LibraryError(f"cannot remove {self.path}: {reason(exc)}") from None
        fsync_dir(self.path.parent)

    def exists(self) -> bool:
        return self.path.exists()


def _cut_unfinished_line(fd: int, size: int) -> int:
    """Cut off what a writer killed in the middle of an append left after the
    last whole line; the log's size after it."""
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return size
    data = os.pread(fd, size, 0)
    keep = data.rfind(b"\n") + 1
    os.ftruncate(fd, keep)
    return keep


def fold_due(log_size: int, state_size: int) -> bool:
    return log_size > max(FOLD_BYTES, state_size // FOLD_SHARE)


def apply_entries(tables: dict[str, Any], entries: list[dict[str, Any]], state: str, changed: str) -> set[str]:
    """Apply the log's changes to the state file's tables, in place: the
    tables are then the state as it is. Returns the papers touched."""
    records = tables.setdefault(state, {})
    stamps = tables.setdefault(changed, {})
    touched: set[str] = set()
    for entry in entries:
        for table, key in ((records, "state"), (stamps, "changed")):
            for pid, doc in entry.get(key, {}).items():
                touched.add(pid)
                if doc:
                    table[pid] = doc
                else:
                    table.pop(pid, None)
    return touched


def merge_entries(tables: dict[str, Any], entries: list[dict[str, Any]], state: str, changed: str) -> set[str]:
    """Apply the log's changes to a state file it did not begin on: for each
    paper, a three-way merge of the file's record (one side), the log's last
    (the other) and the log's first "before" (the ancestor)."""
    from .state_merge import merge_state

    first: dict[str, list[Any]] = {}
    last: dict[str, tuple[Any, Any]] = {}
    for entry in entries:
        before = entry.get("before", {})
        for pid in entry.get("state", {}).keys() | entry.get("changed", {}).keys():
            prior = before.get(pid)
            first.setdefault(pid, prior if isinstance(prior, list) and len(prior) == 2 else [{}, {}])
            last[pid] = (entry.get("state", {}).get(pid) or {}, entry.get("changed", {}).get(pid) or {})
    records = tables.setdefault(state, {})
    stamps = tables.setdefault(changed, {})
    for pid, (doc, doc_stamps) in last.items():
        base_doc, base_stamps = first[pid]
        merged = merge_state(
            base_doc or {}, records.get(pid) or {}, doc,
            (base_stamps or {}, stamps.get(pid) or {}, doc_stamps),
        )
        for table, value in ((records, merged.doc), (stamps, merged.stamps)):
            if value:
                table[pid] = value
            else:
                table.pop(pid, None)
    return set(last)
