"""`python -m reader.bench`: run the benchmark and print its table."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from . import __doc__ as DOC
from .data import SIZES
from .report import ROWS, Result, machine, table
from .runner import Bench


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.bench", description=(DOC or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k", help="comma-separated: 1k,10k,100k,1m (default 1k,10k)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions of each measurement (default 5)")
    parser.add_argument("--only", default="", help=f"comma-separated rows: {','.join(ROWS)}")
    parser.add_argument("--work", help="where to put the libraries (default: a temporary folder)")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}: use 1k, 10k, 100k or 1m")
    only = {s.strip() for s in args.only.split(",") if s.strip()} or None
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="reader-bench-"))
    results: dict[str, dict[str, Result]] = {}
    try:
        for size in sizes:
            results[size] = Bench(size, args.runs, work, log).run(only)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"reader benchmark · {machine()} · medians of {args.runs} runs · load {os.getloadavg()[0]:.1f}")
    print()
    print(table(results))
    if args.json:
        raw = {
            size: {key: {"reader": r.ours, "yardstick": r.base, "note": r.note} for key, r in rows.items()}
            for size, rows in results.items()
        }
        Path(args.json).write_text(json.dumps(raw, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
