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


# Well-known works, as the tests of citations, exports and queries use them. A
# test passes the fields it is about (more authors, a reader's state...).


def attention(**fields: Any) -> Paper:
    """A conference paper with an arXiv id, a link and extra fields."""
    return Paper(**{
        "id": "vaswani2017attention",
        "title": "Attention Is All You Need",
        "authors": ["Ashish Vaswani", "Noam Shazeer", "Łukasz Kaiser"],
        "year": 2017,
        "venue": "Advances in Neural Information Processing Systems",
        "url": "https://proceedings.neurips.cc/paper/2017/hash/3f5ee243.html",
        "arxiv_id": "1706.03762",
        "category": "cs.CL",
        "extra": {"pages": "5998--6008", "volume": "30"},
        **fields,
    })


def lenet(**fields: Any) -> Paper:
    """A journal article with a DOI, volume, number, pages and publisher."""
    return Paper(**{
        "id": "lecun1998gradient",
        "title": "Gradient-Based Learning Applied to Document Recognition",
        "authors": ["Yann LeCun", "Léon Bottou"],
        "year": 1998,
        "venue": "Proceedings of the IEEE",
        "entry_type": "article",
        "doi": "10.1109/5.726791",
        "extra": {"volume": "86", "number": "11", "pages": "2278-2324", "publisher": "IEEE"},
        **fields,
    })


def instructgpt(**fields: Any) -> Paper:
    """A preprint known by its arXiv id only."""
    return Paper(**{
        "id": "ouyang2022training",
        "title": "Training language models to follow instructions with human feedback",
        "authors": ["Long Ouyang", "Jeff Wu"],
        "year": 2022,
        "arxiv_id": "2203.02155",
        "category": "cs.LG",
        **fields,
    })


def minirag(**fields: Any) -> Paper:
    """A paper from a trending page: a title, an abstract and a code link."""
    return Paper(**{
        "id": "minirag",
        "title": "MiniRAG: Towards Extremely Simple Retrieval-Augmented Generation",
        "abstract": "A small retrieval-augmented generator for short questions...",
        "code_url": "https://github.com/HKUDS/MiniRAG",
        **fields,
    })
