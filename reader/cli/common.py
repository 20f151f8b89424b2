"""What the commands share: opening the library, finding papers, printing JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..errors import LibraryError, ReaderError

if TYPE_CHECKING:
    from ..core.library import Library
    from ..core.library_store import LibraryStore
    from ..core.models import Paper
    from ..core.query import Query

#: A library whose files are larger than this shows a spinner while it is read.
BIG_LIBRARY_BYTES = 20 * 1024 * 1024


def open_library(args: argparse.Namespace, *, create: bool = False, abstracts: bool = True) -> Library:
    """The library of `--db`/`$READER_DB`/the default. One that does not exist
    is an error, unless `create`: then it is made, and said so once on stderr.
    abstracts=False leaves the abstracts on disk (a command that never shows them)."""
    from ..core.library import Library
    from ..paths import library_path
    from .progress import Bar

    path = library_path(getattr(args, "db", None))
    if not path.exists():
        if not create:
            raise LibraryError(
                f"no library at {path}: `reader import FILE` makes one "
                "(--db PATH or $READER_DB names another)"
            )
        library = Library(path)
        print(f"reader: a new library at {path}", file=sys.stderr)
        return waits_aloud(library)
    size = library_size(path)
    with Bar(enabled=None if size > BIG_LIBRARY_BYTES else False) as bar:
        bar.stage(f"reading the library ({size / 1024 / 1024:.0f} MB)")
        return waits_aloud(Library(path, load_abstracts=abstracts))


StoreT = TypeVar("StoreT", bound="LibraryStore")


def waits_aloud(library: StoreT) -> StoreT:
    """`library`, saying on stderr when a write waits for another process's
    (and what opening it did: conflict copies merged)."""
    library.file_lock.on_wait = say
    for notice in library.notices:
        say(notice)
    return library


def say(message: str) -> None:
    print(f"reader: {message}", file=sys.stderr, flush=True)


def library_size(path: Path) -> int:
    """The bytes of a library's files (or a backup's)."""
    from ..core.library_files import LibraryFiles

    total = 0
    for part in LibraryFiles(path).all_paths():
        try:
            total += part.stat().st_size
        except OSError:
            pass
    return total


def require(library: Library, pid: str) -> Paper:
    """The paper `pid`, or an error that names the papers it likely meant."""
    from ..core.suggest import did_you_mean

    paper = library.get(pid)
    if paper is not None:
        return paper
    close = did_you_mean(pid, library.papers())
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise ReaderError(f"no paper with id {pid!r}{hint}")


def select(
    library: Library, query_words: Sequence[str], sort: str = "added", texts: dict[str, str] | None = None
) -> list[Paper]:
    """The papers of the query, in its order. `texts`: the search texts made, kept there."""
    from ..core.query import Matcher
    from ..core.sorting import sort_papers

    query, sort = parse_words(query_words, sort)
    everything = papers = library.papers()
    if query:
        papers = Matcher(texts=texts).match(query, papers)
    if sort == "for-you":
        from ..core.ranking import rank_for_you

        ranking = rank_for_you(everything, papers)
        if not ranking.enough:
            say(ranking.reason(papers[0]) if papers else "for you: nothing to rank")
        return ranking.ordered
    return sort_papers(papers, sort)


def query_text(words: Sequence[str]) -> str:
    """A query from command-line arguments. An argument with a space in it was
    quoted in the shell: it is a phrase (`"reward model"`, `-"reward model"`,
    `author:"van der"`), unless it has quotes of its own."""
    from ..core.query import QUALIFIERS

    parts = []
    for word in words:
        word = word.strip()
        if '"' not in word and any(c.isspace() for c in word):
            sign = "-" if word.startswith("-") else ""
            body = word[len(sign) :]
            key, colon, value = body.partition(":")
            if colon and key.lower() in QUALIFIERS:
                word = f'{sign}{key}:"{value}"'
            else:
                word = f'{sign}"{body}"'
        parts.append(word)
    return " ".join(parts)


def papers_count(n: int) -> str:
    return f"{n:,} paper" if n == 1 else f"{n:,} papers"


def print_json(value: object) -> None:
    import orjson

    sys.stdout.flush()
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.buffer.flush()


def parse_words(query_words: Sequence[str], sort: str = "added") -> tuple[Query, str]:
    """The query of the command line's words, and the sort (`sort:` among them)."""
    from ..core.query import parse_query
    from ..core.sorting import SORTS
    from ..errors import QueryError

    words = []
    for word in query_words:
        key, colon, value = word.strip().partition(":")
        if colon and key.lower() == "sort":
            if value.strip().lower() not in SORTS:
                raise QueryError(f"unknown value for sort: {value!r} (use {', '.join(SORTS)})")
            sort = value.strip().lower()
        else:
            words.append(word)
    return parse_query(query_text(words)), sort
