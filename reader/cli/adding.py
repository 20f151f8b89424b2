"""The commands that bring papers in or fill them in: `import` and `enrich`.

Both can take long: on a terminal they show a progress bar; on a pipe they
print nothing but their summary.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.progress import Step
from ..errors import ReaderError
from .common import open_library, papers_count, select
from .progress import Bar

SECONDS_PER_MINUTE = 60


def cmd_import(args: argparse.Namespace) -> int:
    """Files, standard input (`-`), or arXiv ids, arXiv links and DOIs typed
    where a file is expected (a file of that name wins). One line per file;
    a file that cannot be read is named and skipped, the others are imported,
    and the exit status says that one failed."""
    from ..core.ids import work_id
    from ..core.importers import MAX_BYTES, ParseResult, decode_input, parse, read_text
    from ..errors import ImportFormatError

    # arXiv ids, links and DOIs typed where a file goes are one batch.
    ids = [found for name in args.files if (found := _typed_id(name, work_id)) is not None]
    files = [name for name in args.files if _typed_id(name, work_id) is None]
    batches: list[str | None] = ([None] if ids else []) + files
    library = None
    failed: list[ImportFormatError] = []
    out: list[str] = []
    with Bar() as bar:
        for name in batches:
            if name is None:
                label, result = "ids", ParseResult("ids", papers=[found.paper() for found in ids])
            else:
                label = "standard input" if name == "-" else name
                bar.stage(f"reading {label}")

                def show(step: Step, label: str = label) -> None:
                    bar.stage(f"reading {label}: {step.what}", step.done, step.total)

                try:
                    if name == "-":
                        text = decode_input(sys.stdin.buffer.read(MAX_BYTES + 1), label)
                    else:
                        text = read_text(name)
                    result = parse(text, args.format, on_progress=show)
                    text = ""  # the papers are read: the text need not stay in memory
                except ImportFormatError as error:
                    if len(batches) == 1:
                        raise
                    message = str(error) if str(error).startswith(label) else f"{label}: {error}"
                    print(f"reader: error: {message}; not imported", file=sys.stderr)
                    failed.append(error)
                    continue
            if library is None:
                library = open_library(args, create=True)
                if len(library):
                    library.backup("import")  # one backup before the first file changes anything
            # reader's own JSON brings back each record by its id.
            outcome = library.add_papers(
                result.papers, backup=False, by_id=result.format == "json", on_progress=bar
            )
            outcome.skipped += result.skipped
            head = f"{label}: " if len(batches) > 1 else ""
            out.append(f"{head}{outcome.summary()}  [{result.format}] -> {library.path}")
            out += [f"  skipped {what}: {why}" for what, why in outcome.skipped]
            out += [f"  {what}: {why}" for what, why in outcome.trimmed]
            out += [
                f"  possible duplicate: {pid} and {other} ({why}); both kept"
                for pid, other, why in outcome.possible_duplicates
            ]
    # The summaries once the bar is gone (while it shows, it holds the terminal).
    for line in out:
        print(line)
    if failed:
        print(f"reader: {len(failed)} of {len(files)} files not imported", file=sys.stderr)
        return max(error.exit_code for error in failed)
    return 0


def _typed_id(name: str, work_id):
    """The work an argument names, if it is an id rather than a file (a file
    of that name wins)."""
    return work_id(name) if name != "-" and not Path(name).exists() else None


def cmd_enrich(args: argparse.Namespace) -> int:
    """`reader enrich`: on a terminal, a bar and each paper's outcome on stderr;
    the summary on stdout, and the papers not found after it."""
    from ..core.arxiv_api import ArxivClient, EnrichError, pace_file
    from ..core.enrich import EnrichReport, Progress, enrich, needs_enrichment

    library = open_library(args)
    papers = select(library, args.query)
    todo = sum(1 for p in papers if needs_enrichment(p))
    if todo:
        client = ArxivClient(pace=pace_file(library.path))
        pace = client.pacer.interval
        report = EnrichReport()
        with Bar() as bar:
            minutes = todo * pace / SECONDS_PER_MINUTE  # the most: one request a paper
            bar.say(
                f"looking up {papers_count(todo)} on {client.host}, one request every {pace:g} s"
                + (f" (at most about {minutes:.0f} min)" if minutes >= 1 else "")
            )
            bar.stage("looking up on arXiv", 0, todo)

            def show(progress: Progress) -> None:
                bar.say(progress.line())
                bar.stage(
                    f"found {progress.found}, not found {progress.not_found}",
                    progress.done, progress.total,
                )

            try:
                with client:
                    enrich(library, papers, client, on_progress=show, report=report)
            except KeyboardInterrupt:
                bar.__exit__(None, None, None)
                print(f"{report.summary()} (interrupted)", flush=True)
                raise
    else:
        report = EnrichReport(complete=[p.id for p in papers])
    if report.error is None:
        crossref_pass(library, [p.id for p in papers], report)
    print(report.summary(), flush=True)
    if report.crossref_error:
        print(f"reader: Crossref not asked: {report.crossref_error}", file=sys.stderr)
    for pid, why in report.not_found:
        print(f"  not found {pid}: {why}")
    if report.error is not None:
        error = report.error
        done = f"after {report.done} of {papers_count(report.total)}" if report.done else "before any paper"
        message = f"{error}; stopped {done}, nothing else changed"
        if isinstance(error, EnrichError):
            raise EnrichError(message, error.kind) from None
        raise ReaderError(message) from None
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """`reader add ID...`: each id's paper looked up and added (or found);
    one line each; a non-zero status if any was not added."""
    from ..core.add_works import add_works

    library = open_library(args, create=True)
    report = add_works(library, args.ids)
    for outcome in report.outcomes:
        print(outcome.line(), file=sys.stdout if outcome.pid else sys.stderr)
    return 1 if report.failed else 0


def crossref_pass(library, pids: list[str], report) -> None:
    """Crossref after arXiv: the papers with a DOI that lack venue details,
    and those arXiv did not find (see `core.enrich_crossref`)."""
    from ..core.crossref import CrossrefClient
    from ..core.enrich_crossref import candidates, enrich_crossref

    wanted = candidates(library, pids, report)
    if not wanted:
        return
    with Bar() as bar:
        bar.stage(f"looking up {papers_count(len(wanted))} on Crossref")
        try:
            with CrossrefClient() as client:
                enrich_crossref(library, wanted, client, report)
        except ReaderError as exc:  # a bad setting
            report.crossref_error = str(exc)
