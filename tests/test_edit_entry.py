"""Editing a paper as a BibTeX entry, and its notes, in $EDITOR: an editor
stub (a small script) changes the file as a user would."""

from __future__ import annotations

import sys

import pytest

from conftest import run_reader
from helpers.said import said
from helpers.waiting import until
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app


def editor(tmp_path, name: str, body: str) -> str:
    """$EDITOR: a Python script whose `text` is the file's content; `body` changes it."""
    script = tmp_path / f"{name}.py"
    script.write_text(
        "import sys, pathlib\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "text = path.read_text()\n"
        "calls = pathlib.Path(__file__).with_suffix('.calls')\n"
        "calls.write_text(calls.read_text() + text + '\\n=====\\n' if calls.exists() else text + '\\n=====\\n')\n"
        f"{body}\n"
        "path.write_text(text)\n"
    )
    return f"{sys.executable} {script}"


def calls(tmp_path, name: str) -> list[str]:
    path = tmp_path / f"{name}.calls"
    return path.read_text().split("\n=====\n")[:-1] if path.exists() else []


@pytest.fixture
def lib(db):
    Library(db).add_papers([Paper(id="", title="Old Title", year=2020, authors=["Ann Writer"],
                                  tags=["keep"], abstract="An abstract.")])
    Library(db).set_notes(Library(db).papers()[0].id, "first note")
    return db


def only(db) -> Paper:
    return Library(db).papers()[0]


def test_reader_edit_changes_the_entry_and_keeps_the_state(lib, tmp_path):
    pid = only(lib).id
    env = {"EDITOR": editor(tmp_path, "ed", "text = text.replace('Old Title', 'New Title')"
                            ".replace('year = {2020}', 'year = {2021},\\n  volume = {7}')")}
    result = run_reader("edit", pid, db=lib, env=env)
    assert result.returncode == 0, result.stderr
    paper = only(lib)
    assert (paper.id, paper.title, paper.year, paper.extra["volume"]) == (pid, "New Title", 2021, "7")
    assert paper.tags == ["keep"] and paper.notes == "first note" and paper.abstract == "An abstract."


def test_a_parse_error_reopens_the_editor_with_the_error_on_top(lib, tmp_path):
    # First call: break the entry; second: leave it as shown (quit without saving).
    body = ("if 'reader: error' not in text:\n"
            "    text = text.replace('title = {Old Title}', 'title = {Broken')\n")
    result = run_reader("edit", only(lib).id, db=lib, env={"EDITOR": editor(tmp_path, "bad", body)})
    assert result.returncode == 0 and "unchanged" in result.stdout
    seen = calls(tmp_path, "bad")
    assert len(seen) == 2 and seen[1].startswith("% reader: error:")
    assert only(lib).title == "Old Title"


def test_an_editor_quit_without_saving_keeps_the_entry(lib, tmp_path):
    before = lib.read_bytes()
    result = run_reader("edit", only(lib).id, db=lib, env={"EDITOR": editor(tmp_path, "noop", "")})
    assert result.returncode == 0 and "unchanged" in result.stdout and lib.read_bytes() == before


@pytest.mark.slow
async def test_ctrl_e_edits_in_the_editor_and_u_takes_it_back(lib, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", editor(tmp_path, "ed", "text = text.replace('Old Title', 'Edited Title')"))
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+e")
        await until(pilot, lambda: only(lib).title == "Edited Title", "the edit saved")
        assert app.screen.current.title == "Edited Title"
        assert "@" in calls(tmp_path, "ed")[0] and "Old Title" in calls(tmp_path, "ed")[0]
        await pilot.press("u")
        await until(pilot, lambda: only(lib).title == "Old Title", "the edit undone")
        assert app.screen.current.title == "Old Title"
    assert only(lib).notes == "first note" and only(lib).tags == ["keep"]


@pytest.mark.slow
async def test_N_writes_the_notes_in_the_editor_with_undo(lib, tmp_path, monkeypatch):  # noqa: N802
    monkeypatch.setenv("EDITOR", editor(tmp_path, "notes", "text = text + '\\n- second point'"))
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("N")
        await until(pilot, lambda: only(lib).notes == "first note\n- second point", "the notes saved")
        assert calls(tmp_path, "notes")[0] == "first note"
        await pilot.press("u")
        await until(pilot, lambda: only(lib).notes == "first note", "the notes undone")
        await until(pilot, lambda: "Undone" in said(app), "said")


async def test_ctrl_e_in_the_app_keeps_the_abstract_read_from_disk(lib, tmp_path, monkeypatch):
    """The app holds no abstract in its papers: the entry edited, and its undo, still have it."""
    abstract = only(lib).abstract
    assert abstract
    monkeypatch.setenv("EDITOR", editor(tmp_path, "ed", "text = text.replace('Old Title', 'Edited Title')"))
    app = create_app(Library(lib, load_abstracts=False), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+e")
        await until(pilot, lambda: only(lib).title == "Edited Title", "the edit saved")
        assert abstract.split()[0] in calls(tmp_path, "ed")[0]
        assert only(lib).abstract == abstract
        await pilot.press("u")
        await until(pilot, lambda: only(lib).title == "Old Title", "the edit undone")
    assert only(lib).abstract == abstract
