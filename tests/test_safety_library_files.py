"""The library's files against what other programs and a full disk do to them
(issue 11): a library reached through a symbolic link, an import on a full
disk, a paper with tens of thousands of tags. Through the real command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

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


@pytest.mark.slow
def test_an_import_on_a_full_disk_is_all_or_nothing(db, tmp_path):
    old = write_json(tmp_path / "old.json", [{"id": "old", "title": "Already Here"}])
    assert run_reader("import", str(old), db=db).returncode == 0
    export = write_json(
        tmp_path / "export.json",
        [{"id": "new", "title": "Read And Starred", "read": True, "starred": True, "tags": ["kept"]}],
    )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and p.name.startswith("library.") and p.suffix != ".lock"}
    # The disk fills up when the state file (read, starred, tags) is written,
    # after the papers and abstracts could be.
    full = run_reader(
        "import", str(export), db=db,
        program=("-u", str(HELPERS / "faulty_reader.py"), "disk-full-on-state", str(tmp_path)),
    )
    assert full.returncode == 1 and "the disk is full" in full.stderr
    assert "Traceback" not in full.stderr
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and p.name.startswith("library.") and p.suffix != ".lock"}
    assert after == before  # none of the three files changed
    assert [p["id"] for p in json.loads(run_reader("list", "--json", db=db).stdout)] == ["old"]

    again = run_reader("import", str(export), db=db)  # space freed: the same import
    assert again.returncode == 0, again.stderr
    paper = json.loads(run_reader("show", "new", "--json", db=db).stdout)
    assert (paper["read"], paper["starred"], paper["tags"]) == (True, True, ["kept"])


@pytest.mark.slow
def test_forty_thousand_tags_are_cut_to_the_limit_and_said_so(db, tmp_path):
    from reader.core.tags import MAX_TAG_CHARS, MAX_TAGS

    tags = [f"tag{i}" for i in range(40_000)] + ["x" * (MAX_TAG_CHARS + 1)]
    export = write_json(tmp_path / "many.json", [{"id": "many", "title": "Many Tags", "tags": tags}])
    first = run_reader("import", str(export), db=db)
    assert first.returncode == 0, first.stderr
    assert f"many: left out 39,501 tags (at most {MAX_TAGS} a paper" in first.stdout
    stored = json.loads(run_reader("show", "many", "--json", db=db).stdout)["tags"]
    assert stored == tags[:MAX_TAGS]
    # Imported again (the quadratic case): the same answer, nothing gained.
    again = run_reader("import", str(export), db=db)
    assert again.returncode == 0 and "added 0, merged 1" in again.stdout
    assert "left out 39,501 tags" in again.stdout
    assert json.loads(run_reader("show", "many", "--json", db=db).stdout)["tags"] == stored
    # By hand: past a limit, refused in one line.
    for tag in ("one-more", "y" * (MAX_TAG_CHARS + 1)):
        refused = run_reader("mark", "many", "--tag", tag, db=db)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1
        assert refused.stderr.startswith("reader: error: a ")
    assert json.loads(run_reader("show", "many", "--json", db=db).stdout)["tags"] == stored
