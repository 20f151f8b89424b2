"""Another process holding the library's lock (issue 11, point 8): readers
answer at once, a writer says what it waits for and gives up after a limit.
Through the real command line, with a real second process holding the lock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_reader

HOLDER = Path(__file__).resolve().parent / "helpers" / "hold_lock.py"


@pytest.fixture
def library(db, tmp_path) -> Path:
    papers = tmp_path / "papers.json"
    papers.write_text(json.dumps([{"id": "p1", "title": "Held Paper"}, {"id": "p2", "title": "Other"}]))
    assert run_reader("import", str(papers), db=db).returncode == 0
    return db


@pytest.fixture
def holder(library):
    process = subprocess.Popen(
        [sys.executable, str(HOLDER), str(library)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "locked"
    yield process
    process.kill()
    process.wait()


@pytest.mark.slow
def test_readers_never_wait_and_a_writer_gives_up_with_a_clear_error(library, holder, tmp_path):
    # Read-only commands answer while the lock is held (a hang fails run_reader).
    listed = run_reader("list", db=library, timeout=120)
    assert listed.returncode == 0 and "Held Paper" in listed.stdout
    assert run_reader("show", "p1", db=library, timeout=120).returncode == 0
    assert run_reader("cite", "p1", db=library, timeout=120).returncode == 0
    assert run_reader("export", "--format", "json", db=library, timeout=120).returncode == 0
    assert run_reader("restore", db=library, timeout=120).returncode == 0

    marked = run_reader("mark", "p1", "--star", db=library, env={"READER_LOCK_TIMEOUT": "3"}, timeout=120)
    assert marked.returncode == 1
    lines = marked.stderr.strip().splitlines()
    assert lines[0] == f"reader: waiting for another reader process, pid {holder.pid}..."
    assert lines[1].startswith(f"reader: error: another reader process, pid {holder.pid} has held ")
    assert "gave up, nothing was changed" in lines[1] and len(lines) == 2

    holder.kill()
    holder.wait()
    assert json.loads(run_reader("show", "p1", "--json", db=library).stdout)["starred"] is False
    again = run_reader("mark", "p1", "--star", db=library)
    assert again.returncode == 0 and again.stderr == ""
    assert json.loads(run_reader("show", "p1", "--json", db=library).stdout)["starred"] is True
