"""Export papers as BibTeX, our own JSON, a Markdown reading list or CSL-JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote

from ..errors import ReaderError
from .bibwriter import bibtex_many
from .citation import cite_many
from .csl import csl_item, person
from .formats import DEFAULT_STYLE, EXPORT_FORMATS, STYLED_EXPORTS
from .listing import display_title
from .markdown_safe import md_link, md_notes, md_text
from .models import Paper
from .text import clean_paper, tex_to_plain

__all__ = ["FORMATS", "export"]

#: The names of the export formats (the registry is `formats.EXPORT_FORMATS`).
FORMATS = tuple(EXPORT_FORMATS)


def export(
    papers: Iterable[Paper], fmt: str, style: str | None = None, *, abstracts: bool = True
) -> str:
    """The papers as one document in one of `EXPORT_FORMATS`. With a style
    (a CSL style's name or file), `markdown` and `plain` are a bibliography
    in that style; BibTeX leaves abstracts out if `abstracts` is False."""
    if fmt not in EXPORT_FORMATS:
        raise ReaderError(f"unknown export format: {fmt!r} (use {', '.join(FORMATS)})")
    kind = EXPORT_FORMATS[fmt]
    if style and not kind.styled:
        raise ReaderError(f"--style applies to {' and '.join(STYLED_EXPORTS)}, not {fmt}")
    papers = [clean_paper(p) for p in papers]
    if style:
        return bibliography(papers, style, kind.styled)
    if fmt == "bibtex" and not abstracts:
        return bibtex_many(papers, abstracts=False)
    return kind.write(papers)


def json_document(papers: list[Paper]) -> str:
    """reader's own JSON: every field of every paper, read back by `import`."""
    return json.dumps([p.to_dict() for p in papers], ensure_ascii=False, indent=2) + "\n"


def csl_json(papers: list[Paper]) -> str:
    """The CSL-JSON items citation styles read (`csl.csl_item`)."""
    return json.dumps([csl_item(p) for p in papers], ensure_ascii=False, indent=2) + "\n"


def plain_bibliography(papers: list[Paper]) -> str:
    return bibliography(papers, DEFAULT_STYLE, "text")


# ---------------------------------------------------------------- by a style
def bibliography(papers: list[Paper], style: str, output: str) -> str:
    """One entry a paragraph, in the style's order."""
    entries = cite_many(papers, style, output)
    return "\n\n".join(entries) + "\n" if entries else ""


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
        item.append(_reading_item(paper))
        item += ["#" + md_text("-".join(t.split())) for t in paper.tags if t.strip()]
        lines.append(" ".join(item))
        notes = md_notes(paper.notes.strip())
        if notes:
            lines += [f"  > {line}".rstrip() for line in notes.splitlines()]
    return "\n".join(lines).rstrip("\n") + "\n"


def _reading_item(paper: Paper) -> str:
    """`[Title](link) — Vaswani et al., 2017 · [code](link)`: the paper's own
    link (never its code, which gets its own)."""
    title = " ".join(tex_to_plain(paper.title).split()) or display_title(paper)
    title = md_text(title)
    link = md_link(paper.url or paper.arxiv_url or paper.doi_url or paper.pdf_url)
    code = md_link(paper.code_url)
    line = f"[{title}]({link})" if link else title
    families = [md_text(person(a).last) for a in paper.authors]
    families = [f for f in families if f]
    who = f"{families[0]} et al." if len(families) > 2 else " and ".join(families)
    byline = ", ".join(filter(None, [who, "" if paper.year is None else str(paper.year)]))
    if byline:
        line += " \u2014 " + byline
    if code and code != link:
        line += f" \u00b7 [code]({code})"
    return line


def _md_url(url: str) -> str:
    return re.sub(r"[\s()<>]", lambda m: quote(m.group()), url.strip())
