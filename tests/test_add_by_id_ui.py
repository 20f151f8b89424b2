"""`a` in the app (and ids typed at `i`): the paper is looked up on the
stand-in servers, lands unread under the cursor, with a notification."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from arxiv_fake import ATTENTION, QUTF, start_server, stop_server
from helpers.said import said
from helpers.waiting import until
from http_fake import Route, crossref_work, start_web, stop_web
from reader.core.library import Library
from reader.core.models import Paper
from reader.ui.app import create_app
from textual_probes import notifications

DOI = "10.5555/invented.2021.042"
TITLE = "Counting Sheep with Transformers: A Made-Up Study"


@pytest.fixture(autouse=True)
def _servers(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("READER_ARXIV_MIN_INTERVAL", "0")
    monkeypatch.setenv("READER_CROSSREF_MIN_INTERVAL", "0")
    server, fake = start_server()
    web_server, web = start_web()
    monkeypatch.setenv("READER_ARXIV_URL", fake.url)
    monkeypatch.setenv("READER_CROSSREF_URL", web.base)
    web.json(f"/works/{DOI}", crossref_work(DOI, TITLE))
    yield web
    stop_server(server)
    stop_web(web_server)


def library_at(db) -> Library:
    library = Library(db)
    library.add_papers([Paper(id="", title="Something to read first", year=2020),
                        Paper(id="", title="Another paper here", year=2019)])
    return library


async def type_in_prompt(app, pilot, text: str) -> None:
    await until(pilot, lambda: isinstance(app.focused, Input), "the prompt")
    app.focused.value = text  # as a paste would put it
    await pilot.press("enter")


@pytest.mark.slow
async def test_a_adds_an_arxiv_link_and_goes_to_it(db):
    app = create_app(library_at(db), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await type_in_prompt(app, pilot, f"https://arxiv.org/abs/{QUTF.arxiv_id}v4")
        screen = app.screen
        await until(pilot, lambda: screen.current is not None and screen.current.title == QUTF.title, "the new paper")
        assert not screen.current.read
        await until(pilot, lambda: "added" in said(app) and QUTF.title in said(app), "the news")
        # Asked again: the cursor goes to it, no copy is made.
        await pilot.press("g")
        await pilot.press("a")
        await type_in_prompt(app, pilot, QUTF.arxiv_id)
        await until(pilot, lambda: "already here" in said(app), "found")
        await until(pilot, lambda: screen.current.title == QUTF.title, "the cursor on it")
    assert len(Library(db)) == 3


@pytest.mark.slow
async def test_a_with_a_doi_and_i_with_an_arxiv_id(db):
    app = create_app(library_at(db), use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.press("a")
        await type_in_prompt(app, pilot, f"https://doi.org/{DOI}")
        await until(pilot, lambda: screen.current is not None and screen.current.title == TITLE, "the DOI's paper")
        await pilot.press("i")
        await type_in_prompt(app, pilot, f"arXiv:{ATTENTION.arxiv_id}")
        await until(pilot, lambda: screen.current.title == ATTENTION.title, "the arXiv paper")
    stored = {p.title: p for p in Library(db).papers()}
    assert stored[TITLE].extra["volume"] == "12" and stored[ATTENTION.title].arxiv_id == ATTENTION.arxiv_id


@pytest.mark.slow
async def test_a_refused_look_up_is_one_error_line_and_changes_nothing(db, _servers):
    _servers.routes[f"/works/{DOI}"] = Route(b"{}", 429, headers={"Retry-After": "12"})
    app = create_app(library_at(db), use_settings=False)
    before = db.read_bytes()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await type_in_prompt(app, pilot, DOI)
        await until(pilot, lambda: any(n.severity == "error" for n in notifications(app)), "the error")
        error = next(n for n in notifications(app) if n.severity == "error")
        assert "HTTP 429" in error.message and "try again in 12 s" in error.message
    assert db.read_bytes() == before
