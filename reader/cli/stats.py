"""`reader stats`: how the user keeps up, week by week, as sparklines."""

from __future__ import annotations

import argparse

from ..errors import ReaderError
from .common import open_library, print_json


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "stats", parents=[common],
        help="papers arrived, read and starred per week, per feed and tag, and the backlog",
    )
    p.add_argument("--weeks", type=int, default=12, metavar="N", help="weeks back (default 12)")
    p.add_argument("--json", action="store_true", help="the numbers as JSON")


def cmd_stats(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from ..core.stats import sparkline, weekly_stats

    if not 1 <= args.weeks <= 520:
        raise ReaderError("--weeks is a number of weeks from 1 to 520")
    stats = weekly_stats(open_library(args).papers(), args.weeks)
    if args.json:
        print_json(asdict(stats))
        return 0
    print(f"the last {stats.weeks} weeks, from {stats.week_starts[0]}, oldest first")
    rows = [("arrived", stats.arrived), ("read", stats.read), ("starred", stats.starred),
            ("unread backlog", stats.backlog)]
    rows += [(name, values) for name, values in stats.per_feed.items()]
    rows += [(f"tag {name}", values) for name, values in stats.per_tag.items()]
    width = max(len(name) for name, _ in rows)
    for name, values in rows:
        total = values[-1] if name == "unread backlog" else sum(values)
        label = "now" if name == "unread backlog" else "in all"
        print(f"{name:<{width}}  {sparkline(values)}  {total:>6} {label}")
    return 0
