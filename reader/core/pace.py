"""The pace of requests to a server: one at a time, `interval` seconds apart.

The interval is counted from the end of one request (its answer read, or its
failure) to the start of the next, so that the server sees at least that gap
between two requests whatever the network's delays.

Within a process every client shares one `Pacer`; between processes the
pace is kept in a small file beside the library (`pace_file`): it holds the
time the last request ended (or started, while one is under way), and a
process holds a lock on it while it waits for its turn and makes its
request. Two `reader enrich` runs, one after the other or at once, keep the
pace between them.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: Beside the library: library.json.arxiv-pace.
PACE_SUFFIX = ".arxiv-pace"
#: Seconds between two looks at `should_stop` while waiting for the pace.
WAIT_STEP = 0.1


class Cancelled(Exception):
    """The look-up was stopped by its caller (not an error)."""


def never() -> bool:
    return False


def pace_file(library_path: Path) -> Path:
    """The file that shares the pace between the processes of one library."""
    return library_path.with_name(library_path.name + PACE_SUFFIX)


class Pacer:
    """At least `interval` seconds between the end of one request and the
    start of the next, and one request at a time (across processes too when
    `shared` names a pace file).

    `clock` and `sleep` can be replaced (tests pass a fake clock); the pace
    file holds `clock` times, so processes sharing one use the wall clock.
    Waiting is done in steps of at most `step` seconds, looking at
    `should_stop` between steps, so that a caller can stop a wait at once.
    """

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        step: float = WAIT_STEP,
        shared: Path | None = None,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self.step = step
        self.shared = shared
        self.last_end: float | None = None
        self._turn = threading.Lock()

    def run(
        self,
        request: Callable[[], Any],
        should_stop: Callable[[], bool] | None = None,
        *,
        interval: float | None = None,
    ) -> Any:
        """Wait for our turn and for the pace (`interval`, if given, for this
        request: a redirect to a stricter server), then run `request`.

        Raises `Cancelled` if `should_stop` says so before the request starts.
        """
        stop = should_stop or never
        gap = self.interval if interval is None else max(self.interval, interval)
        self._take_turn(stop)
        try:
            with self._shared_turn(stop) as fd:
                self._wait(gap, self._last(fd), stop)
                self._record(fd, self.clock())  # a request under way counts as the last
                try:
                    return request()
                finally:
                    self.last_end = self.clock()
                    self._record(fd, self.last_end)
        finally:
            self._turn.release()

    # ------------------------------------------------------------------ waiting
    def _take_turn(self, should_stop: Callable[[], bool]) -> None:
        while not self._turn.acquire(timeout=self.step):
            if should_stop():
                raise Cancelled()

    def _wait(self, gap: float, last: float | None, should_stop: Callable[[], bool]) -> None:
        while True:
            if should_stop():
                raise Cancelled()
            if last is None:
                return
            now = self.clock()
            if last > now + gap:
                last = now  # a time from the future (a clock set back): one interval
            remaining = last + gap - now
            if remaining <= 0:
                return
            self.sleep(min(remaining, self.step))

    # ------------------------------------------------------------------ the pace file
    @contextmanager
    def _shared_turn(self, should_stop: Callable[[], bool]) -> Iterator[int | None]:
        """The pace file, locked (None without one, or if it cannot be opened:
        the pace then holds within this process only)."""
        fd = None
        if self.shared is not None:
            try:
                fd = os.open(self.shared, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                fd = None
        if fd is None:
            yield None
            return
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if should_stop():
                        raise Cancelled() from None
                    self.sleep(self.step)
            yield fd
        finally:
            os.close(fd)  # releases the lock

    def _last(self, fd: int | None) -> float | None:
        last = self.last_end
        if fd is None:
            return last
        try:
            text = os.pread(fd, 64, 0).decode("ascii").strip()
            shared = float(text) if text else None
        except (OSError, ValueError, UnicodeDecodeError):
            shared = None  # a damaged pace file: this process's pace only
        if shared is None or shared != shared:  # NaN
            return last
        return shared if last is None else max(last, shared)

    @staticmethod
    def _record(fd: int | None, when: float) -> None:
        if fd is None:
            return
        try:
            data = f"{when:.6f}\n".encode("ascii")
            os.ftruncate(fd, 0)
            os.pwrite(fd, data, 0)
        except OSError:
            pass  # the pace still holds within this process


_shared_pacer: Pacer | None = None
_shared_lock = threading.Lock()


def shared_pacer(interval: float, shared: Path | None = None) -> Pacer:
    """The process's one pacer on the real clock, so that two look-ups one
    after the other (or at once) still keep the pace between them; `shared`
    keeps it with other processes too."""
    global _shared_pacer
    with _shared_lock:
        if _shared_pacer is None:
            _shared_pacer = Pacer(interval)
        _shared_pacer.interval = interval
        if shared is not None:
            _shared_pacer.shared = shared
        return _shared_pacer
