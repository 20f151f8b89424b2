"""Progress bars for long commands: on a terminal only, never on a pipe.

A `Bar` draws on standard error while it is a terminal (with rich, imported
only then) and does nothing otherwise, so that a script reading the output
sees the summary alone. It takes the core's progress `Step`s as a callback.
The bar is transient: it goes when the work is done, and the summary stays.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from ..core.progress import Step
from ..core.text import strip_controls


def on_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Bar:
    """`with Bar() as bar:` then `bar.stage("reading x")`, `bar(step)` or `bar.say(line)`."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = on_terminal() if enabled is None else enabled
        self._progress: Any = None
        self._task: Any = None
        self._what = ""

    def __enter__(self) -> Bar:
        if self.enabled:
            self._progress = _rich_progress()
            self._progress.start()
            self._task = self._progress.add_task("", total=None)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def stage(self, what: str, done: int = 0, total: int | None = None) -> None:
        """Show `what` (done of total, or a spinner while the total is unknown)."""
        if self._progress is None:
            return
        what = strip_controls(what)
        self._progress.update(self._task, description=what, completed=done, total=total)
        if what != self._what or (total is not None and done >= total):
            self._what = what
            self._progress.refresh()

    def __call__(self, step: Step) -> None:
        self.stage(step.what, step.done, step.total)

    def say(self, line: str) -> None:
        """A line above the bar (on a terminal only)."""
        if self._progress is not None:
            from rich.text import Text

            self._progress.console.print(Text(strip_controls(line)), highlight=False)


def _rich_progress() -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Counts(ProgressColumn):
        """`1,500/100,000` once the total is known."""

        def render(self, task: Task) -> Text:
            if task.total is None:
                return Text("")
            return Text(f"{int(task.completed):,}/{int(task.total):,}", style="progress.download")

    class Left(ProgressColumn):
        """Time left once the total is known, else the time so far."""

        def __init__(self) -> None:
            super().__init__()
            self.left, self.elapsed = TimeRemainingColumn(), TimeElapsedColumn()

        def render(self, task: Task) -> Text:
            if task.total is None:
                return self.elapsed.render(task)
            return Text.assemble(self.left.render(task), " left")

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        Counts(),
        Left(),
        console=Console(stderr=True),
        transient=True,
    )
