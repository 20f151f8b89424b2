"""A small web server on 127.0.0.1 for the tests of Crossref and PDF downloads.

Each path answers what the test put in `routes` (a status, a body, headers,
a delay); every request is recorded with its headers. The Crossref works and
the PDF below are written for these tests.
"""

from __future__ import annotations

import json
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from helpers.local_http import LocalServer, start, stop

CHUNK = 16 * 1024


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    #: seconds before the answer
    delay: float = 0.0
    #: claim this length, for a body that stops short (-1: say no length)
    length: int | None = None
    #: seconds between chunks of `CHUNK` bytes (0: all at once)
    trickle: float = 0.0


@dataclass
class Seen:
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeWeb:
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    base: str = ""

    def json(self, path: str, value: Any, status: int = 200, **more: Any) -> None:
        self.routes[path] = Route(json.dumps(value).encode(), status, **more)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        web = self.server.web
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        web.seen.append(Seen(path, params, dict(self.headers.items())))
        route = web.routes.get(path) or Route(b'{"status":"error","message":"Resource not found."}', 404)
        if route.delay:
            time.sleep(route.delay)
        try:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            if route.length != -1:
                self.send_header("Content-Length", str(route.length or len(route.body)))
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if not route.trickle:
                self.wfile.write(route.body)
            for start in range(0, len(route.body) if route.trickle else 0, CHUNK):
                self.wfile.write(route.body[start:start + CHUNK])
                self.wfile.flush()
                time.sleep(route.trickle)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


class _Server(LocalServer):
    web: FakeWeb


def start_web() -> tuple[_Server, FakeWeb]:
    web = FakeWeb()
    server = start(_Handler, _Server)
    assert isinstance(server, _Server)
    server.web = web
    web.base = server.base
    return server, web


def stop_web(server: _Server) -> None:
    stop(server)


def crossref_work(doi: str, title: str, **more: Any) -> dict[str, Any]:
    """A reply of Crossref's `/works/DOI`, shaped like theirs (made-up work)."""
    work = {
        "DOI": doi,
        "type": "journal-article",
        "title": [title],
        "author": [
            {"given": "Ada", "family": "Example", "sequence": "first"},
            {"given": "Grace", "family": "Sample", "sequence": "additional"},
        ],
        "container-title": ["Journal of Invented Results"],
        "volume": "12",
        "issue": "3",
        "page": "101-117",
        "publisher": "Placeholder Press",
        "issued": {"date-parts": [[2021, 4, 2]]},
        "abstract": "<jats:p>An abstract written for this test.</jats:p>",
        "URL": f"https://doi.org/{doi}",
        "link": [{"URL": "https://example.org/open.pdf", "content-type": "application/pdf"}],
    }
    work.update(more)
    return {"status": "ok", "message-type": "work", "message": work}


def small_pdf(text: str = "reader test") -> bytes:
    """A one-page PDF of our own making, with correct cross-references."""
    stream = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
