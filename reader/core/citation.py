"""Citations of a paper: BibTeX, APA 7, a Markdown link line, plain text.

Every format leaves out what is unknown, so no citation ever shows `None`,
empty braces or brackets, or punctuation around a missing field.

BibTeX entries are written by `bibwriter` (see there).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..errors import ReaderError
from .bibwriter import bare_doi, bibtex_entry, bibtex_many, entry_type, is_arxiv_venue
from .formats import CITATION_FORMATS
from .models import Paper
from .names import Person
from .text import squash as _squash
from .text import tex_to_plain

FORMATS = CITATION_FORMATS
__all__ = ["FORMATS", "bare_doi", "bibtex_many", "cite", "entry_type", "is_arxiv_venue"]




# ---------------------------------------------------------------- text formats
def _sentence(text: str) -> str:
    """The text ending with one full stop (or its own ? or !)."""
    text = _squash(text).rstrip(" .,;:")
    return text if not text or text[-1] in "?!" else text + "."


def name_parts(author: Person) -> tuple[str, str, str]:
    """(family with its particle, given, suffix) of a name."""
    return author.last, author.given, author.suffix


def _initials(given: str) -> str:
    """ "Aidan N." -> "A. N."; "Jean-Pierre" -> "J.-P." """
    out = []
    for part in given.split():
        letters = [next((c for c in piece if c.isalnum()), "") for piece in part.split("-")]
        initials = "-".join(f"{c}." for c in letters if c)
        if initials:
            out.append(initials)
    return " ".join(out)


def _apa_name(author: Person) -> str:
    family, given, suffix = name_parts(author)
    return ", ".join(filter(None, [family or given, _initials(given) if family else "", suffix]))


def _short_name(author: Person) -> str:
    family, given, _ = name_parts(author)
    return " ".join(filter(None, [_initials(given) if family else "", family or given]))


def _authors(paper: Paper) -> list[Person]:
    return [a for a in paper.authors if a]


def _title(paper: Paper) -> str:
    return _squash(tex_to_plain(paper.title)) or paper.id


def _pages(paper: Paper) -> str:
    pages = _squash(paper.extra.get("pages", ""))
    return re.sub(r"\s*-+\s*", "\u2013", pages)


def _url(url: str) -> str:
    return re.sub(r"\s", lambda m: quote(m.group()), url.strip())


def _link(paper: Paper) -> str:
    """DOI, else the paper's page, else arXiv, else the PDF."""
    doi = bare_doi(paper.doi)
    return _url(f"https://doi.org/{doi}" if doi else paper.url or paper.arxiv_url or paper.pdf_url)


def _code(paper: Paper) -> str:
    return _url(paper.code_url)


def apa(paper: Paper) -> str:
    """APA 7. The title is kept as given: turning it into sentence case
    would lower-case proper nouns and acronyms that we cannot tell apart."""
    names = [_apa_name(a) for a in _authors(paper)]
    if len(names) > 20:
        names = names[:19] + [". . . " + names[-1]]
        who = ", ".join(names)
    elif len(names) > 1:
        who = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        who = "".join(names)
    when = f"({paper.year})." if paper.year is not None else "(n.d.)."
    title = _sentence(_title(paper))
    parts = [_sentence(who), when, title] if who else [title, when]
    kind, venue = entry_type(paper), _squash(tex_to_plain(paper.venue))
    volume, number = _squash(paper.extra.get("volume", "")), _squash(paper.extra.get("number", ""))
    pages = _pages(paper)
    if venue and kind == "article":
        issue = f"{volume}({number})" if volume and number else volume
        parts.append(_sentence(", ".join(filter(None, [venue, issue, pages]))))
    elif venue and kind in ("inproceedings", "conference", "incollection"):
        parts.append(_sentence(f"In {venue}" + (f" (pp. {pages})" if pages else "")))
    elif venue:
        parts.append(_sentence(venue))
    elif paper.arxiv_id:
        parts.append("arXiv.")
    if kind == "book" and paper.extra.get("publisher") and venue != paper.extra["publisher"]:
        parts.append(_sentence(paper.extra["publisher"]))
    parts.append(_link(paper) or _code(paper))
    return " ".join(p for p in parts if p)


def markdown(paper: Paper) -> str:
    """`[Title](link) — Vaswani et al., 2017`, for notes."""
    title = re.sub(r"([\\\[\]])", r"\\\1", _title(paper))
    link, code = _url(paper.link), _code(paper)
    line = f"[{title}]({_md_url(link)})" if link else title
    families = [name_parts(a)[0] or name_parts(a)[1] for a in _authors(paper)]
    if len(families) > 2:
        who = f"{families[0]} et al."
    else:
        who = " and ".join(families)
    byline = ", ".join(filter(None, [who, "" if paper.year is None else str(paper.year)]))
    if byline:
        line += " \u2014 " + byline
    if code and code != link:
        line += f" \u00b7 [code]({_md_url(code)})"
    return line


def _md_url(url: str) -> str:
    return re.sub(r"[\s()<>]", lambda m: quote(m.group()), url.strip())


def plain(paper: Paper) -> str:
    """`A. Vaswani, N. Shazeer, et al. Title. Venue, 2017. https://...`"""
    names = [_short_name(a) for a in _authors(paper)]
    if len(names) > 3:
        who = ", ".join(names[:2]) + ", et al."
    elif len(names) == 3:
        who = f"{names[0]}, {names[1]}, and {names[2]}"
    else:
        who = " and ".join(names)
    venue = _squash(tex_to_plain(paper.venue)) or ("arXiv" if paper.arxiv_id else "")
    where = ", ".join(filter(None, [venue, "" if paper.year is None else str(paper.year)]))
    link = _link(paper)
    code = _code(paper)
    code = f"Code: {code}" if code and code != link else ""
    parts = [_sentence(who), _sentence(_title(paper)), _sentence(where), link, code]
    return " ".join(p for p in parts if p)


def cite(paper: Paper, fmt: str = "bibtex") -> str:
    """The paper cited in one of FORMATS."""
    if fmt == "bibtex":
        return bibtex_entry(paper, abstracts=False)
    if fmt == "apa":
        return apa(paper)
    if fmt == "markdown":
        return markdown(paper)
    if fmt == "plain":
        return plain(paper)
    raise ReaderError(f"unknown citation format: {fmt!r} (use {', '.join(FORMATS)})")
