"""Programs run as a user would: commands timed to their end, the app on a
pseudo-terminal driven by key and timed by what it draws."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

#: The terminal every program runs on.
COLUMNS, LINES = 100, 30
#: The most bytes read from the terminal at once.
READ_CHUNK = 1 << 16
#: Seconds before a marker that never shows is an error.
MARKER_TIMEOUT = 120.0
#: Seconds between two looks at the terminal while waiting for a marker.
POLL = 0.5
#: Characters of a failed command's error output shown.
ERROR_TAIL = 400


def bench_env() -> dict[str, str]:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
    env.pop("READER_DB", None)
    return env


def run_timed(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=bench_env(), capture_output=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}…: {done.stderr.decode()[-ERROR_TAIL:]}")
    return elapsed


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds a command takes to its end, and the most memory it held (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, env=bench_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    assert process.stderr is not None
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}…: {error.decode()[-ERROR_TAIL:]}")
    return elapsed, usage.ru_maxrss / 1024  # kilobytes on Linux


class PtyApp:
    """A program on a COLUMNS x LINES pseudo-terminal, driven by key and timed by what
    it writes back: what the user would see."""

    def __init__(self, cmd: list[str], cwd: Path) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child
            os.chdir(cwd)
            os.execvpe(cmd[0], cmd, bench_env())
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.pid, self.fd = pid, fd
        self.output = bytearray()

    def _read(self, wait: float) -> bool:
        import select

        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, READ_CHUNK)
        except OSError:
            return False
        self.output += chunk
        return bool(chunk)

    def wait_for(self, marker: bytes, since: int = 0, timeout: float = MARKER_TIMEOUT) -> float:
        """Seconds (from now) until `marker` shows in what was written after `since`."""
        started = time.perf_counter()
        while marker not in self.output[since:]:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{marker!r} never showed")
            self._read(POLL)
        return time.perf_counter() - started

    def press(self, keys: bytes, marker: bytes, timeout: float = MARKER_TIMEOUT) -> float:
        """Seconds from typing `keys` until `marker` is drawn."""
        since = len(self.output)
        started = time.perf_counter()
        os.write(self.fd, keys)
        self.wait_for(marker, since, timeout)
        return time.perf_counter() - started

    def settle(self, quiet: float = 0.3) -> None:
        """Let the program finish drawing."""
        while self._read(quiet):
            pass

    def peak_mb(self) -> float:
        return peak_mb(self.pid)

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


def peak_mb(pid: int) -> float:
    """The most memory the process `pid` has held, in MB (NaN if unknown)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")
