"""The commands of `reader`: one function each, given the parsed arguments."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import ReaderError

#: The exit status of a program stopped by Ctrl+C (128 + SIGINT).
EXIT_INTERRUPTED = 130
SECONDS_PER_MINUTE = 60


# ---------------------------------------------------------------------- commands
def open_library(args: argparse.Namespace):
    from ..core.library import Library
    from ..paths import library_path

    return Library(library_path(getattr(args, "db", None)))


def _select(library, query_words: Sequence[str], sort: str = "added"):
    from ..core.query import Matcher, parse_query
    from ..core.sorting import sort_papers

    query = parse_query(" ".join(query_words))
    papers = library.papers()
    if query:
        papers = Matcher().match(query, papers)
    return sort_papers(papers, sort)


def cmd_import(args: argparse.Namespace) -> int:
    from ..core.importers import MAX_BYTES, decode_input, parse, read_text

    parsed = []
    for name in args.files:
        if name == "-":
            text = decode_input(sys.stdin.buffer.read(MAX_BYTES + 1), "standard input")
        else:
            text = read_text(name)
        result = parse(text, args.format)
        parsed.append((name, result))
    library = open_library(args)
    papers = [paper for _, result in parsed for paper in result.papers]
    outcome = library.add_papers(papers)
    for name, result in parsed:
        outcome.skipped += [(f"{name}: {what}", why) for what, why in result.skipped]
    formats = ", ".join(sorted({r.format for _, r in parsed}))
    print(f"{outcome.summary()}  [{formats}] -> {library.path}")
    for what, why in outcome.skipped:
        print(f"  skipped {what}: {why}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    library = open_library(args)
    papers = _select(library, args.query, args.sort)
    if args.json:
        _print_json([p.to_dict() for p in papers])
        return 0
    from ..core.listing import format_row

    for paper in papers:
        print(format_row(paper))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    library = open_library(args)
    paper = library.require(args.id)
    if args.json:
        _print_json(paper.to_dict())
        return 0
    from ..core.listing import format_details

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
    from ..core.listing import format_row

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


def cmd_cite(args: argparse.Namespace) -> int:
    from ..core.citation import cite

    library = open_library(args)
    papers = [library.require(pid) for pid in args.ids]
    separator = "\n" if args.format in ("bibtex",) else ""
    print(separator.join(cite(p, args.format).rstrip("\n") + "\n" for p in papers), end="")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..core.export import export
    from ..core.storage import atomic_write_bytes

    library = open_library(args)
    papers = _select(library, args.query)
    text = export(papers, args.format)
    if args.output and args.output != "-":
        atomic_write_bytes(Path(args.output), text.encode("utf-8"))
        print(f"exported {len(papers)} papers to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..core.library import Library
    from ..paths import library_path

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
    from ..core.arxiv_api import ArxivClient, EnrichError
    from ..core.enrich import EnrichReport, Progress, enrich, needs_enrichment

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
    from ..ui.launch import run_tui

    return run_tui(getattr(args, "db", None), demo=args.demo)


COMMANDS = {
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "mark": cmd_mark,
    "note": cmd_note,
    "cite": cmd_cite,
    "export": cmd_export,
    "restore": cmd_restore,
    "enrich": cmd_enrich,
}


def _print_json(value: object) -> None:
    import orjson

    sys.stdout.flush()
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.buffer.flush()


