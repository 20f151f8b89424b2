"""The benchmark: reader at 1k, 10k and 100k papers, against plain TinyDB.

    python -m reader.bench                    # 1k and 10k
    python -m reader.bench --sizes 1k,10k,100k --runs 5

It makes deterministic synthetic libraries (80-character titles, 5 authors,
1,500-character abstracts, some tags and notes), measures every row of the
speed targets in real processes (start-up in a pseudo-terminal, imports and
`reader list` as commands) and through Textual's pilot (keystrokes), and runs
the same operations on TinyDB with its default JSONStorage as a baseline.
It prints a table of medians with the target beside each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .core.models import Paper

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}

#: (label, target at 10k, target at 100k, unit). A target applies from 10k up;
#: at 1k the 10k target is shown.
ROWS = {
    "start": ("start to first painted list", 0.4, 2.5, "s"),
    "filter": ("filter: keystroke to list repainted", 0.016, 0.050, "s"),
    "toggle_paint": ("toggle: key to row repainted", 0.016, 0.016, "s"),
    "toggle_disk": ("toggle: key to durable on disk", 0.050, 0.050, "s"),
    "note": ("note saved durably", 0.050, 0.050, "s"),
    "import_bibtex": ("import BibTeX", 3.0, 30.0, "s"),
    "import_trending": ("import trending-page text", 1.0, 10.0, "s"),
    "list": ("reader list QUERY --json", 0.5, 3.0, "s"),
    "memory": ("peak memory of the TUI", 150.0, 1024.0, "MB"),
}


# ---------------------------------------------------------------------- data
def _vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["qu", "th", "st", "tr"]
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Corpus:
    """Words drawn with Zipf's law from a fixed vocabulary: like real text,
    a few words are everywhere and most are rare."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng)
        weights = [1.0 / (rank + 1) for rank in range(len(self.words))]
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def text(self, chars: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=chars // 5)
        return " ".join(words)[:chars].rsplit(" ", 1)[0]

    def query_word(self) -> str:
        """A word of middling frequency: the kind of word one filters by."""
        return self.words[400]


def make_papers(n: int, seed: int = 7) -> list[Paper]:
    corpus = Corpus(seed)
    rng = corpus.rng
    first = ["Ann", "Bo", "Chen", "Dara", "Eli", "Fumi", "Gus", "Hana", "Ivo", "Jun"]
    papers = []
    for i in range(n):
        title = corpus.text(78).title()
        papers.append(
            Paper(
                id=f"p{i:06d}",
                title=f"{title} {i}",
                authors=[
                    f"{rng.choice(first)} {corpus.words[rng.randrange(5000)].title()}"
                    for _ in range(5)
                ],
                year=rng.randint(1990, 2025),
                venue=rng.choice(["", "NeurIPS", "ICML", "ICLR", "Journal of Machine Learning Research"]),
                abstract=corpus.text(1500),
                arxiv_id=f"{rng.randint(10, 25):02d}{rng.randint(1, 12):02d}.{i % 100000:05d}"
                if rng.random() < 0.6 else "",
                tags=[corpus.words[rng.randrange(50)]] if rng.random() < 0.1 else [],
                notes=corpus.text(300) if rng.random() < 0.05 else "",
                read=rng.random() < 0.3,
                starred=rng.random() < 0.08,
            )
        )
    return papers


def bibtex_text(papers: list[Paper]) -> str:
    from .core.citation import bibtex_many

    for paper in papers:
        paper.entry_type = "article"
    text = bibtex_many(papers)
    # bibtex_many leaves the abstract out of citations; a real .bib keeps it.
    out = []
    for paper, entry in zip(papers, text.split("\n\n")):
        body = entry.rstrip().removesuffix("}").rstrip().removesuffix(",")
        out.append(f"{body},\n  abstract = {{{paper.abstract}}}\n}}")
    return "\n\n".join(out) + "\n"


def trending_text(papers: list[Paper]) -> str:
    lines = ["Get trending papers in your email inbox!", "Subscribe"]
    for paper in papers:
        lines += [paper.title, paper.abstract + "."]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- running
@dataclass
class Result:
    ours: list[float] = field(default_factory=list)
    base: list[float] = field(default_factory=list)
    note: str = ""


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _env() -> dict[str, str]:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30")
    env.pop("READER_DB", None)
    return env


def run_timed(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}…: {done.stderr.decode()[-400:]}")
    return elapsed


class PtyApp:
    """A program on a 100x30 pseudo-terminal, driven by key and timed by what
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
            os.execvpe(cmd[0], cmd, _env())
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.pid, self.fd = pid, fd
        self.output = bytearray()

    def _read(self, wait: float) -> bool:
        import select

        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        self.output += chunk
        return bool(chunk)

    def wait_for(self, marker: bytes, since: int = 0, timeout: float = 120) -> float:
        """Seconds (from now) until `marker` shows in what was written after `since`."""
        started = time.perf_counter()
        while marker not in self.output[since:]:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{marker!r} never showed")
            self._read(0.5)
        return time.perf_counter() - started

    def press(self, keys: bytes, marker: bytes) -> float:
        """Seconds from typing `keys` until `marker` is drawn."""
        since = len(self.output)
        started = time.perf_counter()
        os.write(self.fd, keys)
        self.wait_for(marker, since)
        return time.perf_counter() - started

    def settle(self, quiet: float = 0.3) -> None:
        """Let the program finish drawing."""
        while self._read(quiet):
            pass

    def peak_mb(self) -> float:
        return _peak_mb(self.pid)

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


def _peak_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


BASELINE_START = """
import sys
from tinydb import TinyDB
rows = TinyDB(sys.argv[1]).table("papers").all()
print("loaded", rows[0]["title"][:30], flush=True)
import time; time.sleep(60)
"""

BASELINE_IMPORT_BIBTEX = """
import sys, bibtexparser
from tinydb import TinyDB
entries = bibtexparser.parse_string(open(sys.argv[1], encoding="utf-8").read()).entries
TinyDB(sys.argv[2]).table("papers").insert_multiple(
    {k: f.value for k, f in e.fields_dict.items()} | {"key": e.key} for e in entries)
"""

BASELINE_IMPORT_TRENDING = """
import sys
from tinydb import TinyDB
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines()[2:] if l.strip()]
TinyDB(sys.argv[2]).table("papers").insert_multiple(
    {"title": t, "abstract": a} for t, a in zip(lines[0::2], lines[1::2]))
"""

BASELINE_LIST = """
import json, sys
from tinydb import TinyDB
word = sys.argv[2]
rows = [r for r in TinyDB(sys.argv[1]).table("papers").all()
        if word in (r["title"] + " " + r["abstract"]).lower()]
print(json.dumps(rows, indent=2))
"""


def _fields_for_tinydb(paper: Paper) -> dict:
    return paper.to_dict()


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
        from tinydb import TinyDB

        from .core.library import Library

        self.log(f"[{self.size}] making {self.n} papers")
        self.papers = make_papers(self.n)
        self.query = Corpus(7).query_word()
        self.ours = self.work / "library.json"
        self.base = self.work / "tinydb.json"
        for path in self.work.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        Library(self.ours).add_papers([_copy(p) for p in self.papers], backup=False)
        TinyDB(self.base).table("papers").insert_multiple(map(_fields_for_tinydb, self.papers))
        self.bib = self.work / "papers.bib"
        self.bib.write_text(bibtex_text([_copy(p) for p in self.papers]), encoding="utf-8")
        self.trending = self.work / "trending.txt"
        self.trending.write_text(trending_text(self.papers), encoding="utf-8")
        first = Library(self.ours).papers()[0]
        self.marker = first.title[:24].encode()
        self.abstract_marker = first.abstract.split()[0].encode()

    # -- measurements --------------------------------------------------------
    def measure_app(self) -> None:
        """Start-up, keystrokes and memory of the real app on a terminal."""
        from .core.library import Library
        from .core.query import Matcher, parse_query

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
                for _ in range(3):
                    while papers[position].starred:
                        app.press(b"j", b"")
                        position += 1
                    app.settle(0.1)
                    self.results["toggle_paint"].ours.append(app.press(b"s", "★".encode()))
                    papers[position].starred = True
                    app.settle(0.1)
                # Filter by a word, a key at a time: each key must redraw the list
                # and its count.
                app.press(b"/", b"")
                app.settle(0.1)
                for i in range(1, len(self.query) + 1):
                    shown = len(matcher.filter(parse_query(self.query[:i])))
                    elapsed = app.press(self.query[i - 1].encode(), b" shown / ")
                    self.results["filter"].ours.append(elapsed)
                    app.settle(0.2)
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

    def measure_writes(self) -> None:
        """The durable writes behind a toggle and a note, and TinyDB's."""
        from tinydb import Query as TinyQuery
        from tinydb import TinyDB

        from .core.library import Library

        self.log(f"[{self.size}] toggles and notes on disk")
        library = Library(self.ours)
        pid = library.papers()[5].id
        for _ in range(self.runs * 2 + 1):
            started = time.perf_counter()
            library.toggle_read(pid)
            self.results["toggle_disk"].ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            library.set_notes(pid, f"a note, written at {time.time()}")
            self.results["note"].ours.append(time.perf_counter() - started)
        db = TinyDB(self.base)
        table = db.table("papers")
        word = self.query
        for i in range(1, len(word) + 1):
            prefix = word[:i]
            started = time.perf_counter()
            table.search(TinyQuery().abstract.test(lambda a, p=prefix: p in a.lower()))
            self.results["filter"].base.append(time.perf_counter() - started)
        for doc_id in range(1, self.runs * 2 + 2):
            started = time.perf_counter()
            table.update({"starred": doc_id % 2 == 0}, doc_ids=[doc_id])
            elapsed = time.perf_counter() - started
            self.results["toggle_paint"].base.append(elapsed)
            self.results["toggle_disk"].base.append(elapsed)
            started = time.perf_counter()
            table.update({"notes": f"note {doc_id}"}, doc_ids=[doc_id])
            self.results["note"].base.append(time.perf_counter() - started)
        db.close()

    def measure_commands(self) -> None:
        self.log(f"[{self.size}] imports and list")
        python = sys.executable
        for _ in range(self.runs):
            for key, source, baseline in (
                ("import_bibtex", self.bib, BASELINE_IMPORT_BIBTEX),
                ("import_trending", self.trending, BASELINE_IMPORT_TRENDING),
            ):
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
        if not only or only & {"filter", "toggle_paint", "toggle_disk", "note"}:
            self.measure_writes()
        if not only or only & {"import_bibtex", "import_trending", "list"}:
            self.measure_commands()
        return self.results


def _copy(paper: Paper) -> Paper:
    return Paper.from_dict(paper.to_dict())


def _remove_library(path: Path) -> None:
    for candidate in path.parent.glob(path.stem + "*"):
        if candidate.is_dir():
            shutil.rmtree(candidate)
        else:
            candidate.unlink()


# ---------------------------------------------------------------------- report
def _fmt(value: float | None, unit: str) -> str:
    if value is None or value != value:
        return "–"
    if unit == "MB":
        return f"{value:.0f} MB"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def table(results: dict[str, dict[str, Result]]) -> str:
    lines = [
        "| what | size | reader | target | plain TinyDB | TinyDB ÷ reader |",
        "|---|---|---|---|---|---|",
    ]
    for key, (label, target10, target100, unit) in ROWS.items():
        for size, rows in results.items():
            result = rows[key]
            ours, base = median(result.ours), median(result.base)
            target = target100 if SIZES[size] >= 100_000 else target10
            ok = "" if ours is None else (" ✓" if ours <= target else " ✗")
            ratio = f"{base / ours:.1f}×" if ours and base else "–"
            lines.append(
                f"| {label} | {size} | {_fmt(ours, unit)}{ok} | ≤ {_fmt(target, unit)} | "
                f"{_fmt(base, unit)} | {ratio} |"
            )
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k", help="comma-separated: 1k,10k,100k (default 1k,10k)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions of each measurement (default 5)")
    parser.add_argument("--only", default="", help=f"comma-separated rows: {','.join(ROWS)}")
    parser.add_argument("--work", help="where to put the libraries (default: a temporary folder)")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}: use 1k, 10k or 100k")
    only = {s.strip() for s in args.only.split(",") if s.strip()} or None
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="reader-bench-"))
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    results: dict[str, dict[str, Result]] = {}
    try:
        for size in sizes:
            results[size] = Bench(size, args.runs, work, log).run(only)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"reader benchmark · {machine()} · medians of {args.runs} runs")
    print()
    print(table(results))
    if args.json:
        raw = {
            size: {key: {"reader": r.ours, "tinydb": r.base} for key, r in rows.items()}
            for size, rows in results.items()
        }
        Path(args.json).write_text(json.dumps(raw, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
