"""One writer at a time: an advisory lock on a file beside the library.

Only writers take it; readers never wait for it (every file is replaced
atomically, so a reader sees the old or the new content). A writer that
finds the lock taken waits for it, says so after `NOTICE_AFTER` seconds
(naming the process that holds it) and gives up with a `LibraryError` after
`lock_timeout()` seconds: ``$READER_LOCK_TIMEOUT``, else `DEFAULT_TIMEOUT`.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import LibraryError
from .env_seconds import BadSeconds, env_seconds
from .storage import reason

ENV_TIMEOUT = "READER_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 60.0
#: Seconds of waiting before the writer says what it waits for.
NOTICE_AFTER = 1.0
#: Seconds between two tries of a lock that is taken.
POLL = 0.05


def lock_timeout() -> float:
    """Seconds a writer waits for the lock: `$READER_LOCK_TIMEOUT`, else 60."""
    try:
        return env_seconds(ENV_TIMEOUT, DEFAULT_TIMEOUT)
    except BadSeconds as exc:
        raise LibraryError(str(exc)) from None


class FileLock:
    """An exclusive lock on `path`, re-entrant within a thread.

    Other threads of this process wait for it without limit (they hold it
    for one change at a time); other processes wait as the module says.
    `on_wait` is told, once, what the writer is waiting for.
    """

    def __init__(self, path: Path, on_wait: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.on_wait = on_wait
        self._fd: int | None = None
        self._depth = 0
        self._thread_lock = threading.RLock()

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                self._fd = self._acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None

    @contextmanager
    def in_process(self) -> Iterator[None]:
        """Only keep this process's other threads out (for a reader)."""
        with self._thread_lock:
            yield

    @contextmanager
    def try_hold(self) -> Iterator[bool]:
        """The lock if no one holds it, at once; yields whether it was taken."""
        with self._thread_lock:
            if self._depth:
                yield True
                return
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                yield False
                return
            self._fd, self._depth = fd, 1
            try:
                yield True
            finally:
                self._depth = 0
                self._fd = None
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise LibraryError(f"cannot lock {self.path}: {reason(exc)}") from None

    def _acquire(self) -> int:
        fd = self._open()
        try:
            self._wait_for(fd)
        except BaseException:
            os.close(fd)
            raise
        _write_pid(fd)
        return fd

    def _wait_for(self, fd: int) -> None:
        start = time.monotonic()
        limit: float | None = None
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            if limit is None:
                limit = lock_timeout()  # read only when there is a wait
            waited = time.monotonic() - start
            if not told and waited >= min(NOTICE_AFTER, limit):
                told = True
                if self.on_wait is not None:
                    self.on_wait(f"waiting for another reader process{self._holder()}...")
            if waited >= limit:
                raise LibraryError(
                    f"another reader process{self._holder()} has held {self.path} for "
                    f"{limit:g} s; gave up, nothing was changed "
                    f"(${ENV_TIMEOUT} sets how long to wait)"
                )
            time.sleep(POLL)

    def _holder(self) -> str:
        """`, pid 1234` for the process that holds the lock, if it said."""
        try:
            text = self.path.read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return ""
        return f", pid {text}" if text.isdigit() else ""


def _write_pid(fd: int) -> None:
    """Say who holds the lock, for a writer that waits for it. Left as it is
    when it says so already (a truncation costs milliseconds on some disks)."""
    pid = str(os.getpid()).encode()
    try:
        if os.pread(fd, 64, 0) == pid:
            return
        os.pwrite(fd, pid, 0)
        os.ftruncate(fd, len(pid))
    except OSError:
        pass  # only a courtesy
