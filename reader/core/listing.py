"""Plain-text views of papers for the command line."""

from __future__ import annotations

import textwrap
from datetime import datetime

from .models import Paper
from .text import strip_controls, tex_to_plain


def display_title(paper: Paper) -> str:
    """The title, or what stands for it until the paper is enriched."""
    if paper.title:
        return paper.title
    if paper.arxiv_id:
        return f"arXiv:{paper.arxiv_id}"
    return f"doi:{paper.doi}" if paper.doi else "(untitled)"


def byline(paper: Paper) -> str:
    """"Vaswani et al. 2017", "Vaswani 2017", "2017" or ""."""
    name = paper.first_author_last
    if name and len(paper.authors) > 2:
        name += " et al."
    elif len(paper.authors) == 2:
        name += f" & {paper.authors[1].last}"
    parts = [part for part in (name, str(paper.year) if paper.year else "") if part]
    return " ".join(parts)


def marks(paper: Paper) -> str:
    return ("★" if paper.starred else " ") + ("✓" if paper.read else "•")


def local_time(stamp: str | None) -> str:
    """An ISO timestamp as local time to the minute: "2026-11-29 12:03".
    A timestamp without a zone is taken as written; one that does not read, as it is."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


def format_row(paper: Paper) -> str:
    """One line: id, marks, title, author and year, tags. Text from a library
    is shown without control characters or escapes, whoever wrote the file."""
    line = f"{paper.id:<24} {marks(paper)} {tex_to_plain(display_title(paper))}"
    by = byline(paper)
    if by:
        line += f" — {by}"
    if paper.tags:
        line += "  " + " ".join(f"#{t}" for t in paper.tags)
    return strip_controls(line)


def format_details(paper: Paper, width: int = 88) -> str:
    """Everything about one paper, for `reader show`."""
    lines = [tex_to_plain(display_title(paper))]
    if paper.authors:
        lines.append(", ".join(a.display for a in paper.authors))
    facts = [
        ("id", paper.id),
        ("year", str(paper.year) if paper.year else ""),
        ("venue", paper.venue),
        ("arXiv", paper.arxiv_id),
        ("DOI", paper.doi),
        ("url", paper.url),
        ("code", paper.code_url),
        ("pdf", paper.pdf_url),
        ("tags", ", ".join(paper.tags)),
        ("status", ("read" if paper.read else "unread") + (", starred" if paper.starred else "")),
        ("added", local_time(paper.added)),
        ("read", local_time(paper.read_at) if paper.read else ""),
    ]
    lines.append("")
    lines += [f"{label:>6}  {value}" for label, value in facts if value]
    if paper.abstract:
        lines.append("")
        lines += textwrap.wrap(tex_to_plain(paper.abstract), width) or [""]
    if paper.notes:
        lines += ["", "notes:", textwrap.indent(paper.notes, "  ")]
    return strip_controls("\n".join(lines))
