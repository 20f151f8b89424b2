"""Export papers as BibTeX, our own JSON, a Markdown reading list or CSL-JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from ..errors import ReaderError
from .bibwriter import bare_doi, bibtex_many, entry_type, is_arxiv_venue
from .citation import markdown
from .formats import EXPORT_FORMATS
from .models import Paper
from .text import tex_to_plain

__all__ = ["FORMATS", "export"]

#: The names of the export formats (the registry is `formats.EXPORT_FORMATS`).
FORMATS = tuple(EXPORT_FORMATS)

_CSL_TYPE = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
}
#: Where the venue goes, for types whose venue is not a container.
_VENUE_AS_PUBLISHER = ("book", "thesis", "report")
#: extra key -> CSL variable.
_CSL_EXTRA = {
    "volume": "volume",
    "pages": "page",
    "publisher": "publisher",
    "address": "publisher-place",
    "edition": "edition",
    "isbn": "ISBN",
    "issn": "ISSN",
    "note": "note",
}


def export(papers: Iterable[Paper], fmt: str, *, abstracts: bool = True) -> str:
    """The papers as one document in one of `EXPORT_FORMATS` (BibTeX without
    abstracts if `abstracts` is False)."""
    if fmt not in EXPORT_FORMATS:
        raise ReaderError(f"unknown export format: {fmt!r} (use {', '.join(FORMATS)})")
    if fmt == "bibtex" and not abstracts:
        return bibtex_many(list(papers), abstracts=False)
    return EXPORT_FORMATS[fmt].write(list(papers))


def json_document(papers: list[Paper]) -> str:
    """reader's own JSON: every field of every paper, read back by `import`."""
    return json.dumps([p.to_dict() for p in papers], ensure_ascii=False, indent=2) + "\n"


def csl_json(papers: list[Paper]) -> str:
    return json.dumps([csl_item(p) for p in papers], ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- Markdown
def reading_list(papers: list[Paper]) -> str:
    """A heading, then `- [x] ★ [Title](link) — Author, 2017 #tag`, with the
    notes quoted beneath."""
    read = sum(p.read for p in papers)
    count = f"{len(papers)} paper{'s' * (len(papers) != 1)}, {read} read."
    lines = ["# Reading list", "", count if papers else "No papers.", ""]
    for paper in papers:
        item = ["- [x]" if paper.read else "- [ ]"]
        if paper.starred:
            item.append("\u2605")
        item.append(markdown(paper))
        item += ["#" + "-".join(t.split()) for t in paper.tags if t.strip()]
        lines.append(" ".join(item))
        notes = paper.notes.strip()
        if notes:
            lines += [f"  > {line}".rstrip() for line in notes.splitlines()]
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- CSL-JSON
def csl_item(paper: Paper) -> dict[str, Any]:
    """One CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/)."""
    kind = entry_type(paper)
    preprint = kind == "misc" and bool(paper.arxiv_id)
    csl_type = _CSL_TYPE.get(kind, "article")
    item: dict[str, Any] = {"id": paper.id, "type": csl_type}
    item["title"] = " ".join(tex_to_plain(paper.title).split())
    authors = [a.to_csl() for a in paper.authors if a]
    if authors:
        item["author"] = authors
    if paper.year is not None:
        item["issued"] = {"date-parts": [[paper.year]]}
    venue = " ".join(paper.venue.split())
    if venue and not (preprint and is_arxiv_venue(venue)):
        item["publisher" if csl_type in _VENUE_AS_PUBLISHER else "container-title"] = venue
    extra = {k.strip().lower(): " ".join(v.split()) for k, v in paper.extra.items()}
    for key, variable in _CSL_EXTRA.items():
        if extra.get(key) and variable not in item:
            item[variable] = extra[key]
    if "page" in item:
        item["page"] = re.sub(r"\s*-+\s*", "-", item["page"])
    if extra.get("number"):
        item["number" if csl_type == "report" else "issue"] = extra["number"]
    if preprint:
        item.setdefault("publisher", "arXiv")
        item["number"] = f"arXiv:{paper.arxiv_id}"
    if paper.doi:
        item["DOI"] = bare_doi(paper.doi)
    url = paper.url or paper.arxiv_url or paper.pdf_url or paper.code_url
    if url:
        item["URL"] = url.strip()
    if paper.abstract.strip():
        item["abstract"] = paper.abstract.strip()
    return {k: v for k, v in item.items() if v not in ("", None, [], {})}
