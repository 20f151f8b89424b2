"""A trending-papers page pasted as text: a title line, then an abstract line.

The page's own lines ("Get trending papers in your email inbox!",
"Subscribe") are dropped, also when the copy glued "Subscribe" to the first
title. A line after a title is its abstract unless it looks like a title
itself (short, no sentence structure): then the first paper simply has no
abstract. Prose after an abstract continues it. Links in the abstract give
the paper its `url` and `code_url` (see `links.pick_links`).
"""

from __future__ import annotations

import re

from ..models import Paper
from ..text import clean_text
from .common import ParseResult, shorten
from .links import pick_links, unwrap_links

BOILERPLATE = frozenset(
    {
        "get trending papers in your email inbox once a day",
        "get trending papers in your email inbox",
        "subscribe",
    }
)
_GLUED = re.compile(r"^Subscribe(?![a-z])\s*(?P<rest>\S.*)$")
_LETTER = re.compile(r"[^\W\d_]")
# A full stop that ends a sentence: after a word that is not an abbreviation.
_SENTENCE_BREAK = re.compile(r"(?<![A-Z])(?<!\bvs)(?<!\be\.g)(?<!\bi\.e)(?<!\bal)(?<!\bcf)"
                             r"(?<!\bet)(?<!\bFig)(?<!\bEq)(?<!\bSec)(?<!\bNo)\.\s+[A-Z(]")

TITLE_MAX_CHARS = 250
TITLE_MAX_WORDS = 30
#: The shortest abstract that counts as one when detecting the format.
PROSE_MIN_CHARS = 80


def _normal(line: str) -> str:
    return " ".join(line.lower().split()).rstrip("!.")


_LONGEST_BOILERPLATE = max(map(len, BOILERPLATE)) + 8


def is_boilerplate(line: str) -> bool:
    return len(line) <= _LONGEST_BOILERPLATE and _normal(line) in BOILERPLATE


def looks_like_title(line: str) -> bool:
    """Short, and not built of sentences: a title rather than an abstract."""
    if len(line) > TITLE_MAX_CHARS or len(line.split()) > TITLE_MAX_WORDS:
        return False
    if line.endswith(".") and not line.endswith(".."):
        return False
    return ". " not in line or not _SENTENCE_BREAK.search(line)


def _lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of the lines that matter, page furniture removed."""
    out: list[tuple[int, str]] = []
    after_furniture = True  # the top of the page counts as furniture
    for number, raw in enumerate(text.splitlines(), 1):
        line = clean_text(raw)
        if not line:
            out.append((number, ""))
            continue
        if is_boilerplate(line):
            after_furniture = True
            continue
        glued = _GLUED.match(line)
        if glued and after_furniture:
            line = glued.group("rest")
        after_furniture = False
        out.append((number, line))
    return out


def looks_like_trending(text: str) -> bool:
    """At least one title-like line followed by a long line of prose."""
    previous = ""
    for _, line in _lines(text[:200_000]):
        if not line:
            continue
        if (
            previous
            and looks_like_title(previous)
            and len(line) >= PROSE_MIN_CHARS
            and not looks_like_title(line)
        ):
            return True
        previous = line
    return False


def _paper(title: str, abstract: list[str]) -> Paper:
    """A paper of lines `_lines` cleaned: cleaned again only where a link in
    them was unwrapped."""
    text = "".join(abstract)
    linked = "://" in text
    if linked:
        text = unwrap_links(text)
    url, code_url = pick_links(text)
    return Paper(
        id="",
        title=clean_text(unwrap_links(title)) if "://" in title else title,
        abstract=clean_text(text, multiline=True) if linked else text,
        url=url,
        code_url=code_url,
    )


def _opens_pair(line: str, following: str | None) -> bool:
    """Whether a line that is not title-like is still a title: one shorter than
    a title's limit, followed by a much longer abstract (a title that ends in a
    full stop, say). Lines of a hard-wrapped abstract are all about as long."""
    return (
        following is not None
        and len(line) <= TITLE_MAX_CHARS
        and not looks_like_title(following)
        and len(following) >= max(200, 2 * len(line))
    )


def parse_trending(text: str) -> ParseResult:
    result = ParseResult("trending")
    lines = _lines(text)
    filled = [i for i, (_, line) in enumerate(lines) if line]
    title: str | None = None
    abstract: list[str] = []

    def finish() -> None:
        if title is not None:
            result.papers.append(_paper(title, abstract))

    for k, i in enumerate(filled):
        number, line = lines[i]
        following = lines[filled[k + 1]][1] if k + 1 < len(filled) else None
        blank_before = i > 0 and not lines[i - 1][1]
        if not _LETTER.search(line):
            result.skipped.append((f"line {number} {shorten(line)!r}", "not a title"))
        elif looks_like_title(line) or (
            (title is None or abstract) and _opens_pair(line, following)
        ):
            finish()
            title, abstract = line, []
        elif title is None:
            result.skipped.append(
                (f"line {number} {shorten(line)!r}", "text with no title before it")
            )
        else:
            if abstract:
                abstract.append("\n" if blank_before else " ")
            abstract.append(line)
    finish()
    return result
