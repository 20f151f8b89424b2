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
from reader.core.importers import parse


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
    for label, *_ in ROWS.values():
        line = next((l for l in table.splitlines() if l.startswith(f"| {label} | 1k |")), None)
        assert line is not None, label
        assert "–" not in line.split("|")[3], f"no figure for {label}: {line}"
