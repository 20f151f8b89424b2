"""The benchmark runs and prints its table (its 1k size, as a smoke test).

Timings are the benchmark's business, not the suite's: nothing here checks
a figure against a target.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reader.bench import ROWS, bibtex_text, make_papers, trending_text
from reader.bench.report import Result, table
from reader.core.importers import parse
from reader.core.library import Library


@pytest.mark.slow
def test_synthetic_papers_are_deterministic_and_realistic():
    papers = make_papers(200)
    again = make_papers(200)
    assert [p.to_dict() for p in papers] == [p.to_dict() for p in again]
    assert all(70 <= len(p.title) <= 90 for p in papers)
    assert all(len(p.authors) == 5 for p in papers)
    assert all(1300 <= len(p.abstract) <= 1500 for p in papers)
    assert any(p.tags for p in papers) and any(p.notes for p in papers)


@pytest.mark.slow
def test_generated_files_import_as_what_they_are():
    papers = make_papers(30)
    bib = parse(bibtex_text(make_papers(30)))
    assert bib.format == "bibtex" and len(bib.papers) == 30 and not bib.skipped
    assert bib.papers[0].abstract == papers[0].abstract
    trending = parse(trending_text(papers))
    assert trending.format == "trending" and len(trending.papers) == 30


@pytest.mark.slow
def test_the_benchmark_runs_at_1k_and_prints_every_row(tmp_path):
    env = dict(os.environ)
    result = subprocess.run(
        [sys.executable, "-m", "reader.bench", "--sizes", "1k", "--runs", "1",
         "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    table = result.stdout
    for row in ROWS.values():
        line = next((l for l in table.splitlines() if l.startswith(f"| {row.label} | 1k |")), None)
        assert line is not None, row.label
        cells = line.split("|")
        assert "–" not in cells[3], f"no figure for {row.label}: {line}"
        if row.yardstick:  # measured in the same run, and the ratio worked out
            assert "–" not in cells[5] and cells[6].strip().endswith("×"), line


def test_the_table_shows_each_figure_beside_its_yardstick_and_growth():
    rows = {key: Result() for key in ROWS}
    rows["import_bibtex"] = Result(ours=[13.0], base=[10.0])
    bigger = {key: Result() for key in ROWS}
    bigger["import_bibtex"] = Result(ours=[130.0], base=[100.0])
    huge = {key: Result(note="not run: too large") for key in ROWS}
    text = table({"10k": rows, "100k": bigger, "1m": huge})
    line = next(l for l in text.splitlines() if l.startswith("| import BibTeX | 100k |"))
    assert "130.00 s ✓" in line and "≤ 1.3× yardstick" in line and "1.30×" in line
    assert "×10.0 (papers ×10)" in line
    line = next(l for l in text.splitlines() if l.startswith("| import BibTeX | 1m |"))
    assert "not run: too large" in line and "| — |" in line


def test_from_1m_papers_are_trending_format_and_rows_that_cannot_run_say_so(tmp_path, monkeypatch):
    from reader.bench import runner

    monkeypatch.setattr(runner, "TRENDING_ONLY", 60)
    monkeypatch.setattr(runner, "PART", 25)
    monkeypatch.setitem(runner.SIZES, "tiny", 60)
    bench = runner.Bench("tiny", 1, tmp_path, lambda message: None)
    results = bench.run({"import_bibtex", "import_trending"})
    assert [p.name for p in bench.trending] == ["trending-0.txt", "trending-1.txt", "trending-2.txt"]
    assert not bench.bib.exists()
    assert results["import_bibtex"].note.startswith("not run") and not results["import_bibtex"].ours
    assert len(results["import_trending"].ours) == 1 and len(results["import_trending"].base) == 1
    papers = Library(bench.ours).papers()
    assert len(papers) == 60 and not any(p.authors for p in papers)
    # A second run of the same size reuses the files it made.
    stamp = (bench.work / runner.PREPARED).stat().st_mtime_ns
    runner.Bench("tiny", 1, tmp_path, lambda message: None).prepare()
    assert (bench.work / runner.PREPARED).stat().st_mtime_ns == stamp


def test_a_row_that_fails_is_said_in_its_cell_and_the_others_are_kept(tmp_path, monkeypatch):
    """At 1M a first `git add` of gigabytes may fail: the run goes on, and the
    table says why that row has no figure."""
    from reader.bench.runner import Bench
    from reader.core.git_cmd import SyncError

    bench = Bench("1k", 1, tmp_path, lambda line: None)
    monkeypatch.setattr(bench, "prepare", lambda: None)

    def sync_fails() -> None:
        raise SyncError("git add gave no answer in 600 s")

    def rank() -> None:
        bench.results["rank"].ours.append(0.25)

    monkeypatch.setattr(bench, "measure_sync", sync_fails)
    monkeypatch.setattr(bench, "measure_feeds", lambda only=None: rank())
    results = bench.run({"sync", "sync_diff", "rank"})
    assert results["sync"].note == results["sync_diff"].note == "failed: git add gave no answer in 600 s"
    assert results["rank"].ours == [0.25] and not results["rank"].note
    text = table({"1k": results})
    line = next(l for l in text.splitlines() if l.startswith("| reader sync of one toggle"))
    assert "failed: git add gave no answer in 600 s" in line
