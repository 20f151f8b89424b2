"""A bad library file stops `reader` with one clear line; the file is never touched.

Through the real command line, in a subprocess with standard input closed:
`reader --db FILE` (the TUI, which must fail before the app starts) and the
sub-commands that read (`list`) and write (`mark`). For each kind of bad
file: the exit code is not 0, standard error is one line naming the file (and
the newest backup when there is one), there is no traceback, and every file
beside the library is byte for byte what it was.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import run_reader
from helpers.papers import numbered
from helpers.params import first_fast
from reader.core.library import Library
from reader.core.models import Paper

TIMEOUT = 120  # only catches a hang (the TUI starting when it must not); a loaded machine is slow


def make_library(db: Path) -> None:
    library = Library(db)
    library.add_papers(numbered(20, "Paper number {i}", abstract="words " * 50))
    library.set_starred(["p1"], True)
    library.set_notes("p2", "a note")
    library.compact()  # the state file holds the star and the note (not only its log)


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` (the lock file aside) with its bytes."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def damage_invalid_json(db: Path) -> None:
    db.write_text('{"papers": {"p1": {"title": "A"},, }')


def damage_wrong_shape(db: Path) -> None:
    db.write_text(json.dumps([{"title": "a list, not a library"}]))


def damage_wrong_tables(db: Path) -> None:
    db.write_text(json.dumps({"users": {"1": {"name": "not papers"}}}))


def damage_empty(db: Path) -> None:
    db.write_bytes(b"")


def damage_truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def damage_newer_schema(db: Path) -> None:
    data = json.loads(db.read_text())
    data["_meta"]["schema"]["version"] = 99
    db.write_text(json.dumps(data))


DAMAGE = {
    "invalid JSON": (damage_invalid_json, "not valid JSON"),
    "wrong shape": (damage_wrong_shape, "wrong shape"),
    "tables of another program": (damage_wrong_tables, "wrong shape"),
    "empty": (damage_empty, "empty"),
    "truncated": (damage_truncated, "not valid JSON"),
    "newer schema": (damage_newer_schema, "newer version"),
}


def assert_refused(result: subprocess.CompletedProcess[str], named: Path, words: str,
                   *, app_may_start: bool = False) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = result.stderr.strip().splitlines()
    if app_may_start:  # the app drew its screen first (on the terminal), then stopped
        # What follows the app's leaving the alternate screen is what stays.
        lines = result.stderr.rpartition("\x1b[?1049l")[2].strip().splitlines()
        escapes = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[=>]")
        lines = [escapes.sub("", line) for line in lines]
        lines = [line for line in lines if line.startswith("reader: error: ")]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("reader: error: ")
    assert str(named) in line
    assert words in line
    assert "Nothing was changed" in line and "backup" in line
    if not app_may_start:  # the TUI never started: nothing was drawn
        assert "\x1b[" not in result.stdout
    return line


@pytest.mark.slow
@pytest.mark.parametrize("kind", first_fast(DAMAGE))
def test_a_bad_library_file_is_refused_by_the_tui_and_the_cli(tmp_path, kind):
    db = tmp_path / "library.json"
    make_library(db)
    damage, words = DAMAGE[kind]
    damage(db)
    before = snapshot(tmp_path)
    for args in ([], ["list"], ["mark", "p1", "--read"]):
        line = assert_refused(run_reader(*args, db=db, timeout=TIMEOUT), db, words)
        assert "no backup" in line
        assert snapshot(tmp_path) == before, f"reader {' '.join(args)} changed a file"
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.slow
@pytest.mark.parametrize("kind", first_fast(["truncated", "invalid JSON"]))
def test_the_message_names_the_newest_backup(tmp_path, kind):
    db = tmp_path / "library.json"
    make_library(db)
    library = Library(db)
    library.backup()
    library.add_papers([Paper(id="", title="One more paper")])  # backs up again
    newest = library.backups()[0]
    DAMAGE[kind][0](db)
    before = snapshot(tmp_path)
    for args in ([], ["list"]):
        line = assert_refused(run_reader(*args, db=db, timeout=TIMEOUT), db, DAMAGE[kind][1])
        assert str(newest) in line
        assert "reader restore" in line
    assert snapshot(tmp_path) == before




def test_reader_restore_brings_back_the_backup_the_message_names(tmp_path):
    db = tmp_path / "library.json"
    make_library(db)
    library = Library(db)
    library.add_papers([Paper(id="", title="One more paper")])  # backs up first
    newest = library.backups()[0]
    damage_truncated(db)
    listed = run_reader("restore", db=db, timeout=TIMEOUT)
    assert listed.returncode == 0, listed.stderr
    assert str(newest) in listed.stdout.splitlines()[0]
    restored = run_reader("restore", "1", db=db, timeout=TIMEOUT)
    assert restored.returncode == 0, restored.stderr
    again = Library(db)
    assert len(again) == 20 and again.require("p1").starred
    # The damaged file itself was kept as a backup, not thrown away.
    assert len(again.backups()) == 2


@pytest.mark.slow
def test_a_bad_state_file_is_refused_and_named(tmp_path):
    db = tmp_path / "library.json"
    make_library(db)
    state = tmp_path / "library.state.json"
    state.write_text(state.read_text()[:-7])
    before = snapshot(tmp_path)
    for args in ([], ["list"]):
        assert_refused(run_reader(*args, db=db, timeout=TIMEOUT), state, "not valid JSON")
    assert snapshot(tmp_path) == before


@pytest.mark.slow
@pytest.mark.parametrize("kind", first_fast(["truncated", "wrong shape"]))
def test_a_bad_abstracts_file_is_refused_and_named(tmp_path, kind):
    db = tmp_path / "library.json"
    make_library(db)
    abstracts = tmp_path / "library.abstracts.json"
    if not abstracts.exists():
        pytest.fail("the library keeps its abstracts in library.json: update this test")
    if kind == "truncated":
        damage_truncated(abstracts)
    else:
        damage_wrong_shape(abstracts)
    before = snapshot(tmp_path)
    for args in ([], ["list"]):
        # The app may read the abstracts after it has drawn the list; then it
        # must stop with the same one line.
        assert_refused(run_reader(*args, db=db, timeout=TIMEOUT), abstracts, DAMAGE[kind][1], app_may_start=True)
    assert snapshot(tmp_path) == before


# A record that is a dict but not a paper: a list where text belongs, a
# number where a list belongs.
DAMAGED_RECORDS = {
    "state tags not a list": ("library.state.json", ("state", "p2", "tags"), 5),
    "state record not an object": ("library.state.json", ("state", "p2"), ["notes"]),
    "authors not a list": ("library.json", ("papers", "p3", "authors"), 7),
    "authors a string": ("library.json", ("papers", "p3", "authors"), "no"),
    "state tags a string": ("library.state.json", ("state", "p2", "tags"), "rl"),
    "extra not an object": ("library.json", ("papers", "p3", "extra"), [1, 2]),
}


@pytest.mark.parametrize("damage", first_fast(DAMAGED_RECORDS.values(), ids=DAMAGED_RECORDS))
def test_a_damaged_record_is_refused_without_a_traceback(tmp_path, damage):
    db = tmp_path / "library.json"
    make_library(db)
    name, where, value = damage
    path = tmp_path / name
    data = json.loads(path.read_text())
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    path.write_text(json.dumps(data))
    before = snapshot(tmp_path)
    result = run_reader("list", db=db, timeout=TIMEOUT)
    assert_refused(result, path, "wrong shape")
    assert snapshot(tmp_path) == before
