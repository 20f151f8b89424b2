"""`reader sync` from the app, in a worker thread: the result comes back as
a message; no widget is touched from the thread."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widget import Widget

from ..core.library import Library
from ..errors import ReaderError


class SyncJob:
    """Runs a sync of `library` for `owner`, posting it `Synced`."""

    @dataclass
    class Synced(Message):
        """A sync ended: what it did, one line each; `failed` if it could not finish."""

        lines: list[str]
        failed: bool

    def __init__(self, owner: Widget, library: Library) -> None:
        self.owner = owner
        self.library = library

    def start(self) -> None:
        self.owner.run_worker(self._sync, thread=True, exclusive=True, group="sync")

    def _sync(self) -> None:
        from ..core import git_sync

        try:
            lines = git_sync.sync(self.library).lines
        except ReaderError as exc:
            self.owner.post_message(self.Synced([str(exc)], failed=True))
            return
        self.owner.post_message(self.Synced(lines, failed=False))
