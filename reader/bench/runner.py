"""The measurements of one size: reader's and the baseline's, row by row."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from . import baselines
from .baselines import (
    BASELINE_IMPORT_BIBTEX,
    BASELINE_IMPORT_TRENDING,
    BASELINE_LIST,
    BASELINE_START,
)
from .data import (
    SEED,
    SIZES,
    Corpus,
    bibtex_text,
    copy_paper,
    make_papers,
    trending_text,
)
from .report import ROWS, Result
from .sync_bench import measure_sync
from .terminal import PtyApp, run_timed

#: Characters of the first title that show the list is painted.
MARKER_CHARS = 24
#: Papers starred, one key each, per run.
TOGGLES = 3
#: Seconds of quiet that mean the app finished drawing: after start-up,
#: after a toggle, after a filter key.
QUIET_TOGGLE = 0.1
QUIET_FILTER = 0.2
#: Keys pressed from the first frame on, each as soon as the one before is answered.
FIRST_KEYS = 30
#: Typed at once as the first frame shows: all of them must reach the filter.
BURST = b"/qxz"
#: Seconds after which keys typed at once and never shown are lost.
LOST_AFTER = 10.0
#: A file in the work folder saying which papers its libraries hold: a
#: later run with the same size reuses them.
PREPARED = "prepared.txt"
#: The paper whose read flag and notes are written.
WRITTEN = 5


class Bench:
    def __init__(self, size: str, runs: int, work: Path, log: Callable[[str], None]) -> None:
        self.size = size
        self.n = SIZES[size]
        self.runs = runs
        self.work = work / size
        self.work.mkdir(parents=True, exist_ok=True)
        self.log = log
        self.results: dict[str, Result] = {key: Result() for key in ROWS}

    # -- set-up --------------------------------------------------------------
    def prepare(self) -> None:
        from ..core.library import Library

        self.log(f"[{self.size}] making {self.n} papers")
        self.papers = make_papers(self.n)
        self.query = Corpus(SEED).query_word()
        self.ours = self.work / "library.json"
        self.base = self.work / "tinydb.json"
        self.bib = self.work / "papers.bib"
        self.trending = self.work / "trending.txt"
        stamp = self.work / PREPARED
        made = f"{self.n} papers, seed {SEED}"
        if stamp.exists() and stamp.read_text() == made:
            self.log(f"[{self.size}] the libraries of {self.work} are reused")
        else:
            self._write_files()
            stamp.write_text(made)
        first = Library(self.ours).papers()[0]
        self.marker = first.title[:MARKER_CHARS].encode()
        self.abstract_marker = first.abstract.split()[0].encode()

    def _write_files(self) -> None:
        from ..core.library import Library

        for path in self.work.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        Library(self.ours).add_papers([copy_paper(p) for p in self.papers], backup=False)
        baselines.write_library(self.base, self.papers)
        self.bib.write_text(bibtex_text([copy_paper(p) for p in self.papers]), encoding="utf-8")
        self.trending.write_text(trending_text(self.papers), encoding="utf-8")

    # -- measurements --------------------------------------------------------
    def measure_app(self) -> None:
        """Start-up, keystrokes and memory of the real app on a terminal."""
        from ..core.library import Library
        from ..core.query import Matcher, parse_query

        self.log(f"[{self.size}] the app on a terminal: start-up, toggles, filter")
        papers = Library(self.ours).papers()
        matcher = Matcher(papers)
        cmd = [sys.executable, "-m", "reader", "--db", str(self.ours)]
        for run in range(self.runs):
            app = PtyApp(cmd, self.work)
            try:
                app.wait_for(self.marker)
                self.results["start"].ours.append(time.perf_counter() - app.started)
                # Then the abstracts are read; keys are measured once they are in.
                app.wait_for(self.abstract_marker)
                app.settle()
                # Star the papers from the top: each press must draw a star.
                position = 0
                for _ in range(TOGGLES):
                    while papers[position].starred:
                        app.press(b"j", b"")
                        position += 1
                    app.settle(QUIET_TOGGLE)
                    self.results["toggle_paint"].ours.append(app.press(b"s", "★".encode()))
                    papers[position].starred = True
                    app.settle(QUIET_TOGGLE)
                # Filter by a word, a key at a time: each key must redraw the list
                # and its count.
                app.press(b"/", b"")
                app.settle(QUIET_TOGGLE)
                for i in range(1, len(self.query) + 1):
                    shown = len(matcher.match(parse_query(self.query[:i]), papers))
                    elapsed = app.press(self.query[i - 1].encode(), " shown · ".encode())
                    self.results["filter"].ours.append(elapsed)
                    app.settle(QUIET_FILTER)
                    if run == 0 and i == len(self.query):
                        self.log(f"[{self.size}]   '{self.query}' shows {shown} papers")
                self.results["memory"].ours.append(app.peak_mb())
            finally:
                app.close()
            base = PtyApp([sys.executable, "-c", BASELINE_START, str(self.base)], self.work)
            try:
                base.wait_for(b"loaded")
                self.results["start"].base.append(time.perf_counter() - base.started)
                self.results["memory"].base.append(base.peak_mb())
            finally:
                base.close()

    def measure_keys(self) -> None:
        """From the first frame on, while the abstracts are read: keys typed at
        once all arrive, and every key is answered soon."""
        self.log(f"[{self.size}] keys from the first frame on")
        from ..core.library import Library

        cmd = [sys.executable, "-m", "reader", "--db", str(self.ours)]
        # Each `j` is answered when the next paper's title is drawn (with the cursor on it).
        titles = [p.title[:MARKER_CHARS].encode() for p in Library(self.ours, load_abstracts=False).papers()]
        for _ in range(self.runs):
            waits: list[float] = []
            app = PtyApp(cmd, self.work)
            try:
                app.wait_for(self.marker)
                try:
                    waits.append(app.press(BURST, BURST[1:], timeout=LOST_AFTER))
                except TimeoutError:
                    self.log(f"[{self.size}]   {BURST!r} typed at once did not all reach the filter")
                    waits.append(float("inf"))
            finally:
                app.close()
            app = PtyApp(cmd, self.work)
            try:
                app.wait_for(self.marker)
                for row in range(1, FIRST_KEYS + 1):
                    waits.append(app.press(b"j", titles[row]))
            finally:
                app.close()
            slowest = sorted(range(len(waits)), key=waits.__getitem__)[-3:]
            self.log(f"[{self.size}]   slowest keys: " + ", ".join(f"#{i} {waits[i] * 1000:.0f} ms" for i in slowest))
            self.results["keys"].ours.append(max(waits))

    def measure_writes(self) -> None:
        """The durable writes behind a toggle and a note, and TinyDB's."""
        from ..core.library import Library

        self.log(f"[{self.size}] toggles and notes on disk")
        library = Library(self.ours)
        pid = library.papers()[WRITTEN].id
        rounds = self.runs * 2 + 1
        for _ in range(rounds):
            started = time.perf_counter()
            library.toggle_read(pid)
            self.results["toggle_disk"].ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            library.set_notes(pid, f"a note, written at {time.time()}")
            self.results["note"].ours.append(time.perf_counter() - started)
        base = baselines.measure_writes(self.base, self.query, rounds)
        self.results["filter"].base += base["filter"]
        # TinyDB writes as it changes: its toggle is painted when it is on disk.
        self.results["toggle_paint"].base += base["toggle"]
        self.results["toggle_disk"].base += base["toggle"]
        self.results["note"].base += base["note"]

    def measure_commands(self, only: set[str] | None = None) -> None:
        self.log(f"[{self.size}] imports and list")
        python = sys.executable
        for _ in range(self.runs):
            for key, source, baseline in (
                ("import_bibtex", self.bib, BASELINE_IMPORT_BIBTEX),
                ("import_trending", self.trending, BASELINE_IMPORT_TRENDING),
            ):
                if only and key not in only:
                    continue
                target = self.work / f"fresh-{key}.json"
                _remove_library(target)
                self.results[key].ours.append(
                    run_timed([python, "-m", "reader", "--db", str(target), "import", str(source)], self.work)
                )
                _remove_library(target)
                self.results[key].base.append(
                    run_timed([python, "-c", baseline, str(source), str(target)], self.work)
                )
                _remove_library(target)
            if only and "list" not in only:
                continue
            self.results["list"].ours.append(
                run_timed([python, "-m", "reader", "--db", str(self.ours), "list", self.query, "--json"], self.work)
            )
            self.results["list"].base.append(
                run_timed([python, "-c", BASELINE_LIST, str(self.base), self.query], self.work)
            )

    def run(self, only: set[str] | None = None) -> dict[str, Result]:
        self.prepare()
        if not only or only & {"start", "memory", "filter", "toggle_paint"}:
            self.measure_app()
        if not only or "keys" in only:
            self.measure_keys()
        if not only or only & {"filter", "toggle_paint", "toggle_disk", "note"}:
            self.measure_writes()
        if not only or only & {"import_bibtex", "import_trending", "list"}:
            self.measure_commands(only)
        if not only or only & {"fetch", "rank", "rank_warm"}:
            self.measure_feeds(only)
        if not only or only & {"sync", "sync_diff"}:
            self.log(f"[{self.size}] reader sync of one toggle")
            measure_sync(self.ours, self.work, self.runs, self.results)
        return self.results

    def measure_feeds(self, only: set[str] | None = None) -> None:
        from .feeds import measure_fetch, measure_rank

        if not only or "fetch" in only:
            self.log(f"[{self.size}] feeds: a fetch of 1,000 items")
            self.results["fetch"].ours += measure_fetch(self.ours, self.work, self.runs)
        if not only or only & {"rank", "rank_warm"}:
            self.log(f"[{self.size}] feeds: the for-you ranking")
            cold, warm = measure_rank(self.papers, self.runs)
            self.results["rank"].ours += cold
            self.results["rank_warm"].ours += warm


def _remove_library(path: Path) -> None:
    for candidate in path.parent.glob(path.stem + "*"):
        if candidate.is_dir():
            shutil.rmtree(candidate)
        else:
            candidate.unlink()
