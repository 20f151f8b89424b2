"""Papers for tests: one factory for a paper, one for many, and fresh copies.

    paper("A title", year=2020)                    # id "" lets the library make one
    numbered(20, "Paper number {i}", abstract="words")  # ids p0..p19
    numbered(30, "Plain paper {i}", id="", year=lambda i: 2000 + i)
    copies(PAPERS)                                 # lists not shared with PAPERS
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from reader.core.models import Paper


def paper(title: str = "A paper", *, id: str = "", **fields: Any) -> Paper:
    """One paper; `id=""` (the default) lets the library give it its key."""
    return Paper(id=id, title=title, **fields)


def numbered(count: int, title: str = "Paper {i}", *, id: str = "p{i}", **fields: Any) -> list[Paper]:
    """`count` papers; `{i}` in the title and id (a format field) is the number,
    and a field given as a function is called with the number."""
    return [
        Paper(
            id=id.format(i=i),
            title=title.format(i=i),
            **{
                name: value(i) if isinstance(value, Callable) else copy.deepcopy(value)
                for name, value in fields.items()
            },
        )
        for i in range(count)
    ]


def copies(papers: Iterable[Paper]) -> list[Paper]:
    """Fresh copies, so that what a library does to its papers' lists does not
    change a module-level sample."""
    return copy.deepcopy(list(papers))
