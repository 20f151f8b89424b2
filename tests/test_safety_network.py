"""Hostile and slow servers for `reader enrich` (issue 11, points 12 and 13):
a server that trickles its answer, redirects that fail or go round, and
several processes asking at once. Real HTTP servers on 127.0.0.1, the real
command line in subprocesses.

No wall-clock assertions: the pace is checked on the times the server saw
the requests arrive (the product promises a gap of at least the pace there),
and a hang is caught by run_reader's generous timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path

import pytest

from arxiv_fake import feed
from conftest import run_reader

PACE = 0.5


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """The servers are local: no proxy in between (run_reader passes os.environ)."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.mode = mode
        #: (path, time.monotonic() when the request arrived)
        self.arrivals: list[tuple[str, float]] = []
        self.lock = threading.Lock()
        self.closing = threading.Event()

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        with self.server.lock:
            self.server.arrivals.append((self.path.split("?")[0], time.monotonic()))
        mode = self.server.mode
        try:
            if mode == "trickle":
                self._trickle()
            elif mode == "redirect-dead" or (mode == "redirect" and self.path.startswith("/api/query")):
                target = "http://127.0.0.1:9/api/query" if mode == "redirect-dead" else "/api/feed"
                query = self.path.partition("?")[2]
                self.send_response(302)
                self.send_header("Location", f"{target}?{query}" if mode == "redirect" else target)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                body = feed([]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: what the timeout test wants

    def _trickle(self) -> None:
        """A valid answer, one byte every 0.2 s: 10 minutes of it."""
        body = (feed([]) + " " * 3000).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for byte in body:
            if self.server.closing.wait(0.2):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def serve() -> Iterator:
    servers: list[Server] = []

    def start(mode: str) -> Server:
        server = Server(mode)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.closing.set()
        server.shutdown()
        server.server_close()


def library_of(db: Path, tmp_path: Path, *titles: str) -> Path:
    source = tmp_path / "papers.json"
    source.write_text(json.dumps([{"title": t} for t in titles]))
    assert run_reader("import", str(source), db=db).returncode == 0
    return db


def enrich_env(server: Server, **more: str) -> dict[str, str]:
    return {
        "READER_ARXIV_URL": f"{server.base}/api/query",
        "READER_ARXIV_MIN_INTERVAL": str(PACE),
        **more,
    }


@pytest.mark.slow
def test_a_trickling_server_is_cut_off_by_the_whole_request_timeout(db, tmp_path, serve):
    server = serve("trickle")
    library_of(db, tmp_path, "A Paper On A Slow Server")
    result = run_reader(
        "enrich", db=db, env=enrich_env(server, READER_ARXIV_TIMEOUT="1"), timeout=120
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    host = server.base.removeprefix("http://")
    assert f"timeout: {host} did not answer within 1 s" in result.stderr
    assert "nothing else changed" in result.stderr


@pytest.mark.slow
def test_a_failed_redirect_names_the_host_it_went_to(db, tmp_path, serve):
    server = serve("redirect-dead")
    library_of(db, tmp_path, "A Paper Behind A Redirect")
    result = run_reader("enrich", db=db, env=enrich_env(server, READER_ARXIV_TIMEOUT="10"), timeout=120)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    host = server.base.removeprefix("http://")
    assert f"cannot connect to 127.0.0.1:9 (redirected from {host})" in result.stderr


@pytest.mark.slow
def test_the_pace_holds_between_processes_and_across_redirects(db, tmp_path, serve):
    server = serve("redirect")
    library_of(db, tmp_path, "First Unknown Paper", "Second Unknown Paper")
    env = enrich_env(server, READER_ARXIV_TIMEOUT="30")
    command = [sys.executable, "-m", "reader", "--db", str(db), "enrich"]
    full_env = {**os.environ, **env}
    # Two runs at once, then one right after them.
    runs = [
        subprocess.Popen(command, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    after = run_reader("enrich", db=db, env=env, timeout=120)
    assert after.returncode == 0, after.stderr
    # Each run: two look-ups, each a redirect and the answer it leads to.
    paths = [path for path, _ in server.arrivals]
    assert len(paths) == 12 and paths.count("/api/feed") == 6
    gaps = [b - a for (_, a), (_, b) in pairwise(server.arrivals)]
    assert min(gaps) >= PACE, gaps


@pytest.mark.slow
async def test_quitting_the_app_stops_a_look_up_under_way(db, serve, monkeypatch):
    from reader.core.library import Library
    from reader.core.models import Paper
    from reader.ui.app import create_app

    server = serve("trickle")
    monkeypatch.setenv("READER_ARXIV_URL", f"{server.base}/api/query")
    monkeypatch.setenv("READER_ARXIV_MIN_INTERVAL", "0")
    library = Library(db)
    library.add_papers([Paper(id="", title="A Paper On A Slow Server")])
    app = create_app(library, use_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("E")  # look up every paper in the view
        for _ in range(600):  # until the request reaches the server (a hang guard, not a timing)
            if server.arrivals:
                break
            await pilot.pause(0.1)
        assert server.arrivals, "the look-up never reached the server"
        await pilot.press("escape")
        await pilot.press("q")
    # The request was cut off: no thread is left in the network code reading
    # the trickle (the server would go on for minutes). The loop only bounds a hang.
    for _ in range(600):
        busy = threads_in_network_code()
        if not busy:
            break
        time.sleep(0.1)
    assert not busy


def threads_in_network_code() -> list[str]:
    """Threads whose stack is in reader's arXiv client, httpx or httpcore."""
    marks = ("httpcore", "httpx", "reader/core/http_fetch.py", "reader/core/arxiv_api.py")
    busy = []
    for ident, frame in sys._current_frames().items():
        files = [f.filename for f in traceback.extract_stack(frame)]
        if any(mark in name for name in files for mark in marks):
            busy.append(next((t.name for t in threading.enumerate() if t.ident == ident), str(ident)))
    return busy
