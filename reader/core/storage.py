"""A TinyDB storage that writes atomically and durably.

TinyDB's own JSONStorage rewrites its file in place, so a process killed in the
middle of a write leaves half a file. This storage writes the whole state to a
temporary file in the same directory, flushes and fsyncs it, renames it over
the old file and fsyncs the directory: whatever moment the process dies at, the
file on disk is either the old or the new complete state.

It also keeps the last state it read or wrote in memory and reads the file
again only when the file changed on disk (another process wrote it), so a
read costs a `stat`, not a parse of every abstract.
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from ..errors import LibraryError

TMP_SUFFIX = ".tmp"


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
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=temp_prefix(path), suffix=TMP_SUFFIX, dir=directory
        )
    except OSError as exc:
        raise LibraryError(f"cannot write {path}: {reason(exc)}") from None
    try:
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
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        fsync_dir(directory)
    except OSError as exc:
        raise LibraryError(f"cannot write {path}: {reason(exc)}") from None


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
    if not raw.strip():
        raise LibraryError(f"{path} is empty: it is not a library file")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise LibraryError(f"{path} is not valid JSON ({exc}): it may be damaged") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise LibraryError(f"{path} is JSON of the wrong shape: it is not a library file")
    return data


class AtomicJSONStorage(Storage):
    """TinyDB storage: atomic, durable writes and a stat-checked read cache."""

    def __init__(self, path: str | os.PathLike[str], **_: Any) -> None:
        self.path = Path(path)
        self._cache: dict[str, Any] | None = None
        self._signature: tuple[int, int, int] | None = None

    def changed_on_disk(self) -> bool:
        return self._cache is None or _signature(self.path) != self._signature

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self.changed_on_disk():
            signature = _signature(self.path)
            self._cache = load_json_file(self.path) if signature else {}
            self._signature = signature
        return self._cache or None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        try:
            payload = orjson.dumps(data)
        except TypeError as exc:
            self.invalidate()
            raise LibraryError(f"cannot store this value: {exc}") from None
        try:
            atomic_write_bytes(self.path, payload)
        except BaseException:
            # What we hold in memory may now be ahead of the disk: read again.
            self.invalidate()
            raise
        self._cache = data
        self._signature = _signature(self.path)

    def invalidate(self) -> None:
        self._cache = None
        self._signature = None

    def close(self) -> None:  # nothing to release
        pass


class FileLock:
    """One writer at a time: an advisory lock on a companion file.

    Re-entrant within a thread; other threads of this process and other
    processes wait for it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._depth = 0
        self._thread_lock = threading.RLock()

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                except OSError as exc:
                    raise LibraryError(
                        f"cannot lock {self.path}: {reason(exc)}"
                    ) from None
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None
