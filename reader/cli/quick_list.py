"""`reader list WORDS` through the search cache beside the library (see
`core.search_cache`): only the papers that may match are read."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .common import parse_words

if TYPE_CHECKING:
    from ..core.library import Library
    from ..core.models import Paper


def quick_select(args: argparse.Namespace) -> list[Paper] | None:
    """The papers of the query, as `select` gives them, read through the
    cache; None when it cannot answer (no words, the for-you order, a cache
    out of date or missing)."""
    from ..core import search_cache
    from ..core.query import Matcher
    from ..core.sorting import sort_papers
    from ..paths import library_path

    query, sort = parse_words(args.query, args.sort)
    if sort == "for-you" or not search_cache.words_of(query):
        return None
    path = library_path(getattr(args, "db", None))
    papers = search_cache.candidates(Path(os.path.realpath(path.expanduser())), query)
    if papers is None:
        return None
    papers.sort(key=lambda p: p.added, reverse=True)  # as `Library.papers` orders them
    return sort_papers(Matcher().match(query, papers), sort)


def remember_search(library: Library, args: argparse.Namespace, texts: dict[str, str]) -> None:
    """After a query with words, read the usual way: write the cache for the next."""
    from ..core import search_cache

    query, sort = parse_words(args.query, args.sort)
    if sort == "for-you" or not search_cache.words_of(query) or not library.abstracts_loaded:
        return
    search_cache.write(library.path, library.stored_papers(), texts)
