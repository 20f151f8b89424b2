"""Orders of the paper list, shared by the CLI and the TUI."""

from __future__ import annotations

from collections.abc import Sequence

from .models import Paper
from .text import fold

SORTS = ("added", "title", "year", "for-you")


def sort_papers(
    papers: Sequence[Paper], by: str = "added", *, starred_first: bool = False
) -> list[Paper]:
    """`papers` in the order `by`; the input is assumed newest-import first.

    added: as given (newest import first, file order within an import);
    title: alphabetical, ignoring case and accents; year: newest first, papers
    without a year last. Sorting is stable, so ties keep the added order.
    for-you needs the whole library (`ranking.rank_for_you`); here, without
    it, it is the added order, which is also its fallback.
    """
    if by == "title":
        result = sorted(papers, key=lambda p: fold(p.title))
    elif by == "year":
        result = sorted(papers, key=lambda p: -(p.year or -10**6))
    elif by in ("added", "for-you"):
        result = list(papers)
    else:
        raise ValueError(f"unknown sort {by!r}")
    if starred_first:
        result.sort(key=lambda p: not p.starred)
    return result
