"""Notes that cannot be kept (issue 11, point 15): notes too long to store are
refused and said so; notes refused by a full disk are not lost silently when
the app quits. The real command line and the real app (pilot)."""

from __future__ import annotations

import json

import pytest

from conftest import run_reader
from helpers.faults import FAULTS
from reader.core.library import Library
from reader.core.models import Paper
from reader.core.reader_state import MAX_NOTE_CHARS
from reader.ui.app import create_app
from reader.ui.widgets.notes import NotesPane
from reader.ui.widgets.paper_list import PaperList
from textual_probes import notifications

SIZE = (100, 30)


def errors(app) -> list[str]:
    return [n.message for n in notifications(app) if n.severity == "error"]


def test_notes_past_the_limit_are_refused_and_nothing_is_saved(db, tmp_path):
    source = tmp_path / "one.json"
    source.write_text(json.dumps([{"id": "p1", "title": "A Paper", "notes": "kept"}]))
    assert run_reader("import", str(source), db=db).returncode == 0
    state_before = (tmp_path / "library.state.json").read_bytes()
    huge = "x" * (MAX_NOTE_CHARS + 1)
    refused = run_reader("note", "p1", "-", db=db, input=huge)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert f"notes are at most {MAX_NOTE_CHARS:,} characters" in refused.stderr
    assert (tmp_path / "library.state.json").read_bytes() == state_before
    assert run_reader("note", "p1", db=db).stdout == "kept\n"
    at_limit = run_reader("note", "p1", "-", db=db, input="y" * MAX_NOTE_CHARS)
    assert at_limit.returncode == 0, at_limit.stderr


@pytest.mark.slow
async def test_the_app_refuses_notes_past_the_limit_and_keeps_them_in_the_pane(db):
    Library(db).add_papers([Paper(id="p1", title="A Paper")])
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        notes = app.screen.query_one(NotesPane)
        notes.insert("z" * (MAX_NOTE_CHARS + 10))
        await pilot.pause()  # the pane has taken in the change
        notes.flush()  # what leaving the pane, the save timer and quitting call
        for _ in range(300):  # a hang guard: the refusal arrives as a notification
            if errors(app):
                break
            await pilot.pause(0.1)
        assert any("notes are at most" in e for e in errors(app)), (errors(app), notes.unsaved)
        assert notes.unsaved and len(notes.text) == MAX_NOTE_CHARS + 10
    assert Library(db).require("p1").notes == ""


@pytest.mark.slow
async def test_quitting_with_notes_that_could_not_be_saved_warns_then_fails(db):
    Library(db).add_papers([Paper(id=f"p{i}", title=f"Paper {i}") for i in range(3)])
    app = create_app(Library(db), use_settings=False)
    undo = FAULTS["disk-full"](db.parent)
    try:
        async with app.run_test(size=SIZE) as pilot:
            pid = app.screen.query_one(PaperList).current.id
            await pilot.press("n", *"words the disk refused")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("q")
            for _ in range(300):  # a hang guard: the warning arrives as a notification
                if any("are not saved" in e for e in errors(app)):
                    break
                await pilot.pause(0.1)
            assert app.is_running  # the first quit only warns
            assert any(f"Notes of {pid} are not saved" in e for e in errors(app))
            await pilot.press("q")  # the second one quits, and says so
            await pilot.pause()
    finally:
        undo()
    assert app.return_code == 1
    assert str(app.fatal_error) == f"the notes of {pid} were not saved"
    assert Library(db).require(pid).notes == ""
