"""A full disk or a directory without write permission: the change is refused.

Faults are injected into the file system calls (tests/helpers/faults.py; we
run as root, so chmod would not stop a write). For every kind of change, at
the library, through the command line and in the app:

* the change fails with a LibraryError saying why, in one line (no traceback);
* the files on disk are byte for byte what they were, and still open;
* what the program holds in memory (and what the app shows) matches the disk:
  a refused toggle does not stay toggled;
* once the fault is gone, the same change works.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run_reader
from helpers.faults import FAULTS, REASONS
from helpers.papers import numbered
from helpers.params import first_fast
from reader.core.library import Library
from reader.core.models import Paper
from reader.errors import LibraryError
from reader.ui.app import create_app
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.notes import NotesPane
from reader.ui.widgets.paper_list import PaperList
from textual_probes import notifications

HELPER = Path(__file__).resolve().parent / "helpers" / "faulty_reader.py"
SIZE = (100, 30)



def library_files(db: Path) -> dict[str, bytes]:
    """The library's own files (backups aside) and their bytes."""
    return {
        p.name: p.read_bytes()
        for p in db.parent.iterdir()
        if p.is_file() and p.name.startswith(db.stem) and not p.name.endswith(".lock")
    }


def as_dicts(library: Library) -> dict[str, dict]:
    return {p.id: p.to_dict() for p in library.papers()}


@pytest.fixture
def lib_path(db) -> Path:
    library = Library(db)
    library.add_papers(numbered(5, "Paper {i}", abstract="words"))
    library.add_papers([Paper(id="p5", title="Paper 5")])  # a second import: a backup exists
    library.set_starred(["p1"], True)
    library.set_notes("p2", "kept note")
    library.delete(["p4"])
    # Folded: a change must make the log anew, which a directory without
    # write permission refuses. (A log already there takes the change: its
    # file can be written where the directory cannot, and the change is kept.)
    library.compact()
    return db


def deleted_p4(library: Library) -> list[Paper]:
    """What undoing the delete of p4 puts back."""
    return [Paper.from_docs("p4", {"title": "Paper 4", "abstract": "words"})]


OPERATIONS: dict[str, Callable[[Library], object]] = {
    "toggle star": lambda lib: lib.toggle_star("p0"),
    "toggle read": lambda lib: lib.toggle_read("p1"),
    "set tags": lambda lib: lib.set_tags("p0", ["a", "b"]),
    "add a tag to many": lambda lib: lib.add_tag(["p0", "p1", "p2"], "x"),
    "save notes": lambda lib: lib.set_notes("p2", "changed note"),
    "delete one": lambda lib: lib.delete(["p3"]),
    "delete many": lambda lib: lib.delete(["p0", "p3"]),
    "import": lambda lib: lib.add_papers([Paper(id="", title="A new paper")]),
    "fill metadata": lambda lib: lib.update_metadata("p0", {"year": 2020}),
    "undo a delete": lambda lib: lib.restore_papers(deleted_p4(lib)),
    "back up": lambda lib: lib.backup(),
}

def cases():
    for fault in FAULTS:
        for name in OPERATIONS:
            yield pytest.param(fault, name, id=f"{fault}-{name}")


@pytest.mark.parametrize(("fault", "operation"), list(cases()))
def test_a_refused_change_leaves_disk_and_memory_as_they_were(lib_path, fault, operation):
    library = Library(lib_path)
    before_disk = library_files(lib_path)
    before_memory = as_dicts(library)
    undo = FAULTS[fault](lib_path.parent)
    try:
        with pytest.raises(LibraryError) as info:
            OPERATIONS[operation](library)
    finally:
        undo()
    message = str(info.value)
    assert REASONS[fault] in message and str(lib_path.parent) in message
    assert "\n" not in message
    assert library_files(lib_path) == before_disk  # nothing written, nothing damaged
    assert not list(lib_path.parent.glob(".*.tmp"))  # no temp file left behind
    fresh = Library(lib_path)  # the files still open
    assert as_dicts(fresh) == before_memory
    assert as_dicts(library) == before_memory  # memory matches the disk
    # With the fault gone, the same change works, and is on disk.
    OPERATIONS[operation](library)
    assert as_dicts(Library(lib_path)) == as_dicts(library)


CLI = {
    "mark one": ["mark", "p0", "--star"],
    "mark many": ["mark", "p0", "p1", "--read"],
    "note": ["note", "p0", "a note"],
    "import": ["import", "IDS"],
}
@pytest.mark.parametrize(
    ("fault", "command"),
    first_fast(pytest.param(f, c, id=f"{f}-{c}") for f in FAULTS for c in CLI),
)
def test_the_command_line_says_why_in_one_line(lib_path, tmp_path_factory, fault, command):
    ids = tmp_path_factory.mktemp("input") / "ids.txt"
    ids.write_text("2203.02155\n1706.03762\n")
    args = [str(ids) if a == "IDS" else a for a in CLI[command]]
    before = library_files(lib_path)
    result = run_reader(*args, db=lib_path, program=(str(HELPER), fault, str(lib_path.parent)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader: error: cannot ")
    assert REASONS[fault] in lines[0]
    assert library_files(lib_path) == before


# ---------------------------------------------------------------------- the app
def row_text(app, pid: str) -> str:
    plist = app.screen.query_one(PaperList)
    index = [p.id for p in plist.rows].index(pid)
    return plist.render_line(index - int(plist.scroll_offset.y)).text


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


def errors(app) -> list[str]:
    return [n.message for n in notifications(app) if n.severity == "error"]


@pytest.mark.slow
@pytest.mark.parametrize("fault", first_fast(FAULTS))
async def test_the_app_refuses_toggles_and_delete_and_keeps_running(lib_path, fault):
    app = create_app(Library(lib_path), use_settings=False)
    before = library_files(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        first = plist.current.id
        starred_before = "★" in row_text(app, first)
        undo = FAULTS[fault](lib_path.parent)
        try:
            await pilot.press("s")
            await pilot.pause()
            assert len(errors(app)) == 1 and REASONS[fault] in errors(app)[0]
            assert ("★" in row_text(app, first)) == starred_before  # not shown as starred
            assert "1 starred" in status(app)
            app.clear_notifications()  # one toast at a time: each refusal shows its own
            await pilot.press("r")
            await pilot.pause()
            assert len(errors(app)) == 1 and REASONS[fault] in errors(app)[0]
            assert "●" in row_text(app, first)  # still shown unread
            assert "0 read" not in status(app) and "5 unread" in status(app)
            app.clear_notifications()
            await pilot.press("d")
            await pilot.pause()
            assert len(errors(app)) == 1 and REASONS[fault] in errors(app)[0]
            assert len(plist.rows) == 5 and plist.current.id == first  # not deleted
            await pilot.press("u")  # nothing was done, so nothing to undo
            await pilot.pause()
            assert len(plist.rows) == 5
            assert app.is_running and isinstance(app.screen, MainScreen)
        finally:
            undo()
        assert library_files(lib_path) == before
        # The fault is gone: the same keys work.
        await pilot.press("s")
        await pilot.pause()
        assert "★" in row_text(app, first)
        await pilot.press("r", "d")
        await pilot.pause()
        assert len(plist.rows) == 4
    library = Library(lib_path)
    assert first not in library
    assert len(library) == 4


@pytest.mark.slow
@pytest.mark.parametrize("fault", first_fast(FAULTS))
async def test_the_app_keeps_a_refused_note_and_saves_it_later(lib_path, fault):
    app = create_app(Library(lib_path), use_settings=False)
    before = library_files(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        pid = plist.current.id
        undo = FAULTS[fault](lib_path.parent)
        try:
            await pilot.press("n", *"typed while the disk is full", "escape")
            await pilot.pause()
            assert errors(app) and "Notes not saved" in errors(app)[0]
            assert REASONS[fault] in errors(app)[0]
            assert "unsaved note" in status(app)  # never "all saved"
            assert app.screen.query_one(NotesPane).text == "typed while the disk is full"
            assert app.is_running
        finally:
            undo()
        assert library_files(lib_path) == before
        await pilot.press("n", "escape")  # back in and out of the notes: saved now
        await pilot.pause()
        assert "all saved" in status(app)
    assert Library(lib_path).require(pid).notes == "typed while the disk is full"




@pytest.mark.slow
async def test_a_refused_note_is_not_lost_when_the_cursor_moves(lib_path):
    app = create_app(Library(lib_path), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        pid = plist.current.id
        undo = FAULTS["disk-full"](lib_path.parent)
        try:
            await pilot.press("n", *"precious words", "escape")
            await pilot.press("j")  # another paper, while the disk is still full
            await pilot.pause()
        finally:
            undo()
        await pilot.press("k")
        await pilot.pause()
        await app.action_quit()
    assert Library(lib_path).require(pid).notes == "precious words"


@pytest.mark.slow
@pytest.mark.parametrize("fault", first_fast(["disk-full", "read-only"]))
async def test_the_app_refuses_an_import_and_keeps_running(lib_path, tmp_path_factory, fault):
    from textual.widgets import Input

    ids = tmp_path_factory.mktemp("input") / "ids.txt"
    ids.write_text("2203.02155\n1706.03762\n")
    before = library_files(lib_path)
    app = create_app(Library(lib_path), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        undo = FAULTS[fault](lib_path.parent)
        try:
            await pilot.press("i")
            app.screen.query_one("#prompt-input", Input).value = str(ids)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert errors(app) and "Not imported" in errors(app)[0]
            assert REASONS[fault] in errors(app)[0]
            assert len(app.screen.query_one(PaperList).rows) == 5
            assert app.is_running
        finally:
            undo()
        assert library_files(lib_path) == before
