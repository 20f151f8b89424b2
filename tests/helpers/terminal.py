"""The real `reader` with a pseudo-terminal for its output, as in a shell."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time

import pytest


def run_on_terminal(
    *args: str, db, env: dict[str, str] | None = None, timeout: float = 240
) -> tuple[int, str]:
    """`reader` with its standard output and error on a pseudo-terminal, as in a shell."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    # rich reads these: a colour terminal of 120 columns, whatever the test runs in
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    full_env.update(env or {})
    full_env.update(TERM="xterm-256color", COLUMNS="120", LINES="30")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "--db", str(db), *args],
        stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=full_env, cwd=full_env.get("HOME"),
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the process has closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        else:
            pytest.fail(f"`reader {' '.join(args)}` still ran after {timeout} s")
        return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
