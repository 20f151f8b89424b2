"""CSL-JSON (Zotero, Better BibTeX, pandoc, reader's own `csl-json` export).

A CSL-JSON document is a list of items, each an object with a `type` and CSL
variables (`title`, `author`, `issued`, `container-title`, `DOI`...); Better
BibTeX adds `citation-key`. It is told apart from reader's own JSON export by
that shape (`looks_like_csl`). The item's key (`citation-key`, else `id`)
identifies it on re-import; names keep their parts; `issued` gives the year
and, whole, the `date`; variables reader has no place for are kept in
`extra` under their BibTeX names where there is one, else under their own.
`<span class="nocase">` in a title is case protection, as braces in BibTeX.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from ...errors import ImportFormatError
from ..ids import is_valid_key
from ..models import Paper
from ..names import Person
from ..text import clean_text
from .common import (
    ParseResult,
    clean_doi,
    clean_url,
    doi_from_url,
    find_arxiv_id,
    normalise_arxiv_id,
)

#: CSL type -> BibTeX entry type.
TYPES = {
    "article-journal": "article", "article-magazine": "article",
    "article-newspaper": "article", "paper-conference": "inproceedings",
    "chapter": "incollection", "book": "book", "thesis": "phdthesis",
    "report": "techreport", "webpage": "online", "post": "online",
    "post-weblog": "online", "manuscript": "unpublished", "article": "misc",
    "software": "software", "dataset": "dataset", "patent": "patent",
    "entry-encyclopedia": "inreference", "entry-dictionary": "inreference",
}
#: Where a CSL type's container title goes in BibTeX.
_VENUE_FIELD = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}
#: CSL variable -> BibTeX field, for what is kept in `extra`.
FIELDS = {
    "volume": "volume", "issue": "number", "number": "number", "page": "pages",
    "publisher": "publisher", "publisher-place": "address", "ISBN": "isbn",
    "ISSN": "issn", "edition": "edition", "note": "note", "collection-title": "series",
    "collection-number": "number", "genre": "type", "language": "language",
    "title-short": "shorttitle", "container-title-short": "shortjournal",
    "keyword": "keywords", "event-title": "eventtitle", "event": "eventtitle",
    "event-place": "venue", "archive": "archive", "archive_location": "archive_location",
    "medium": "medium", "version": "version", "PMID": "pmid", "PMCID": "pmcid",
    "number-of-pages": "pagetotal", "chapter-number": "chapter", "section": "section",
    "source": "source", "status": "pubstate", "call-number": "callnumber",
}
#: Variables read into the paper itself, or not data at all.
_READ = {
    "id", "citation-key", "citationKey", "type", "title", "author", "editor",
    "translator", "issued", "container-title", "abstract", "DOI", "URL",
    "accessed", "_graph", "system_id",
}
_NOCASE = re.compile(r'<span\s+class="nocase">(.*?)</span>', re.S)
_TAG = re.compile(r"</?(?:i|b|sup|sub|span)(?:\s[^>]*)?>")
_MARKERS = ("entry_type", "added", "read_at", "starred", "extra")


def looks_like_csl(data: Any) -> bool:
    """Whether parsed JSON is CSL-JSON rather than reader's own export."""
    items = _items(data)
    objects = [item for item in items if isinstance(item, dict)] if items is not None else []
    if not objects:
        return False
    if any(marker in item for item in objects for marker in _MARKERS):
        return False
    typed = sum(isinstance(item.get("type"), str) for item in objects)
    return typed * 2 >= len(objects)


def _items(data: Any) -> list[Any] | None:
    if isinstance(data, dict):
        for name in ("items", "references"):
            if isinstance(data.get(name), list):
                return data[name]
        return [data] if "type" in data else None
    return data if isinstance(data, list) else None


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, str):
        return clean_text(value)
    return ""


def _title(value: Any) -> tuple[str, list[tuple[int, int]] | None]:
    """A CSL title without its markup, and its `nocase` spans."""
    raw = _text(value)
    if "<" not in raw:
        return raw, None
    text, spans, pos = "", [], 0
    for match in _NOCASE.finditer(raw):
        text += _TAG.sub("", raw[pos : match.start()])
        inner = _TAG.sub("", match.group(1))
        spans.append((len(text), len(text) + len(inner)))
        text += inner
        pos = match.end()
    text += _TAG.sub("", raw[pos:])
    return text, spans or None


def _date(value: Any) -> tuple[int | None, str]:
    """(year, the whole date as biblatex writes it: 2024, 2024-04-24, 1984/1986)."""
    if not isinstance(value, dict):
        return None, ""
    parts = value.get("date-parts")
    dates = []
    if isinstance(parts, list):
        for part in parts[:2]:
            if isinstance(part, list) and part and all(_text(p).isdigit() for p in part[:3]):
                numbers = [int(_text(p)) for p in part[:3]]
                dates.append("-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:])]))
    if dates:
        return int(dates[0][:4]), "/".join(dates)
    raw = _text(value.get("raw") or value.get("literal"))
    found = re.match(r"^(\d{4})", raw)
    return (int(found.group(1)) if found else None), raw


def paper_from_item(item: Any) -> Paper:
    """One CSL-JSON item. Raises ValueError with the reason if it is not one."""
    if not isinstance(item, dict):
        raise ValueError(f"not an object but {type(item).__name__}")
    key = _text(item.get("citation-key") or item.get("citationKey") or item.get("id"))
    paper = Paper(id=key if is_valid_key(key) else "", key=key)
    kind = _text(item.get("type"))
    paper.entry_type = TYPES.get(kind, "misc")
    paper.title, paper.title_case = _title(item.get("title"))
    for variable, attribute in (("author", "authors"), ("editor", "editors"),
                                ("translator", "translators")):
        names = item.get(variable)
        if isinstance(names, list):
            people = [Person.from_csl(n) for n in names]
            setattr(paper, attribute, [p for p in people if p])
    paper.year, date = _date(item.get("issued"))
    if date and date != str(paper.year):
        paper.extra["date"] = date
    paper.venue = _text(item.get("container-title"))
    if paper.venue:
        paper.venue_field = _VENUE_FIELD.get(paper.entry_type, "journal")
    paper.abstract = clean_text(_text_multiline(item.get("abstract")), multiline=True)
    paper.url = clean_url(_text(item.get("URL")))
    doi = _text(item.get("DOI"))
    paper.doi = clean_doi(doi) or doi_from_url(paper.url)
    if doi and clean_doi(doi) != doi:
        paper.extra["doi"] = doi  # a short DOI (10/abc) or a link: kept as given
    _, accessed = _date(item.get("accessed"))
    if accessed:
        paper.extra["urldate"] = accessed
    for variable, value in item.items():
        if variable in _READ:
            continue
        name = FIELDS.get(variable, variable.lower())
        text = _text(value)
        if text and name not in paper.extra:
            paper.extra[name] = text
    paper.arxiv_id = (
        normalise_arxiv_id(paper.url)
        or find_arxiv_id(paper.extra.get("number", ""))
        or _arxiv_from_doi(paper.doi)
    )
    return paper


def _text_multiline(value: Any) -> str:
    return value if isinstance(value, str) else _text(value)


def _arxiv_from_doi(doi: str) -> str:
    found = re.match(r"^10\.48550/arxiv\.(.+)$", doi, re.I)
    return normalise_arxiv_id(found.group(1)) if found else ""


def parse_csl(data: Any) -> ParseResult:
    """Papers from parsed CSL-JSON (see `looks_like_csl`)."""
    result = ParseResult("csl-json")
    for number, item in enumerate(_items(data) or [], 1):
        what = f"item {number}"
        if isinstance(item, dict) and _text(item.get("id")):
            what += f" ({_text(item.get('id'))[:60]!r})"
        result.take(what, partial(paper_from_item, item), known_by="key")
    return result


def looks_like_csl_text(text: str) -> bool:
    from .jsonexport import load_json, looks_like_json

    if not looks_like_json(text):
        return False
    try:
        return looks_like_csl(load_json(text))
    except ImportFormatError:
        return False


def parse_csl_text(text: str) -> ParseResult:
    """Papers from CSL-JSON text (`--format csl-json`)."""
    from .jsonexport import load_json

    return parse_csl(load_json(text))
