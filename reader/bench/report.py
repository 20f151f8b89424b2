"""The report: medians beside their targets and their yardsticks, as a Markdown table."""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from .data import SIZES

#: From this size up the 1M targets apply; below it, the 100k ones.
LARGE = SIZES["1m"]
#: Up to this size a row's `target_10k` applies.
SMALL = SIZES["10k"]
#: Figures below this many seconds are shown in milliseconds.
MS_BELOW = 1.0


@dataclass(frozen=True)
class Row:
    label: str
    #: The target up to 100k, and at 1M (None: none set). With `relative`,
    #: a multiple of the yardstick measured in the same run.
    target: float
    target_1m: float | None
    unit: str
    #: The yardstick's name (see `yardsticks`), or "" for none.
    yardstick: str = ""
    relative: bool = False
    relative_1m: bool = False
    #: A target of its own up to 10k (issue 14's ranking), where there is one.
    target_10k: float | None = None


#: The targets of issue 16 (100k column; 1M column); a row it does not name
#: keeps its earlier target at both sizes.
ROWS = {
    "start": Row("start to a painted list", 2.5, 4.0, "s", "floor: hello-world app's first frame", relative=True),
    "keys": Row("longest key wait from the first frame on", 0.050, 0.100, "s", "floor: hello-world key to repaint"),
    "filter": Row("filter: keystroke to list repainted", 0.016, 0.050, "s", "floor: hello-world key to repaint"),
    "toggle_paint": Row("toggle: key to row repainted", 0.010, 0.016, "s", "floor: hello-world key to repaint"),
    "toggle_disk": Row("toggle: key to durable on disk", 0.020, 0.050, "s", "a small file replaced durably"),
    "note": Row("note saved durably", 0.050, 0.050, "s", "a small file replaced durably"),
    "import_bibtex": Row("import BibTeX", 1.3, None, "s", "bibtexparser's own parse", relative=True),
    "import_bibtex_memory": Row("import BibTeX: peak memory", 1.2, None, "MB", "bibtexparser's own parse",
                                relative=True),
    "import_trending": Row("import trending-page text", 5.0, 60.0, "s", "Python reads the file's lines"),
    "list": Row("reader list QUERY --json", 0.5, 5.0, "s", "Python starts and ends"),
    "memory": Row("peak memory of the TUI", 350.0, 2500.0, "MB", "floor: hello-world app"),
    "fetch": Row("fetch 1,000 feed items (local server)", 1.0, 3.0, "s"),
    # Issue 14: 0.5 s at 10k; at 100k and 1M, the same cost per paper.
    "rank": Row("for-you ranking", 5.0, 50.0, "s", target_10k=0.5),
    "sync": Row("reader sync of one toggle (to a local remote)", 0.5, 2.0, "s", "Python starts and ends"),
    "sync_diff": Row("that commit's diff (changed lines)", 1024.0, 1024.0, "B"),
}


@dataclass
class Result:
    #: reader's figures, and the yardstick's, measured in the same run.
    ours: list[float] = field(default_factory=list)
    base: list[float] = field(default_factory=list)
    #: Why the row has no figure (a row that cannot run at this size).
    note: str = ""


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _fmt(value: float | None, unit: str) -> str:
    if value is None or value != value:
        return "–"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "B":
        return f"{value:,.0f} B"
    if value < MS_BELOW:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def _growth(before: float | None, now: float | None, n_before: int, n_now: int) -> str:
    """The cost's growth from the size before: ×k for k times the papers."""
    if not before or not now:
        return "–"
    return f"×{now / before:.1f} (papers ×{n_now / n_before:g})"


def table(results: dict[str, dict[str, Result]]) -> str:
    lines = [
        "| what | size | reader | target | yardstick | reader ÷ yardstick | growth from the size before |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, row in ROWS.items():
        before: tuple[float | None, int] | None = None
        for size, rows in results.items():
            result = rows[key]
            ours, base = median(result.ours), median(result.base)
            large = SIZES[size] >= LARGE
            target = row.target_1m if large else row.target
            if row.target_10k is not None and SIZES[size] <= SMALL:
                target = row.target_10k
            relative = row.relative_1m if large else row.relative
            if target is None:
                goal, ok = "—", ""
            elif relative:
                goal = f"≤ {target:g}× yardstick"
                ok = "" if ours is None or not base else (" ✓" if ours <= target * base else " ✗")
            else:
                goal = f"≤ {_fmt(target, row.unit)}"
                ok = "" if ours is None else (" ✓" if ours <= target else " ✗")
            ratio = f"{ours / base:.2f}×" if ours and base else "–"
            figure = _fmt(ours, row.unit) + ok if ours is not None else (result.note or "–")
            yardstick = f"{_fmt(base, row.unit)} ({row.yardstick})" if base else "–"
            growth = _growth(before[0], ours, before[1], SIZES[size]) if before else "–"
            lines.append(
                f"| {row.label} | {size} | {figure} | {goal} | {yardstick} | {ratio} | {growth} |"
            )
            before = (ours, SIZES[size])
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
