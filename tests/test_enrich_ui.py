"""The arXiv look-up screen, driven by Textual's pilot against the stand-in server."""

from __future__ import annotations

import time

import pytest
from rich.text import Text
from textual.widgets import ProgressBar, Static

from arxiv_fake import Entry, Reply, start_server, stop_server
from helpers.papers import paper
from reader.core.arxiv_api import ArxivClient, Pacer
from reader.core.enrich import EnrichReport
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app
from reader.ui.screens.enrich import EnrichScreen

QUTF_TITLE = "QUTF: Quality Updates from Unit Test Feedback"
MOLGEN_TITLE = (
    "MolGen$^{RL}$: Designing porous catalysts from spectroscopic data via reinforcement learning"
)
NEAR_MISS_TITLE = (
    "Bringing the Critic Back in RL: Better Test-Time Search by Joining LLM Planners With Checkers"
)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def fake():
    server, fake = start_server()
    yield fake
    stop_server(server)


def library_with(db, *titles: str) -> tuple[Library, list[str]]:
    library = Library(db)
    added = library.add_papers([paper(t, abstract="From a trending page.") for t in titles])
    return library, added.added


class Outcome:
    """What the screen was dismissed with, and the papers it said changed."""

    def __init__(self) -> None:
        self.report: EnrichReport | None = None
        self.changed: list[str] = []

    def done(self, report: EnrichReport | None) -> None:
        self.report = report

    def looked_up(self, message: object) -> None:
        """A message hook: the papers the screen told the app it changed."""
        if isinstance(message, EnrichScreen.PaperChanged):
            self.changed.append(message.pid)

    async def wait(self, pilot, seconds: float = 60.0) -> EnrichReport:
        deadline = time.monotonic() + seconds
        while self.report is None and time.monotonic() < deadline:
            await pilot.pause(0.02)
        assert self.report is not None, "the screen was not dismissed"
        return self.report


def text_of(static: Static) -> str:
    content = static.content
    return content.plain if isinstance(content, Text) else str(content)


@pytest.mark.slow
async def test_the_screen_fills_papers_one_by_one(fake, db, monkeypatch):
    monkeypatch.setenv("READER_ARXIV_URL", fake.url)  # the default client, on our server
    monkeypatch.setenv("READER_ARXIV_MIN_INTERVAL", "0")
    library, pids = library_with(db, QUTF_TITLE, MOLGEN_TITLE, NEAR_MISS_TITLE)
    library.set_starred(["qutf"], True)
    app = create_app(library, use_settings=False)
    outcome = Outcome()
    async with app.run_test(size=(100, 30), message_hook=outcome.looked_up) as pilot:
        screen = EnrichScreen(library, library.papers())
        assert screen.total == 3
        app.push_screen(screen, outcome.done)
        report = await outcome.wait(pilot)
        assert app.screen is not screen  # closed by itself when done
    assert sorted(a for _, a in report.found) == ["1909.07777", "2311.07777"]
    assert len(report.not_found) == 1 and report.not_found[0][1].startswith("no title match")
    assert not report.cancelled and report.error is None
    assert sorted(outcome.changed) == sorted(pid for pid, _ in report.found)
    stored = Library(db)
    assert stored.require("qutf").arxiv_id == "2311.07777" and stored.require("qutf").starred
    near = next(p for p in stored.papers() if p.title == NEAR_MISS_TITLE)
    assert near.arxiv_id == "" and near.authors == []


@pytest.mark.slow
async def test_progress_shows_and_escape_cancels(fake, db):
    library, pids = library_with(db, QUTF_TITLE, MOLGEN_TITLE)
    # The second request waits 30 s for the pace (the real clock): long
    # enough to look at the screen mid-way and press Esc.
    pacer = Pacer(30.0)
    app = create_app(library, use_settings=False)
    outcome = Outcome()
    async with app.run_test(size=(100, 30), message_hook=outcome.looked_up) as pilot:
        screen = EnrichScreen(
            library, library.papers(),
            client_factory=lambda: ArxivClient(fake.url, timeout=2, pacer=pacer),
        )
        app.push_screen(screen, outcome.done)
        deadline = time.monotonic() + 60
        while screen.report.done < 1 and time.monotonic() < deadline:
            await pilot.pause(0.02)
        await pilot.pause(0.05)
        counts = text_of(screen.query_one("#enrich-counts", Static))
        assert counts == "1 of 2 · found 1 · not found 0"
        assert screen.query_one(ProgressBar).progress == 1
        assert text_of(screen.query_one("#enrich-last", Static)).startswith("found arXiv:")
        await pilot.press("escape")
        # Closed while the pace still held the second request back.
        report = await outcome.wait(pilot, 60)
        assert app.screen is not screen
        await pilot.pause(0.3)  # the worker sees the stop within a tenth of a second
    assert report.cancelled and report.done == 1 and len(report.found) == 1
    assert len(fake.requests) == 1
    stored = Library(db)
    enriched = [p for p in stored.papers() if p.arxiv_id]
    assert [p.id for p in enriched] == outcome.changed and len(enriched) == 1


@pytest.mark.slow
async def test_an_error_closes_the_screen_and_the_app_keeps_running(fake, db):
    fake.script = lambda params: Reply("down for maintenance", status=503, content_type="text/plain")
    library, _ = library_with(db, QUTF_TITLE)
    before = db.read_bytes()
    app = create_app(library, use_settings=False)
    outcome = Outcome()
    async with app.run_test(size=(100, 30), message_hook=outcome.looked_up) as pilot:
        app.push_screen(
            EnrichScreen(
                library, library.papers(),
                client_factory=lambda: ArxivClient(fake.url, timeout=2, pacer=Pacer(0)),
            ),
            outcome.done,
        )
        report = await outcome.wait(pilot)
        await pilot.press("j")  # still running, still answering keys
        assert app.is_running
    assert report.error is not None and report.error.kind == "http"
    assert report.message().startswith("arXiv look-up stopped: arXiv answered HTTP 503")
    assert outcome.changed == [] and db.read_bytes() == before


@pytest.mark.slow
async def test_titles_are_shown_literally(fake, db):
    title = "[bold]Bracketed[/bold] Results"
    fake.catalogue.append(Entry("2402.00002", title, ["Ann Other"], "2024-02-01T00:00:00Z"))
    library, _ = library_with(db, title, QUTF_TITLE)
    app = create_app(library, use_settings=False)
    outcome = Outcome()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = EnrichScreen(
            library, library.papers(),
            client_factory=lambda: ArxivClient(fake.url, timeout=2, pacer=Pacer(30.0)),
        )
        app.push_screen(screen, outcome.done)
        deadline = time.monotonic() + 60
        while screen.report.done < 1 and time.monotonic() < deadline:
            await pilot.pause(0.02)
        await pilot.pause(0.05)
        shown = text_of(screen.query_one("#enrich-last", Static))
        assert shown == f"found arXiv:2402.00002 · {title}"
        await pilot.press("escape")
        await outcome.wait(pilot, 2)


@pytest.mark.slow
async def test_nothing_to_look_up_closes_at_once(fake, db):
    library = Library(db)
    library.add_papers([Paper(id="", title="Done", authors=["A B"], year=2020, arxiv_id="2001.00001")])
    app = create_app(library, use_settings=False)
    outcome = Outcome()
    async with app.run_test(size=(100, 30), message_hook=outcome.looked_up) as pilot:
        app.push_screen(
            EnrichScreen(library, library.papers(), client_factory=lambda: ArxivClient(fake.url, pacer=Pacer(0))),
            outcome.done,
        )
        report = await outcome.wait(pilot)
    assert report.total == 0 and fake.requests == []
    assert report.message().startswith("Nothing to look up")


@pytest.mark.slow
async def test_e_and_E_in_the_main_screen(fake, db, monkeypatch):
    """`e` looks up the paper under the cursor; `E` every paper in the view."""
    from reader.ui.widgets.paper_list import PaperList

    monkeypatch.setenv("READER_ARXIV_URL", fake.url)
    monkeypatch.setenv("READER_ARXIV_MIN_INTERVAL", "0")
    library, pids = library_with(db, QUTF_TITLE, MOLGEN_TITLE)
    app = create_app(Library(db), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        plist = app.screen.query_one(PaperList)
        assert plist.current.title == QUTF_TITLE
        await pilot.press("e")
        deadline = time.monotonic() + 60
        while not Library(db).require("qutf").arxiv_id and time.monotonic() < deadline:
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert Library(db).require("qutf").arxiv_id == "2311.07777"
        assert not any(p.arxiv_id for p in Library(db).papers() if p.id != "qutf")
        assert "2311.07777" in str(app.screen.query_one("#detail-body", Static).render())
        await pilot.press("E")
        deadline = time.monotonic() + 60
        while not all(p.arxiv_id for p in Library(db).papers()) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
    assert all(p.arxiv_id for p in Library(db).papers())
