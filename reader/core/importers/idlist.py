"""A plain list of arXiv ids, arXiv links or DOIs, one a line.

`2203.02155`, `arXiv:2203.02155v2`, `https://arxiv.org/abs/2203.02155`,
`https://arxiv.org/pdf/2203.02155v3.pdf`, `hep-th/9901001`, `math.GT/0309136`,
`10.1109/CVPR.2016.90`, `doi:10.1109/...`, `https://doi.org/10.1109/...`.
Blank lines and `#` comments are ignored; so is a comment after an id.

Each id becomes a paper with only its arXiv id or DOI and link (`ids.work_id`):
the title is left empty, for a look-up to fill in (only empty fields are
ever filled in), and lists show the id in its place.
"""

from __future__ import annotations

from ..ids import work_id
from ..text import clean_text
from .common import ParseResult, shorten

#: The share of lines that must be arXiv ids for a text to be an id list.
DETECT_SHARE = 0.8


def _entries(text: str) -> list[tuple[int, str]]:
    """(line number, text) of the lines that are neither blank nor comments."""
    out = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = clean_text(raw)
        if line.startswith("#"):
            continue
        line = line.split(" #", 1)[0].strip()
        if line:
            out.append((number, line))
    return out


#: Detection looks at the start of a text only: enough lines to tell.
DETECT_CHARS = 100_000


def looks_like_ids(text: str) -> bool:
    entries = _entries(text[:DETECT_CHARS])
    if not entries:
        return False
    ids = sum(1 for _, line in entries if work_id(line))
    return ids >= 1 and ids >= DETECT_SHARE * len(entries)


def parse_ids(text: str) -> ParseResult:
    result = ParseResult("ids")
    for number, line in _entries(text):
        found = work_id(line)
        if found is None:
            result.skipped.append(
                (f"line {number} {shorten(line)!r}", "not an arXiv id, arXiv link or DOI")
            )
            continue
        result.papers.append(found.paper())
    return result
