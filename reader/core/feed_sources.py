"""What a feed is subscribed to: `arxiv:CATEGORY`, `arxiv-search:QUERY` or a feed URL.

`parse_source` checks what the user typed and says in one line what is
wrong with it; `request_for` turns a source into the address and query
parameters of one GET. arXiv sources ask the arXiv API (`arxiv_api`: its
address, `$READER_ARXIV_URL` for a mirror or a test server) for the newest
submissions first; a URL is asked as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import ReaderError
from .arxiv_api import arxiv_api_url
from .importers.common import shorten
from .text import clean_text

#: Entries asked of the arXiv API in one fetch (newest first).
ARXIV_RESULTS = 200
#: A category: cs.LG, math.AP, hep-th, astro-ph.CO, q-bio.NC, stat.ML.
_CATEGORY = re.compile(r"^[a-z][a-z-]*(?:\.[A-Za-z]{2})?$", re.I)
#: A feed's name: a word a tag can carry (feed:NAME).
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
MAX_QUERY_CHARS = 300
MAX_URL_CHARS = 2000


class SourceError(ReaderError):
    exit_code = 2


@dataclass(frozen=True)
class Source:
    #: "arxiv" (a category), "arxiv-search" or "url"
    kind: str
    #: the category, the query or the URL
    value: str

    @property
    def spec(self) -> str:
        return self.value if self.kind == "url" else f"{self.kind}:{self.value}"

    @property
    def is_arxiv(self) -> bool:
        return self.kind in ("arxiv", "arxiv-search")


@dataclass(frozen=True)
class Request:
    url: str
    params: dict[str, str] | None


def check_name(name: str) -> str:
    """A feed name: letters, digits, `.`, `_` and `-`, up to 40 (it becomes a tag)."""
    name = name.strip()
    if not _NAME.match(name):
        raise SourceError(
            f"a feed's name is a word of letters, digits, '.', '_' or '-' (up to 40): "
            f"{shorten(name, 50)!r} is not"
        )
    return name


def parse_source(text: str) -> Source:
    """The source the user typed, checked; SourceError says what is wrong."""
    raw = clean_text(text)
    head, colon, rest = raw.partition(":")
    kind = head.strip().lower()
    if colon and kind == "arxiv":
        category = rest.strip()
        if not _CATEGORY.match(category):
            raise SourceError(
                f"not an arXiv category: {shorten(category, 50)!r} (for example arxiv:cs.LG)"
            )
        return Source("arxiv", category)
    if colon and kind == "arxiv-search":
        query = " ".join(rest.split())
        if not query or len(query) > MAX_QUERY_CHARS:
            raise SourceError(
                "an arXiv search needs a query of up to 300 characters "
                "(for example arxiv-search:'ti:diffusion AND au:smith')"
            )
        return Source("arxiv-search", query)
    url = raw.replace(" ", "")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SourceError(
            f"a feed is arxiv:CATEGORY, arxiv-search:QUERY or an http(s) address, "
            f"not {shorten(raw, 60)!r}"
        )
    if len(url) > MAX_URL_CHARS:
        raise SourceError("the feed's address is too long")
    return Source("url", url)


def request_for(source: Source, results: int = ARXIV_RESULTS) -> Request:
    """The GET that reads `source`: the arXiv API's newest first, or the URL."""
    if source.kind == "url":
        return Request(source.value, None)
    query = f"cat:{source.value}" if source.kind == "arxiv" else source.value
    return Request(
        arxiv_api_url(),
        {
            "search_query": query,
            "sortBy": "submittedDate",
            "sortOrder": "descending",
            "start": "0",
            "max_results": str(results),
        },
    )
