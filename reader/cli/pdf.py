"""`reader pdf ID` (the PDF's path, downloaded first if need be) and
`reader attach ID FILE` (keep a local PDF with a paper)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import open_library, require
from .progress import Bar


def cmd_pdf(args: argparse.Namespace) -> int:
    from ..core.pdf_attach import fetch_pdf

    library = open_library(args)
    paper = require(library, args.id)
    with Bar() as bar:
        bar.stage(f"downloading the PDF of {paper.id}")

        def show(done: int, total: int | None) -> None:
            mb = 1024 * 1024
            bar.stage(f"downloading the PDF of {paper.id} ({done // mb} MB)", done, total)

        path, fetched = fetch_pdf(library, paper, on_bytes=show)
    if fetched:
        print(f"reader: downloaded the PDF of {paper.id}", file=sys.stderr)
    print(path)
    return 0


def cmd_attach(args: argparse.Namespace) -> int:
    from ..core.pdf_attach import attach

    library = open_library(args)
    paper = require(library, args.id)
    kept = attach(library, paper, Path(args.file), link=args.link)
    print(f"{paper.id}: {kept}")
    return 0
