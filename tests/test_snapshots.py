"""How the app looks: SVG snapshots (pytest-textual-snapshot).

Review changes with `pytest tests/test_snapshots.py --snapshot-report` and
accept them with `--snapshot-update`. The main-screen snapshot is also the
screenshot in the README.
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from conftest import FIXTURES
from helpers.waiting import settle, settled, until
from reader.core.importers import parse, read_text
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app
from reader.ui.launch import demo_papers


@pytest.fixture
def trending_library(db):
    """A trending-papers page of our own, imported as a user would, plus the
    demo papers with their stars, tags and notes."""
    library = Library(db)
    library.add_papers(parse(read_text(FIXTURES / "trending.txt")).papers)
    library.add_papers(demo_papers())
    return db


def app_for(path):
    return create_app(Library(path), use_settings=False)


THEMES = ["textual-dark", "textual-light"]


def in_theme(theme):
    async def set_theme(pilot):
        pilot.app.theme = theme
        await pilot.pause()

    return set_theme


@pytest.mark.slow
def test_main_screen(snap_compare, trending_library):
    assert snap_compare(app_for(trending_library), run_before=settle("j", "j"), terminal_size=(110, 32))


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_main_screen_in_theme(snap_compare, trending_library, theme):
    """Read titles recede, unread ones stand out, all readable, dark or light."""
    library = Library(trending_library)
    library.change([p.id for p in library.papers()[1:6:2]], lambda paper: setattr(paper, "read", True))

    assert snap_compare(app_for(trending_library), run_before=settle("j", first=in_theme(theme)),
                        terminal_size=(120, 30))


@pytest.mark.slow
def test_main_screen_narrow(snap_compare, trending_library):
    assert snap_compare(app_for(trending_library), run_before=settle(), terminal_size=(80, 24))


@pytest.mark.slow
def test_triage(snap_compare, trending_library):
    assert snap_compare(app_for(trending_library), run_before=settle("T", "s", "space"), terminal_size=(100, 30))


@pytest.mark.slow
def test_help_screen(snap_compare, trending_library):
    assert snap_compare(app_for(trending_library), run_before=settle("question_mark"), terminal_size=(100, 40))


def test_empty_library(snap_compare, db):
    assert snap_compare(app_for(db), run_before=settle(), terminal_size=(100, 30))


@pytest.mark.slow
def test_title_with_markup(snap_compare, db):
    Library(db).add_papers(
        [
            Paper(id="", title="[Re] Attention [bold]is[/bold] all [/] you [link=https://x.invalid]need[/link]",
                  authors=["Ann [red]Lee[/red]"], year=2024,
                  abstract="Literal [b]markup[/b], an escape \x1b[31m, and $\\alpha$ math.",
                  tags=["[tag]"], notes="[/notes]"),
            Paper(id="", title="A plain title"),
        ]
    )
    assert snap_compare(app_for(db), run_before=settle(), terminal_size=(100, 24))


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_small_terminal_in_theme(snap_compare, trending_library, theme):
    """60×15: whole words in the status line and the keys, Help and Quit kept."""
    assert snap_compare(app_for(trending_library), run_before=settle("J", "J", "s", first=in_theme(theme)),
                        terminal_size=(60, 15))


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_no_match_in_theme(snap_compare, trending_library, theme):
    """An empty result says why and how to leave it; the views count what the filter lets through."""
    assert snap_compare(app_for(trending_library), run_before=settle("slash", *"zebra", "enter", first=in_theme(theme)),
                        terminal_size=(80, 24))


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_details_hidden_in_theme(snap_compare, trending_library, theme):
    """z: the list takes the whole width; authors, tags and notes marks where papers have them."""
    assert snap_compare(app_for(trending_library), run_before=settle("z", "G", first=in_theme(theme)),
                        terminal_size=(120, 30))


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_filter_words_marked(snap_compare, trending_library, theme):
    """The filter's words marked in the titles and the details, dark or light."""

    async def typed(pilot):
        await settle("slash", *"reward model", "enter", first=in_theme(theme))(pilot)
        body = pilot.app.screen.query_one("#detail-body", Static).render()
        assert any("underline" in str(span.style) for span in body.spans), "the words marked in the details"

    assert snap_compare(app_for(trending_library), run_before=typed, terminal_size=(120, 30))


@pytest.mark.slow
@pytest.mark.parametrize("theme", THEMES)
def test_tag_list(snap_compare, trending_library, theme):
    """#: the tags with their counts."""
    assert snap_compare(app_for(trending_library), run_before=settle("number_sign", first=in_theme(theme)),
                        terminal_size=(80, 24))


def test_fetch_under_way(snap_compare, trending_library):
    """F: the fetch goes on under the list, a line per feed, the list still in reach."""
    import threading

    from helpers.feed_server import FeedServer, Item, Route
    from reader.core.feed_store import FeedStore
    from reader.ui.widgets.fetch_panel import FetchPanel

    with FeedServer() as server:
        server.routes["/lab"] = Route("atom", [Item("Held Entry", link="http://lab.example/1")],
                                      hold=threading.Event())
        store = FeedStore(Library(trending_library).path)
        store.add("lab", server.url("/lab"))
        store.add("blog", server.url("/blog"))

        async def fetching(pilot):
            await pilot.press("F", "j")
            panel = pilot.app.screen.query_one(FetchPanel)
            await until(pilot, lambda: server.hits("/lab") == 1 and "asking" in str(panel.render()), "the request")
            await until(pilot, lambda: settled(pilot.app), "a settled app")

        assert snap_compare(app_for(trending_library), run_before=fetching, terminal_size=(110, 32))
