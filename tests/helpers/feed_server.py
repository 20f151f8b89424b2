"""Feeds of our own writing, served on 127.0.0.1 by a server the test starts.

`Item`s are written out in each format a user subscribes to: the arXiv API's
Atom (a category or a search), arXiv's RSS 2.0 listing, an RSS 1.0/RDF
journal table of contents, a plain RSS 2.0 blog and an Atom feed. A path of
the server holds a `Route`: the items it lists (change them between fetches),
the format, and optionally a status, a delay, a hold (the reply waits until
the test sets it) or a raw body. The server
answers conditional GETs with 304 when the ETag or the date matches, and
records every request.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class Item:
    title: str
    authors: list[str] = field(default_factory=lambda: ["Ada Example"])
    abstract: str = "An abstract written for this test."
    arxiv_id: str = ""
    doi: str = ""
    link: str = ""
    days_ago: float = 1.0

    @property
    def when(self) -> datetime:
        return NOW - timedelta(days=self.days_ago)


def _iso(item: Item) -> str:
    return item.when.isoformat().replace("+00:00", "Z")


def arxiv_api(items: list[Item]) -> str:
    entries = ""
    for it in items:
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in it.authors)
        doi = f"<arxiv:doi>{escape(it.doi)}</arxiv:doi>" if it.doi else ""
        entries += f"""
  <entry>
    <id>http://arxiv.org/abs/{it.arxiv_id}v1</id>
    <updated>{_iso(it)}</updated><published>{_iso(it)}</published>
    <title>{escape(it.title)}</title>
    <summary>  {escape(it.abstract)}
</summary>{authors}{doi}
    <link href="http://arxiv.org/abs/{it.arxiv_id}v1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/{it.arxiv_id}v1" rel="related" type="application/pdf"/>
    <arxiv:primary_category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"
      xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title type="html">ArXiv Query: made up for a test</title>
  <id>http://arxiv.org/api/testfeed</id>
  <updated>{NOW.isoformat()}</updated>
  <opensearch:totalResults>{len(items)}</opensearch:totalResults>{entries}
</feed>
"""


def arxiv_rss(items: list[Item]) -> str:
    body = ""
    for it in items:
        body += f"""
    <item>
      <title>{escape(it.title)}</title>
      <link>https://arxiv.org/abs/{it.arxiv_id}</link>
      <description>arXiv:{it.arxiv_id}v1 Announce Type: new
Abstract: {escape(it.abstract)}</description>
      <guid isPermaLink="false">oai:arXiv.org:{it.arxiv_id}v1</guid>
      <category>cs.LG</category>
      <pubDate>{format_datetime(it.when)}</pubDate>
      <arxiv:announce_type>new</arxiv:announce_type>
      <dc:creator>{escape(", ".join(it.authors))}</dc:creator>
    </item>"""
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>cs.LG updates on arXiv.org (test)</title>
    <link>http://rss.arxiv.org/rss/cs.LG</link>
    <description>made up for a test</description>{body}
  </channel>
</rss>
"""


def rdf_toc(items: list[Item]) -> str:
    seq = "".join(f'<rdf:li rdf:resource={quoteattr(it.link)}/>' for it in items)
    body = ""
    for it in items:
        creators = "".join(f"<dc:creator>{escape(a)}</dc:creator>" for a in it.authors)
        body += f"""
  <item rdf:about={quoteattr(it.link)}>
    <title>{escape(it.title)}</title>
    <link>{escape(it.link)}</link>
    <description>{escape(it.abstract)}</description>
    {creators}
    <dc:identifier>doi:{escape(it.doi)}</dc:identifier>
    <dc:date>{it.when.date().isoformat()}</dc:date>
    <prism:doi>{escape(it.doi)}</prism:doi>
    <prism:publicationName>Journal of Made-up Results</prism:publicationName>
  </item>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
  <channel rdf:about="http://journal.example/toc">
    <title>Journal of Made-up Results: table of contents</title>
    <link>http://journal.example/</link>
    <description>test</description>
    <items><rdf:Seq>{seq}</rdf:Seq></items>
  </channel>{body}
</rdf:RDF>
"""


def rss2(items: list[Item]) -> str:
    body = ""
    for it in items:
        body += f"""
    <item>
      <title>{escape(it.title)}</title>
      <link>{escape(it.link)}</link>
      <description>{escape("<p>" + it.abstract + "</p>")}</description>
      <author>{escape(it.authors[0])}</author>
      <guid>{escape(it.link)}</guid>
      <pubDate>{format_datetime(it.when)}</pubDate>
    </item>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>A lab's blog (test)</title><link>http://blog.example/</link>
<description>test</description>{body}
</channel></rss>
"""


def atom(items: list[Item]) -> str:
    body = ""
    for it in items:
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in it.authors)
        body += f"""
  <entry>
    <id>{escape(it.link)}</id>
    <title>{escape(it.title)}</title>
    <link rel="alternate" href={quoteattr(it.link)}/>
    <updated>{_iso(it)}</updated>{authors}
    <summary type="html">{escape("<b>" + it.abstract + "</b>")}</summary>
  </entry>"""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom feed (test)</title><id>urn:test</id>
<updated>{NOW.isoformat()}</updated>{body}
</feed>
"""


#: Seconds a held reply waits for the test at most (a test that fails leaves no thread behind for long).
HOLD_AT_MOST = 60.0

WRITERS = {"arxiv-api": arxiv_api, "arxiv-rss": arxiv_rss, "rdf": rdf_toc, "rss2": rss2, "atom": atom}


@dataclass
class Route:
    format: str
    items: list[Item] = field(default_factory=list)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    #: when given, the reply waits until the test sets it (at most `HOLD_AT_MOST` seconds)
    hold: threading.Event | None = None
    raw: bytes | None = None
    #: answer conditional GETs (ETag and Last-Modified)
    conditional: bool = True

    def body(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return WRITERS[self.format](self.items).encode("utf-8")


def _route_key(request: str, path: str) -> str:
    parts = urlsplit(request)
    if "?" in path:
        return f"{parts.path}?" + parse_qs(parts.query).get("search_query", [""])[0]
    return parts.path


class FeedServer:
    """`with FeedServer() as server:` then `server.routes["/x"] = Route(...)`, `server.url("/x")`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                path = parts.path
                search = parse_qs(parts.query).get("search_query", [""])[0]
                with outer.lock:
                    outer.requests.append((self.path, dict(self.headers.items())))
                    route = outer.routes.get(f"{path}?{search}") or outer.routes.get(path)
                if route is None:
                    self.send_error(404)
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.hold is not None:
                    route.hold.wait(HOLD_AT_MOST)
                body = route.body()
                tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                modified = format_datetime(NOW, usegmt=True)
                if route.status != 200:
                    self.send_response(route.status)
                    for k, v in route.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.conditional and (
                    self.headers.get("If-None-Match") == tag
                    or (self.headers.get("If-None-Match") is None
                        and self.headers.get("If-Modified-Since") == modified)
                ):
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/xml; charset=utf-8")
                if route.conditional:
                    self.send_header("ETag", tag)
                    self.send_header("Last-Modified", modified)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def hits(self, path: str) -> int:
        """Requests for `path` (`/api/query?cat:cs.LG`: those of that search)."""
        with self.lock:
            return sum(1 for p, _ in self.requests if _route_key(p, path) == path)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        for route in list(self.routes.values()):
            if route.hold is not None:
                route.hold.set()  # no reply left waiting
        self.httpd.shutdown()
        self.httpd.server_close()
