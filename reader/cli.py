"""The `reader` command line. The TUI is imported only when it is opened."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .core.formats import CITATION_FORMATS, EXPORT_FORMATS, IMPORT_FORMATS
from .errors import ReaderError

#: The exit status of a program stopped by Ctrl+C (128 + SIGINT).
EXIT_INTERRUPTED = 130
SECONDS_PER_MINUTE = 60
STYLE_HELP = (
    "a CSL style by name (apa, ieee, chicago-author-date, nature, harvard-cite-them-right, "
    "any of the CSL project's styles) or a .csl file"
)
CONFIG_KEYS = ("style",)

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
    p.add_argument(
        "--format", choices=CITATION_FORMATS,
        help="bibtex (the default), a style (apa, ieee, chicago, nature), "
        "or plain/markdown in your style (`reader config style`)",
    )
    p.add_argument("--style", metavar="NAME|FILE.csl", help=STYLE_HELP)

    p = sub.add_parser("export", parents=[common], help="export papers matching a query")
    p.add_argument("query", nargs="*")
    p.add_argument(
        "--format", required=True, choices=list(EXPORT_FORMATS),
        help="plain: a bibliography in a style; markdown: a reading list, or with --style a bibliography",
    )
    p.add_argument("--style", metavar="NAME|FILE.csl", help=STYLE_HELP)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    p.add_argument(
        "--no-abstracts", dest="abstracts", action="store_false",
        help="leave abstracts out of a BibTeX export",
    )

    p = sub.add_parser(
        "duplicates", parents=[common],
        help="list papers that may be one work: the same DOI, arXiv id or title",
    )
    p = sub.add_parser("merge", parents=[common], help="merge the second paper into the first")
    p.add_argument("keep", metavar="ID", help="the paper to keep")
    p.add_argument("other", metavar="ID", help="the paper merged into it and removed")

    p = sub.add_parser(
        "config", parents=[common], help="show or change a setting (style: your citation style)",
    )
    p.add_argument("key", nargs="?", choices=CONFIG_KEYS)
    p.add_argument("value", nargs="?", help="the new value")
    p.add_argument("--unset", action="store_true", help="go back to the default")

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


# ---------------------------------------------------------------------- commands
def open_library(args: argparse.Namespace):
    from .core.library import Library
    from .paths import library_path

    return Library(library_path(getattr(args, "db", None)))


def _select(library, query_words: Sequence[str], sort: str = "added"):
    from .core.query import Matcher, parse_query
    from .core.sorting import sort_papers

    query = parse_query(" ".join(query_words))
    papers = library.papers()
    if query:
        papers = Matcher().match(query, papers)
    return sort_papers(papers, sort)


def cmd_import(args: argparse.Namespace) -> int:
    """One line per file; a file that cannot be read is named and skipped,
    the others are imported, and the exit status says that one failed."""
    from .core.importers import MAX_BYTES, decode_input, parse, read_text
    from .errors import ImportFormatError

    library = None
    failed: list[ImportFormatError] = []
    for name in args.files:
        label = "standard input" if name == "-" else name
        try:
            if name == "-":
                text = decode_input(sys.stdin.buffer.read(MAX_BYTES + 1), label)
            else:
                text = read_text(name)
            result = parse(text, args.format)
        except ImportFormatError as error:
            if len(args.files) == 1:
                raise
            message = str(error) if str(error).startswith(label) else f"{label}: {error}"
            print(f"reader: error: {message}; not imported", file=sys.stderr)
            failed.append(error)
            continue
        if library is None:
            library = open_library(args)
            if len(library):
                library.backup()  # one backup before the first file changes anything
        # reader's own JSON brings back each record by its id.
        outcome = library.add_papers(result.papers, backup=False, by_id=result.format == "json")
        outcome.skipped += result.skipped
        head = f"{label}: " if len(args.files) > 1 else ""
        print(f"{head}{outcome.summary()}  [{result.format}] -> {library.path}")
        for what, why in outcome.skipped:
            print(f"  skipped {what}: {why}")
        for pid, other, why in outcome.possible_duplicates:
            print(f"  possible duplicate: {pid} and {other} ({why}); both kept")
    if failed:
        print(f"reader: {len(failed)} of {len(args.files)} files not imported", file=sys.stderr)
        return max(error.exit_code for error in failed)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    library = open_library(args)
    papers = _select(library, args.query, args.sort)
    if args.json:
        _print_json([p.to_dict() for p in papers])
        return 0
    from .core.listing import format_row

    for paper in papers:
        print(format_row(paper))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    library = open_library(args)
    paper = library.require(args.id)
    if args.json:
        _print_json(paper.to_dict())
        return 0
    from .core.listing import format_details

    print(format_details(paper))
    return 0


def cmd_mark(args: argparse.Namespace) -> int:
    if args.read is None and args.star is None and not args.tag and not args.untag:
        raise ReaderError("say what to mark: --read, --unread, --star, --unstar, --tag or --untag")
    library = open_library(args)
    for pid in args.ids:
        library.require(pid)
    if len(args.ids) > 1:
        library.backup()
    if args.read is not None:
        library.set_read(args.ids, args.read)
    if args.star is not None:
        library.set_starred(args.ids, args.star)
    for tag in args.tag:
        library.add_tag(args.ids, tag)
    for tag in args.untag:
        library.remove_tag(args.ids, tag)
    from .core.listing import format_row

    for pid in args.ids:
        print(format_row(library.require(pid)))
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    library = open_library(args)
    paper = library.require(args.id)
    if args.text is None:
        if paper.notes:
            print(paper.notes)
        return 0
    text = sys.stdin.read() if args.text == "-" else args.text
    library.set_notes(paper.id, text.strip("\n"))
    print(f"notes saved for {paper.id}")
    return 0


def _by_id_or_key(library, ref: str):
    """The paper of id `ref`, else the one whose source key is `ref`
    (`author/online`, as in the user's `\\cite{}`)."""
    paper = library.get(ref)
    if paper is None:
        paper = next((p for p in library.papers() if p.key == ref), None)
    return paper if paper is not None else library.require(ref)


def _style(spec: str | None) -> str | None:
    """A style given on the command line, checked before any work is done."""
    if spec is None:
        return None
    from .core.styles import check_style

    return check_style(spec)


def _say_incomplete(papers) -> None:
    """One line on stderr for the papers cited as `arXiv:ID` (their metadata not yet fetched)."""
    from .core.csl import is_incomplete

    waiting = [p for p in papers if is_incomplete(p)]
    if len(waiting) == 1:
        paper = waiting[0]
        print(f"reader: {paper.id} is incomplete: only its arXiv id is known, so it is "
              f"cited as arXiv:{paper.arxiv_id} (`reader enrich` fills it in)", file=sys.stderr)
    elif waiting:
        print(f"reader: {len(waiting)} papers are incomplete: only their arXiv ids are known, so "
              "they are cited as arXiv:ID (`reader enrich` fills them in)", file=sys.stderr)


def cmd_cite(args: argparse.Namespace) -> int:
    from .core.citation import cite
    from .core.formats import citation_format
    from .settings import default_style

    kind = citation_format(args.format or ("plain" if args.style else "bibtex"))
    if args.style and kind.output == "bibtex":
        raise ReaderError("--style makes a text citation: use it alone, or with --format plain or markdown")
    if args.style and kind.style:
        raise ReaderError(f"--format {kind.name} is a style already: give --style {args.style} alone")
    style = _style(args.style or (None if kind.style or kind.output == "bibtex" else default_style()))
    library = open_library(args)
    papers = [_by_id_or_key(library, ref) for ref in args.ids]
    _say_incomplete(papers)
    separator = "\n" if kind.output == "bibtex" else ""
    texts = [cite(p, kind.name, style).rstrip("\n") + "\n" for p in papers]
    print(separator.join(texts), end="")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .core.export import export
    from .core.formats import STYLED_EXPORTS
    from .core.storage import atomic_write_bytes
    from .settings import default_style

    if args.style and args.format not in STYLED_EXPORTS:
        raise ReaderError(f"--style applies to --format {' or '.join(STYLED_EXPORTS)}, not {args.format}")
    style = _style(args.style or (default_style() if args.format == "plain" else None))
    library = open_library(args)
    papers = _select(library, args.query)
    text = export(papers, args.format, style, abstracts=args.abstracts)
    if style:
        _say_incomplete(papers)
    if args.output and args.output != "-":
        atomic_write_bytes(Path(args.output), text.encode("utf-8"))
        print(f"exported {len(papers)} papers to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    from .core.listing import format_row
    from .core.merge import possible_duplicates

    library = open_library(args)
    pairs = possible_duplicates(library.papers())
    if not pairs:
        print("no possible duplicates")
        return 0
    for first, second, why in pairs:
        print(f"{first}  {second}  ({why})")
        for pid in (first, second):
            print("  " + format_row(library.require(pid)))
    print("merge two with: reader merge ID ID")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from .core.listing import format_row

    library = open_library(args)
    paper = library.merge_pair(args.keep, args.other)
    print(f"merged {args.other} into {args.keep}")
    print(format_row(paper))
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    from .settings import STYLE, default_style, save_settings, settings_path

    if args.key is None:
        print(f"style = {default_style()}")
        print(f"(kept in {settings_path()})")
        return 0
    if args.unset:
        if not save_settings({STYLE: None}):
            raise ReaderError(f"cannot write {settings_path()}")
        print(f"style = {default_style()} (the default)")
        return 0
    if args.value is None:
        print(default_style())
        return 0
    value = _style(args.value) or ""
    if value.lower().endswith(".csl"):
        value = str(Path(value).expanduser().resolve())
    if not save_settings({STYLE: value}):
        raise ReaderError(f"cannot write {settings_path()}")
    print(f"style = {value}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .core.library import Library
    from .paths import library_path

    # Not read first: restore is what brings back a library that cannot be read.
    library = Library(library_path(getattr(args, "db", None)), load=False)
    backups = library.backups()
    if args.backup is None:
        if not backups:
            print(f"no backups of {library.path} yet")
            return 0
        for n, path in enumerate(backups, 1):
            print(f"{n}  {path}")
        print("bring one back with: reader restore N")
        return 0
    if args.backup.isdigit() and 1 <= int(args.backup) <= len(backups):
        chosen = backups[int(args.backup) - 1]
    else:
        chosen = Path(args.backup)
        if not chosen.is_file():
            raise ReaderError(f"no backup {args.backup!r}: `reader restore` lists them")
    library.restore_backup(chosen)
    print(f"restored {chosen} ({len(library)} papers); the previous state was backed up")
    return 0


def cmd_enrich(args: argparse.Namespace) -> int:
    """`reader enrich`: progress on stderr, a summary on stdout."""
    from .core.arxiv_api import ArxivClient, EnrichError
    from .core.enrich import EnrichReport, Progress, enrich, needs_enrichment

    library = open_library(args)
    papers = _select(library, args.query)
    todo = sum(1 for p in papers if needs_enrichment(p))
    if todo:
        client = ArxivClient()
        pace = client.pacer.interval
        minutes = todo * pace / SECONDS_PER_MINUTE  # the most: one request a paper
        print(
            f"looking up {_papers(todo)} on {client.host}, one request every {pace:g} s"
            + (f" (at most about {minutes:.0f} min)" if minutes >= 1 else ""),
            file=sys.stderr,
            flush=True,
        )

        def show(progress: Progress) -> None:
            print(progress.line(), file=sys.stderr, flush=True)

        report = EnrichReport()
        try:
            with client:
                enrich(library, papers, client, on_progress=show, report=report)
        except KeyboardInterrupt:
            print(f"{report.summary()} (interrupted)", flush=True)
            raise
    else:
        report = EnrichReport(complete=[p.id for p in papers])
    print(report.summary(), flush=True)
    if report.error is not None:
        error = report.error
        done = f"after {report.done} of {_papers(report.total)}" if report.done else "before any paper"
        message = f"{error}; stopped {done}, nothing else changed"
        if isinstance(error, EnrichError):
            raise EnrichError(message, error.kind) from None
        raise ReaderError(message) from None
    return 0


def _papers(n: int) -> str:
    return f"{n} paper" if n == 1 else f"{n} papers"


def cmd_tui(args: argparse.Namespace) -> int:
    from .ui.launch import run_tui

    return run_tui(getattr(args, "db", None), demo=args.demo)


COMMANDS = {
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "mark": cmd_mark,
    "note": cmd_note,
    "cite": cmd_cite,
    "export": cmd_export,
    "duplicates": cmd_duplicates,
    "merge": cmd_merge,
    "restore": cmd_restore,
    "enrich": cmd_enrich,
    "config": cmd_config,
}


def _print_json(value: object) -> None:
    import orjson

    sys.stdout.flush()
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.buffer.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = COMMANDS.get(args.command or "", cmd_tui)
    try:
        return handler(args)
    except ReaderError as exc:
        print(f"reader: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `reader list | head`: the reader of our output went away.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
