"""Enrichment from the arXiv API, against a stand-in server on 127.0.0.1.

The real client (httpx) talks to `arxiv_fake`, which answers with Atom feeds
in arXiv's format written for these tests. The pace is tested on a fake
clock: nothing here sleeps for real, and nothing reaches the internet.
"""

from __future__ import annotations

from itertools import pairwise

import bibtexparser
import pytest

from arxiv_fake import (
    ATTENTION,
    MOLGEN,
    MOLGEN_COVID,
    QUTF,
    FakeClock,
    Reply,
    feed,
    start_server,
    stop_server,
)
from conftest import run_reader
from helpers.papers import paper
from helpers.terminal import run_on_terminal
from reader.core.arxiv_api import (
    ARXIV_INTERVAL,
    MIN_INTERVAL,
    USER_AGENT,
    ArxivClient,
    Cancelled,
    EnrichError,
    Pacer,
    arxiv_api_url,
    min_interval,
    title_query,
)
from reader.core.citation import cite
from reader.core.enrich import EnrichReport, enrich, match_title
from reader.core.library import Library
from reader.core.models import Paper

QUTF_TITLE = "QUTF: Quality Updates from Unit Test Feedback"
MOLGEN_TITLE = (
    "MolGen$^{RL}$: Designing porous catalysts from spectroscopic data via reinforcement learning"
)
NEAR_MISS_TITLE = (
    "Bringing the Critic Back in RL: Better Test-Time Search by Joining LLM Planners With Checkers"
)
NOWHERE_TITLE = "A Paper That arXiv Has Never Heard Of"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """Requests to the stand-in server must not go through a proxy."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("READER_ARXIV_TIMEOUT", raising=False)
    monkeypatch.delenv("READER_ARXIV_MIN_INTERVAL", raising=False)


@pytest.fixture
def fake():
    server, fake = start_server()
    yield fake
    stop_server(server)


@pytest.fixture
def client(fake):
    with ArxivClient(fake.url, timeout=0.5, pacer=Pacer(0)) as client:
        yield client


def make_library(db, *papers: Paper) -> tuple[Library, list[str]]:
    library = Library(db)
    result = library.add_papers(list(papers))
    return library, result.added


def trending(title: str) -> Paper:
    return paper(title, abstract="An abstract copied from a trending page.")


# ---------------------------------------------------------------- pure parts
def test_title_query_leaves_out_query_syntax():
    assert title_query(QUTF_TITLE) == 'ti:"QUTF Quality Updates from Unit Test Feedback"'
    assert title_query(MOLGEN_TITLE).startswith('ti:"MolGen RL Designing porous')
    assert title_query('A "quoted" (title) [x]: AND-OR') == 'ti:"A quoted title x AND OR"'
    assert title_query("Über-Modelle: ein Test") == 'ti:"Über Modelle ein Test"'
    assert title_query("") == title_query(" ()$ ") == ""


def test_a_title_matches_only_under_normalisation():
    plain = Paper(
        id="", arxiv_id="1909.07777",
        title="MolGen^RL:  designing POROUS catalysts from spectroscopic data via reinforcement learning",
    )
    found, why = match_title(MOLGEN_TITLE, [plain])
    assert found is plain and why == ""
    longer = Paper(id="", title=MOLGEN_TITLE + " and Beyond", arxiv_id="1909.00001")
    found, why = match_title(MOLGEN_TITLE, [longer])
    assert found is None and why.startswith("no title match")
    assert match_title(MOLGEN_TITLE, []) == (None, "no results for this title")
    no_id = Paper(id="", title=QUTF_TITLE)  # an entry without an id is no paper to fill from
    assert match_title(QUTF_TITLE, [no_id])[0] is None
    twins = [Paper(id="", title=QUTF_TITLE, arxiv_id=i) for i in ("1111.1111", "2222.2222")]
    found, why = match_title(QUTF_TITLE, twins)
    assert found is None and "several arXiv papers" in why


def test_the_address_is_read_when_used(monkeypatch):
    monkeypatch.setenv("READER_ARXIV_URL", "http://mirror.example/api/query")
    assert arxiv_api_url() == "http://mirror.example/api/query"
    monkeypatch.delenv("READER_ARXIV_URL")
    assert arxiv_api_url() == "https://export.arxiv.org/api/query"
    monkeypatch.setenv("READER_ARXIV_URL", "ftp://example/x")
    with pytest.raises(EnrichError) as error:
        arxiv_api_url()
    assert error.value.kind == "setting"


def test_the_pace_cannot_go_below_three_seconds_for_arxiv(monkeypatch):
    assert min_interval("https://export.arxiv.org/api/query") == ARXIV_INTERVAL > MIN_INTERVAL == 3.0
    monkeypatch.setenv("READER_ARXIV_MIN_INTERVAL", "0")
    for url in (
        "https://export.arxiv.org/api/query",
        "https://export.arxiv.org./api/query",  # a trailing dot: the same host
        "https://EXPORT.arXiv.ORG../api/query",
        "http://user@arxiv.org:8080/api/query",
    ):
        assert min_interval(url) == ARXIV_INTERVAL, url
    assert min_interval("https://notarxiv.org/api/query") == 0.0
    assert min_interval("http://127.0.0.1:8000/api/query") == 0.0
    monkeypatch.setenv("READER_ARXIV_MIN_INTERVAL", "soon")
    with pytest.raises(EnrichError):
        min_interval("http://127.0.0.1:8000/api/query")


# ---------------------------------------------------------------- the pace
def test_pacer_keeps_three_seconds_between_request_starts():
    clock = FakeClock()
    pacer = Pacer(3.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(3):
        pacer.run(lambda: starts.append(clock()))
    assert starts == [1000.0, 1003.0, 1006.0]
    assert all(0 < s <= pacer.step + 1e-9 for s in clock.sleeps)  # small steps: stoppable
    clock.now += 10  # time passes by itself: no waiting then
    before = len(clock.sleeps)
    pacer.run(lambda: starts.append(clock()))
    assert len(clock.sleeps) == before and starts[-1] == 1016.0
    clock.now += 1.25  # a request that took 1.25 s counts towards the pace
    pacer.run(lambda: starts.append(clock()))
    assert starts[-1] - starts[-2] == pytest.approx(3.0)


def test_pacer_wait_stops_when_asked():
    clock = FakeClock()
    pacer = Pacer(3.0, clock=clock, sleep=clock.sleep)
    pacer.run(lambda: None)
    with pytest.raises(Cancelled):
        pacer.run(lambda: pytest.fail("must not run"), should_stop=lambda: len(clock.sleeps) >= 2)
    assert len(clock.sleeps) == 2


def test_requests_reach_the_server_three_seconds_apart(fake, db):
    clock = FakeClock()
    fake.clock = clock
    library, pids = make_library(
        db, trending(QUTF_TITLE), trending(NOWHERE_TITLE), trending(MOLGEN_TITLE),
        Paper(id="", arxiv_id="1706.03762"),
    )
    with ArxivClient(fake.url, timeout=2, pacer=Pacer(3.0, clock=clock, sleep=clock.sleep)) as client:
        report = enrich(library, library.papers(), client)
    arrivals = [r.at for r in fake.requests]
    assert len(arrivals) == 4  # one id_list request, then three title searches
    assert [b - a for a, b in pairwise(arrivals)] == [3.0, 3.0, 3.0]
    assert report.requests == 4 and len(report.found) == 3


# ---------------------------------------------------------------- look-ups
def test_one_match_by_title_fills_the_paper(fake, client, db):
    library, (pid,) = make_library(db, trending(QUTF_TITLE))
    report = enrich(library, library.papers(), client)
    assert report.found == [(pid, "2311.07777")] and report.changed == [pid]
    assert report.not_found == [] and report.error is None
    paper = Library(db).require(pid)
    assert [a.display for a in paper.authors] == QUTF.authors
    assert paper.year == 2023
    assert paper.arxiv_id == "2311.07777"  # no version suffix
    assert paper.doi == "10.1234/qutf.2023.001"
    assert paper.category == "cs.LG"
    assert paper.url == "https://arxiv.org/abs/2311.07777"
    assert paper.pdf_url == "https://arxiv.org/pdf/2311.07777"
    assert paper.title == QUTF_TITLE
    assert paper.abstract == "An abstract copied from a trending page."
    (request,) = fake.requests
    assert request.path == "/api/query"
    assert request.params == {
        "search_query": 'ti:"QUTF Quality Updates from Unit Test Feedback"',
        "start": "0",
        "max_results": "5",
    }
    assert request.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("reader-tui/") and "reading list" in USER_AGENT


@pytest.mark.slow
def test_known_ids_go_in_one_request(fake, client, db):
    library, pids = make_library(
        db,
        Paper(id="", arxiv_id="2311.07777"),
        Paper(id="", arxiv_id="1706.03762v2", title="Attention Is All You Need"),
        Paper(id="", arxiv_id="2401.00001"),
    )
    report = enrich(library, library.papers(), client)
    (request,) = fake.requests
    assert sorted(request.params["id_list"].split(",")) == ["1706.03762", "2311.07777", "2401.00001"]
    assert request.params["max_results"] == "3"
    assert "search_query" not in request.params
    assert sorted(a for _, a in report.found) == ["1706.03762", "2311.07777"]
    assert [why for _, why in report.not_found] == ["arXiv has no paper with id 2401.00001"]
    stored = Library(db)
    by_arxiv = {p.arxiv_id: p for p in stored.papers()}
    assert by_arxiv["2311.07777"].title == QUTF_TITLE  # an empty title is filled
    assert [a.display for a in by_arxiv["1706.03762v2"].authors] == ATTENTION.authors  # the user's id is kept as written
    assert by_arxiv["2401.00001"].authors == []


def test_several_entries_the_one_with_our_title_is_taken(fake, client, db):
    fake.script = lambda params: Reply(feed([MOLGEN_COVID, MOLGEN, ATTENTION]))
    library, (pid,) = make_library(db, trending(MOLGEN_TITLE))
    report = enrich(library, library.papers(), client)
    assert report.found == [(pid, "1909.07777")]
    paper = Library(db).require(pid)
    assert paper.arxiv_id == "1909.07777" and paper.category == "q-bio.BM"
    assert paper.title == MOLGEN_TITLE  # ours, TeX and all


def test_no_match_is_reported_and_nothing_changes(fake, client, db):
    library, (pid,) = make_library(db, trending(NOWHERE_TITLE))
    before = db.read_bytes()
    report = enrich(library, library.papers(), client)
    assert report.found == [] and report.not_found == [(pid, "no results for this title")]
    assert db.read_bytes() == before
    assert report.summary() == "enriched 0, not found 1"


def test_a_near_miss_title_is_rejected(fake, client, db):
    library, (pid,) = make_library(db, trending(NEAR_MISS_TITLE))
    before = db.read_bytes()
    report = enrich(library, library.papers(), client)
    assert len(fake.requests) == 1  # arXiv did answer, with the longer title
    ((got, why),) = report.not_found
    assert got == pid and why.startswith("no title match")
    assert "Checkers and Critics" in why
    assert report.found == [] and db.read_bytes() == before


def test_an_error_feed_from_arxiv_is_a_not_found_with_its_reason(fake, client, db):
    fake.script = lambda params: Reply(feed([], error="incorrect id format for 2311.07777"))
    library, (pid,) = make_library(db, Paper(id="", arxiv_id="2311.07777"))
    report = enrich(library, library.papers(), client)
    assert report.not_found == [(pid, "arXiv refused the query: incorrect id format for 2311.07777")]
    assert report.error is None


def test_the_readers_state_and_own_values_are_untouched(fake, client, db):
    mine = trending(QUTF_TITLE)
    mine.year, mine.doi, mine.url = 2022, "10.9999/mine", "https://example.org/qutf"
    library, (pid,) = make_library(db, mine)
    library.set_read([pid], True)
    library.set_starred([pid], True)
    library.set_tags(pid, ["rl", "code"])
    library.set_notes(pid, "my notes\n  indented")
    read_at = library.require(pid).read_at
    enrich(library, library.papers(), client)
    paper = Library(db).require(pid)
    assert paper.year == 2022 and paper.doi == "10.9999/mine"
    assert paper.url == "https://example.org/qutf"
    assert [a.display for a in paper.authors] == QUTF.authors and paper.arxiv_id == "2311.07777"
    assert paper.pdf_url == "https://arxiv.org/pdf/2311.07777"
    assert (paper.read, paper.read_at, paper.starred) == (True, read_at, True)
    assert paper.tags == ["rl", "code"] and paper.notes == "my notes\n  indented"


def test_complete_papers_are_skipped_without_a_request(fake, client, db):
    done = Paper(id="", title="Done", authors=["A B"], year=2020, arxiv_id="2001.00001")
    library, (pid,) = make_library(db, done)
    report = enrich(library, library.papers(), client)
    assert fake.requests == [] and report.complete == [pid] and report.total == 0


def test_progress_is_reported_paper_by_paper_after_each_save(fake, client, db):
    library, pids = make_library(db, trending(QUTF_TITLE), trending(NOWHERE_TITLE))
    seen = []

    def on_progress(progress):
        stored = Library(db).require(progress.pid)  # already on disk
        seen.append((progress.line(), bool(stored.arxiv_id)))

    enrich(library, library.papers(), client, on_progress=on_progress)
    lines = dict(seen)
    assert set(lines) == {
        "[1/2] qutf: found arXiv:2311.07777",
        f"[2/2] {pids[1]}: not found: no results for this title",
    } or set(lines) == {
        f"[1/2] {pids[1]}: not found: no results for this title",
        "[2/2] qutf: found arXiv:2311.07777",
    }
    assert lines[next(k for k in lines if "found arXiv" in k)] is True


def test_should_stop_ends_the_run(fake, client, db):
    library, pids = make_library(db, trending(QUTF_TITLE), trending(MOLGEN_TITLE))
    report = EnrichReport()
    enrich(library, library.papers(), client, should_stop=lambda: report.done >= 1, report=report)
    assert report.cancelled and report.done == 1 and len(fake.requests) == 1


# ---------------------------------------------------------------- failures
FAILURES = {
    "http": (lambda: Reply("Service Unavailable", status=503, content_type="text/plain"), "arXiv answered HTTP 503"),
    "timeout": (lambda: Reply(feed([QUTF]), delay=1.0), "timeout:"),
    "reply": (lambda: Reply('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>QUTF'), "arXiv's reply could not be read"),
}


@pytest.mark.parametrize("kind", sorted(FAILURES))
def test_a_failure_stops_the_run_and_changes_nothing(fake, db, kind):
    reply, message = FAILURES[kind]
    fake.script = lambda params: reply()
    library, pids = make_library(db, trending(QUTF_TITLE), trending(MOLGEN_TITLE))
    before = db.read_bytes()
    with ArxivClient(fake.url, timeout=0.3, pacer=Pacer(0)) as client:
        report = enrich(library, library.papers(), client)
    assert isinstance(report.error, EnrichError) and report.error.kind == kind
    assert str(report.error).startswith(message) and "\n" not in str(report.error)
    assert len(fake.requests) == 1 and report.done == 0
    assert db.read_bytes() == before


def test_no_network_is_said_plainly(db):
    library, _ = make_library(db, trending(QUTF_TITLE))
    with ArxivClient(timeout=0.5, pacer=Pacer(0)) as client:  # $READER_ARXIV_URL: a dead port
        report = enrich(library, library.papers(), client)
    assert report.error.kind == "network"
    assert str(report.error).startswith("no network: cannot connect to 127.0.0.1:9")


def test_rate_limit_text_is_shown(fake, client, db):
    fake.script = lambda params: Reply("Rate exceeded.", content_type="text/plain")
    library, _ = make_library(db, trending(QUTF_TITLE))
    report = enrich(library, library.papers(), client)
    assert report.error.kind == "reply" and "'Rate exceeded.'" in str(report.error)


def test_papers_done_before_a_failure_stay_done(fake, client, db):
    def script(params):
        if len(fake.requests) == 1:
            return Reply(feed(fake.lookup(params)))
        return Reply("", status=503)

    fake.script = script
    library, pids = make_library(db, trending(QUTF_TITLE), trending(MOLGEN_TITLE))
    report = enrich(library, library.papers(), client)
    assert report.error.kind == "http" and report.done == 1
    stored = Library(db)
    assert stored.require("qutf").arxiv_id == "2311.07777"
    other = next(p for p in stored.papers() if p.id != "qutf")
    assert other.arxiv_id == "" and other.authors == []


# ---------------------------------------------------------------- citations
def parse_bib(text: str):
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, text
    (entry,) = library.entries
    return entry


def test_an_enriched_trending_paper_cites_as_arxiv_misc(fake, client, db):
    library, (pid,) = make_library(db, trending(QUTF_TITLE))
    assert cite(library.require(pid)).startswith("@misc{qutf,\n  title")  # thin before
    enrich(library, library.papers(), client)
    entry = parse_bib(cite(Library(db).require(pid)))
    assert entry.entry_type == "misc" and entry.key == "qutf"
    assert entry["author"] == "Example, Ada and Sample, Grace and Placeholder, Alan"
    assert entry["year"] == "2023"
    assert entry["eprint"] == "2311.07777"
    assert entry["archivePrefix"] == "arXiv"
    assert entry["primaryClass"] == "cs.LG"
    assert entry["doi"] == "10.1234/qutf.2023.001"


def test_a_paper_with_a_journal_cites_as_article(fake, client, db):
    paper = trending(QUTF_TITLE)
    paper.venue = "Journal of Test Feedback"
    library, (pid,) = make_library(db, paper)
    enrich(library, library.papers(), client)
    entry = parse_bib(cite(Library(db).require(pid)))
    assert entry.entry_type == "article"
    assert entry["journal"] == "Journal of Test Feedback"
    assert entry["eprint"] == "2311.07777" and entry["doi"] == "10.1234/qutf.2023.001"
    assert entry["author"].startswith("Example, Ada and") and entry["year"] == "2023"


# ---------------------------------------------------------------- command line
def cli_env(fake) -> dict[str, str]:
    return {"READER_ARXIV_URL": fake.url, "READER_ARXIV_MIN_INTERVAL": "0", "READER_ARXIV_TIMEOUT": "2"}


@pytest.mark.slow
def test_cli_enrich(fake, db):
    from http_fake import start_web, stop_web

    library, pids = make_library(
        db, trending(QUTF_TITLE), trending(MOLGEN_TITLE), trending(NEAR_MISS_TITLE)
    )
    library.set_starred(["qutf"], True)
    library.set_notes("qutf", "keep me")
    server, crossref = start_web()  # Crossref knows none of them
    crossref.json("/works", {"status": "ok", "message": {"items": []}})
    env = {**cli_env(fake), "READER_CROSSREF_URL": crossref.base, "READER_CROSSREF_MIN_INTERVAL": "0"}
    try:
        result = run_reader("enrich", db=db, env=env)
    finally:
        stop_web(server)
    # After arXiv, Crossref: the DOI arXiv gave (unknown there) and the title arXiv did not find.
    assert sorted(s.path for s in crossref.seen) == ["/works", "/works/10.1234/qutf.2023.001"]
    assert result.returncode == 0, result.stderr
    # On a pipe: the summary and the papers not found, no progress.
    summary, missing = result.stdout.splitlines()
    assert summary == "enriched 2, not found 1"
    assert missing.startswith("  not found ") and ": no title match" in missing
    assert result.stderr == ""
    assert all(r.headers["User-Agent"] == USER_AGENT for r in fake.requests)
    cited = run_reader("cite", "qutf", db=db)
    entry = parse_bib(cited.stdout)
    assert entry.entry_type == "misc"
    assert {"author", "year", "eprint", "archivePrefix", "doi"} <= set(entry.fields_dict)
    stored = Library(db).require("qutf")
    assert stored.starred and stored.notes == "keep me" and not stored.read
    again = run_reader("enrich", db=db, env=cli_env(fake))
    assert again.stdout.splitlines()[0] == "enriched 0, not found 1, already complete 2"


def test_cli_enrich_a_query(fake, db):
    make_library(db, trending(QUTF_TITLE), trending(MOLGEN_TITLE))
    result = run_reader("enrich", "unit", "test", db=db, env=cli_env(fake))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "enriched 1, not found 0\n" and len(fake.requests) == 1


def test_cli_error_is_one_line_and_changes_nothing(fake, db):
    fake.script = lambda params: Reply("down", status=503, content_type="text/plain")
    make_library(db, trending(QUTF_TITLE))
    before = db.read_bytes()
    result = run_reader("enrich", db=db, env=cli_env(fake))
    assert result.returncode == 1
    error = result.stderr.splitlines()[-1]
    assert error.startswith("reader: error: arXiv answered HTTP 503 Service Unavailable")
    assert error.endswith("; stopped before any paper, nothing else changed")
    assert "Traceback" not in result.stderr
    assert result.stdout == "enriched 0, not found 0\n"
    assert db.read_bytes() == before


def test_cli_without_network(db):
    make_library(db, trending(QUTF_TITLE))
    result = run_reader("enrich", db=db, env={"READER_ARXIV_TIMEOUT": "2"})
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("reader: error: no network: cannot connect to")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_enrich_on_a_terminal_shows_a_bar_and_each_paper(fake, db):
    make_library(db, trending(QUTF_TITLE), trending(MOLGEN_TITLE), trending(NEAR_MISS_TITLE))
    status, screen = run_on_terminal("enrich", db=db, env=cli_env(fake))
    assert status == 0, screen
    assert "looking up 3 papers on 127.0.0.1:" in screen
    assert "qutf: found arXiv:2311.07777" in screen and "not found: no title match" in screen
    assert "found 2, not found 1" in screen and "3/3" in screen
    assert "enriched 2, not found 1" in screen
