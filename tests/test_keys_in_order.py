"""Keys typed in a burst, from the first frame on, reach what the key before
them opened: nothing typed is dropped or goes to the wrong place."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from helpers.papers import numbered
from helpers.waiting import until
from reader.core.library import Library
from reader.ui.app import create_app
from reader.ui.screens.main import MainScreen
from reader.ui.screens.prompts import TextPrompt
from textual_probes import character_to_key, send_key

SIZE = (100, 30)


def library(db) -> Library:
    Library(db).add_papers(numbered(86, "Paper about topic {i}", id="", abstract="Words."))
    return Library(db)


def burst(app, text: str) -> None:
    """Keys as the terminal gives them: all at once, none waited for."""
    for char in text:
        key = {"\n": "enter"}.get(char) or (char if char.isalnum() else character_to_key(char))
        send_key(app, events.Key(key, None if key == "enter" else char))


def filter_value(app) -> str:
    return app.screen.query_one("#filter", Input).value if isinstance(app.screen, MainScreen) else ""


@pytest.mark.slow
async def test_slash_then_text_at_startup_reach_the_filter(db):
    app = create_app(library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "/qxz")  # `q` is also Quit: it must go to the filter
        await until(pilot, lambda: filter_value(app) == "qxz", "qxz in the filter")
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert app.screen.session.query.text == "qxz"


@pytest.mark.slow
async def test_pressed_at_once_at_startup(db):
    app = create_app(library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "q", "x", "z")
        await until(pilot, lambda: filter_value(app) == "qxz", "qxz in the filter")


@pytest.mark.slow
async def test_a_prompt_opened_by_a_key_gets_the_keys_after_it(db):
    lib = library(db)
    app = create_app(lib, use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        first = app.screen.paper_list.current
        burst(app, "tgood, queue\n")  # t opens the tags prompt; Enter saves
        await until(pilot, lambda: Library(db).get(first.id).tags == ["good", "queue"], "the tags saved")
        await until(pilot, lambda: not isinstance(app.screen, TextPrompt), "the prompt closed")
        assert app.is_running


@pytest.mark.slow
async def test_keys_after_a_filter_go_back_to_the_list(db):
    app = create_app(library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        # Filter, Enter back to the list, then star the second paper shown.
        burst(app, "/topic 1\njs")
        await until(pilot, lambda: sum(p.starred for p in Library(db).papers()) == 1, "a star")
        shown = app.screen.session.rows
        assert [p.title for p in Library(db).papers() if p.starred] == [shown[1].title]
        assert filter_value(app) == "topic 1"
