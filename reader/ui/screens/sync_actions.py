"""Sync from the main screen: ctrl+s (and the palette), and on start when
the settings say so (`reader config sync start`)."""

from __future__ import annotations

from textual import events, on

from ...settings import sync_when
from ..sync_job import SyncJob
from .paper_actions import PaperActions


class SyncActions(PaperActions):
    """The main screen's sync action."""

    _sync_job: SyncJob | None = None
    _syncing = False

    def redraw_all(self) -> None:
        raise NotImplementedError

    @on(events.Mount)
    def _sync_on_start(self) -> None:
        for notice in self.session.library.notices:  # conflict copies merged on open
            self.say(notice)
        if "start" in sync_when() and not getattr(self.app, "demo", False):
            self.action_sync()

    def action_sync(self) -> None:
        if self._syncing:
            self.say("A sync is already running.")
            return
        if self._sync_job is None:
            self._sync_job = SyncJob(self, self.session.library)
        self._syncing = True
        self.say("Syncing…")
        self._sync_job.start()

    @on(SyncJob.Synced)
    def _synced(self, event: SyncJob.Synced) -> None:
        self._syncing = False
        if not event.failed:
            self.redraw_all()
        self.say("Sync: " + "; ".join(event.lines), "error" if event.failed else "information")
