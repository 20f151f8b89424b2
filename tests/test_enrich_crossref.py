"""Enrichment learns Crossref: venue details for papers with a DOI, and a
strict title look-up for papers arXiv did not find; against a Crossref
stand-in on 127.0.0.1."""

from __future__ import annotations

import pytest

from conftest import run_reader
from http_fake import Route, crossref_work, start_web, stop_web
from reader.core.crossref import CrossrefClient
from reader.core.enrich import EnrichReport
from reader.core.enrich_crossref import enrich_crossref, same_work
from reader.core.library import Library
from reader.core.models import Paper
from reader.core.pace import Pacer

DOI = "10.5555/invented.2021.042"
TITLE = "Counting Sheep with Transformers: A Made-Up Study"


@pytest.fixture
def web(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server, web = start_web()
    yield web
    stop_web(server)


def run(db, web, report: EnrichReport | None = None) -> tuple[Library, EnrichReport]:
    library = Library(db)
    report = report or EnrichReport()
    with CrossrefClient(web.base, timeout=2, pacer=Pacer(0)) as client:
        enrich_crossref(library, [p.id for p in library.papers()], client, report)
    return Library(db), report


def test_a_paper_with_a_doi_gets_venue_volume_issue_pages_publisher(db, web):
    web.json(f"/works/{DOI}", crossref_work(DOI, TITLE))
    Library(db).add_papers([Paper(id="", title=TITLE, doi=DOI, year=2021, tags=["mine"])])
    library, report = run(db, web)
    paper = library.papers()[0]
    assert paper.venue == "Journal of Invented Results"
    assert {k: paper.extra[k] for k in ("volume", "number", "pages", "publisher")} == {
        "volume": "12", "number": "3", "pages": "101-117", "publisher": "Placeholder Press"}
    assert paper.tags == ["mine"] and report.crossref == [paper.id]
    asked = len(web.seen)
    run(db, web)
    assert len(web.seen) == asked  # complete now: not asked again


def test_a_title_is_taken_only_when_title_author_and_year_agree():
    work = Paper(id="", title=TITLE, year=2021, authors=["Ada Example"], doi=DOI)
    assert same_work(Paper(id="", title="counting sheep with transformers a made up study"), work)
    assert same_work(Paper(id="", title=TITLE, year=2021, authors=["A. Example"]), work)
    assert not same_work(Paper(id="", title=TITLE, year=2020), work)
    assert not same_work(Paper(id="", title=TITLE, authors=["Someone Else"]), work)
    assert not same_work(Paper(id="", title=TITLE + " Again"), work)


def test_a_paper_arxiv_did_not_find_is_found_by_title_on_crossref(db, web):
    works = {"status": "ok", "message": {"items": [
        crossref_work("10.5555/other", "Counting Sheep with Transformers")["message"],
        crossref_work(DOI, TITLE)["message"],
    ]}}
    web.json("/works", works)
    Library(db).add_papers([Paper(id="", title=TITLE, year=2021), Paper(id="", title="Nowhere To Be Seen")])
    pids = {p.title: p.id for p in Library(db).papers()}
    report = EnrichReport(not_found=[(pid, "no results for this title") for pid in pids.values()])
    library, report = run(db, web, report)
    found = library.require(pids[TITLE])
    assert found.doi == DOI and found.venue == "Journal of Invented Results"
    assert [a.family for a in found.authors] == ["Example", "Sample"]
    assert report.found == [(pids[TITLE], f"doi:{DOI}")]
    assert [pid for pid, _ in report.not_found] == [pids["Nowhere To Be Seen"]]
    assert not library.require(pids["Nowhere To Be Seen"]).doi


def test_a_crossref_error_is_kept_and_what_arxiv_filled_stays(db, web):
    web.routes[f"/works/{DOI}"] = Route(b"{}", 429, headers={"Retry-After": "5"})
    Library(db).add_papers([Paper(id="", title=TITLE, doi=DOI)])
    before = db.read_bytes()
    _, report = run(db, web)
    assert "HTTP 429" in report.crossref_error and "try again in 5 s" in report.crossref_error
    assert db.read_bytes() == before


def test_reader_enrich_says_when_crossref_could_not_be_asked(db, web):
    web.routes[f"/works/{DOI}"] = Route(b"not json", 200)
    Library(db).add_papers([Paper(id="", title=TITLE, doi=DOI, arxiv_id="2311.07777", year=2021,
                                  authors=["Ada Example"])])
    result = run_reader("enrich", db=db, env={"READER_CROSSREF_URL": web.base,
                                              "READER_CROSSREF_MIN_INTERVAL": "0"})
    assert result.returncode == 0
    assert result.stdout.startswith("enriched 0, not found 0, already complete 1")
    assert "reader: Crossref not asked: Crossref's reply could not be read (not JSON)" in result.stderr
