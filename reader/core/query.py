"""The query language of `reader list QUERY` and of the live filter.

All terms must match (there is no OR):

    word  "a phrase"      substring of the title, abstract, authors, venue,
                          tags or notes; case- and accent-insensitive (also
                          for Ł, ø, æ and typographic dashes and quotes);
                          TeX math matches as written and as shown
    -word  -"a phrase"    must not occur; any qualifier can be negated: -is:read
    is:read  is:unread  is:starred  is:unstarred
    is:new                arrived from a feed and not seen yet
    tag:NAME              has this tag (whole tag, case-insensitive)
    author:NAME           NAME is part of an author's name
    year:2024  year:>=2023  year:>2023  year:<=2020  year:<2020  year:2019..2022
    has:notes  has:code  has:abstract  has:tags  has:arxiv  has:doi  has:pdf

A qualifier's value may be quoted: `author:"van der"`. `key:value` is a
qualifier only when `key` is one of is, tag, author, year or has (in any case);
any other `x:y` (`BERT:`, `arXiv:2203.02155`, a URL) is a plain word. A
qualifier with an unknown or empty value, and an unclosed quote, raise
QueryError; a lone `-` and an empty phrase `""` are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import attrgetter, not_
from typing import cast

from ..errors import QueryError
from .models import Paper
from .search_text import author_text as _author_text
from .search_text import has_abstract as _has_abstract
from .search_text import haystack
from .search_text import tag_keys as _tag_keys
from .text import fold, normalise_tag, squash

_IS = {
    "read": ("read", False),
    "unread": ("read", True),
    "starred": ("starred", False),
    "unstarred": ("starred", True),
    "new": ("new", False),
}
_HAS: dict[str, Callable[[Paper], object]] = {
    "notes": lambda p: p.notes.strip(),
    "code": attrgetter("code_url"),
    "abstract": lambda p: p.abstract.strip(),
    "tags": attrgetter("tags"),
    "arxiv": attrgetter("arxiv_id"),
    "doi": attrgetter("doi"),
    "pdf": lambda p: p.extra.get("file"),
}
#: The values of `is:` and `has:`, for help texts.
IS_VALUES = tuple(_IS)
HAS_VALUES = tuple(_HAS)
_KEYS = ("is", "tag", "author", "year", "has")
#: The qualifiers (`key:value`), and the values of `is:` and `has:`: help texts list them from here.
QUALIFIERS = _KEYS
IS_VALUES = tuple(_IS)
HAS_VALUES = tuple(_HAS)
_EXAMPLES = {
    "is": "is:read",
    "tag": "tag:NAME",
    "author": "author:NAME",
    "year": "year:2024",
    "has": "has:notes",
}
_YEAR = re.compile(r"(<=|>=|<|>|=)?([0-9]{1,4})")
_RANGE = re.compile(r"([0-9]{1,4})\.\.([0-9]{1,4})")

# ---------------------------------------------------------------- parsing
@dataclass(frozen=True)
class Term:
    #: "word" (words and phrases), "is", "has", "year", "tag" or "author".
    kind: str
    #: A folded string; for "is" and "has" the attribute; for "year" (lo, hi).
    value: object
    negated: bool = False

    def implies(self, other: Term) -> bool:
        """Whether every paper matching this term also matches `other`."""
        if self.kind == "word" and other.kind == "word" and self.negated == other.negated:
            a, b = str(self.value), str(other.value)
            return b in a if not self.negated else a in b
        return self == other


@dataclass(frozen=True)
class Query:
    """A parsed query, false when it has no terms; `Matcher.match` applies it."""

    text: str = ""
    terms: tuple[Term, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.terms)

    def narrows(self, previous: Query) -> bool:
        """Whether this query's hits are surely a subset of `previous`'s hits
        (`transfo` after `trans`; `rl is:unread` after `rl`)."""
        return all(any(t.implies(p) for t in self.terms) for p in previous.terms)


def _simple_test(term: Term) -> Callable[[Paper], object]:
    """A truthy test of a paper's own fields, for is:, has: and year: terms."""
    if term.kind == "is":
        return attrgetter(str(term.value))
    if term.kind == "has":
        return _HAS[str(term.value)]
    lo, hi = cast(tuple[int, int], term.value)
    return lambda p: p.year is not None and lo <= p.year <= hi


def _tokens(text: str, close_quotes: bool = False) -> Iterable[tuple[bool, str, str]]:
    """(negated, key, value) for each term; key "" for words and phrases.
    close_quotes: an unclosed quote runs to the end of the text."""
    i, n = 0, len(text)

    def quoted(start: int) -> tuple[str, int]:
        end = text.find('"', start + 1)
        if end < 0 and close_quotes:
            return text[start + 1 :], n
        if end < 0:
            raise QueryError(f"unclosed quote in query: {squash(text[start:])[:40]}")
        return text[start + 1 : end], end + 1

    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-"
        if negated:
            i += 1
            if i >= n or text[i].isspace():
                continue
        if text[i] == '"':
            value, i = quoted(i)
            yield negated, "", value
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        word = text[i:j]
        key, colon, value = word.partition(":")
        key = key.lower()
        if colon and key in _KEYS:
            if not value and j < n and text[j] == '"':
                value, j = quoted(j)
            yield negated, key, value
        else:
            yield negated, "", word
        i = j


def _year_range(value: str) -> tuple[int, int]:
    compact = "".join(value.split())
    match = _RANGE.fullmatch(compact)
    if match:
        lo, hi = int(match.group(1)), int(match.group(2))
        if lo > hi:
            raise QueryError(f"empty year range: year:{compact} (write the earlier year first)")
        return lo, hi
    match = _YEAR.fullmatch(compact)
    if not match:
        raise QueryError(
            f"bad year: year:{compact[:20]} (use year:2024, year:>=2023, year:<2020 "
            "or year:2019..2022)"
        )
    op, year = match.group(1) or "=", int(match.group(2))
    return {
        "=": (year, year),
        "<": (-1, year - 1),
        "<=": (-1, year),
        ">": (year + 1, 10_000),
        ">=": (year, 10_000),
    }[op]


def _term(negated: bool, key: str, value: str) -> Term | None:
    if not key:
        folded = squash(fold(value))
        return Term("word", folded, negated) if folded else None
    if not value.strip():
        raise QueryError(f"empty value for {key}: (for example {_EXAMPLES[key]})")
    if key == "is":
        choice = _IS.get(value.strip().lower())
        if choice is None:
            raise QueryError(
                f"unknown value for is: {value!r} (use read, unread, starred, unstarred or new)"
            )
        attr, flip = choice
        return Term("is", attr, negated != flip)
    if key == "has":
        name = value.strip().lower()
        if name not in _HAS:
            raise QueryError(f"unknown value for has: {value!r} (use {', '.join(_HAS)})")
        return Term("has", name, negated)
    if key == "year":
        return Term("year", _year_range(value), negated)
    if key == "tag":
        return Term("tag", normalise_tag(value), negated)
    return Term("author", squash(fold(value)), negated)


def parse_query(text: str) -> Query:
    """Parse a query; raises QueryError with a one-line message."""
    terms = []
    for negated, key, value in _tokens(text):
        term = _term(negated, key, value)
        if term is not None and term not in terms:
            terms.append(term)
    return Query(text, tuple(terms))


#: A year term that more typing can still make good: `year:>=20`, `year:2019..`.
_YEAR_SO_FAR = re.compile(r"(<=?|>=?|=)?[0-9]{0,4}(\.\.[0-9]{0,3})?")


@dataclass(frozen=True)
class Typed:
    """A query as far as it can be understood while it is being typed."""

    query: Query
    #: Wrong whatever is typed next ("" when nothing is): said when typing pauses.
    error: str = ""
    #: The error of the last term, not finished yet (`year:`, `"reward`): said on Enter.
    unfinished: str = ""


def _may_grow(key: str, value: str) -> bool:
    """Whether a term that does not parse may still become good by typing on."""
    value = value.strip().lower()
    if not value:
        return True
    if key == "year":
        return bool(_YEAR_SO_FAR.fullmatch(value))
    if key in ("is", "has"):
        return any(name.startswith(value) for name in (_IS if key == "is" else _HAS))
    return False


def parse_partial(text: str) -> Typed:
    """The query being typed: an unclosed quote runs to the end (`"reward mo`),
    a term that does not parse is left out, and so is a year still being
    typed at the end (`year:20` on the way to `year:2023`). A good query is
    what `parse_query` gives."""
    try:
        parse_query(text)
        strict = ""
    except QueryError as exc:
        strict = str(exc)
    tokens = list(_tokens(text, close_quotes=True))
    typing = not text[-1:].isspace()
    terms: list[Term] = []
    error = unfinished = ""
    for index, (negated, key, value) in enumerate(tokens):
        last = typing and index == len(tokens) - 1
        try:
            term = _term(negated, key, value)
        except QueryError as exc:
            if last and _may_grow(key, value):
                unfinished = str(exc)
            else:
                error = error or str(exc)
            continue
        if last and key == "year" and len(value.strip().lstrip("<>=")) < 4:
            continue  # a year on its way
        if term is not None and term not in terms:
            terms.append(term)
    if not error and not unfinished:
        unfinished = strict  # an unclosed quote: a phrase so far
    return Typed(Query(text, tuple(terms)), error, unfinished)


def highlight_terms(query: Query) -> list[str]:
    """The folded words and phrases a paper's text is searched for (not
    those that must not occur), and author names: what a view may highlight."""
    return [
        str(term.value)
        for term in query.terms
        if term.kind in ("word", "author") and not term.negated and term.value
    ]


# ---------------------------------------------------------------- matching
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
