"""The yardsticks: what the same machine does, in the same run, with the least
program that does the same kind of work. Every row of the table is shown beside
one, and as a multiple of it.

* `floor` - a hello-world Textual app (`HELLO_APP`) on the same pseudo-terminal
  as reader: its first frame, a key to its repaint, its peak memory. Nothing
  drawn by Textual can be faster.
* `parse` - bibtexparser's own `parse_string` of the same BibTeX file, in a
  process of its own: its time and its peak memory. An import of that file
  cannot take less.
* `read` - Python reading the same text file and splitting its lines.
* `python` - a Python process that starts and ends: no command can take less.
* `durable` - a small file written durably (written, flushed to the disk,
  renamed over the old one, the folder flushed): no change kept on disk can
  take less.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .report import Result
from .terminal import PtyApp, run_measured

#: The least Textual app: a line of text, and a key that changes it.
HELLO_APP = """
from textual.app import App
from textual.widgets import Label


class Hello(App):
    BINDINGS = [("s", "press", "")]
    presses = 0

    def compose(self):
        yield Label("hello, floor")

    def action_press(self):
        self.presses += 1
        self.query_one(Label).update(f"pressed {self.presses} times")


Hello().run()
"""

PARSE_BIBTEX = """
import sys, bibtexparser
library = bibtexparser.parse_string(open(sys.argv[1], encoding="utf-8").read())
print(len(library.entries))
"""

READ_TEXT = """
import sys
print(len(open(sys.argv[1], encoding="utf-8").read().splitlines()))
"""

#: Key presses timed on the hello-world app per run.
HELLO_PRESSES = 3


def measure_floor(work: Path, runs: int, results: dict[str, Result]) -> None:
    """The hello-world app's first frame, key to repaint and peak memory, as
    the yardstick of the app's rows."""
    for _ in range(runs):
        app = PtyApp([sys.executable, "-c", HELLO_APP], work)
        try:
            app.wait_for(b"hello, floor")
            results["start"].base.append(time.perf_counter() - app.started)
            app.settle()
            for i in range(1, HELLO_PRESSES + 1):
                elapsed = app.press(b"s", f"pressed {i} times".encode())
                results["filter"].base.append(elapsed)
                results["toggle_paint"].base.append(elapsed)
                results["keys"].base.append(elapsed)
                app.settle(0.1)
            results["memory"].base.append(app.peak_mb())
        finally:
            app.close()


def measure_parse(bib: Path, work: Path) -> tuple[float, float]:
    """Seconds and peak MB of bibtexparser's own parse of `bib`."""
    return run_measured([sys.executable, "-c", PARSE_BIBTEX, str(bib)], work)


def measure_read(text: Path, work: Path) -> float:
    """Seconds Python takes to read `text` and split its lines."""
    return run_measured([sys.executable, "-c", READ_TEXT, str(text)], work)[0]


def measure_python(work: Path) -> float:
    """Seconds a Python process takes to start and end."""
    return run_measured([sys.executable, "-c", "pass"], work)[0]


def measure_durable(work: Path) -> float:
    """Seconds to replace a small file durably, as a toggle's record is."""
    path = work / "durable.json"
    started = time.perf_counter()
    part = path.with_suffix(".part")
    with part.open("w", encoding="utf-8") as handle:
        handle.write('{"p000005": {"read": true}}\n')
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(part, path)
    folder = os.open(work, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return time.perf_counter() - started
