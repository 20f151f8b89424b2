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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from ..errors import QueryError
from .models import Paper
from .text import fold, normalise_tag, squash

_IS = {
    "read": ("read", False),
    "unread": ("read", True),
    "starred": ("starred", False),
    "unstarred": ("starred", True),
    "new": ("new", False),
}
#: What each `has:` value looks at in a paper (truthy when the paper has it).
HAS_TESTS: dict[str, Callable[[Paper], object]] = {
    "notes": lambda p: p.notes.strip(),
    "code": attrgetter("code_url"),
    "abstract": lambda p: p.abstract.strip(),
    "tags": attrgetter("tags"),
    "arxiv": attrgetter("arxiv_id"),
    "doi": attrgetter("doi"),
    "pdf": lambda p: p.extra.get("file"),
}
#: An example of each qualifier, by its key, in the order help lists them.
_EXAMPLES = {example.partition(":")[0]: example for example in ("is:read", "tag:NAME", "author:NAME", "year:2024", "has:notes")}
_KEYS = tuple(_EXAMPLES)
#: The qualifiers (`key:value`), and the values of `is:` and `has:`: help texts list them from here.
QUALIFIERS = _KEYS
IS_VALUES = tuple(_IS)
HAS_VALUES = tuple(HAS_TESTS)
_YEAR = re.compile(r"(<=|>=|<|>|=)?([0-9]{1,4})")
_RANGE = re.compile(r"([0-9]{1,4})\.\.([0-9]{1,4})")


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
        if name not in HAS_TESTS:
            raise QueryError(f"unknown value for has: {value!r} (use {', '.join(HAS_TESTS)})")
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
        return any(name.startswith(value) for name in (_IS if key == "is" else HAS_TESTS))
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
