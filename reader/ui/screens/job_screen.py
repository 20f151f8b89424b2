"""A modal screen that runs a job in a thread and closes with its result:
the look-ups of `E` and the downloads of `p`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class JobScreen(ModalScreen[ResultType], Generic[ResultType]):
    """Esc stops the job and closes the screen with what was done so far;
    the job's end closes it too, once the screen is on top again (the
    command palette may be over it: dismissing then would close that)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self) -> None:
        super().__init__(classes="prompt")
        self._stop = threading.Event()
        self._dismissed = False
        self._finish_on_resume = False

    def result(self) -> ResultType:
        """What the screen closes with."""
        raise NotImplementedError

    def cancelled(self) -> None:
        """Esc, before the screen closes: say so in the result."""

    def _finish(self) -> None:
        if self._dismissed:
            return
        if self.app.screen is not self:
            self._finish_on_resume = True
            return
        self._dismissed = True
        self.dismiss(self.result())

    def on_screen_resume(self) -> None:
        if self._finish_on_resume:
            self._finish()

    def action_cancel(self) -> None:
        self._stop.set()
        if self._dismissed:
            return
        self.cancelled()
        self._dismissed = True
        self.dismiss(self.result())


def call_from_worker(app: App, callback: Callable[..., object], *args: object) -> None:
    """`call_from_thread`, unless the app has closed meanwhile."""
    try:
        app.call_from_thread(callback, *args)
    except RuntimeError:
        pass
