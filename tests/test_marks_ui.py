"""Marking papers (v, space, V) and every key that acts on the marked papers,
each with one undo for the whole action; on real library files."""

from __future__ import annotations

import bibtexparser
import pytest
from textual.widgets import Input

from helpers.said import said
from helpers.waiting import until
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app
from reader.ui.widgets.status import StatusLine

TITLES = ["Alpha Rewards", "Beta Policies", "Gamma Verifiers", "Delta Networks", "Epsilon Greedy"]


@pytest.fixture
def lib(db):
    library = Library(db)
    library.add_papers([Paper(id="", title=t, year=2020 + i, authors=[f"Ann Writer{i}"], tags=["old"])
                        for i, t in enumerate(TITLES)])
    return db


def by_title(db) -> dict[str, Paper]:
    return {p.title.split()[0]: p for p in Library(db).papers()}


async def mark_three(app, pilot):
    """Marks the first three rows: v, space, v."""
    await pilot.press("g", "v", "space", "v")
    screen = app.screen
    assert len(screen.session.marks) == 3
    return screen, [screen.session.rows[i].title.split()[0] for i in range(3)]


def status(app) -> str:
    return str(app.screen.query_one(StatusLine).render())


@pytest.mark.slow
async def test_marks_show_in_the_list_and_the_status_line(lib):
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(110, 30)) as pilot:
        screen, marked = await mark_three(app, pilot)
        assert "3 marked" in status(app)
        assert screen.paper_list.cursor == 3  # marking moves on
        lines = [screen.paper_list.render_line(y).text for y in range(5)]
        assert [line.startswith("▌") for line in lines] == [True, True, True, False, False]
        await pilot.press("k", "v")  # the third again: unmarked
        assert len(screen.session.marks) == 2
        await pilot.press("V")
        assert len(screen.session.marks) == 5
        await pilot.press("V")
        assert not screen.session.marks and "marked" not in status(app)


@pytest.mark.slow
@pytest.mark.parametrize(("key", "field", "value"), [("r", "read", True), ("s", "starred", True)])
async def test_r_and_s_act_on_every_marked_paper_and_u_undoes_them_at_once(lib, key, field, value):
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(110, 30)) as pilot:
        _, marked = await mark_three(app, pilot)
        await pilot.press(key)
        after = by_title(lib)
        assert {t for t, p in after.items() if getattr(p, field) == value} == set(marked)
        await pilot.press("u")
        await until(pilot, lambda: not any(getattr(p, field) for p in by_title(lib).values()), "undone")
        assert len(app.screen.session.undo_stack) == 0


@pytest.mark.slow
async def test_t_adds_and_removes_tags_on_marked_papers_with_one_undo(lib):
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(110, 30)) as pilot:
        _, marked = await mark_three(app, pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.focused, Input), "the tags prompt")
        app.focused.value = "+rl -old"
        await pilot.press("enter")
        await until(pilot, lambda: by_title(lib)[marked[0]].tags == ["rl"], "the tags")
        after = by_title(lib)
        assert all(after[t].tags == ["rl"] for t in marked)
        assert all(p.tags == ["old"] for t, p in after.items() if t not in marked)
        await pilot.press("u")
        await until(pilot, lambda: all(p.tags == ["old"] for p in by_title(lib).values()), "undone")


@pytest.mark.slow
async def test_d_deletes_the_marked_papers_and_u_brings_them_all_back(lib):
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(110, 30)) as pilot:
        _, marked = await mark_three(app, pilot)
        await pilot.press("d")
        assert set(by_title(lib)) == set(TITLES_FIRST) - set(marked)
        assert not app.screen.session.marks
        await pilot.press("u")
        await until(pilot, lambda: len(Library(lib)) == 5, "all back")
        assert len(app.screen.session.rows) == 5


TITLES_FIRST = [t.split()[0] for t in TITLES]


@pytest.mark.slow
@pytest.mark.parametrize("keys", [("c",), ("C", "enter")])
async def test_c_and_C_copy_the_citations_of_all_marked_papers(lib, keys):  # noqa: N802
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(110, 30)) as pilot:
        screen, marked = await mark_three(app, pilot)
        await pilot.press(*keys)
        await until(pilot, lambda: app.clipboard, "the clipboard")
        entries = bibtexparser.parse_string(app.clipboard).entries
        assert sorted(e["title"].strip("{}").split()[0] for e in entries) == sorted(marked)


@pytest.mark.slow
async def test_without_marks_the_keys_act_on_the_paper_under_the_cursor(lib):
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("g", "s")
        first = app.screen.session.rows[0].title.split()[0]
        assert [t for t, p in by_title(lib).items() if p.starred] == [first]


@pytest.mark.slow
async def test_e_looks_up_the_marked_papers(lib, monkeypatch):
    from reader.ui.screens import enrich as enrich_screen

    asked: list[list[str]] = []

    class Probe(enrich_screen.EnrichScreen):
        def __init__(self, library, papers):
            asked.append([p.title.split()[0] for p in papers])
            super().__init__(library, papers)

    monkeypatch.setattr(enrich_screen, "EnrichScreen", Probe)
    app = create_app(Library(lib), use_settings=False)
    async with app.run_test(size=(110, 30)) as pilot:
        _, marked = await mark_three(app, pilot)
        await pilot.press("e")
        await until(pilot, lambda: asked, "the look-up")
        assert asked == [marked]
        await until(pilot, lambda: "look-up" in said(app), "its end")
