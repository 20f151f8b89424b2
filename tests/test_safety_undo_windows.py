"""Undo and the tags prompt with another window at work (issue 11, point 3):
the app's undo takes back only what its own change touched, on the latest
state on disk; the tags prompt keeps a tag added elsewhere while it is open.
The real app (pilot) and the real command line in another process."""

from __future__ import annotations

import json

import pytest

from conftest import run_reader
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app
from reader.ui.widgets.paper_list import PaperList

SIZE = (100, 30)


def stored(db, pid: str) -> dict:
    result = run_reader("show", pid, "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
async def test_undo_keeps_what_another_window_changed(db):
    Library(db).add_papers([Paper(id=f"p{i}", title=f"Paper {i}", tags=["mine"]) for i in range(2)])
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        pid = app.screen.query_one(PaperList).current.id
        await pilot.press("s")  # star it here
        await pilot.pause()
        assert stored(db, pid)["starred"] is True
        # Meanwhile, in another terminal:
        assert run_reader("note", pid, "a note from the command line", db=db).returncode == 0
        assert run_reader("mark", pid, "--tag", "from-cli", db=db).returncode == 0
        await pilot.press("u")  # undo the star
        await pilot.pause()
    paper = stored(db, pid)
    assert paper["starred"] is False
    assert paper["notes"] == "a note from the command line"
    assert paper["tags"] == ["mine", "from-cli"]


@pytest.mark.slow
async def test_undo_of_a_tag_edit_takes_back_only_its_own_tags(db):
    Library(db).add_papers([Paper(id="p1", title="Paper 1", tags=["old"])])
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("end", *", new", "enter")
        await pilot.pause()
        assert stored(db, "p1")["tags"] == ["old", "new"]
        assert run_reader("mark", "p1", "--tag", "elsewhere", "--untag", "old", db=db).returncode == 0
        await pilot.press("u")
        await pilot.pause()
    assert stored(db, "p1")["tags"] == ["elsewhere"]  # "new" gone; the other window's edit kept


@pytest.mark.slow
async def test_the_tags_prompt_keeps_a_tag_added_elsewhere_while_open(db):
    Library(db).add_papers([Paper(id="p1", title="Paper 1", tags=["old"])])
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")  # the prompt shows "old"
        await pilot.pause()
        assert run_reader("mark", "p1", "--tag", "elsewhere", db=db).returncode == 0
        await pilot.press("end", *", mine", "enter")
        await pilot.pause()
    assert stored(db, "p1")["tags"] == ["old", "elsewhere", "mine"]
