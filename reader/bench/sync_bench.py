"""The sync rows of the benchmark: `reader sync` of one toggle, and the size
of the commit it makes, through a bare git repository beside the library."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .report import Result
from .terminal import run_timed


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, check=True).stdout.decode("utf-8", "replace")


def measure_sync(library: Path, work: Path, runs: int, results: dict[str, Result]) -> None:
    """`reader sync` after one star toggle, `runs` times, and the bytes of
    that commit's diff: its changed lines with their file headers
    (`git show --unified=0`). With git's 3 lines of context around them the
    diff also holds the neighbouring records (their notes, at full length)."""
    from ..core import git_sync
    from ..core.library import Library

    folder = work / "sync"
    if folder.exists():
        shutil.rmtree(folder)
    clone = folder / "machine" / "library.json"
    clone.parent.mkdir(parents=True)
    for part in library.parent.glob(library.stem + "*" + library.suffix):
        if part.is_file():
            shutil.copy(part, clone.parent / part.name)
    remote = folder / "remote.git"
    _git("init", "-q", "--bare", "-b", "main", str(remote))
    mine = Library(clone)
    git_sync.init(mine, str(remote))
    git_sync.sync(mine)
    pid = mine.papers()[0].id
    for _ in range(runs):
        mine.toggle_star(pid)
        results["sync"].ours.append(
            run_timed([sys.executable, "-m", "reader", "--db", str(clone), "sync"], work)
        )
        diff = _git("-C", str(clone.parent), "show", "--format=", "--unified=0", "HEAD")
        results["sync_diff"].ours.append(float(len(diff.encode())))
