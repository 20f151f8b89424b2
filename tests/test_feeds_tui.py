"""The app's feed keys through the pilot: F fetches in the background while
the list goes on, 5 shows the new papers, a new paper is seen once the
cursor rests on it, S reaches for you, % the stats."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Sparkline, Static

from helpers.feed_server import FeedServer, Item, Route
from helpers.papers import paper
from helpers.said import said, status_line
from helpers.waiting import until
from reader.core.feed_store import FeedStore
from reader.core.library import Library
from reader.ui.app import create_app
from reader.ui.screens.main import MainScreen
from reader.ui.screens.stats import StatsScreen
from reader.ui.widgets.detail import DetailPane
from reader.ui.widgets.fetch_panel import FetchPanel

SIZE = (110, 32)


@pytest.fixture
def server(monkeypatch):
    with FeedServer() as s:
        monkeypatch.setenv("READER_ARXIV_URL", s.url("/api/query"))
        monkeypatch.setenv("READER_ARXIV_MIN_INTERVAL", "0")
        monkeypatch.setenv("READER_FEED_MIN_INTERVAL", "0")
        yield s


def main_of(app) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


@pytest.mark.slow
async def test_F_fetches_and_5_shows_what_is_new(server, db):
    Library(db).add_papers([paper("Already Here Before")])
    server.routes["/a.atom"] = Route("atom", [Item(f"Atom Entry {i}", link=f"http://a.example/{i}") for i in range(3)])
    server.routes["/api/query?cat:cs.LG"] = Route("arxiv-api", [Item("Category Paper", arxiv_id="2611.00042")])
    store = FeedStore(Library(db).path)
    store.add("lab", server.url("/a.atom"))
    store.add("lg", "arxiv:cs.LG")
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_of(app)
        await pilot.press("F")
        await until(pilot, lambda: "4 new papers from 2 feeds" in said(app), "the fetch's report")
        assert isinstance(app.screen, MainScreen) and screen.session.counts.new == 4
        status = status_line(app)
        assert "4 new" in status
        await pilot.press("5")
        assert screen.session.view == "new"
        assert sorted(p.title for p in screen.session.rows) == [
            "Atom Entry 0", "Atom Entry 1", "Atom Entry 2", "Category Paper"]
        # The cursor rests on the first (the paper it was on is not new): it
        # is seen, and leaves is:new.
        assert screen.paper_list.cursor == 0
        first = screen.current
        assert first is not None
        await until(pilot, lambda: not Library(db).require(first.id).new, "the paper seen")
        assert screen.session.counts.new == 3
        # Triage from there passes the others: seen too.
        await pilot.press("T")
        for _ in range(4):
            await pilot.press("space")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "back to the list")
    assert [p.title for p in Library(db).papers() if p.new] == []
    assert {p.title: p.tags for p in Library(db).papers()}["Category Paper"] == ["feed:lg"]


def held_feed(server, db, path: str = "/slow", titles: tuple[str, ...] = ("Slow Post",)) -> threading.Event:
    """A feed whose server answers only when the test sets the event it returns."""
    hold = threading.Event()
    server.routes[path] = Route("rss2", [Item(t, link=f"http://s.example/{i}") for i, t in enumerate(titles)],
                                hold=hold)
    FeedStore(Library(db).path).add(path.strip("/"), server.url(path))
    return hold


@pytest.mark.slow
async def test_the_list_goes_on_while_feeds_are_fetched(server, db):
    Library(db).add_papers([paper(f"Paper Here {i}") for i in range(3)])
    hold = held_feed(server, db, titles=("Slow Post", "Slower Post"))
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_of(app)
        await pilot.press("F")
        await until(pilot, lambda: server.hits("/slow") == 1, "the request")
        panel = screen.query_one(FetchPanel)
        assert panel.display and "Fetching 1 feed" in str(panel.border_title)
        assert "slow · asking its server" in str(panel.render())
        assert isinstance(app.screen, MainScreen)
        # The list answers while the server has not: moving, starring.
        await pilot.press("j", "j", "k")
        assert screen.paper_list.cursor == 1
        starred = screen.current
        assert starred is not None
        await pilot.press("s")
        assert Library(db).require(starred.id).starred
        assert "1 starred" in status_line(app)
        assert screen.feed_fetch.running and server.hits("/slow") == 1
        hold.set()
        await until(pilot, lambda: "2 new papers from 1 feed" in status_line(app), "the count at the end")
        assert not panel.display
        assert screen.session.counts.total == 5 and screen.session.counts.new == 2
        assert "2 new" in status_line(app)
        assert "New 2" in str(screen.query_one("#views", Static).render())
        assert screen.current is not None and screen.current.id == starred.id  # the cursor stayed
    assert Library(db).require(starred.id).starred


@pytest.mark.slow
async def test_escape_or_F_again_stops_a_fetch_and_the_app_goes_on(server, db):
    Library(db).add_papers([paper("Paper Here")])
    held_feed(server, db)
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_of(app)
        await pilot.press("F")
        await until(pilot, lambda: server.hits("/slow") == 1, "the request")
        await pilot.press("escape")
        await until(pilot, lambda: "0 new papers from 0 feeds (stopped)" in status_line(app), "stopped")
        assert not screen.feed_fetch.running and not screen.query_one(FetchPanel).display
        await pilot.press("F")
        await until(pilot, lambda: server.hits("/slow") == 2, "the second request")
        assert screen.query_one(FetchPanel).display
        await pilot.press("F")
        await until(pilot, lambda: not screen.feed_fetch.running, "stopped again")
        assert "(stopped)" in status_line(app)
        await pilot.press("j")
    assert [p.title for p in Library(db).papers()] == ["Paper Here"]


TOPIC = "protein folding residue contacts backbone"


@pytest.mark.slow
async def test_S_reaches_for_you_and_the_details_say_why(db):
    library = Library(db)
    library.add_papers([
        paper("Bird songs at dawn", abstract="Birds sing in the morning."),
        paper("Residue contacts predict protein folds", abstract=TOPIC),
        paper("Auction design", abstract="Bidders and prices."),
        paper("Starred one: protein folding", abstract=TOPIC),
        paper("Starred two: residue contacts", abstract=TOPIC),
        paper("Starred three: backbone folding", abstract=TOPIC),
    ])
    ids = {p.title: p.id for p in library.papers()}
    library.set_starred([i for t, i in ids.items() if t.startswith("Starred")], True)
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_of(app)
        for _ in range(3):
            await pilot.press("S")
        assert screen.session.sort == "for-you"
        await until(pilot, lambda: screen.session.ranking is not None, "the ranking")
        # the cursor goes to the best paper by itself: the order is read from the top
        await until(pilot, lambda: screen.paper_list.cursor == 0, "the cursor at the top")
        assert screen.current is not None and screen.current.title == "Residue contacts predict protein folds"
        why = str(screen.query_one("#detail-why", Static).render())
        assert why.startswith("close to: Starred")
        assert screen.query_one(DetailPane)


@pytest.mark.slow
async def test_for_you_in_the_app_reads_the_abstracts_from_the_file(db):
    """The app keeps abstracts on disk (as `reader` opens a library): the
    ranking still reads them, so a paper whose topic is only in its abstract
    ranks first."""
    library = Library(db)
    library.add_papers([
        paper("Report north", abstract="Birds sing in the morning along the coast."),
        paper("Report east", abstract=TOPIC),
        paper("Report west", abstract="Bidders and prices in second price auctions."),
        *(paper(f"Starred report {n}", abstract=TOPIC) for n in ("one", "two", "six")),
    ])
    ids = {p.title: p.id for p in library.papers()}
    library.set_starred([i for t, i in ids.items() if t.startswith("Starred")], True)
    app = create_app(Library(db, load_abstracts=False), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_of(app)
        await until(pilot, lambda: screen.session.library.searchable, "the abstracts read")
        for _ in range(3):
            await pilot.press("S")
        assert screen.session.sort == "for-you"

        def ranked_with_abstracts() -> bool:
            ranking = screen.session.ranking
            return ranking is not None and ranking.ordered[0].title == "Report east"

        await until(pilot, ranked_with_abstracts, "Report east first")
        await pilot.press("g")
        await pilot.pause()
        assert screen.current is not None and screen.current.title == "Report east"
        assert str(screen.query_one("#detail-why", Static).render()).startswith("close to: Starred report")


@pytest.mark.slow
async def test_opened_in_the_for_you_order_the_cursor_is_on_the_best_paper(db):
    """The order is a setting: an app opened in it shows the best paper
    under the cursor once the ranking is in, the abstracts (read after the
    first frame) taken into account: its title shares no word with the
    starred papers, its abstract does; newer papers come before it in the
    order they were added."""
    from reader.settings import save_settings

    library = Library(db)
    library.add_papers([paper("Findings from the east", abstract=TOPIC)])
    library.add_papers([*(paper(f"Starred report {n}", abstract=TOPIC) for n in ("one", "two", "six"))])
    library.add_papers([paper(f"Note {n} on birds", abstract="Birds sing at dawn.") for n in range(40)])
    ids = {p.title: p.id for p in library.papers()}
    library.set_starred([i for t, i in ids.items() if t.startswith("Starred")], True)
    save_settings({"sort": "for-you"})
    app = create_app(Library(db, load_abstracts=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = main_of(app)
        assert screen.session.sort == "for-you"

        def on_the_best() -> bool:
            ranking = screen.session.ranking
            return (screen.session.library.searchable and ranking is not None
                    and screen.current is not None and screen.current.title == "Findings from the east")

        await until(pilot, on_the_best, lambda: f"the cursor on the east findings (on {screen.current!r})")
        assert screen.paper_list.cursor == 0


@pytest.mark.slow
async def test_percent_opens_the_stats(db):
    Library(db).add_papers([paper(f"Paper {i}", tags=["feed:lab"]) for i in range(3)])
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("percent_sign")
        await until(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.stats is not None,
                    "the stats")
        stats = app.screen.stats
        assert stats is not None and sum(stats.arrived) == 3 and stats.per_feed == {"feed:lab": stats.arrived}
        await until(pilot, lambda: len(app.screen.query(Sparkline)) >= 5, "the charts")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the list again")


@pytest.mark.slow
async def test_the_app_can_fetch_on_start(server, db):
    from conftest import run_reader

    server.routes["/blog.rss"] = Route("rss2", [Item("Morning Post", link="http://b.example/m")])
    FeedStore(Library(db).path).add("blog", server.url("/blog.rss"))
    assert "fetch-on-start = off" in run_reader("config", db=db).stdout
    result = run_reader("config", "fetch-on-start", "on", db=db)
    assert result.returncode == 0 and "fetch-on-start = on" in result.stdout
    assert run_reader("config", "fetch-on-start", "maybe", db=db).returncode == 1
    app = create_app(Library(db))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "1 new paper from 1 feed" in said(app), "the fetch on start")
    assert [(p.title, p.tags) for p in Library(db).papers()] == [("Morning Post", ["feed:blog"])]
