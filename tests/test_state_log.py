"""The log of state changes beside the state file (reader/core/state_log.py):
a change appends a line, the log is folded into the state file, and what a
killed writer or another program leaves behind loses nothing."""

from __future__ import annotations

import json
import shutil

from helpers.papers import numbered
from reader.core.library import Library
from reader.core.library_files import log_path
from reader.core.state_log import FOLD_BYTES


def _library(db, n=20):
    lib = Library(db)
    lib.add_papers(numbered(n, "Paper number {i}", id="p{i}"))
    return lib


def test_a_star_is_a_line_in_the_log_and_the_state_file_is_left_alone(db):
    lib = _library(db)
    lib.set_notes("p2", "kept in the state file")
    lib.compact()
    state = lib.state_path.stat()
    lib.toggle_star("p1")
    after = lib.state_path.stat()
    assert (state.st_ino, state.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    lines = log_path(db).read_bytes().splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["state"] == {"p1": {"starred": True}}
    again = Library(db)
    assert again.require("p1").starred and again.require("p2").notes == "kept in the state file"


def test_compact_folds_the_log_into_the_state_file(db):
    lib = _library(db)
    lib.toggle_star("p1")
    lib.change_tags("p3", ["rl"], [])
    lib.compact()
    assert not log_path(db).exists()
    state = json.loads(lib.state_path.read_text())
    assert state["state"] == {"p1": {"starred": True}, "p3": {"tags": ["rl"]}}
    assert set(state["changed"]) == {"p1", "p3"}


def test_the_log_is_folded_when_it_has_grown(db):
    lib = _library(db)
    notes = "n" * 1000
    for i in range(FOLD_BYTES // 1000 + 5):
        lib.set_notes("p4", f"{i} {notes}")
    assert log_path(db).stat().st_size <= FOLD_BYTES + 2000
    assert Library(db).require("p4").notes.startswith(f"{FOLD_BYTES // 1000 + 4} ")


def test_a_line_cut_short_by_a_kill_is_never_read_and_the_next_change_cuts_it_off(db):
    lib = _library(db)
    lib.toggle_star("p1")
    with log_path(db).open("ab") as log:
        log.write(b'{"state": {"p2": {"starred": tr')  # killed in the middle of its write
    assert not Library(db).require("p2").starred and Library(db).require("p1").starred
    other = Library(db)
    other.toggle_read("p3")
    for line in log_path(db).read_bytes().splitlines():
        json.loads(line)
    again = Library(db)
    assert again.require("p1").starred and again.require("p3").read and not again.require("p2").starred


def test_a_fold_killed_before_it_removed_the_log_changes_nothing_twice(db):
    lib = _library(db)
    lib.set_notes("p1", "one note")
    lib.change_tags("p2", ["a", "b"], [])
    kept = log_path(db).read_bytes()
    lib.compact()
    log_path(db).write_bytes(kept)  # as if the process died between the two steps
    again = Library(db)
    assert again.require("p1").notes == "one note" and again.require("p2").tags == ["a", "b"]
    again.toggle_star("p3")
    again.compact()
    final = Library(db)
    assert final.require("p1").notes == "one note" and final.require("p3").starred


def test_a_state_file_replaced_under_the_log_is_merged_with_it_field_by_field(db, tmp_path):
    lib = _library(db)
    lib.change_tags("p1", ["old"], [])
    lib.compact()
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(tmp_path, elsewhere, ignore=shutil.ignore_patterns("*.lock", "elsewhere"))
    other = Library(elsewhere / "library.json")
    other.change_tags("p1", ["theirs"], [])
    other.set_notes("p5", "from the other copy")
    other.compact()
    lib.change_tags("p1", ["mine"], [])  # in the log
    lib.toggle_star("p2")
    # Another program (git, a file-syncing tool) puts the other state file in place.
    shutil.copy(elsewhere / "library.state.json", lib.state_path)
    seen = Library(db)
    assert sorted(seen.require("p1").tags) == ["mine", "old", "theirs"]
    assert seen.require("p2").starred and seen.require("p5").notes == "from the other copy"


def test_another_window_takes_in_the_log_lines_it_did_not_write(db):
    first = _library(db)
    second = Library(db)
    first.toggle_star("p1")
    first.set_notes("p2", "from the first window")
    assert second.refresh()
    assert second.require("p1").starred and second.require("p2").notes == "from the first window"
    second.toggle_read("p3")
    first.compact()  # the log folded by the other window: read whole again
    second.refresh()
    assert second.require("p1").starred and second.require("p3").read
    assert first.require("p3").read  # taken in before the fold


def test_a_backup_holds_the_changes_of_the_log_and_a_restore_drops_the_log(db):
    lib = _library(db)
    lib.toggle_star("p1")
    backup = lib.backup()
    assert backup is not None and not log_path(db).exists()
    lib.toggle_star("p2")
    lib.restore_backup(backup)
    assert not log_path(db).exists()
    again = Library(db)
    assert again.require("p1").starred and not again.require("p2").starred


def test_a_fold_of_a_few_changes_rewrites_only_their_lines(db):
    from reader.core.storage import dump_tables, load_json_file

    lib = _library(db, n=40)
    lib.set_starred([f"p{i}" for i in range(0, 40, 3)], True)
    lib.compact()
    before = lib.state_path.read_bytes().splitlines()
    lib.toggle_star("p3")  # a record taken out
    lib.toggle_read("p6")  # one changed
    lib.change_tags("p7", ["new"], [])  # one added at the end
    lib.compact()
    raw = lib.state_path.read_bytes()
    assert raw == dump_tables(load_json_file(lib.state_path))  # one record a line, as always
    # p3's record out and its stamp changed, p6's record and stamp, p7's new
    # two, and the comma after each table's last record (p39's) before them
    assert len(set(before) ^ set(raw.splitlines())) == 1 + 2 + 2 + 2 + 2 + 2 + 2
    lib.set_starred(["p39"], False)  # the last record taken out: written whole
    lib.compact()
    assert lib.state_path.read_bytes() == dump_tables(load_json_file(lib.state_path))
    again = Library(db)
    assert not again.require("p3").starred and again.require("p6").read and again.require("p7").tags == ["new"]
    assert again.require("p6").starred and not again.require("p39").starred


def test_a_process_that_read_nothing_folds_a_short_log_by_its_lines(db):
    from reader.core.storage import dump_tables, load_json_file

    lib = _library(db, n=30)
    lib.set_starred(["p1", "p2", "p3"], True)
    lib.compact()
    lib.toggle_star("p2")
    lib.set_notes("p9", "a new record, at the end")
    lib.toggle_read("p1")
    Library(db, load=False).compact()  # as `reader sync` does: the state file is not read
    assert not log_path(db).exists()
    assert lib.state_path.read_bytes() == dump_tables(load_json_file(lib.state_path))
    again = Library(db)
    assert again.require("p1").read and again.require("p1").starred and not again.require("p2").starred
    assert again.require("p9").notes == "a new record, at the end" and again.require("p3").starred
