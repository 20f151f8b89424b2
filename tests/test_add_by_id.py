"""Adding papers by their ids: arXiv through the arXiv stand-in, DOIs through
a Crossref stand-in, both on 127.0.0.1; the real command line in a subprocess."""

from __future__ import annotations

import json

import pytest

from arxiv_fake import ATTENTION, QUTF, start_server, stop_server
from conftest import run_reader
from http_fake import Route, crossref_work, start_web, stop_web
from reader.core.add_works import add_works
from reader.core.crossref import CrossrefClient, user_agent, work_paper
from reader.core.ids import find_work_id
from reader.core.library import Library
from reader.core.pace import Pacer

DOI = "10.5555/invented.2021.042"
TITLE = "Counting Sheep with Transformers: A Made-Up Study"


@pytest.fixture(autouse=True)
def _local(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("READER_ARXIV_MIN_INTERVAL", "0")
    monkeypatch.setenv("READER_CROSSREF_MIN_INTERVAL", "0")
    monkeypatch.setenv("READER_ARXIV_TIMEOUT", "5")


@pytest.fixture
def arxiv(monkeypatch):
    server, fake = start_server()
    monkeypatch.setenv("READER_ARXIV_URL", fake.url)
    yield fake
    stop_server(server)


@pytest.fixture
def web(monkeypatch):
    server, web = start_web()
    monkeypatch.setenv("READER_CROSSREF_URL", web.base)
    yield web
    stop_web(server)


def env(arxiv=None, web=None, **more: str) -> dict[str, str]:
    out = {"READER_ARXIV_MIN_INTERVAL": "0", "READER_CROSSREF_MIN_INTERVAL": "0", **more}
    if arxiv is not None:
        out["READER_ARXIV_URL"] = arxiv.url
    if web is not None:
        out["READER_CROSSREF_URL"] = web.base
    return out


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("https://arxiv.org/html/2311.07777v4", "arxiv", "2311.07777"),
        ("arxiv.org/pdf/2311.07777v2.pdf", "arxiv", "2311.07777"),
        ("https://dl.acm.org/doi/10.1145/3290605.3300857", "doi", "10.1145/3290605.3300857"),
        ("https://link.example.com/article/10.1007/s10994-021-05961-4/fulltext", "doi", "10.1007/s10994-021-05961-4"),
        ("https://journals.example.org/view?doi=10.1000%2Fabc.1", "doi", "10.1000/abc.1"),
    ],
)
def test_an_id_is_found_inside_a_web_address(text, kind, value):
    found = find_work_id(text)
    assert found is not None and (found.kind, found.value) == (kind, value)


def test_a_page_without_an_id_is_not_one():
    assert find_work_id("https://www.example.org/articles/some-paper") is None
    assert find_work_id("notes about 10.1000 things") is None


def test_a_crossref_work_becomes_a_paper_with_venue_volume_issue_pages_publisher():
    paper = work_paper(crossref_work(DOI, TITLE)["message"])
    assert paper.title == TITLE and paper.doi == DOI and paper.year == 2021
    assert [a.family for a in paper.authors] == ["Example", "Sample"]
    assert paper.venue == "Journal of Invented Results" and paper.entry_type == "article"
    assert paper.extra == {"volume": "12", "number": "3", "pages": "101-117", "publisher": "Placeholder Press"}
    assert paper.abstract == "An abstract written for this test."
    assert paper.pdf_url == "https://example.org/open.pdf"


def test_a_hostile_crossref_work_gives_clean_text_or_nothing():
    message = crossref_work(DOI, "Title\x1b[31m red", author=[{"family": {"x": 1}}, "nope", {"name": "ACME"}],
                            issued={"date-parts": [["soon"]]}, volume=["7", 8], link="x")["message"]
    paper = work_paper(message)
    assert "\x1b" not in paper.title and paper.year is None
    assert [a.literal for a in paper.authors] == ["ACME"] and paper.extra["volume"] == "7"
    assert paper.pdf_url == ""


def test_crossref_is_asked_with_a_mailto_in_the_user_agent(web, monkeypatch):
    monkeypatch.setenv("READER_MAILTO", "someone@example.org")
    web.json(f"/works/{DOI}", crossref_work(DOI, TITLE))
    with CrossrefClient(pacer=Pacer(0)) as client:
        assert client.work(DOI).title == TITLE
    assert "mailto:someone@example.org" in web.seen[-1].headers["User-Agent"]
    assert "mailto" in user_agent()


@pytest.mark.slow
def test_add_by_doi_and_arxiv_id_on_the_command_line(db, arxiv, web):
    web.json(f"/works/{DOI}", crossref_work(DOI, TITLE))
    result = run_reader("add", f"https://doi.org/{DOI}", "https://arxiv.org/abs/2311.07777v4",
                        db=db, env=env(arxiv, web))
    assert result.returncode == 0, result.stderr
    assert "added " in result.stdout and TITLE in result.stdout and QUTF.title in result.stdout
    papers = {p.doi or p.arxiv_id: p for p in Library(db).papers()}
    counted = papers[DOI]
    assert counted.extra["pages"] == "101-117" and counted.venue == "Journal of Invented Results"
    assert not counted.read
    qutf = papers["10.1234/qutf.2023.001"]
    assert qutf.arxiv_id == "2311.07777" and qutf.pdf_url == "https://arxiv.org/pdf/2311.07777"
    # Asked again: found, not copied, and nothing is looked up.
    asked = len(web.seen)
    again = run_reader("add", DOI.upper(), "2311.07777", db=db, env=env(arxiv, web))
    assert again.returncode == 0 and again.stdout.count("already here") == 2
    assert len(web.seen) == asked and len(Library(db)) == 2


@pytest.mark.slow
def test_an_unknown_doi_or_arxiv_id_is_one_line_and_adds_nothing_else_wrong(db, arxiv, web):
    web.json(f"/works/{DOI}", crossref_work(DOI, TITLE))
    result = run_reader("add", "10.5555/nothing.here", "2501.99999", DOI, "hello",
                        db=db, env=env(arxiv, web))
    assert result.returncode == 1
    assert "not found: 10.5555/nothing.here (Crossref has no work 10.5555/nothing.here)" in result.stderr
    assert "not found: 2501.99999 (arXiv has no work 2501.99999)" in result.stderr
    assert "not an id: hello" in result.stderr and "Traceback" not in result.stderr
    assert [p.doi for p in Library(db).papers()] == [DOI]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("route", "line"),
    [
        (Route(b"{}", 429, headers={"Retry-After": "30"}),
         "Crossref answered HTTP 429 Too Many Requests (busy: try again in 30 s)"),
        (Route(b"<html>not json", 200), "Crossref's reply could not be read (not JSON)"),
        (Route(b'{"status": "ok", "message": [1, 2]}', 200), "Crossref's reply could not be read (no work in it)"),
        (Route(b"{}", 500), "Crossref answered HTTP 500 Internal Server Error"),
        (Route(json.dumps(crossref_work(DOI, TITLE)).encode(), delay=3), "did not answer within 1 s"),
    ],
)
def test_a_refusing_crossref_is_one_line_and_changes_nothing(db, arxiv, web, route, line):
    Library(db).add_papers([QUTF_PAPER()])
    before = db.read_bytes()
    web.routes[f"/works/{DOI}"] = route
    result = run_reader("add", "2311.07777", DOI, db=db,
                        env=env(arxiv, web, READER_ARXIV_TIMEOUT="1"))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("reader: error: ")
    assert line in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_no_network_is_one_line(db):
    result = run_reader("add", DOI, db=db, env={"READER_CROSSREF_URL": "http://127.0.0.1:9"})
    assert result.returncode == 1 and "no network: cannot connect to 127.0.0.1:9" in result.stderr


def test_add_works_in_process_keeps_order_and_reports(db, arxiv, web):
    library = Library(db)
    report = add_works(library, ["1706.03762", "1706.03762v3", "x"])
    assert [o.status for o in report.outcomes] == ["not an id", "added"]
    assert report.first == library.papers()[0].id and library.papers()[0].title == ATTENTION.title


def QUTF_PAPER():  # noqa: N802 - a paper like a constant
    from reader.core.models import Paper

    return Paper(id="", title="Something already here", doi="10.9999/already")
