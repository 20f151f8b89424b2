"""The library's files against what other programs and a full disk do to them
(issue 11): a library reached through a symbolic link, an import on a full
disk, a paper with tens of thousands of tags. Through the real command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import run_reader

HELPERS = Path(__file__).resolve().parent / "helpers"


def write_json(path: Path, papers: list[dict]) -> Path:
    path.write_text(json.dumps(papers))
    return path


def test_a_library_through_a_symlink_stays_one_library(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "library.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)  # dangling until the first import creates the library
    papers = write_json(tmp_path / "in.json", [{"title": "Through A Link", "tags": ["x"]}])
    assert run_reader("import", str(papers), db=link).returncode == 0
    (pid,) = [p["id"] for p in json.loads(run_reader("list", "--json", db=real).stdout)]
    assert run_reader("mark", pid, "--star", db=link).returncode == 0
    more = write_json(tmp_path / "more.json", [{"title": "Second Paper"}])
    assert run_reader("import", str(more), db=link).returncode == 0

    assert link.is_symlink() and os.readlink(link) == str(real)
    # Nothing of the library beside the link: companions, lock and backups are beside the file.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json", "link.json", "more.json", "real"]
    assert (real_dir / "library.state.json").exists() and (real_dir / "library.json.lock").exists()
    listed = {p["title"]: p for p in json.loads(run_reader("list", "--json", db=real).stdout)}
    assert set(listed) == {"Through A Link", "Second Paper"}
    assert listed["Through A Link"]["starred"] is True
