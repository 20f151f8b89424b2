"""The command line's arguments: the parser, its help, and queries anywhere after their command."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .. import __version__
from ..core.formats import CITATION_FORMATS, EXPORT_FORMATS, IMPORT_FORMATS
from ..core.query import HAS_VALUES, IS_VALUES
from ..core.sorting import SORTS

ID_HELP = "a paper's id, as `reader list` shows it"
STYLE_HELP = (
    "a CSL style by name (apa, ieee, chicago-author-date, nature, harvard-cite-them-right, "
    "any of the CSL project's styles) or a .csl file"
)
CONFIG_KEYS = ("style", "fetch-on-start", "sync")
#: The format `export` writes unless told otherwise.
DEFAULT_EXPORT_FORMAT = "bibtex"


def epilog() -> str:
    """The query language in brief; the values of is: and has: from the query module."""
    return (
        "queries: words match title, abstract, authors, venue, tags and notes;\n"
        f'  "a phrase", -word, -"a phrase", is:{"|".join(IS_VALUES)},\n'
        "  tag:NAME, author:NAME, year:2024, year:>=2023, year:2019..2022,\n"
        f"  has:{'|'.join(HAS_VALUES)}\n"
        "the library: --db PATH, else $READER_DB, else the user data directory\n"
    )


class Parser(argparse.ArgumentParser):
    """argparse, with a query's words (`-survey` among them) anywhere after its command."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: command -> {option string: whether it takes a value}, for commands with a query
        self.query_commands: dict[str, dict[str, bool]] = {}

    def parse_command_line(self, argv: Sequence[str]) -> argparse.Namespace:
        return self.parse_args(self.queries_last(list(argv)))

    def queries_last(self, argv: list[str]) -> list[str]:
        """`argv` with the query words of `list`, `export` or `enrich` moved
        after a `--`, where argparse takes `-word` as a word, not an option.

        An argument after the command is an option when it is one of the
        command's option strings (or starts with `--`: argparse then says
        whether it knows it); the next argument is its value when it takes one.
        Everything else, `-survey` included, is a query word.
        """
        top = _options(self)
        i = 0
        while i < len(argv) and argv[i].startswith("-") and argv[i] not in ("-", "--"):
            name, eq, _ = argv[i].partition("=")
            i += 2 if top.get(name) and not eq else 1
        if i >= len(argv) or argv[i] not in self.query_commands:
            return argv
        options = self.query_commands[argv[i]]
        kept, words = argv[: i + 1], []
        rest = argv[i + 1 :]
        j = 0
        while j < len(rest):
            arg = rest[j]
            if arg == "--":
                words += rest[j + 1 :]
                break
            name, eq, _ = arg.partition("=")
            if name in options or arg.startswith("--"):
                kept.append(arg)
                if _takes_value(name, options) and not eq and j + 1 < len(rest):
                    j += 1
                    kept.append(rest[j])
            else:
                words.append(arg)
            j += 1
        return kept + ["--", *words] if words else kept


def _options(parser: argparse.ArgumentParser) -> dict[str, bool]:
    """Each option string of `parser` and whether it takes a value."""
    return {s: action.nargs != 0 for action in parser._actions for s in action.option_strings}


def _takes_value(name: str, options: dict[str, bool]) -> bool:
    """Whether option `name` takes a value: it, or the one long option it abbreviates."""
    if name in options:
        return options[name]
    matches = [takes for option, takes in options.items() if option.startswith(name)]
    return len(matches) == 1 and matches[0]


def build_parser() -> Parser:
    # --db is accepted before or after the sub-command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="PATH", default=argparse.SUPPRESS,
        help="library file (default: $READER_DB, else the user data directory)",
    )
    parser = Parser(
        prog="reader",
        description="A keyboard-first terminal reading list for research papers.",
        epilog=epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--demo", action="store_true",
        help="open a throwaway copy of a small demo library (yours is untouched)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=argparse.ArgumentParser)

    p = sub.add_parser("import", parents=[common], help="import papers from files, arXiv ids or DOIs")
    p.add_argument(
        "files", nargs="+", metavar="FILE",
        help="a file, - for standard input, or an arXiv id, arXiv link, DOI or doi.org link",
    )
    p.add_argument(
        "--format", choices=list(IMPORT_FORMATS),
        help="the files' format (default: detected from their content)",
    )

    p = sub.add_parser("add", parents=[common], help="add papers by arXiv id, DOI or a link with one")
    p.add_argument(
        "ids", nargs="+", metavar="ID",
        help="an arXiv id or link, a DOI or doi.org link, or a web page's address with one in it",
    )

    p = sub.add_parser("list", parents=[common], help="list papers matching a query")
    p.add_argument("query", nargs="*", help="a query (see `reader --help`); -word leaves a word out")
    p.add_argument("--json", action="store_true", help="a JSON array of papers")
    p.add_argument(
        "--sort", choices=SORTS, default="added",
        help="order (default: newest import first; for-you: unread papers closest to your starred ones)",
    )
    parser.query_commands["list"] = _options(p)

    p = sub.add_parser("show", parents=[common], help="show one paper")
    p.add_argument("id", metavar="ID", help=ID_HELP)
    p.add_argument("--json", action="store_true", help="the paper as JSON")

    p = sub.add_parser("mark", parents=[common], help="mark papers read, starred or tagged")
    p.add_argument("ids", nargs="*", metavar="ID", help=ID_HELP)
    p.add_argument("--query", metavar="QUERY", help="every paper this query matches (quoted), instead of ids")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--read", dest="read", action="store_true", default=None, help="mark read")
    group.add_argument("--unread", dest="read", action="store_false", help="mark unread")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--star", dest="star", action="store_true", default=None, help="star")
    group.add_argument("--unstar", dest="star", action="store_false", help="remove the star")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="add a tag (repeatable)")
    p.add_argument("--untag", action="append", default=[], metavar="TAG", help="remove a tag (repeatable)")

    p = sub.add_parser("tag", parents=[common], help="add and remove tags on every paper a query matches")
    p.add_argument("query", metavar="QUERY", help="a query, as one (quoted) argument")
    p.add_argument("changes", nargs="+", metavar="+TAG|-TAG", help="+TAG adds a tag, -TAG removes one")
    parser.query_commands["tag"] = _options(p)

    p = sub.add_parser("pdf", parents=[common], help="the paper's PDF: downloaded once, its path printed")
    p.add_argument("id", metavar="ID", help=ID_HELP)

    p = sub.add_parser("attach", parents=[common], help="keep a local PDF with a paper")
    p.add_argument("id", metavar="ID", help=ID_HELP)
    p.add_argument("file", metavar="FILE", help="a PDF file")
    p.add_argument("--link", action="store_true",
                   help="name the file where it is instead of copying it beside the library")

    p = sub.add_parser("edit", parents=[common], help="edit a paper as a BibTeX entry in $EDITOR")
    p.add_argument("id", metavar="ID", help=ID_HELP)

    p = sub.add_parser("note", parents=[common], help="show, set or clear a paper's notes")
    p.add_argument("id", metavar="ID", help=ID_HELP)
    p.add_argument(
        "text", nargs="?", metavar="TEXT",
        help="the new notes, or - to read them from standard input; '' clears them",
    )

    p = sub.add_parser("cite", parents=[common], help="print citations")
    p.add_argument("ids", nargs="+", metavar="ID", help=ID_HELP + ", or a source key (as in your \\cite{})")
    p.add_argument(
        "--format", choices=CITATION_FORMATS,
        help="bibtex (the default), a style (apa, ieee, chicago, nature), "
        "or plain/markdown in your style (`reader config style`)",
    )
    p.add_argument("--style", metavar="NAME|FILE.csl", help=STYLE_HELP)

    p = sub.add_parser("export", parents=[common], help="export papers matching a query")
    p.add_argument("query", nargs="*", help="a query (default: every paper)")
    p.add_argument(
        "--format", default=DEFAULT_EXPORT_FORMAT, choices=list(EXPORT_FORMATS),
        help=f"default: {DEFAULT_EXPORT_FORMAT}; plain: a bibliography in a style; "
        "markdown: a reading list, or with --style a bibliography",
    )
    p.add_argument("--style", metavar="NAME|FILE.csl", help=STYLE_HELP)
    p.add_argument(
        "-o", "--output", metavar="FILE",
        help="write to FILE, in a folder that exists (default: standard output)",
    )
    p.add_argument(
        "--no-abstracts", dest="abstracts", action="store_false",
        help="leave abstracts out of a BibTeX export",
    )
    parser.query_commands["export"] = _options(p)

    p = sub.add_parser(
        "duplicates", parents=[common],
        help="list papers that may be one work: the same DOI, arXiv id or title",
    )
    p = sub.add_parser("merge", parents=[common], help="merge the second paper into the first")
    p.add_argument("keep", metavar="ID", help="the paper to keep")
    p.add_argument("other", metavar="ID", help="the paper merged into it and removed")

    p = sub.add_parser(
        "config", parents=[common],
        help="show or change a setting (style: your citation style; fetch-on-start: on or off; "
        "sync: manual, start, quit or start+quit)",
    )
    p.add_argument("key", nargs="?", choices=CONFIG_KEYS)
    p.add_argument("value", nargs="?", help="the new value")
    p.add_argument("--unset", action="store_true", help="go back to the default")

    p = sub.add_parser(
        "restore", parents=[common],
        help="list the library's backups, or bring one back",
    )
    p.add_argument("backup", nargs="?", metavar="N", help="a number from the list, or a backup file")

    p = sub.add_parser(
        "enrich", parents=[common],
        help="fill in authors, year and ids from arXiv (one request per 3 s)",
    )
    p.add_argument("query", nargs="*", help="a query (default: every paper)")
    parser.query_commands["enrich"] = _options(p)

    from .feeds import add_parsers as add_feed_parsers
    from .stats import add_parser as add_stats_parser

    add_feed_parsers(sub, common)
    add_stats_parser(sub, common)
    p = sub.add_parser(
        "sync", parents=[common],
        help="send and receive changes through a git remote (init REMOTE_URL sets it up; status)",
    )
    p.add_argument("action", nargs="?", metavar="init|status", help="init: set up; status: what would move")
    p.add_argument("remote", nargs="?", metavar="REMOTE_URL", help="with init: the git remote")
    return parser
