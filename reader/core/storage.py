"""A TinyDB storage that writes atomically and durably.

TinyDB's own JSONStorage rewrites its file in place, so a process killed in the
middle of a write leaves half a file. This storage writes the whole state to a
temporary file in the same directory, flushes and fsyncs it, renames it over
the old file and fsyncs the directory: whatever moment the process dies at, the
file on disk is either the old or the new complete state.

Files that change together (an import's papers, abstracts and state) are
written together, all or none: every new content is written and flushed
before the first is renamed into place, so a full disk changes none of them.

It also keeps the last state it read or wrote in memory and reads the file
again only when the file changed on disk (another process wrote it), so a
read costs a `stat`, not a parse of every abstract.
"""

from __future__ import annotations

import errno
import gc
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from ..errors import LibraryError

TMP_SUFFIX = ".tmp"


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """(inode, modification time, size) of `path`: it changes whenever the file does."""
    return _signature(path)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically and durably."""
    write_files_together([(path, data)])


@dataclass
class Prepared:
    """A file's new content, written and flushed beside it, not yet in place."""

    path: Path
    tmp: str


def prepare(path: Path, data: bytes) -> Prepared:
    """Write `data` to a temporary file beside `path` and flush it to disk:
    a full disk shows here, before anything is replaced."""
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TMP_SUFFIX, dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            try:
                os.chmod(tmp, path.stat().st_mode & 0o777)
            except OSError:
                pass
    except BaseException:
        _unlink(tmp)
        raise
    return Prepared(path, tmp)


def write_files_together(items: list[tuple[Path, bytes]]) -> None:
    """Replace several files, all or none: every new content is written and
    flushed first (where a full disk or a refused directory shows), then they
    are renamed into place in the order given. A failure before the renames
    leaves every file as it was."""
    prepared: list[Prepared] = []
    current = items[0][0] if items else Path()
    try:
        try:
            for path, data in items:
                current = path
                prepared.append(prepare(path, data))
            for item in prepared:
                current = item.path
                os.replace(item.tmp, item.path)
        except BaseException:
            for item in prepared:
                _unlink(item.tmp)
            raise
        for directory in dict.fromkeys(item.path.parent for item in prepared):
            fsync_dir(directory)
    except OSError as exc:
        raise LibraryError(f"cannot write {current}: {reason(exc)}") from None


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def fsync_dir(directory: Path) -> None:
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied"
    return exc.strerror or str(exc)


def remove_stale_temp_files(path: Path) -> int:
    """Delete temporary files left by a write that was killed. Returns how many."""
    removed = 0
    try:
        candidates = list(path.parent.glob(temp_prefix(path) + "*" + TMP_SUFFIX))
    except OSError:
        return 0
    for candidate in candidates:
        try:
            candidate.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def load_json_file(path: Path) -> dict[str, Any]:
    """Parse a library file, with a clear error for anything that is not one."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise LibraryError(f"cannot read {path}: {reason(exc)}") from None
    return parse_library_json(raw, str(path))


def parse_library_json(raw: bytes, name: str) -> dict[str, Any]:
    """The tables of a library file's bytes; `name` says which file in an error."""
    if not raw.strip():
        raise LibraryError(f"{name} is empty: it is not a library file")
    try:
        data = loads_no_gc(raw)
    except orjson.JSONDecodeError as exc:
        raise LibraryError(f"{name} is not valid JSON ({exc}): it may be damaged") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise LibraryError(f"{name} is JSON of the wrong shape: it is not a library file")
    return data


@contextmanager
def no_gc() -> Iterator[None]:
    """Parsing makes hundreds of thousands of objects and no cycle: the
    cyclic garbage collector would only walk them again and again (most of
    the time of a parse)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def loads_no_gc(raw: bytes) -> Any:
    """`orjson.loads` with the garbage collector paused (`no_gc`)."""
    with no_gc():
        return orjson.loads(raw)


def dump_tables(data: dict[str, dict[str, Any]]) -> bytes:
    """The tables as JSON that git can diff and merge: one record a line, in
    the order the records were added, each record's keys in the order the
    code that makes it gives (the same every time). A change of one paper
    changes one line."""
    dumps = orjson.dumps
    parts = []
    for name, table in data.items():
        if not isinstance(table, dict):
            raise TypeError(f"table {name!r} is not an object")
        rows = [dumps(str(key)) + b": " + dumps(doc) for key, doc in table.items()]
        body = b"{\n" + b",\n".join(rows) + b"\n}" if rows else b"{}"
        parts.append(dumps(str(name)) + b": " + body)
    return b"{\n" + b",\n".join(parts) + b"\n}\n"


class AtomicJSONStorage(Storage):
    """TinyDB storage: atomic, durable writes and a stat-checked read cache."""

    def __init__(self, path: str | os.PathLike[str], **_: Any) -> None:
        self.path = Path(path)
        self._cache: dict[str, Any] | None = None
        self._signature: tuple[int, int, int] | None = None
        #: The content was let go (`release`), the file it came from is known.
        self._released = False

    def changed_on_disk(self) -> bool:
        if self._cache is None and not self._released:
            return True
        return _signature(self.path) != self._signature

    def release(self) -> None:
        """Let go of the content read (memory), remembering which file it
        was: `changed_on_disk` still tells, and `read` reads it again."""
        if self._cache is not None:
            self._cache = None
            self._released = True

    def seen(self, signature: tuple[int, int, int] | None) -> None:
        """The file of this `signature` was read by other means (`line_records`):
        like `release` after reading it."""
        self._cache = None
        self._signature = signature
        self._released = True

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._cache is None or self.changed_on_disk():
            self._released = False
            signature = _signature(self.path)
            self._cache = load_json_file(self.path) if signature else {}
            self._signature = signature
        return self._cache or None

    @property
    def signature(self) -> tuple[int, int, int] | None:
        """The file's (inode, modification time, size) when it was last read or written."""
        return self._signature

    def tables(self) -> dict[str, dict[str, Any]]:
        """The tables as last read (read now if the file changed): the object
        kept, which the caller may change in place to follow the file."""
        self.read()
        assert self._cache is not None
        return self._cache

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_tables_together([(self, data)])

    def dump(self, data: dict[str, dict[str, Any]]) -> bytes:
        try:
            return dump_tables(data)
        except TypeError as exc:
            self.invalidate()
            raise LibraryError(f"cannot store this value: {exc}") from None

    def written(self, data: dict[str, dict[str, Any]]) -> None:
        """`data` is now on disk: keep it as what was last read."""
        self._cache = data
        self._signature = _signature(self.path)
        self._released = False

    def invalidate(self) -> None:
        self._cache = None
        self._signature = None
        self._released = False

    def close(self) -> None:  # nothing to release
        pass


def write_tables_together(writes: list[tuple[AtomicJSONStorage, dict[str, dict[str, Any]]]]) -> None:
    """Write the tables of several storages, all or none (`write_files_together`),
    in the order given."""
    try:
        write_files_together([(store.path, store.dump(data)) for store, data in writes])
    except BaseException:
        for store, _ in writes:
            store.invalidate()  # what we hold may be ahead of the disk: read again
        raise
    for store, data in writes:
        store.written(data)
