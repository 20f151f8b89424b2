"""arXiv API results: an Atom feed of `<entry>` elements.

The standard library's XML parser expands entities; an input that declares a
DOCTYPE or an ENTITY is refused before parsing, so that no entity expansion
("billion laughs") can happen. `parse_atom` is public: fetching metadata for
known arXiv ids reads the same feed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ...errors import ImportFormatError
from ..models import Paper
from ..names import Person
from ..text import clean_text
from .common import (
    SNIFF_CHARS,
    ParseResult,
    clean_doi,
    clean_url,
    doi_from_url,
    normalise_arxiv_id,
    shorten,
)

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"

_XML_START = re.compile(r"^<(?:\?xml|feed[\s>/]|entry[\s>/]|!doctype)", re.I)
#: What may come before the root element besides a DOCTYPE: white space,
#: the XML declaration and processing instructions, comments.
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_PARAGRAPH = re.compile(r"\n\s*\n")
_ERROR_ID = re.compile(r"^https?://arxiv\.org/api/errors", re.I)
_YEAR = re.compile(r"^\s*(\d{4})")


def _text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext())


def _child(entry: ET.Element, tag: str) -> ET.Element | None:
    # A feed without the Atom namespace is accepted too.
    found = entry.find(tag)
    if found is None and tag.startswith(ATOM):
        found = entry.find(tag[len(ATOM):])
    return found


def _children(entry: ET.Element, tag: str) -> list[ET.Element]:
    found = entry.findall(tag)
    if not found and tag.startswith(ATOM):
        found = entry.findall(tag[len(ATOM):])
    return found


def _abstract(text: str) -> str:
    """arXiv abstracts are hard-wrapped: fold lines, keep paragraph breaks."""
    paragraphs = _PARAGRAPH.split(text.strip())
    return clean_text("\n".join(" ".join(p.split()) for p in paragraphs), multiline=True)


def _https(url: str) -> str:
    return re.sub(r"^http://(?=(?:www\.|export\.)?arxiv\.org/)", "https://", url, flags=re.I)


def _paper(entry: ET.Element) -> Paper:
    raw_id = clean_text(_text(_child(entry, ATOM + "id")))
    paper = Paper(id="")
    paper.arxiv_id = normalise_arxiv_id(raw_id)
    paper.title = clean_text(_text(_child(entry, ATOM + "title")))
    paper.abstract = _abstract(_text(_child(entry, ATOM + "summary")))
    paper.authors = [
        Person.from_text(name)
        for author in _children(entry, ATOM + "author")
        if (name := clean_text(_text(_child(author, ATOM + "name"))))
    ]
    year = _YEAR.match(_text(_child(entry, ATOM + "published")))
    paper.year = int(year.group(1)) if year else None
    paper.doi = clean_doi(_text(entry.find(ARXIV + "doi")))
    paper.venue = clean_text(_text(entry.find(ARXIV + "journal_ref")))
    primary = entry.find(ARXIV + "primary_category")
    if primary is not None:
        paper.category = clean_text(primary.get("term", ""))
    for link in _children(entry, ATOM + "link"):
        href = _https(clean_url(link.get("href", "")))
        if not href:
            continue
        place_link(paper, href, link)
    if not paper.url and raw_id.lower().startswith(("http://", "https://")):
        paper.url = _https(clean_url(raw_id))
    return paper


def _declares_doctype(text: str) -> bool:
    """Whether the prolog (what comes before the root element) holds a
    `<!DOCTYPE`, the only place entities can be declared. A comment that
    mentions one (`<!-- saved from <!DOCTYPE html> pages -->`) does not."""
    pos = 0
    while (item := _PROLOG_ITEM.match(text, pos)) is not None and item.end() > pos:
        pos = item.end()
    return text.startswith("<!", pos) and not text.startswith("<!--", pos)


def _root(text: str) -> ET.Element:
    if _declares_doctype(text):
        raise ImportFormatError(
            "the XML declares a DOCTYPE or ENTITY, which an arXiv feed never does: refused"
        )
    try:
        return ET.fromstring(text)
    except ET.ParseError as error:
        raise ImportFormatError(f"the XML is not well-formed: {error}") from None
    except (RecursionError, ValueError) as error:
        raise ImportFormatError(f"the XML could not be read: {type(error).__name__}") from None


def looks_like_atom(text: str) -> bool:
    """Opens with `<?xml`, `<feed`, `<entry` or `<!DOCTYPE`."""
    return bool(_XML_START.match(text.lstrip()[:SNIFF_CHARS]))


def parse_atom(text: str) -> ParseResult:
    """Papers from an arXiv API Atom feed (or a single `<entry>`).

    Raises ImportFormatError if `text` is not XML or not an Atom feed; entries
    that cannot be papers (no id and no title, API errors) are in `skipped`.
    """
    root = _root(text)
    if root.tag in (ATOM + "entry", "entry"):
        entries = [root]
    elif root.tag in (ATOM + "feed", "feed"):
        entries = _children(root, ATOM + "entry")
    else:
        name = re.sub(r"^\{[^}]*\}", "", str(root.tag))
        raise ImportFormatError(
            f"the XML is not an arXiv Atom feed (its root element is <{shorten(name, 40)}>)"
        )
    result = ParseResult("arxiv")
    for number, entry in enumerate(entries, 1):
        raw_id = clean_text(_text(_child(entry, ATOM + "id")))
        if _ERROR_ID.match(raw_id):
            summary = clean_text(_text(_child(entry, ATOM + "summary"))) or "no details"
            result.skipped.append((f"entry {number}", f"arXiv API error: {summary}"))
            continue
        paper = _paper(entry)
        if not raw_id and not paper.title:
            result.skipped.append((f"entry {number}", "no id and no title"))
            continue
        if not (paper.title or paper.arxiv_id or paper.url):
            result.skipped.append(
                (f"entry {number} {shorten(raw_id)!r}", "no title and not an arXiv id")
            )
            continue
        result.papers.append(paper)
    return result


def place_link(paper: Paper, href: str, link: Any) -> None:
    """An Atom link (anything with `.get`: an element or a feedparser link)
    as the paper's DOI, PDF or page, where that is still empty."""
    if link.get("title") == "doi":
        paper.doi = paper.doi or doi_from_url(href)
    elif link.get("title") == "pdf" or link.get("type") == "application/pdf":
        paper.pdf_url = paper.pdf_url or href
    elif link.get("rel", "alternate") == "alternate":
        paper.url = paper.url or href
