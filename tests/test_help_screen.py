"""The help screen: every key in grouped columns that fit a common terminal,
every filter word the query language knows, and j/k to scroll."""

from __future__ import annotations

import pytest
from rich.console import Console
from textual.containers import VerticalScroll
from textual.widgets import Static

from helpers.papers import numbered
from helpers.waiting import until
from reader.core.library import Library
from reader.core.query import HAS_VALUES, IS_VALUES
from reader.ui.app import create_app
from reader.ui.keys import LIST_KEYS, MAIN_KEYS, TRIAGE_KEYS
from reader.ui.screens.help import HelpScreen


def app_on(db):
    Library(db).add_papers(numbered(5, "Paper {i}", id=""))
    return create_app(Library(db), use_settings=False)


def help_text(screen: HelpScreen) -> str:
    """Every text of the help screen, as drawn on a wide console."""
    console = Console(width=200, record=True)
    for static in screen.query(Static):
        console.print(static.content)
    return console.export_text()


@pytest.mark.slow
async def test_help_at_120x35_in_three_columns_with_every_key(db):
    app = app_on(db)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        screen = app.screen
        box = screen.query_one("#help-box", VerticalScroll)
        await until(pilot, lambda: box.size.height > 0, "the help laid out")
        assert len(screen.query(".help-column")) == 3
        text = help_text(screen)
        for key in [*LIST_KEYS, *MAIN_KEYS, *TRIAGE_KEYS]:
            assert key.help in text, key.action
        for value in HAS_VALUES:
            assert f"has:{value}" in text
        for value in IS_VALUES:
            assert f"is:{value}" in text


@pytest.mark.slow
async def test_j_and_k_scroll_the_help(db):
    app = app_on(db)
    async with app.run_test(size=(60, 15)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        box = app.screen.query_one("#help-box", VerticalScroll)
        await until(pilot, lambda: box.max_scroll_y > 0, "the help taller than the screen")
        await pilot.press("j", "j", "j")
        await until(pilot, lambda: box.scroll_y >= 3, "scrolled down")
        await pilot.press("k")
        await until(pilot, lambda: box.scroll_y == 2, "scrolled up one")
        await pilot.press("G")
        await until(pilot, lambda: box.scroll_y == box.max_scroll_y, "at the bottom")
        await pilot.press("g")
        await until(pilot, lambda: box.scroll_y == 0, "at the top")
        await pilot.press("q")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen), "closed")
        assert app.is_running
