"""How far a long piece of work is, told to whoever shows it.

The core never draws anything: long work takes an `on_progress` callback and
calls it with a `Step` now and then. The command line draws a progress bar
from it on a terminal; the app may draw its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: Work on this many items reports at most this often (every item of a
#: hundred thousand would cost more than the work).
REPORT_EVERY = 500


@dataclass(frozen=True)
class Step:
    #: what is being done: "merging", "saving"
    what: str
    done: int = 0
    #: None while the amount of work is not known
    total: int | None = None


OnProgress = Callable[[Step], None]


def report(on_progress: OnProgress | None, what: str, done: int = 0, total: int | None = None) -> None:
    """Tell `on_progress` (if any) of a step; items in between are left out
    but for the first and the last."""
    if on_progress is None:
        return
    if total is not None and 0 < done < total and done % REPORT_EVERY:
        return
    on_progress(Step(what, done, total))
