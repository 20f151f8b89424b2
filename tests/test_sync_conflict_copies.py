"""Conflict copies left by Syncthing, Dropbox or Nextcloud are merged when the
library opens, and moved into the backups."""

from __future__ import annotations

import shutil

from conftest import run_reader
from helpers.papers import paper
from reader.core.library import Library


def _two_machines(tmp_path, monkeypatch):
    here, there = tmp_path / "sync", tmp_path / "other"
    monkeypatch.setenv("READER_MACHINE_ID", "A")
    lib = Library(here / "library.json")
    lib.add_papers([paper("Deep Things", id="p1", year=2020), paper("Wide Things", id="p2", year=2021)])
    shutil.copytree(here, there, ignore=shutil.ignore_patterns("*.lock", "*.backups"))
    monkeypatch.setenv("READER_MACHINE_ID", "B")
    other = Library(there / "library.json")
    other.change_tags("p1", ["from-b"], [])
    other.set_notes("p2", "written on B")
    other.add_papers([paper("Only on B", id="p3", year=2022)], backup=False)
    monkeypatch.setenv("READER_MACHINE_ID", "A")
    lib.change_tags("p1", ["from-a"], [])
    lib.set_starred(["p1"], True)
    for library in (lib, other):
        library.compact()  # the state files hold every change, as when they travel
    return here, there


def test_a_syncthing_copy_of_the_state_file_is_merged_on_open(tmp_path, monkeypatch):
    here, there = _two_machines(tmp_path, monkeypatch)
    copy = here / "library.state.sync-conflict-20260101-120000-ABCDEFG.json"
    shutil.copy(there / "library.state.json", copy)
    lib = Library(here / "library.json")
    p1, p2 = lib.require("p1"), lib.require("p2")
    assert sorted(p1.tags) == ["from-a", "from-b"] and p1.starred
    assert p2.notes == "written on B"
    assert not copy.exists() and (here / "library.backups" / copy.name).exists()
    assert any("conflict cop" in line for line in lib.notices)
    assert Library(here / "library.json").notices == []  # once only


def test_a_dropbox_copy_of_the_papers_file_brings_its_papers_and_the_cli_says_so(tmp_path, monkeypatch):
    here, there = _two_machines(tmp_path, monkeypatch)
    copy = here / "library (Ada's conflicted copy 2026-01-01).json"
    shutil.copy(there / "library.json", copy)
    done = run_reader("list", db=here / "library.json")
    assert done.returncode == 0
    assert "Only on B" in done.stdout and "Deep Things" in done.stdout
    assert "merged 1 conflict copy" in done.stderr
    assert not copy.exists()


def test_a_damaged_copy_is_left_and_the_library_opens(tmp_path, monkeypatch):
    here, _ = _two_machines(tmp_path, monkeypatch)
    copy = here / "library.state.sync-conflict-20260101-120000-ABCDEFG.json"
    copy.write_text('{"state": {"p1": ')
    lib = Library(here / "library.json")
    assert lib.require("p1").starred
    assert copy.exists() and any("left as it is" in line for line in lib.notices)
