"""The commands of `reader` that read or mark papers: one function each, given
the parsed arguments. `import` and `enrich` are in `adding`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import LibraryError, ReaderError
from .adding import cmd_add, cmd_enrich, cmd_import
from .common import (
    BIG_LIBRARY_BYTES,
    library_size,
    open_library,
    papers_count,
    print_json,
    require,
    select,
    waits_aloud,
)
from .editing import cmd_edit
from .feeds import cmd_feed, cmd_fetch
from .marking import cmd_mark, cmd_tag
from .pdf import cmd_attach, cmd_pdf
from .progress import Bar
from .quick_list import quick_select, remember_search
from .stats import cmd_stats
from .sync import cmd_sync, config_sync

#: An export of more papers than this shows a bar on a terminal while it is written.
BIG_EXPORT = 5000

#: The exit status of a program stopped by Ctrl+C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def cmd_list(args: argparse.Namespace) -> int:
    papers = quick_select(args)
    if papers is None:
        library = open_library(args)
        texts: dict[str, str] = {}
        papers = select(library, args.query, args.sort, texts)
        remember_search(library, args, texts)
    if args.json:
        print_json([p.to_dict() for p in papers])
        return 0
    from ..core.listing import format_row

    for paper in papers:
        print(format_row(paper))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    library = open_library(args)
    paper = require(library, args.id)
    if args.json:
        print_json(paper.to_dict())
        return 0
    from ..core.listing import format_details

    print(format_details(paper))
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    """Show the notes; set them; empty text (`''`, or nothing on stdin) clears them, and says so."""
    from ..core.text import strip_controls

    library = open_library(args)
    paper = require(library, args.id)
    if args.text is None:
        if paper.notes:
            print(strip_controls(paper.notes))
        return 0
    if args.text == "-":
        raw = sys.stdin.buffer.read().decode("utf-8", "replace")
    else:
        raw = args.text
    text = strip_controls(raw).strip("\n")
    had = paper.notes
    library.set_notes(paper.id, text)
    if text.strip():
        print(f"notes saved for {paper.id}")
    elif had.strip():
        lines = len(had.splitlines())
        print(f"notes cleared for {paper.id} ({lines} line{'s' if lines != 1 else ''})")
    else:
        print(f"no notes for {paper.id}: nothing to clear")
    return 0


def _style(spec: str | None) -> str | None:
    """A style given on the command line, checked before any work is done."""
    if spec is None:
        return None
    from ..core.styles import check_style

    return check_style(spec)


def _say_incomplete(papers) -> None:
    """One line on stderr for the papers cited as `arXiv:ID` (their metadata not yet fetched)."""
    from ..core.csl import is_incomplete

    waiting = [p for p in papers if is_incomplete(p)]
    if len(waiting) == 1:
        paper = waiting[0]
        print(f"reader: {paper.id} is incomplete: only its arXiv id is known, so it is "
              f"cited as arXiv:{paper.arxiv_id} (`reader enrich` fills it in)", file=sys.stderr)
    elif waiting:
        print(f"reader: {len(waiting)} papers are incomplete: only their arXiv ids are known, so "
              "they are cited as arXiv:ID (`reader enrich` fills them in)", file=sys.stderr)


def _by_id_or_key(library, ref: str):
    """The paper of id `ref`, else the one whose source key is `ref`
    (`author/online`, as in the user's `\\cite{}`)."""
    paper = library.get(ref)
    if paper is None:
        paper = next((p for p in library.papers() if p.key == ref), None)
    return paper if paper is not None else require(library, ref)


def cmd_cite(args: argparse.Namespace) -> int:
    from ..core.citation import cite
    from ..core.formats import citation_format
    from ..settings import default_style

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
    from ..core.export import export
    from ..core.formats import STYLED_EXPORTS
    from ..core.outfile import export_target
    from ..core.storage import atomic_write_bytes
    from ..settings import default_style

    if args.style and args.format not in STYLED_EXPORTS:
        raise ReaderError(f"--style applies to --format {' or '.join(STYLED_EXPORTS)}, not {args.format}")
    style = _style(args.style or (default_style() if args.format == "plain" else None))
    output = Path(args.output) if args.output and args.output != "-" else None
    if output is not None and not output.parent.is_dir():
        raise ReaderError(
            f"cannot write {args.output}: there is no folder {output.parent} (make it first)"
        )
    library = open_library(args)
    papers = select(library, args.query)
    with Bar(enabled=None if len(papers) > BIG_EXPORT else False) as bar:
        bar.stage(f"writing {papers_count(len(papers))} as {args.format}")
        text = export(papers, args.format, style, abstracts=args.abstracts)
    if style:
        _say_incomplete(papers)
    if output is not None:
        atomic_write_bytes(export_target(output), text.encode("utf-8"))
        print(f"exported {papers_count(len(papers))} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    from ..core.listing import format_row
    from ..core.merge import possible_duplicates

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
    from ..core.listing import format_row

    library = open_library(args)
    for pid in (args.keep, args.other):
        require(library, pid)
    paper = library.merge_pair(args.keep, args.other)
    print(f"merged {args.other} into {args.keep}")
    print(format_row(paper))
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    from ..settings import STYLE, default_style, save_settings, settings_path
    from .feeds import config_fetch_on_start, fetch_on_start_line

    if args.key == "fetch-on-start":
        return config_fetch_on_start(args)
    if args.key == "sync":
        return config_sync(args)
    if args.key is None:
        print(f"style = {default_style()}")
        print(fetch_on_start_line())
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
    from ..core.library import Library
    from ..paths import library_path

    # Not read first: restore is what brings back a library that cannot be read.
    library = waits_aloud(Library(library_path(getattr(args, "db", None)), load=False))
    backups = library.backups()
    if not backups and not library.path.exists():
        raise LibraryError(f"no library at {library.path}, and no backups of one")
    if args.backup is None:
        if not backups:
            print(f"no backups of {library.path} yet")
            return 0
        for n, line in enumerate(_describe_backups(library.path, backups), 1):
            print(f"{n}  {line}")
        print("bring one back with: reader restore N")
        return 0
    if args.backup.isdigit() and 1 <= int(args.backup) <= len(backups):
        chosen = backups[int(args.backup) - 1]
    else:
        chosen = Path(args.backup)
        if not chosen.is_file():
            raise ReaderError(f"no backup {args.backup!r}: `reader restore` lists them")
    library.restore_backup(chosen)
    print(f"restored {chosen} ({papers_count(len(library))}); the previous state was backed up")
    return 0


def _describe_backups(library: Path, backups: list[Path]) -> list[str]:
    """`2026-11-29 12:03  before an import  86 papers  /path/to/backup.json`, newest first."""
    lines = []
    big = library_size(backups[0]) > BIG_LIBRARY_BYTES
    with Bar(enabled=None if big else False) as bar:
        for n, path in enumerate(backups):
            bar.stage("counting the papers of each backup", n, len(backups))
            lines.append(_describe_backup(library, path))
    return lines


def _describe_backup(library: Path, path: Path) -> str:
    from ..core.backups import backup_info, count_papers
    from ..core.listing import local_time

    info = backup_info(path, library)
    when = local_time(info.taken.isoformat()) if info.taken else "time unknown    "
    count = count_papers(path)
    papers = papers_count(count) if count is not None else "cannot be read"
    return f"{when}  {info.cause:<30}  {papers:>14}  {path}"


def cmd_tui(args: argparse.Namespace) -> int:
    from ..ui.launch import run_tui

    return run_tui(getattr(args, "db", None), demo=args.demo)


COMMANDS = {
    "import": cmd_import,
    "add": cmd_add,
    "list": cmd_list,
    "show": cmd_show,
    "mark": cmd_mark,
    "tag": cmd_tag,
    "pdf": cmd_pdf,
    "attach": cmd_attach,
    "edit": cmd_edit,
    "note": cmd_note,
    "cite": cmd_cite,
    "export": cmd_export,
    "duplicates": cmd_duplicates,
    "merge": cmd_merge,
    "restore": cmd_restore,
    "enrich": cmd_enrich,
    "config": cmd_config,
    "feed": cmd_feed,
    "fetch": cmd_fetch,
    "stats": cmd_stats,
    "sync": cmd_sync,
}
