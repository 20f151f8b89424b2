"""The command line's arguments: the parser and its help."""

from __future__ import annotations

import argparse

from .. import __version__
from ..core.formats import CITATION_FORMATS, EXPORT_FORMATS, IMPORT_FORMATS

EPILOG = """\
queries: words match title, abstract, authors, venue, tags and notes;
  "a phrase", -word, is:read|unread|starred, tag:NAME, author:NAME,
  year:2024, year:>=2023, year:2019..2022, has:notes|code|abstract
the library: --db PATH, else $READER_DB, else the user data directory
"""


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the sub-command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="PATH", default=argparse.SUPPRESS,
        help="library file (default: $READER_DB, else the user data directory)",
    )
    parser = argparse.ArgumentParser(
        prog="reader",
        description="A keyboard-first terminal reading list for research papers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--demo", action="store_true",
        help="open a throwaway copy of a small demo library (yours is untouched)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", parents=[common], help="import papers from files")
    p.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for standard input")
    p.add_argument(
        "--format", choices=list(IMPORT_FORMATS),
        help="the file's format (default: detected from its content)",
    )

    p = sub.add_parser("list", parents=[common], help="list papers matching a query")
    p.add_argument("query", nargs="*", help="a query (see below)")
    p.add_argument("--json", action="store_true", help="a JSON array of papers")
    p.add_argument(
        "--sort", choices=("added", "title", "year"), default="added",
        help="order (default: newest import first)",
    )

    p = sub.add_parser("show", parents=[common], help="show one paper")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="the paper as JSON")

    p = sub.add_parser("mark", parents=[common], help="mark papers read, starred or tagged")
    p.add_argument("ids", nargs="+", metavar="ID")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--read", dest="read", action="store_true", default=None)
    group.add_argument("--unread", dest="read", action="store_false")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--star", dest="star", action="store_true", default=None)
    group.add_argument("--unstar", dest="star", action="store_false")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="add a tag")
    p.add_argument("--untag", action="append", default=[], metavar="TAG", help="remove a tag")

    p = sub.add_parser("note", parents=[common], help="show or set a paper's notes")
    p.add_argument("id")
    p.add_argument("text", nargs="?", help="the new notes, or - to read them from standard input")

    p = sub.add_parser("cite", parents=[common], help="print citations")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--format", default="bibtex", choices=CITATION_FORMATS)

    p = sub.add_parser("export", parents=[common], help="export papers matching a query")
    p.add_argument("query", nargs="*")
    p.add_argument("--format", required=True, choices=list(EXPORT_FORMATS))
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")

    p = sub.add_parser(
        "restore", parents=[common],
        help="list the library's backups, or bring one back",
    )
    p.add_argument("backup", nargs="?", help="a number from the list, or a backup file")

    p = sub.add_parser(
        "enrich", parents=[common],
        help="fill in authors, year and ids from arXiv (one request per 3 s)",
    )
    p.add_argument("query", nargs="*")
    return parser
