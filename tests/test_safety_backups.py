"""Backups against programs that write the library in place, and against a
burst of small changes (issue 11, point 2). Through the real command line,
with the real `truncate` and `cp`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import run_reader


def titles(db: Path) -> list[str]:
    result = run_reader("list", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return sorted(p["title"] for p in json.loads(result.stdout))


def listed_backups(db: Path) -> list[str]:
    result = run_reader("restore", db=db)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line[:1].isdigit()]


@pytest.mark.slow
def test_backups_survive_the_library_written_in_place(db, tmp_path):
    first = tmp_path / "first.json"
    first.write_text(json.dumps([{"title": f"First {i}"} for i in range(3)]))
    second = tmp_path / "second.json"
    second.write_text(json.dumps([{"title": "Second 0"}, {"title": "Second 1"}]))
    assert run_reader("import", str(first), db=db).returncode == 0
    assert run_reader("import", str(second), db=db).returncode == 0  # backs up 3 papers
    ids = [p["id"] for p in json.loads(run_reader("list", "--json", db=db).stdout)][:2]
    for n in range(6):  # a burst of bulk changes, each backed up
        flag = "--read" if n % 2 == 0 else "--unread"
        assert run_reader("mark", *ids, flag, db=db).returncode == 0
    backups = listed_backups(db)
    # The backup taken before the import outlives the burst of marks.
    assert sum("before an import" in line for line in backups) == 1
    assert any("before an import" in line and " 3 papers " in line for line in backups)
    assert sum("before marking" in line for line in backups) >= 5

    subprocess.run(["truncate", "-s", "500", str(db)], check=True)
    refused = run_reader("list", db=db)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    newest = backups[0].split()[-1]
    assert f"the newest backup that reads is {newest}" in refused.stderr
    # Every backup is an intact copy, not a link to the damaged file.
    for line in backups:
        path = Path(line.split()[-1])
        assert json.loads(path.read_bytes())["papers"]
        assert path.stat().st_nlink == 1
    restored = run_reader("restore", "1", db=db)
    assert restored.returncode == 0, restored.stderr
    assert titles(db) == ["First 0", "First 1", "First 2", "Second 0", "Second 1"]

    junk = tmp_path / "junk.txt"
    junk.write_text("not a library\n" * 100)
    subprocess.run(["cp", str(junk), str(db)], check=True)  # in place, same inode
    numbers = {line.split()[-1]: line.split()[0] for line in listed_backups(db)}
    before_import = next(line for line in listed_backups(db) if "before an import" in line)
    restored = run_reader("restore", numbers[before_import.split()[-1]], db=db)
    assert restored.returncode == 0, restored.stderr
    assert titles(db) == ["First 0", "First 1", "First 2"]


@pytest.mark.slow
def test_a_damaged_backup_is_refused_and_the_one_that_reads_is_named(db, tmp_path):
    papers = tmp_path / "p.json"
    for i in range(3):
        papers.write_text(json.dumps([{"title": f"Paper {i}"}]))
        assert run_reader("import", str(papers), db=db).returncode == 0
    newest, older = (line.split()[-1] for line in listed_backups(db)[:2])
    subprocess.run(["truncate", "-s", "10", newest], check=True)
    refused = run_reader("restore", "1", db=db)
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert f"the newest backup that reads is {older}" in refused.stderr
    assert titles(db) == ["Paper 0", "Paper 1", "Paper 2"]  # nothing was changed
