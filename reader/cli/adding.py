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
    where a file is expected (a file of that name wins)."""
    from ..core.ids import work_id
    from ..core.importers import MAX_BYTES, ParseResult, decode_input, parse, read_text

    parsed: list[tuple[str, ParseResult]] = []
    with Bar() as bar:
        for name in args.files:
            found = work_id(name) if name != "-" and not Path(name).exists() else None
            if found is not None:
                result = ParseResult("ids", papers=[found.paper()])
                parsed.append((name, result))
                continue
            label = "standard input" if name == "-" else name
            bar.stage(f"reading {label}")
            if name == "-":
                text = decode_input(sys.stdin.buffer.read(MAX_BYTES + 1), label)
            else:
                text = read_text(name)

            def show(step: Step, label: str = label) -> None:
                bar.stage(f"reading {label}: {step.what}", step.done, step.total)

            parsed.append((name, parse(text, args.format, on_progress=show)))
        library = open_library(args, create=True)
        papers = [paper for _, result in parsed for paper in result.papers]
        outcome = library.add_papers(papers, on_progress=bar)
    for name, result in parsed:
        outcome.skipped += [(f"{name}: {what}", why) for what, why in result.skipped]
    formats = ", ".join(sorted({r.format for _, r in parsed}))
    print(f"{outcome.summary()}  [{formats}] -> {library.path}")
    for what, why in outcome.skipped:
        print(f"  skipped {what}: {why}")
    for what, why in outcome.trimmed:
        print(f"  {what}: {why}")
    return 0


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
    print(report.summary(), flush=True)
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
