"""Keys typed all at once as soon as the list shows, on a real terminal,
while the abstracts are still being read: every one of them arrives, in
order, where the one before sent it."""

from __future__ import annotations

import os
import sys
import time

from helpers.papers import numbered
from reader.bench.terminal import PtyApp
from reader.core.library import Library

#: Enough papers, with long abstracts, that the abstracts are still being
#: read when the keys come.
PAPERS = 3000
#: Seconds to wait for what the app must show: generous, for loaded machines.
PATIENCE = 120.0


def ended(app: PtyApp) -> int:
    """The app's exit status, once it ended (its output read meanwhile)."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        pid, status = os.waitpid(app.pid, os.WNOHANG)
        if pid:
            return status
        app.settle(0.2)
    raise AssertionError("the app did not quit on q")


def test_keys_typed_at_once_at_the_first_frame_all_arrive(db, tmp_path):
    words = " ".join(f"word{i % 97}" for i in range(300))
    Library(db).add_papers(numbered(PAPERS, "Paper {i} on things", abstract=lambda i: f"{words} {i}"))
    app = PtyApp([sys.executable, "-m", "reader", "--db", str(db)], tmp_path)
    try:
        app.wait_for(b"Paper 0 on things", timeout=PATIENCE)
        # `q` is also Quit: it must go to the filter that `/` opened.
        app.press(b"/qxz", b"qxz", timeout=PATIENCE)
        # Escape goes back to the list; then `q` quits: nothing was eaten on the way.
        os.write(app.fd, b"\x1b")
        app.settle(1.0)
        os.write(app.fd, b"q")
        status = ended(app)
        app.pid = 0
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        if app.pid:
            app.close()
        else:
            os.close(app.fd)
