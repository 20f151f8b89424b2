"""A paper as a CSL-JSON item: what citation styles read and `export --format csl-json` writes.

CSL-JSON is described at https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html.
The type comes from the BibTeX entry type (given, or guessed from the venue):

    article -> article-journal     inproceedings -> paper-conference
    book -> book                   incollection, inbook -> chapter
    phdthesis -> thesis ("Doctoral dissertation")
    mastersthesis -> thesis ("Master's thesis")
    techreport, report -> report   software -> software
    online, electronic, www -> webpage
    unpublished -> manuscript      misc and the rest -> document

A preprint (an arXiv id and no other venue) is an `article` with `arXiv` as
publisher and `arXiv:ID` as its number, which styles print. The venue is a
container title for articles, papers and chapters, and the publisher (the
school, the institution) for books, theses and reports. A code link is never
the work's URL: it goes in `note` as "Code: URL".
"""

from __future__ import annotations

import re
from typing import Any

from .citation import bare_doi, entry_type, is_arxiv_venue
from .models import Paper
from .names import Person, parse_bibtex_names
from .text import tex_to_plain

_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "incollection": "chapter",
    "inbook": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "software": "software",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "unpublished": "manuscript",
    "dataset": "dataset",
}
_GENRE = {"phdthesis": "Doctoral dissertation", "mastersthesis": "Master's thesis",
          "techreport": "Technical report"}
#: Types whose venue is who published them, not a container.
_VENUE_IS_PUBLISHER = ("book", "thesis", "report", "pamphlet")
#: BibTeX field -> CSL variable, for fields kept in `extra`.
_FIELDS = {
    "volume": "volume",
    "pages": "page",
    "edition": "edition",
    "isbn": "ISBN",
    "issn": "ISSN",
    "series": "collection-title",
    "version": "version",
    "address": "publisher-place",
    "location": "publisher-place",
    "language": "language",
}
_MONTHS = {name: n for n, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def _squash(text: Any) -> str:
    return " ".join(str(text or "").split())


def _plain(text: Any) -> str:
    return _squash(tex_to_plain(_squash(text)))


def person(name: Any) -> Person:
    """An author or editor as a Person (libraries still holding names as text are read too)."""
    return Person.from_text(name) if isinstance(name, str) else name


def _names(names: Any) -> list[dict[str, str]]:
    return [p.to_csl() for p in (person(n) for n in names or ()) if p]


def _editors(paper: Paper, extra: dict[str, str]) -> list[dict[str, str]]:
    editors = getattr(paper, "editors", None)
    if editors:
        return _names(editors)
    if extra.get("editor"):
        people, _ = parse_bibtex_names(extra["editor"], tex_to_plain)
        return _names(people)
    return []


def _month(text: str) -> int | None:
    text = text.strip().lower()[:3]
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTHS.get(text)


def _issued(paper: Paper, extra: dict[str, str]) -> dict[str, Any] | None:
    """`date` (2024, 2024-04, 2024-04-24, 1984/1986), else year and month."""
    spans = []
    for part in extra.get("date", "").split("/")[:2]:
        match = _DATE.fullmatch(part.strip())
        if match:
            spans.append([int(x) for x in match.groups() if x])
    if spans:
        return {"date-parts": spans}
    if paper.year is None:
        return None
    parts = [paper.year]
    month = _month(extra.get("month", ""))
    if month:
        parts.append(month)
    return {"date-parts": [parts]}


def _accessed(text: str) -> dict[str, Any] | None:
    match = _DATE.fullmatch(text.strip())
    return {"date-parts": [[int(x) for x in match.groups() if x]]} if match else None


def is_incomplete(paper: Paper) -> bool:
    """A paper known only by its arXiv id: no title yet (it is cited as `arXiv:ID`)."""
    return bool(paper.arxiv_id) and not _plain(paper.title)


def is_preprint(paper: Paper) -> bool:
    """An arXiv paper with no venue but arXiv (a `@misc`, or an `@article` in "arXiv preprint")."""
    if not paper.arxiv_id:
        return False
    return entry_type(paper) in ("misc", "unpublished") or is_arxiv_venue(paper.venue)


def code_note(paper: Paper) -> str:
    """"Code: URL" for a paper with a code link, else ""."""
    code = paper.code_url.strip()
    return f"Code: {code}" if code else ""


def _url(paper: Paper, doi: str) -> str:
    """The work's own page: never its code."""
    url = paper.url.strip()
    if url and (url == paper.code_url.strip() or (doi and re.match(r"(https?://)?(dx\.)?doi\.org/", url, re.I))):
        url = ""
    return url or paper.arxiv_url or paper.pdf_url.strip()


def csl_item(paper: Paper) -> dict[str, Any]:
    """The paper as one CSL-JSON item, without empty variables."""
    kind = entry_type(paper)
    csl_type = "article" if is_preprint(paper) else _TYPES.get(kind, "document")
    extra = {k.strip().lower(): _squash(v) for k, v in paper.extra.items()}
    item: dict[str, Any] = {"id": paper.id, "type": csl_type}
    item["title"] = _plain(paper.title)
    item["author"] = _names(paper.authors)
    item["editor"] = _editors(paper, extra)
    item["issued"] = _issued(paper, extra)
    item["accessed"] = _accessed(extra.get("urldate", ""))

    venue = _plain(paper.venue)
    preprint = is_preprint(paper)
    if preprint and is_arxiv_venue(venue):
        venue = ""
    container = _plain(extra.get("journal") or extra.get("booktitle") or "")
    publisher = _plain(extra.get("publisher") or extra.get("school")
                       or extra.get("institution") or extra.get("organization") or "")
    if csl_type in _VENUE_IS_PUBLISHER:
        publisher = publisher or venue
    else:
        container = container or venue
    if csl_type == "webpage":
        container = container or _plain(extra.get("howpublished", ""))
    item["container-title"] = container
    item["publisher"] = publisher
    for field, variable in _FIELDS.items():
        if extra.get(field) and variable not in item:
            item[variable] = _plain(extra[field])
    if "page" in item:
        item["page"] = re.sub(r"\s*[-\u2013\u2014]+\s*", "-", item["page"])
    number = _plain(extra.get("number", ""))
    if csl_type in ("report", "thesis", "software", "article", "document"):
        item["number"] = number
    else:
        item["issue"] = number
    item["genre"] = _plain(extra.get("type", "")) or _GENRE.get(kind, "")
    if csl_type == "thesis" and not item["genre"]:
        item["genre"] = "Thesis"
    if preprint:
        item["publisher"] = item["publisher"] or "arXiv"
        item["number"] = f"arXiv:{paper.arxiv_id}"
    doi = bare_doi(paper.doi)
    item["DOI"] = doi
    item["URL"] = _url(paper, doi)
    notes = [_plain(extra.get("note", "")), code_note(paper)]
    item["note"] = ". ".join(n for n in notes if n)
    item["abstract"] = paper.abstract.strip()
    return {k: v for k, v in item.items() if v not in ("", None, [], {})}
