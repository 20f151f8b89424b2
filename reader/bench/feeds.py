"""The feed rows of the benchmark: a fetch of 1,000 items from a local
server, and the for-you ranking of the whole library.

The server is Python's own, on 127.0.0.1, serving one Atom feed of
`FEED_ITEMS` synthetic papers (written here) with an ETag. A fetch is timed
into the size's library (a copy of it, so each run merges the same 1,000
new papers against all of it), after a first fetch found the feed empty (a
first fetch keeps at most 200). The ranking keeps nothing from one run to
the next: each run is what the app does after a star, a read or a fetch.
"""

from __future__ import annotations

import shutil
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from ..core.models import Paper
from .data import make_papers

FEED_ITEMS = 1000


def atom_feed(papers: list[Paper]) -> bytes:
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    entries = "".join(
        f"<entry><id>urn:bench:{i}</id><title>{escape('Fetched ' + p.title)}</title>"
        f"<link rel='alternate' href='http://bench.example/{i}'/><updated>{now}</updated>"
        f"<author><name>{escape(p.authors[0].display)}</name></author>"
        f"<summary>{escape(p.abstract)}</summary></entry>"
        for i, p in enumerate(papers)
    )
    return (f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>bench</title><id>urn:bench</id><updated>{now}</updated>{entries}</feed>").encode()


class _Server:
    def __init__(self, body: bytes) -> None:
        self.body = body
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                body = outer.body
                self.send_response(200)
                self.send_header("Content-Type", "application/atom+xml")
                self.send_header("Last-Modified", format_datetime(datetime.now(UTC), usegmt=True))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.atom"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def measure_fetch(library: Path, work: Path, runs: int) -> list[float]:
    """Seconds to fetch `FEED_ITEMS` new papers into a copy of `library`."""
    from ..core.feed_store import FeedStore
    from ..core.feeds import fetch_feeds
    from ..core.library import Library
    from ..core.library_files import LibraryFiles

    full = atom_feed(make_papers(FEED_ITEMS, seed=99))
    server = _Server(full)
    times = []
    try:
        for run in range(runs):
            target = work / f"fetch-{run}" / "library.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            for part in LibraryFiles(library).all_paths():
                if part.exists():
                    shutil.copy(part, target.with_name(part.name))
            FeedStore(target).add("bench", server.url)
            copy = Library(target)
            server.body = atom_feed([])  # the first fetch (bounded) finds the feed empty
            fetch_feeds(copy)
            server.body = full
            started = time.perf_counter()
            results = fetch_feeds(copy)
            times.append(time.perf_counter() - started)
            assert len(results[0].added) == FEED_ITEMS, results[0].line()
            shutil.rmtree(target.parent)
    finally:
        server.close()
    return times


def measure_rank(papers: list[Paper], runs: int) -> list[float]:
    """Seconds to rank `papers` for you."""
    from ..core import ranking

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        ranking.rank_for_you(papers, papers)
        times.append(time.perf_counter() - started)
    return times
