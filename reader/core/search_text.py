"""The text a query's words search in a paper, folded, and the other
columns a `query.Matcher` keeps of each paper."""

from __future__ import annotations

import re

from .models import Paper
from .text import fold, normalise_tag, squash, tex_to_plain


def _with_plain(text: str) -> str:
    """The text, followed by its plain form when it holds TeX math."""
    return f"{text} {tex_to_plain(text)}" if "$" in text else text


_SPACE_RUNS = re.compile(r"[ \t\r\f\v]{2,}|[\t\r\f\v]")


def haystack(paper: Paper, abstract: str | None = None) -> str:
    """The folded text that words search: title, abstract, authors, venue,
    tags and notes, each on its own line (so a phrase never spans two fields).
    Runs of white space are single spaces, as in a folded query.
    `abstract`: the paper's abstract when it is not held by the paper."""
    text = "\n".join(
        (
            _with_plain(paper.title).replace("\n", " "),
            _with_plain(paper.abstract if abstract is None else abstract).replace("\n", " "),
            ", ".join(a.display for a in paper.authors),
            paper.venue.replace("\n", " "),
            " ".join(paper.tags),
            paper.notes.replace("\n", " "),
        )
    )
    text = fold(text)
    if "  " in text or "\t" in text or "\r" in text:
        text = _SPACE_RUNS.sub(" ", text)
    return text


def has_abstract(hay: str) -> bool:
    """Whether a search text (`haystack`) holds an abstract: its second line."""
    return bool(hay.split("\n", 2)[1].strip())


def tag_keys(paper: Paper) -> frozenset[str]:
    return frozenset(normalise_tag(t) for t in paper.tags)


def author_text(paper: Paper) -> str:
    # Any part matches: "Aaron van den Oord" and "van den Oord, Aaron".
    return "\n".join(
        squash(fold(f"{a.display} / {a.last}, {a.given} {a.suffix}")) for a in paper.authors
    )
