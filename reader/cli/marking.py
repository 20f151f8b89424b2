"""The commands that change the reader's state of many papers at once:
`mark` (by ids or by a query) and `tag QUERY +tag -tag`. A change to
several papers is preceded by a backup."""

from __future__ import annotations

import argparse

from ..errors import ReaderError
from .common import open_library, papers_count, require


def cmd_mark(args: argparse.Namespace) -> int:
    if args.read is None and args.star is None and not args.tag and not args.untag:
        raise ReaderError("say what to mark: --read, --unread, --star, --unstar, --tag or --untag")
    if bool(args.ids) == (args.query is not None):
        raise ReaderError("give the papers by their ids or by --query QUERY, not both")
    library = open_library(args)
    if args.query is not None:
        pids = [p.id for p in matching(library, args.query)]
        if not pids:
            print(f"no paper matches {args.query!r}: nothing marked")
            return 0
    else:
        pids = [require(library, pid).id for pid in args.ids]
    if len(pids) > 1:
        library.backup("mark")
    if args.read is not None:
        library.set_read(pids, args.read)
    if args.star is not None:
        library.set_starred(pids, args.star)
    for tag in args.tag:
        library.add_tag(pids, tag)
    for tag in args.untag:
        library.remove_tag(pids, tag)
    from ..core.listing import format_row

    for pid in pids:
        print(format_row(library.require(pid)))
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    """`reader tag QUERY +tag -tag...`: tags added to and removed from every
    paper the query matches, in one write."""
    changes = list(args.changes)
    bad = [c for c in changes if len(c) < 2 or c[0] not in "+-"]
    if bad:
        raise ReaderError(
            f"{bad[0]!r} is not a change of tags: write +TAG to add, -TAG to remove "
            "(and the query as one argument, quoted)"
        )
    add = [c[1:] for c in changes if c[0] == "+"]
    remove = [c[1:] for c in changes if c[0] == "-"]
    library = open_library(args)
    papers = matching(library, args.query)
    if not papers:
        print(f"no paper matches {args.query!r}: nothing tagged")
        return 0
    if len(papers) > 1:
        library.backup("mark")
    before = [list(p.tags) for p in papers]
    changed = library.change_tags_of([p.id for p in papers], add, remove)
    differ = sum(1 for old, new in zip(before, changed, strict=True) if old != new.tags)
    print(f"tags changed on {papers_count(differ)} of the {papers_count(len(papers))} matched")
    return 0


def matching(library, text: str) -> list:
    """The papers a query typed as one argument matches, in the order added."""
    from ..core.query import Matcher, parse_query
    from ..core.sorting import sort_papers

    query = parse_query(text)
    papers = library.papers()
    return sort_papers(Matcher().match(query, papers) if query else papers, "added")
