"""Two windows on one library: no change from either side is lost.

With real processes: the app (driven by Textual's pilot in this process) while
`reader mark`, `reader note` and `reader import` run in other processes; and two
apps at once, one of them the real `reader` in a pseudo-terminal, driven by the
keys written to it. Every writer takes the lock, merges onto the latest state
on disk and writes that; the app notices changes made elsewhere and shows them.

READER_TEST_SIZE (e.g. 100k) puts that many papers in the library: the five
the tests use, newest, and the rest older plain papers below them (built once
per session, copied for each test).
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from conftest import run_reader
from helpers.papers import numbered
from helpers.sizes import library_size
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui import library_jobs
from reader.ui.app import create_app
from reader.ui.widgets.notes import NotesPane
from reader.ui.widgets.paper_list import PaperList

#: Real processes and polling: the slow part of the suite.
pytestmark = pytest.mark.slow

SIZE = (100, 30)
TITLES = ["Alpha paper", "Beta paper", "Gamma paper", "Delta paper", "Epsilon paper"]
#: Papers in the library: the five above and the older others.
PAPERS = max(library_size(len(TITLES)), len(TITLES))
OTHERS = PAPERS - len(TITLES)
#: Seconds to wait for the other app to show something: more for a big library.
WAIT = 30.0 + PAPERS / 1000


def build_library(db: Path) -> None:
    library = Library(db)
    if OTHERS:
        library.add_papers(numbered(OTHERS, "Older paper {i}", id="older{i:06d}", abstract="word " * 300),
                           backup=False)
    # Imported one at a time, so the list shows them newest first: Epsilon at the top.
    for title in TITLES:
        library.add_papers([Paper(id=title.split()[0].lower(), title=title)], backup=False)


@pytest.fixture
def lib_path(db, library_templates) -> Path:
    return library_templates.copy(f"two-windows-{PAPERS}", build_library, db)


def count(n: int) -> str:
    """A count as the status line shows it, for `n` more than the five papers' own."""
    return f"{OTHERS + n}"


async def go_to(app, pilot, pid: str) -> None:
    """The list's cursor on paper `pid`."""
    plist = app.screen.query_one(PaperList)
    plist.cursor = [p.id for p in plist.rows].index(pid)
    await pilot.pause()


@pytest.fixture
def no_polling(monkeypatch):
    """The app looks at the disk only when the test says so (check_disk)."""
    monkeypatch.setattr(library_jobs, "WATCH_EVERY", 3600.0)


def make_app(path: Path):
    return create_app(Library(path), use_settings=False)


def row_of(app, pid: str) -> str:
    plist = app.screen.query_one(PaperList)
    index = [p.id for p in plist.rows].index(pid)
    return plist.render_line(index - int(plist.scroll_offset.y)).text


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def look_at_disk(app, pilot) -> None:
    """What the app's timer does every second."""
    app.screen.jobs.check_disk()
    await app.workers.wait_for_complete()
    await pilot.pause()


# ------------------------------------------------------------- app and CLI
async def test_a_note_typed_in_the_app_and_a_note_from_the_cli_both_survive(lib_path, no_polling):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one(PaperList).current.id == "epsilon"
        await pilot.press("n", *"typed in the app")  # not saved yet: still typing
        result = run_reader("note", "beta", "set from the command line", db=lib_path)
        assert result.returncode == 0, result.stderr
        await pilot.press("escape")  # saved now, onto the CLI's state
        await pilot.pause()
        on_disk = Library(lib_path)
        assert on_disk.require("epsilon").notes == "typed in the app"
        assert on_disk.require("beta").notes == "set from the command line"
        # The app shows the note from the command line.
        await look_at_disk(app, pilot)
        plist = app.screen.query_one(PaperList)
        plist.cursor = [p.id for p in plist.rows].index("beta")
        await pilot.pause()
        assert app.screen.query_one(NotesPane).text == "set from the command line"
        # And a second round the other way: the CLI writes after the app.
        await pilot.press("n", "end", *" (and more)", "escape")
        result = run_reader("note", "epsilon", "the CLI again", db=lib_path)
        assert result.returncode == 0, result.stderr
        await look_at_disk(app, pilot)
    on_disk = Library(lib_path)
    assert on_disk.require("beta").notes == "set from the command line (and more)"
    assert on_disk.require("epsilon").notes == "the CLI again"


async def test_a_delete_in_the_app_and_an_import_from_the_cli_both_survive(lib_path, tmp_path, no_polling):
    more = tmp_path / "more.txt"
    more.write_text("2203.02155\n1706.03762\n")
    later = tmp_path / "later.txt"
    later.write_text("1312.5602\n")
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        # The CLI imports while the app has not looked at the disk yet...
        result = run_reader("import", str(more), db=lib_path)
        assert result.returncode == 0, result.stderr
        await pilot.press("d")  # ...and the app deletes Epsilon from its stale view
        await pilot.pause()
        on_disk = Library(lib_path)
        assert "epsilon" not in on_disk
        assert {"2203.02155", "1706.03762"} <= {p.arxiv_id for p in on_disk.papers()}
        await look_at_disk(app, pilot)
        rows = [p.id for p in app.screen.query_one(PaperList).rows]
        assert len(rows) == OTHERS + 6 and "epsilon" not in rows
        # The other way round: the app deletes, then the CLI imports.
        await go_to(app, pilot, "alpha")
        await pilot.press("d")
        await pilot.pause()
        result = run_reader("import", str(later), db=lib_path)
        assert result.returncode == 0, result.stderr
        await look_at_disk(app, pilot)
        assert len(app.screen.query_one(PaperList).rows) == OTHERS + 6
        # A list taller than the screen says where the cursor is, out of how many.
        assert (f"/{count(6)} " if OTHERS else "6 papers") in status(app)
    on_disk = Library(lib_path)
    assert len(on_disk) == OTHERS + 6
    assert "epsilon" not in on_disk and "alpha" not in on_disk
    assert {"2203.02155", "1706.03762", "1312.5602"} <= {p.arxiv_id for p in on_disk.papers()}




async def test_a_change_made_elsewhere_shows_even_when_the_app_changes_first(lib_path, no_polling):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        result = run_reader("mark", "gamma", "--star", db=lib_path)
        assert result.returncode == 0, result.stderr
        await pilot.press("s")  # stars Epsilon before the app looked at the disk
        await pilot.pause()
        await look_at_disk(app, pilot)
        assert " 2 starred" in status(app)
        assert "★" in row_of(app, "gamma")
    on_disk = Library(lib_path)
    assert on_disk.require("gamma").starred and on_disk.require("epsilon").starred


# ------------------------------------------------------------- two apps
class Terminal:
    """The real `reader` app in a pseudo-terminal, 100 x 30."""

    def __init__(self, db: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reader", "--db", str(db)],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=os.environ["HOME"],
            start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the other end is closed
                chunk = b""
            with self.changed:
                if not chunk:
                    self.changed.notify_all()
                    return
                self.output += chunk
                self.changed.notify_all()

    def text(self) -> str:
        """What was written so far, escape sequences taken out."""
        raw = bytes(self.output).decode("utf-8", "replace")
        return re.sub(r"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)", "", raw)

    def wait_for(self, text: str, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        with self.changed:
            while text not in self.text():
                left = deadline - time.monotonic()
                assert left > 0 and self.process.poll() is None, (
                    f"{text!r} never appeared; the app wrote:\n{self.text()[-2000:]}"
                )
                self.changed.wait(min(left, 0.5))

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.reader.join(timeout=10)
        os.close(self.master)


def wait_until(condition, timeout: float = WAIT, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


async def test_two_apps_on_one_library_keep_each_others_changes(lib_path):
    terminal = Terminal(lib_path)
    try:
        terminal.wait_for("Epsilon paper")  # drawn: the app is up
        app = make_app(lib_path)
        async with app.run_test(size=SIZE) as pilot:
            # This app reads Gamma...
            plist = app.screen.query_one(PaperList)
            plist.cursor = [p.id for p in plist.rows].index("gamma")
            await pilot.press("r")
            await pilot.pause()
            # ...and right after, the other one stars Delta (j: second row).
            terminal.press("j")
            terminal.press("s")
            wait_until(lambda: Library(lib_path).require("delta").starred, what="Delta starred")
            assert Library(lib_path).require("gamma").read  # not written back over
            # This app stars Alpha from its own (now stale) state, and sees Delta.
            await go_to(app, pilot, "alpha")
            await pilot.press("s")
            await pilot.pause()
            await look_at_disk(app, pilot)
            assert "★" in row_of(app, "delta") and "★" in row_of(app, "alpha")
            # The other app notices what this one did and shows it.
            terminal.wait_for(f"{count(4)} unread · 2 starred")
            terminal.press("q")
            assert terminal.process.wait(timeout=30) == 0
        assert app.return_code in (0, None)
    finally:
        terminal.close()
    on_disk = Library(lib_path)
    assert on_disk.require("gamma").read
    assert on_disk.require("delta").starred
    assert on_disk.require("alpha").starred
    changed = {p.id for p in on_disk.papers() if p.read or p.starred}
    assert changed == {"gamma", "delta", "alpha"}
