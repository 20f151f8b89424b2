"""The measurements of one size: reader's and its yardsticks', row by row."""

from __future__ import annotations

import itertools
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..core.models import Paper
from . import yardsticks
from .data import SEED, SIZES, Corpus, iter_papers, write_files
from .report import ROWS, Result
from .sync_bench import measure_sync
from .terminal import PtyApp, run_measured, run_timed

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
#: The paper whose read flag and notes are written.
WRITTEN = 5
#: A file in the work folder saying which papers its files hold: a later run
#: of the same size reuses them.
PREPARED = "prepared.txt"
#: How the papers are made (changed when `data` makes other papers).
GENERATOR = "pool of drawn words"
#: From this size up the papers are trending-format ones (a title and an
#: abstract), no BibTeX file is made (it would be larger than an import
#: takes), and the trending text is written in parts of PART papers.
TRENDING_ONLY = SIZES["1m"]
PART = 100_000
NO_BIBTEX = "not run: no BibTeX file this large can be imported (256 MB at most)"


class Bench:
    def __init__(self, size: str, runs: int, work: Path, log: Callable[[str], None]) -> None:
        self.size = size
        self.n = SIZES[size]
        self.runs = runs
        self.work = work / size
        self.work.mkdir(parents=True, exist_ok=True)
        self.log = log
        self.results: dict[str, Result] = {key: Result() for key in ROWS}
        self.trending_only = self.n >= TRENDING_ONLY

    # -- set-up --------------------------------------------------------------
    def prepare(self) -> None:
        from ..core.library import Library

        self.query = Corpus(SEED).query_word()
        self.ours = self.work / "library.json"
        self.bib = self.work / "papers.bib"
        parts = -(-self.n // PART) if self.trending_only else 1
        self.trending = [self.work / f"trending-{i}.txt" for i in range(parts)]
        stamp = self.work / PREPARED
        made = f"{self.n} papers, seed {SEED}, {GENERATOR}"
        if stamp.exists() and stamp.read_text() == made:
            self.log(f"[{self.size}] the files of {self.work} are reused")
        else:
            self._write_files()
            stamp.write_text(made)
        first = Library(self.ours).papers()[0]
        self.marker = first.title[:MARKER_CHARS].encode()
        self.abstract_marker = first.abstract.split()[0].encode()

    def papers(self) -> Iterator[Paper]:
        """The size's papers, made again one at a time (trending-format ones
        from TRENDING_ONLY up)."""
        for paper in iter_papers(self.n):
            if self.trending_only:
                paper.authors, paper.venue, paper.year, paper.arxiv_id = [], "", None, ""
            yield paper

    def _write_files(self) -> None:
        from ..core.library import Library

        self.log(f"[{self.size}] making {self.n} papers: the library, the BibTeX and trending files")
        for path in self.work.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        Library(self.ours).add_papers(self.papers(), backup=False)
        made = self.papers()
        for part in self.trending:
            write_files(itertools.islice(made, PART if self.trending_only else self.n),
                        None if self.trending_only else self.bib, part)

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
        yardsticks.measure_floor(self.work, self.runs, self.results)

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
        """The durable writes behind a toggle and a note, and a small file's."""
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
            durable = yardsticks.measure_durable(self.work)
            self.results["toggle_disk"].base.append(durable)
            self.results["note"].base.append(durable)

    def _import(self, sources: list[Path]) -> tuple[float, float]:
        """Seconds and peak MB of `reader import` of `sources` into a new library."""
        target = self.work / "fresh" / "library.json"
        shutil.rmtree(target.parent, ignore_errors=True)
        target.parent.mkdir()
        try:
            return run_measured(
                [sys.executable, "-m", "reader", "--db", str(target), "import", *map(str, sources)],
                self.work,
            )
        finally:
            shutil.rmtree(target.parent, ignore_errors=True)

    def measure_commands(self, only: set[str] | None) -> None:
        self.log(f"[{self.size}] imports and list")
        python = sys.executable
        wanted = only or set(ROWS)
        for _ in range(self.runs):
            if wanted & {"import_bibtex", "import_bibtex_memory"}:
                if self.trending_only:
                    self.results["import_bibtex"].note = NO_BIBTEX
                    self.results["import_bibtex_memory"].note = NO_BIBTEX
                else:
                    seconds, peak = self._import([self.bib])
                    self.results["import_bibtex"].ours.append(seconds)
                    self.results["import_bibtex_memory"].ours.append(peak)
                    seconds, peak = yardsticks.measure_parse(self.bib, self.work)
                    self.results["import_bibtex"].base.append(seconds)
                    self.results["import_bibtex_memory"].base.append(peak)
            if "import_trending" in wanted:
                self.results["import_trending"].ours.append(self._import(self.trending)[0])
                self.results["import_trending"].base.append(
                    sum(yardsticks.measure_read(part, self.work) for part in self.trending)
                )
            if "list" in wanted:
                self.results["list"].ours.append(run_timed(
                    [python, "-m", "reader", "--db", str(self.ours), "list", self.query, "--json"], self.work
                ))
                self.results["list"].base.append(yardsticks.measure_python(self.work))

    def run(self, only: set[str] | None = None) -> dict[str, Result]:
        self.prepare()
        groups: list[tuple[set[str], Callable[[], None]]] = [
            ({"start", "memory", "filter", "toggle_paint"}, self.measure_app),
            ({"keys"}, self.measure_keys),
            ({"toggle_disk", "note"}, self.measure_writes),
            ({"import_bibtex", "import_bibtex_memory", "import_trending", "list"},
             lambda: self.measure_commands(only)),
            ({"fetch", "rank"}, lambda: self.measure_feeds(only)),
            ({"sync", "sync_diff"}, self.measure_sync),
        ]
        for rows, measure in groups:
            if only and not only & rows:
                continue
            try:
                measure()
            except Exception as exc:  # noqa: BLE001 - said in the table and the log
                # One row that cannot finish does not lose the others' figures.
                self.log(f"[{self.size}] failed: {exc}")
                for key in rows:
                    if not self.results[key].ours:
                        self.results[key].note = f"failed: {exc}"
        return self.results

    def measure_sync(self) -> None:
        self.log(f"[{self.size}] reader sync of one toggle")
        measure_sync(self.ours, self.work, self.runs, self.results)
        self.results["sync"].base += [yardsticks.measure_python(self.work) for _ in range(self.runs)]

    def measure_feeds(self, only: set[str] | None = None) -> None:
        from ..core.library import Library
        from .feeds import measure_fetch, measure_rank

        if not only or "fetch" in only:
            self.log(f"[{self.size}] feeds: a fetch of 1,000 items")
            self.results["fetch"].ours += measure_fetch(self.ours, self.work, self.runs)
        if not only or "rank" in only:
            self.log(f"[{self.size}] feeds: the for-you ranking")
            self.results["rank"].ours += measure_rank(Library(self.ours).papers(), self.runs)


def _remove_library(path: Path) -> None:
    for candidate in path.parent.glob(path.stem + "*"):
        if candidate.is_dir():
            shutil.rmtree(candidate)
        else:
            candidate.unlink()
