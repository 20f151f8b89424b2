"""The report: medians beside their targets, as a Markdown table."""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from .data import SIZES

#: From this size up the larger target applies.
LARGE = SIZES["100k"]
#: Figures below this many seconds are shown in milliseconds.
MS_BELOW = 1.0

#: (label, target at 10k, target at 100k, unit). A target applies from 10k up;
#: at 1k the 10k target is shown.
ROWS = {
    "start": ("start to first painted list", 0.4, 2.5, "s"),
    "keys": ("longest key wait from the first frame on", 0.050, 0.050, "s"),
    "filter": ("filter: keystroke to list repainted", 0.016, 0.050, "s"),
    "toggle_paint": ("toggle: key to row repainted", 0.016, 0.016, "s"),
    "toggle_disk": ("toggle: key to durable on disk", 0.050, 0.050, "s"),
    "note": ("note saved durably", 0.050, 0.050, "s"),
    "import_bibtex": ("import BibTeX", 3.0, 30.0, "s"),
    "import_trending": ("import trending-page text", 1.0, 10.0, "s"),
    "list": ("reader list QUERY --json", 0.5, 3.0, "s"),
    "memory": ("peak memory of the TUI", 150.0, 1024.0, "MB"),
    "fetch": ("fetch 1,000 feed items (local server)", 3.0, 10.0, "s"),
    "rank": ("for-you ranking, cold", 0.5, 5.0, "s"),
    "rank_warm": ("for-you ranking again (warm)", 0.5, 5.0, "s"),
    "sync": ("reader sync of one toggle (to a local remote)", 2.0, 10.0, "s"),
    "sync_diff": ("that commit's diff (changed lines)", 1024.0, 1024.0, "B"),
}


@dataclass
class Result:
    ours: list[float] = field(default_factory=list)
    base: list[float] = field(default_factory=list)
    note: str = ""


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _fmt(value: float | None, unit: str) -> str:
    if value is None or value != value:
        return "–"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "B":
        return f"{value:,.0f} B"
    if value < MS_BELOW:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def table(results: dict[str, dict[str, Result]]) -> str:
    lines = [
        "| what | size | reader | target | plain TinyDB | TinyDB ÷ reader |",
        "|---|---|---|---|---|---|",
    ]
    for key, (label, target10, target100, unit) in ROWS.items():
        for size, rows in results.items():
            result = rows[key]
            ours, base = median(result.ours), median(result.base)
            target = target100 if SIZES[size] >= LARGE else target10
            ok = "" if ours is None else (" ✓" if ours <= target else " ✗")
            ratio = f"{base / ours:.1f}×" if ours and base else "–"
            lines.append(
                f"| {label} | {size} | {_fmt(ours, unit)}{ok} | ≤ {_fmt(target, unit)} | "
                f"{_fmt(base, unit)} | {ratio} |"
            )
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"
