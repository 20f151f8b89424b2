"""A stand-in for the arXiv API on 127.0.0.1, for the enrichment tests.

It answers `api/query` as arXiv does: Atom feeds with OpenSearch counts and
`arxiv:` extension elements, written here for the tests (the entries are
made up: invented authors and DOIs, real-looking ids). `id_list` returns
the catalogue's entries for the ids asked; `search_query=ti:"..."` returns
the entries whose title holds the phrase. A test can replace the answer
with `server.script = lambda params: Reply(...)`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from helpers.local_http import LocalServer, start, stop


@dataclass
class Entry:
    arxiv_id: str
    title: str
    authors: list[str]
    published: str
    version: int = 1
    category: str = "cs.LG"
    doi: str = ""
    summary: str = "An abstract written for this test."

    def xml(self) -> str:
        vid = f"{self.arxiv_id}v{self.version}"
        authors = "".join(
            f"\n    <author>\n      <name>{escape(a)}</name>\n    </author>" for a in self.authors
        )
        doi = ""
        if self.doi:
            doi = (
                f'\n    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">{escape(self.doi)}</arxiv:doi>'
                f'\n    <link title="doi" href={quoteattr("http://dx.doi.org/" + self.doi)} rel="related"/>'
            )
        return f"""
  <entry>
    <id>http://arxiv.org/abs/{vid}</id>
    <updated>{self.published}</updated>
    <published>{self.published}</published>
    <title>{escape(self.title)}</title>
    <summary>  {escape(self.summary)}
</summary>{authors}{doi}
    <link href="http://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/{vid}" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="{self.category}" scheme="http://arxiv.org/schemas/atom"/>
    <category term="{self.category}" scheme="http://arxiv.org/schemas/atom"/>
  </entry>"""


def feed(entries: list[Entry], query: str = "", error: str = "") -> str:
    """An API reply in arXiv's format; `error` makes it arXiv's error feed."""
    body = "".join(e.xml() for e in entries)
    total = len(entries)
    if error:
        total = 1
        body = f"""
  <entry>
    <id>http://arxiv.org/api/errors#{escape(error.replace(" ", "_"))}</id>
    <title>Error</title>
    <summary>{escape(error)}</summary>
    <updated>2024-01-01T00:00:00-05:00</updated>
    <link href="http://arxiv.org/api/errors#{escape(error.replace(" ", "_"))}" rel="alternate" type="text/html"/>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href={quoteattr("http://arxiv.org/api/query?" + query)} rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: {escape(query)}</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2024-01-01T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{total}</opensearch:itemsPerPage>{body}
</feed>
"""


QUTF = Entry(
    "2311.07777",
    "QUTF: Quality Updates from Unit Test Feedback",
    ["Ada Example", "Grace Sample", "Alan Placeholder"],
    "2023-07-10T05:18:03Z",
    version=4,
    doi="10.1234/qutf.2023.001",
)
MOLGEN = Entry(
    "1909.07777",
    "MolGen^RL: Designing porous catalysts from spectroscopic data via\n  reinforcement learning",
    ["Jane Testcase", "John Fixture"],
    "2019-08-29T13:12:31Z",
    version=3,
    category="q-bio.BM",
)
MOLGEN_COVID = Entry(
    "2005.17777",
    "MolGen$^{RL}$ on Zeolites: Designing sieve candidates with conditional generative models",
    ["Jane Testcase"],
    "2020-05-27T10:00:00Z",
    category="q-bio.QM",
)
#: Longer than the title we hold: a near miss that must be rejected.
VALUE_LONGER = Entry(
    "2505.07777",
    "Bringing the Critic Back in RL: Better Test-Time Search by Joining LLM Planners With Checkers and Critics",
    ["Someone Else"],
    "2025-05-07T00:00:00Z",
)
ATTENTION = Entry(
    "1706.03762",
    "Attention Is All You Need",
    ["Ashish Example", "Noam Sample"],
    "2017-06-12T17:57:34Z",
    version=7,
    category="cs.CL",
)
CATALOGUE = [QUTF, MOLGEN, MOLGEN_COVID, VALUE_LONGER, ATTENTION]


@dataclass
class Reply:
    body: str = ""
    status: int = 200
    delay: float = 0.0
    content_type: str = "application/atom+xml; charset=utf-8"


@dataclass
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    at: float  # the fake clock's time when it arrived, if one is set


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


@dataclass
class FakeArxiv:
    catalogue: list[Entry] = field(default_factory=lambda: list(CATALOGUE))
    requests: list[Request] = field(default_factory=list)
    script: Callable[[dict[str, str]], Reply] | None = None
    clock: Callable[[], float] = time.monotonic
    url: str = ""

    def answer(self, params: dict[str, str]) -> Reply:
        if self.script is not None:
            return self.script(params)
        return Reply(feed(self.lookup(params), "&".join(f"{k}={v}" for k, v in params.items())))

    def lookup(self, params: dict[str, str]) -> list[Entry]:
        limit = int(params.get("max_results", "10"))
        if params.get("id_list"):
            wanted = params["id_list"].split(",")
            found = [e for i in wanted for e in self.catalogue if e.arxiv_id == i]
            return found[:limit]
        query = params.get("search_query", "")
        match = re.fullmatch(r'ti:"([^"]*)"', query)
        if not match:
            return []
        phrase = " ".join(_words(match.group(1)))
        return [e for e in self.catalogue if phrase and phrase in " ".join(_words(e.title))][:limit]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        fake = self.server.fake
        parts = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        fake.requests.append(Request(parts.path, params, dict(self.headers.items()), fake.clock()))
        reply = fake.answer(params)
        if reply.delay:
            time.sleep(reply.delay)
        data = reply.body.encode("utf-8")
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout test)

    def log_message(self, *args: object) -> None:
        pass


class _Server(LocalServer):
    fake: FakeArxiv


def start_server() -> tuple[_Server, FakeArxiv]:
    fake = FakeArxiv()
    server = start(_Handler, _Server)
    assert isinstance(server, _Server)
    server.fake = fake
    fake.url = f"{server.base}/api/query"
    return server, fake


def stop_server(server: _Server) -> None:
    stop(server)


class FakeClock:
    """A clock that only moves when something sleeps on it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
