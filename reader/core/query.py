"""Applying a query: `Matcher` filters many papers by a parsed `Query`.

The query language itself (its words, qualifiers and parser) is in
`query_parse`; its names are here too, so `reader.core.query` is the one
place to import a query from, whether to parse it or to apply it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import compress, repeat
from operator import attrgetter, not_
from typing import cast

from .models import Paper
from .query_parse import (
    HAS_TESTS,
    HAS_VALUES,
    IS_VALUES,
    QUALIFIERS,
    Query,
    Term,
    Typed,
    highlight_terms,
    parse_partial,
    parse_query,
)
from .search_text import author_text as _author_text
from .search_text import has_abstract as _has_abstract
from .search_text import haystack
from .search_text import tag_keys as _tag_keys

__all__ = [
    "HAS_VALUES", "IS_VALUES", "QUALIFIERS", "Matcher", "Query", "Term", "Typed",
    "haystack", "highlight_terms", "parse_partial", "parse_query",
]


def _simple_test(term: Term) -> Callable[[Paper], object]:
    """A truthy test of a paper's own fields, for is:, has: and year: terms."""
    if term.kind == "is":
        return attrgetter(str(term.value))
    if term.kind == "has":
        return HAS_TESTS[str(term.value)]
    lo, hi = cast(tuple[int, int], term.value)
    return lambda p: p.year is not None and lo <= p.year <= hi


_COST = {"is": 0, "has": 1, "year": 1, "tag": 2, "author": 3}


def _order(term: Term) -> tuple[int, int]:
    """Cheap and selective terms first: words before phrases (which search
    the longer text), exclusions last, long words (rarer) before short."""
    if term.kind == "word":
        value = str(term.value)
        return (4 + (" " in value) + 2 * term.negated, -len(value))
    return (_COST[term.kind], 0)


class Matcher:
    """Filters many papers fast, with each paper's search text cached: the
    one place a query is applied (`reader list`, `reader export`, the filter).

    Call `update(paper)` whenever a paper's metadata or state changes (or a
    new paper appears) and `remove(pid)` when one goes: the cached text
    depends on it.

    The search text of a paper is made the first time a query needs it, so a
    large library costs nothing until it is searched. Every loop over the
    papers runs in C (`map`, `compress`).

    `abstract_of` gives a paper's abstract where the papers do not hold
    theirs (the app's large libraries: `LibraryStore.abstract`); `texts` is
    a cache of search texts to share (`LibraryStore.search_texts`).
    """

    def __init__(
        self,
        papers: Iterable[Paper] = (),
        abstract_of: Callable[[Paper], str] | None = None,
        texts: dict[str, str] | None = None,
    ) -> None:
        self._papers: dict[str, Paper] = {p.id: p for p in papers}
        self._hay: dict[str, str] = {} if texts is None else texts
        self._make_hay: Callable[[Paper], str] = (
            haystack if abstract_of is None else (lambda p: haystack(p, abstract_of(p)))
        )
        self._tags: dict[str, frozenset[str]] = {}
        self._authors: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._papers)

    def update(self, paper: Paper) -> None:
        """Add a paper, or refresh the cached text of one that changed."""
        self._papers[paper.id] = paper
        self._forget(paper.id)

    def remove(self, pid: str) -> None:
        self._papers.pop(pid, None)
        self._forget(pid)

    def _forget(self, pid: str) -> None:
        for cache in (self._hay, self._tags, self._authors):
            cache.pop(pid, None)

    def papers(self) -> list[Paper]:
        """All papers, in the order they were added."""
        return list(self._papers.values())

    def match(self, query: Query, papers: Sequence[Paper]) -> list[Paper]:
        """The papers of `papers` that match, in their order. A caller may
        search a long list a slice at a time (the UI's `Scan` does)."""
        hits = list(papers)
        for term in sorted(query.terms, key=_order):
            if not hits:
                break
            kind, value = term.kind, term.value
            keep: Iterable[object]
            if kind == "word":
                column = self._column(self._hay, self._make_hay, hits)
                keep = map(str.__contains__, column, repeat(str(value)))
            elif kind == "has" and value == "abstract":
                keep = map(_has_abstract, self._column(self._hay, self._make_hay, hits))
            elif kind == "tag":
                column = self._column(self._tags, _tag_keys, hits)
                keep = map(frozenset.__contains__, column, repeat(value))
            elif kind == "author":
                column = self._column(self._authors, _author_text, hits)
                keep = map(str.__contains__, column, repeat(str(value)))
            else:
                keep = map(_simple_test(term), hits)
            if term.negated:
                keep = map(not_, keep)
            hits = list(compress(hits, keep))
        return hits

    @staticmethod
    def _column(cache: dict, make: Callable[[Paper], object], papers: list[Paper]) -> list:
        """The cached value of each paper, made where missing."""
        try:
            return list(map(cache.__getitem__, map(_ID, papers)))
        except KeyError:
            for paper in papers:
                if paper.id not in cache:
                    cache[paper.id] = make(paper)
            return list(map(cache.__getitem__, map(_ID, papers)))


_ID = attrgetter("id")
