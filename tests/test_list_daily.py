"""The list and the status line in daily use (issue 12): ★ first kept true,
next/previous unread, the details pane hidden, messages on one line, the
views bar, empty results, and what fits in a small terminal."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from helpers.papers import copies
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app
from reader.ui.screens.triage import TriageScreen
from reader.ui.widgets.paper_list import PaperList
from textual_probes import notifications

SIZE = (100, 30)

PAPERS = [
    Paper(id="", title="Alpha: Reward Models for Reasoning", authors=["Ann Lee"], year=2024, tags=["rlhf"]),
    Paper(id="", title="Beta Policies in the Wild", authors=["Cy Diaz"], year=2021),
    Paper(id="", title="Gamma: A Survey of Verifiers", year=2023),
    Paper(id="", title="Delta Networks", authors=["Di Eng"], year=2019),
    Paper(id="", title="Epsilon Greedy Revisited"),
]


@pytest.fixture
def lib_path(db):
    Library(db).add_papers(copies(PAPERS))
    return db


def make_app(path):
    return create_app(Library(path), use_settings=False)


def starred_flags(app) -> list[bool]:
    return [p.starred for p in app.screen.query_one(PaperList).rows]


def first_words(app) -> list[str]:
    return [p.title.split()[0].rstrip(":") for p in app.screen.query_one(PaperList).rows]


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


# ---------------------------------------------------------------------- bug 2
async def test_starred_first_stays_true_after_starring_lower_down(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("asterisk", "G", "s")
        # Under the cursor nothing jumps: the paper stays where it was starred.
        assert app.screen.query_one(PaperList).current.title.startswith("Epsilon")
        await pilot.press("2", "1")
        assert starred_flags(app) == [True, False, False, False, False]
        assert first_words(app)[0] == "Epsilon"


async def test_starred_first_stays_true_after_starring_in_triage(lib_path):
    app = make_app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("asterisk", "T", "space", "space", "s", "space", "s")
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("escape", "3", "1")
        assert starred_flags(app) == [True, True, False, False, False]
        assert first_words(app)[:2] == ["Gamma", "Epsilon"]
