"""A feed's reply made into papers, with feedparser.

feedparser reads RSS 0.9x, 1.0 (RDF) and 2.0 and Atom, the arXiv API's
Atom with its `arxiv:` elements among them. Each entry becomes a `FeedItem`:
a paper (title, authors, abstract as plain text, link, arXiv id and DOI
found in its links, ids and identifiers), when it appeared, and a key that
names it within its feed.

A reply is hostile until cleaned: it is given to feedparser as bytes (never
as an address it would fetch), a reply that declares entities is refused
before parsing, a reply that is not well-formed XML is refused whole (with
the parser's line), and every text goes through `clean_text`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import feedparser

from ..errors import ReaderError
from .importers.arxiv import place_link
from .importers.common import (
    clean_doi,
    clean_url,
    doi_from_url,
    find_arxiv_id,
    normalise_arxiv_id,
    shorten,
)
from .models import Paper
from .names import Person
from .text import clean_text, fold, title_key

#: Entries read from one reply at most.
MAX_ENTRIES = 5000
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_ARXIV_PREFIX = re.compile(
    r"^\s*arXiv:\S+\s+Announce Type:\s*\S+\s*(?:Abstract:\s*)?", re.I
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b)\s*")
_DOI_IN_TEXT = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"<>]+)", re.I)
#: feedparser's complaints that are not about the XML itself.
_HARMLESS = (feedparser.CharacterEncodingOverride,)


class FeedFormatError(ReaderError):
    """The reply is not a feed reader can read."""


@dataclass
class FeedItem:
    paper: Paper
    #: when the entry appeared (or was last updated), if the feed says
    published: datetime | None
    #: names the entry within its feed: its arXiv id, DOI, id, link or title
    key: str


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("p", "br", "div", "li"):
            self.parts.append("\n")


def plain(html: str) -> str:
    """The text of a bit of HTML (an RSS description), tags dropped."""
    if "<" not in html and "&" not in html:
        return clean_text(html, multiline=True)
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return clean_text("\n".join(" ".join(line.split()) for line in text.split("\n")), multiline=True)


def parse_feed(body: bytes, content_type: str = "") -> list[FeedItem]:
    """The entries of a feed's reply; FeedFormatError if it is not one."""
    if _ENTITY.search(body[:20000]):
        raise FeedFormatError("the feed declares XML entities, which feeds never need: refused")
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and not isinstance(problem, _HARMLESS):
        line = getattr(problem, "getLineNumber", lambda: None)()
        where = f" (line {line})" if line else ""
        raise FeedFormatError(f"the feed is not well-formed XML{where}: {shorten(str(problem), 80)}")
    if not parsed.get("version") and not parsed.entries:
        raise FeedFormatError("the reply is not an RSS or Atom feed")
    items = []
    for entry in parsed.entries[:MAX_ENTRIES]:
        item = _item(entry)
        if item is not None:
            items.append(item)
    return items


def _item(entry: Any) -> FeedItem | None:
    announce = str(entry.get("arxiv_announce_type", "")).lower()
    if announce.startswith("replace"):
        return None  # a new version of an old paper, not a new paper
    paper = Paper(id="")
    paper.title = clean_text(plain(str(entry.get("title", ""))))
    summary = str(entry.get("summary", "") or "")
    paper.abstract = _ARXIV_PREFIX.sub("", plain(summary))
    paper.authors = _authors(entry)
    _ids(entry, paper)
    journal = entry.get("arxiv_journal_ref") or entry.get("prism_publicationname") or ""
    paper.venue = clean_text(str(journal))
    primary = entry.get("arxiv_primary_category")
    if isinstance(primary, dict):
        paper.category = clean_text(str(primary.get("term", "")))
    published = _when(entry)
    if published is not None:
        paper.year = published.year
    if not (paper.title or paper.arxiv_id or paper.doi):
        return None
    key = (
        f"arxiv:{paper.arxiv_id.lower()}" if paper.arxiv_id
        else f"doi:{fold(paper.doi)}" if paper.doi
        else f"id:{clean_text(str(entry.get('id', '')))[:300]}" if entry.get("id")
        else f"url:{paper.url}" if paper.url
        else f"title:{title_key(paper.title)}"
    )
    return FeedItem(paper, published, key)


def _authors(entry: Any) -> list[Person]:
    names: list[str] = []
    for author in entry.get("authors") or []:
        name = clean_text(str(author.get("name", ""))) if isinstance(author, dict) else ""
        if name:
            names.append(name)
    if len(names) == 1 and ("," in names[0] or " and " in names[0]):
        names = [n for n in _AUTHOR_SPLIT.split(names[0]) if n]  # arXiv RSS: one dc:creator
    return [Person.from_text(name) for name in names[:500]]


def _ids(entry: Any, paper: Paper) -> None:
    """The arXiv id, DOI, link and PDF of an entry, from wherever the feed put them."""
    candidates = [str(entry.get(k, "") or "") for k in ("id", "link", "guid", "dc_identifier")]
    for link in entry.get("links") or []:
        href = clean_url(str(link.get("href", "")))
        if not href:
            continue
        place_link(paper, href, link)
        candidates.append(href)
    for text in candidates:
        paper.arxiv_id = paper.arxiv_id or normalise_arxiv_id(text) or find_arxiv_id(text)
        if text.lower().startswith("oai:arxiv.org:"):
            paper.arxiv_id = paper.arxiv_id or normalise_arxiv_id(text[14:])
    for text in [str(entry.get(k, "") or "") for k in ("arxiv_doi", "prism_doi", "dc_identifier")] + candidates:
        if paper.doi:
            break
        paper.doi = clean_doi(text) or doi_from_url(text)
        if not paper.doi and (match := _DOI_IN_TEXT.search(text)) and "doi" in text.lower():
            paper.doi = clean_doi(match.group(1))
    if paper.arxiv_id:
        paper.url = paper.url or f"https://arxiv.org/abs/{paper.arxiv_id}"
        paper.url = re.sub(r"^http://(?=(?:www\.|export\.)?arxiv\.org/)", "https://", paper.url)
    paper.url = paper.url or clean_url(str(entry.get("link", "") or ""))
    if paper.url and not paper.url.lower().startswith(("http://", "https://")):
        paper.url = ""


def _when(entry: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, OSError, TypeError):
                continue
    return None
